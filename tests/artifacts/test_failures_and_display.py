"""A failing run's report shows the locator and the screen that failed (each attempt its own
picture, taken before recovery navigated away); headed runs without a display say how to
fix it, and --virtual-display runs them under Xvfb; `runbook demo` films a run."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from world import World, make_world

from automation.artifacts.captions import read_cues
from automation.artifacts.record import load_record
from automation.mock_portal.faults import Faults

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DEVELOPER_PART = Path(__file__).parents[2] / "runbooks" / "procore" / "developer-portal.yaml"
PERMISSIONS = "permissions"  # the Developer Portal part run alone: its own keys
# The classic mock renames the Permission Builder's button: the step cannot find it.
RENAMED = "rename=Open Builder:Assemble Permissions"

OPEN_PORTAL = """\
runbook: headed-check
title: Open the Developer Portal in a headed browser
steps:
  - title: Open the Developer Portal
    do: goto
    with: {url: /, site: developer_portal}
  - title: Take a picture
    do: screenshot
    with: {name: headed, site: developer_portal}
"""


@pytest.fixture
def failing_world(tmp_path: Path) -> Iterator[World]:
    world = make_world(tmp_path, faults=Faults.parse(RENAMED), ui="classic")
    yield world
    world.portal.stop()


class TestFailedRunReport:
    """The report names the failing locator and shows the screen where it failed."""

    def test_locator_and_failed_screen(self, failing_world: World, page: Page) -> None:
        result = failing_world.run("--timeout", "2", runbook=DEVELOPER_PART)
        assert result.returncode == 1, result.stderr
        (run_dir,) = failing_world.run_dirs()
        step = next(s for s in load_record(run_dir).steps if s.key == PERMISSIONS)
        assert step.status == "failed" and step.attempts == 3
        first = next(e for e in failing_world.journal(run_dir) if e["event"] == "step_failed")
        assert "Open" in first["locator"] and "Builder" in first["locator"]  # the renamed one
        assert step.locator is not None  # the last attempt's
        failed = sorted(p.name for p in (run_dir / "screenshots").glob(f"{PERMISSIONS}.*"))
        assert [f"{PERMISSIONS}.{n}.failed.png" in failed for n in (1, 2, 3)] == [True] * 3
        # The screen of the app where it failed, not the portal's landing page.
        assert step.failed_screen == f"screenshots/{PERMISSIONS}.3.failed.png"
        landing = run_dir / "screenshots" / "step1.1.ended.png"  # after signing in
        assert landing.read_bytes() != (run_dir / step.failed_screen).read_bytes()
        page_line = next(line for line in result.stderr.splitlines() if "page: " in line)
        assert "/apps/" in page_line, page_line

        page.goto((run_dir / "report.html").as_uri())
        row = page.locator("tbody tr").filter(has_text="Permission Builder")
        expect(row).to_contain_text("failed")
        expect(row.locator("code")).to_have_text(step.locator)
        shot = row.get_by_role("img", name="the screen that failed")
        expect(shot).to_be_visible()
        assert shot.evaluate("img => img.naturalWidth") > 0


class TestHeaded:
    """No display: a message naming the fix, exit 2, no browser; a virtual one: it runs."""

    @pytest.fixture
    def world(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
        monkeypatch.delenv("DISPLAY", raising=False)
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        (tmp_path / "open-portal.yaml").write_text(OPEN_PORTAL)
        made = make_world(tmp_path)
        yield made
        made.portal.stop()

    def test_without_display(self, world: World) -> None:
        result = world.run("--headed", runbook=world.folder / "open-portal.yaml")
        assert result.returncode == 2
        assert "--headed needs a display" in result.stderr
        assert "--virtual-display" in result.stderr and "Traceback" not in result.stderr
        assert not (world.folder / "runs").exists()  # nothing was started

    def test_virtual_display(self, world: World) -> None:
        result = world.run("--virtual-display", runbook=world.folder / "open-portal.yaml")
        assert result.returncode == 0, result.stderr
        (run_dir,) = world.run_dirs()
        assert (run_dir / "screenshots" / "headed.png").stat().st_size > 1000
        assert "DISPLAY" not in os.environ  # the virtual display was the run's alone


class TestDemo:
    """`runbook demo` films the run: a video and a cue per step."""

    def test_demo_films_the_developer_portal_part(self, tmp_path: Path) -> None:
        world = make_world(tmp_path)
        try:
            env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
            result = subprocess.run(
                [sys.executable, "-m", "automation.cli.main", "demo", str(DEVELOPER_PART),
                 "--target", str(world.profile()), "--vault", world.vault_url,
                 "--slowmo", "50"], cwd=tmp_path, env=env, capture_output=True, text=True,
                timeout=600, check=False)
        finally:
            world.portal.stop()
        assert result.returncode == 0, result.stderr
        (run_dir,) = world.run_dirs()
        cues = read_cues(run_dir / "captions.vtt")
        assert [c.key for c in cues] == [s.key for s in load_record(run_dir).steps]
        duration = subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
             str(run_dir / "video.webm")], capture_output=True, text=True, check=True).stdout
        assert float(duration) >= cues[-1].end_s
