"""The DMSA runbook with --trace --video against the mock (a real OpenBao for the vault):
no secret in any byte of any artifact, a trace that loads and keeps the harmless steps, a
credentials chapter masked in pictures and film, a report and a procedure that show every
step."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pixels import decode, magenta_boxes, spread
from playwright.sync_api import Page, expect
from world import World, make_world

from automation.artifacts.captions import read_cues
from automation.artifacts.leak_scan import needles, scan_bytes
from automation.artifacts.record import load_record
from automation.artifacts.video import BANNER_PX
from automation.testing.vault_servers import OpenBao

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORDS = [b"Portal-Pass-2026!", b"Procore-Pass-2026!", b"Sync-Pass-2026!"]
PROMOTE = "developer.promote"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory, openbao: OpenBao
             ) -> Iterator[tuple[World, subprocess.CompletedProcess[str], Path, list[bytes]]]:
    server = openbao
    url = server.url(server.new_mount(), scheme="openbao")
    world = make_world(tmp_path_factory.mktemp("recorded"), vault_url=url,
                       vault_env={"VAULT_TOKEN": server.token})
    result = world.run("--trace", "--video")
    (run_dir,) = world.run_dirs()
    secrets = [world.stored_credentials()[1].reveal().encode(), *PASSWORDS,
               server.token.encode()]
    yield world, result, run_dir, secrets
    world.portal.stop()


class TestNoSecretAnywhere:
    """No byte of any artifact (trace members included) nor the output holds a secret."""

    def test_run_succeeds_with_every_artifact(self, recorded: tuple) -> None:
        _, result, run_dir, _ = recorded
        assert result.returncode == 0, result.stderr
        for name in ("trace.zip", "video.webm", "captions.vtt", "report.html",
                     "procedure.md", "procedure.html", "record.json", "journal.jsonl"):
            assert (run_dir / name).is_file(), name
        assert "LEAK" not in result.stderr

    def test_every_byte(self, recorded: tuple) -> None:
        _, result, run_dir, secrets = recorded
        wanted = needles(s.decode() for s in secrets)
        files = [p for p in run_dir.rglob("*") if p.is_file()]
        assert len(files) > 20
        for path in files:
            data = path.read_bytes()
            assert not any(s in data for s in secrets), path
            assert not scan_bytes(data, wanted), path
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    for member in archive.namelist():
                        assert not scan_bytes(archive.read(member), wanted), (path, member)
        assert not scan_bytes((result.stdout + result.stderr).encode(), wanted)

    def test_owner_only(self, recorded: tuple) -> None:
        _, _, run_dir, _ = recorded
        assert run_dir.stat().st_mode & 0o777 == 0o700
        for path in run_dir.rglob("*"):
            assert path.stat().st_mode & 0o777 == (0o700 if path.is_dir() else 0o600), path


class TestTrace:
    """The trace opens in Playwright's trace viewer, grouped by the harmless steps' titles."""

    def test_viewer_lists_the_actions(self, recorded: tuple, page: Page) -> None:
        _, _, run_dir, _ = recorded
        viewer = subprocess.Popen(
            [str(Path(sys.executable).parent / "playwright"), "show-trace", "--host",
             "127.0.0.1", "--port", "0", str(run_dir / "trace.zip")],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            assert viewer.stdout is not None
            line = ""
            while "http" not in line:
                line = viewer.stdout.readline()
                assert line, "show-trace ended without serving"
            address = re.search(r"http://\S+", line)
            assert address is not None
            page.goto(address.group(0))
            entries = page.locator(".tree-view-entry")
            expect(entries.filter(has_text="Permission Builder").first).to_be_visible()
            titles = entries.all_inner_texts()
            assert any("Create a New App" in t for t in titles)
            assert any(t.startswith("Click") for t in titles)  # the actions inside a step
            assert not any("Sign In" in t or "Log in" in t for t in titles)  # secrets typed
            assert not any("COPY AND SAVE" in t for t in titles)  # the secret read
        finally:
            viewer.terminate()
            viewer.wait(timeout=10)


class TestCredentialsMasked:
    """The credentials dialog's secret is one uniform box in its picture and every frame."""

    def test_picture(self, recorded: tuple) -> None:
        _, _, run_dir, _ = recorded
        (shot,) = run_dir.glob(f"screenshots/{PROMOTE}.*.secret-captured.png")
        (image,) = decode(shot)
        (box,) = magenta_boxes(image)
        assert box[2] - box[0] > 200
        assert spread(image, box) == 0

    def test_every_frame_of_the_chapter(self, recorded: tuple) -> None:
        _, _, run_dir, _ = recorded
        (shot,) = run_dir.glob(f"screenshots/{PROMOTE}.*.secret-captured.png")
        (x0, y0, x1, y1) = magenta_boxes(decode(shot)[0])[0]
        box = (x0, y0 + BANNER_PX, x1, y1 + BANNER_PX)  # the film has the caption band on top
        (cue,) = [c for c in read_cues(run_dir / "captions.vtt") if c.key == PROMOTE]
        frames = decode(run_dir / "video.webm", start=cue.start_s + 0.02,
                        end=cue.end_s - 0.02, fps=10)
        assert frames
        for frame in frames:
            assert spread(frame, box) < 48  # lossy VP8: near-uniform, no text left
            r, g, b = frame.pixel((box[0] + box[2]) // 2, (box[1] + box[3]) // 2)
            assert r > 200 and g < 70 and b > 200


class TestReportAndProcedure:
    """report.html shows every step with its picture; procedure.md every step in order."""

    def test_report_in_chromium(self, recorded: tuple, page: Page) -> None:
        _, _, run_dir, _ = recorded
        record = load_record(run_dir)
        remote: list[str] = []
        page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(
            ("file:", "data:")) else None)
        page.goto((run_dir / "report.html").as_uri())
        rows = page.locator("tbody tr")
        expect(rows).to_have_count(len(record.steps))
        for number, step in enumerate(record.steps):
            row = rows.nth(number)
            expect(row).to_contain_text(step.title)
            expect(row).to_contain_text("succeeded")
            if step.action.startswith("procore_api."):  # the REST API: no screen
                expect(row).to_contain_text("did not use the browser")
                continue
            image = row.get_by_role("img").first
            expect(image).to_be_visible()
            assert image.evaluate("img => img.naturalWidth") > 0
        assert remote == []

    def test_procedure(self, recorded: tuple) -> None:
        _, _, run_dir, _ = recorded
        text = (run_dir / "procedure.md").read_text()
        titles = [s.title for s in load_record(run_dir).steps]
        place = 0
        for number, title in enumerate(titles, start=1):
            place = text.index(f"{number}. **{title}**", place)
        links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
        assert len(links) >= len(titles)
        assert all((run_dir / link).is_file() for link in links)
