"""What a person reads from ``runbook run`` when its output is not a terminal.

Real Chromium, the real ``runbook`` command in a subprocess (its stderr is a pipe), and the
numbered-buttons page of ``steps_site.py`` or a page with two buttons of the same name.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from steps_site import StepsSite

ROOT = Path(__file__).parents[2]
STEPS = ROOT / "fixtures" / "runbooks" / "steps-page.yaml"

pytestmark = pytest.mark.browser


def runbook(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "automation.cli.main", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=120, check=False)


def run_steps(site: StepsSite, tmp_path: Path, *more: str,
              runbook_path: Path = STEPS) -> subprocess.CompletedProcess[str]:
    return runbook("run", str(runbook_path), "--var", f"site_url={site.url}", "--vault",
                   f"file:{tmp_path}/vault.enc", "--out", str(tmp_path / "runs"), *more,
                   cwd=tmp_path)


class TestPlainLines:
    """Not a terminal: a plain line when each step starts and one when it ends, no escapes."""

    def test_start_and_end_lines_in_order(self, tmp_path: Path) -> None:
        with StepsSite() as site:
            result = run_steps(site, tmp_path)
        assert result.returncode == 0, result.stderr
        lines = result.stderr.splitlines()
        for number, title in [(1, "Open the test page"), (2, "Press Step 1"),
                              (6, "Check that all four are done")]:
            started = lines.index(f"→ [{number}/6] {title}")
            (ended,) = [i for i, line in enumerate(lines)
                        if line.startswith(f"✓ [{number}/6] {title}  ")]
            assert started < ended
        assert "\x1b" not in result.stderr and "\r" not in result.stderr


class TestQuiet:
    """--quiet: nothing per step; a failure still says what failed and what to do."""

    def test_success_prints_no_step_line(self, tmp_path: Path) -> None:
        with StepsSite() as site:
            result = run_steps(site, tmp_path, "--quiet")
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""

    def test_failure_prints_the_failed_step_and_the_advice_only(self, tmp_path: Path) -> None:
        with StepsSite() as site:
            site.broken = 3
            result = run_steps(site, tmp_path, "-q")
        assert result.returncode == 1
        assert result.stderr.startswith("✗ [4/6] Press Step 3\n")
        assert "Locator.click: Timeout 2000ms exceeded." in result.stderr
        assert "✓" not in result.stderr and "→" not in result.stderr
        assert "Mock portal on" not in result.stderr
        assert "--start-at step4" in result.stderr.splitlines()[-1]


class TestAdviceAfterPlainClicks:
    """A failed run of plain clicks never says that running it again is harmless."""

    def test_names_the_plain_steps_left(self, tmp_path: Path) -> None:
        with StepsSite() as site:
            site.broken = 3
            result = run_steps(site, tmp_path)
        assert result.returncode == 1
        assert "Run it again" not in result.stderr
        assert result.stderr.splitlines()[-1] == (
            "Steps 'step4', 'step5' are plain clicks, which act on the screen as it is without "
            "looking first: check the screen before running again, or run again from the "
            "failed step with --start-at step4")


class TestResumeTitles:
    """Steps done before a resume are listed with their titles rendered, not as templates."""

    def test_done_steps_show_rendered_titles(self, tmp_path: Path) -> None:
        templated = tmp_path / "titled.yaml"
        templated.write_text(STEPS.read_text().replace(
            "title: Open the test page", "title: Open the test page at '{{ inputs.site_url }}'"
        ).replace("title: Press Step 1", "title: Press {{ 'Step ' ~ 1 }} on {{ inputs.site_url }}"))
        with StepsSite() as site:
            site.broken = 3
            first = run_steps(site, tmp_path, runbook_path=templated)
            assert first.returncode == 1, first.stderr
            (run_dir,) = (tmp_path / "runs").iterdir()
            site.broken = None
            second = runbook("run", "--resume", str(run_dir), "--vault",
                             f"file:{tmp_path}/vault.enc", cwd=tmp_path)
        assert second.returncode == 0, second.stderr
        assert (f"↷ [1/6] Open the test page at '{site.url}'  (done in an earlier run)"
                in second.stderr.splitlines())
        assert (f"↷ [2/6] Press Step 1 on {site.url}  (done in an earlier run)"
                in second.stderr.splitlines())
        assert "{{" not in second.stderr


TWO_ADDS = """<!doctype html><title>Projects</title><main>
<h2>Projects</h2>
<table><tr><td>Alpha Tower</td><td><button>Add</button></td></tr></table>
<div role="dialog" aria-labelledby="title"><h3 id="title">Add Permitted Projects</h3>
<button>Add</button></div></main>"""


@pytest.fixture
def two_adds() -> Iterator[str]:
    """A page with an Add button in a table row and another in a dialog."""

    class Page(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = TWO_ADDS.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


class TestStrictModeViolation:
    """A target that matches two elements lists both: role, name and where each one is."""

    def test_lists_each_match(self, tmp_path: Path, two_adds: str) -> None:
        path = tmp_path / "add.yaml"
        path.write_text(
            "runbook: press-add\ntitle: Press Add\ninputs:\n  url: {required: true}\nsteps:\n"
            "  - {title: Open the page, do: goto, with: {url: '{{ inputs.url }}/'}}\n"
            "  - title: Press Add\n    do: click\n"
            "    with: {target: {role: button, name: Add}}\n")
        result = runbook("run", str(path), "--var", f"url={two_adds}", "--vault", "memory:",
                         "--out", str(tmp_path / "runs"), cwd=tmp_path)
        assert result.returncode == 1
        assert ('step \'step2\' (click) failed: get_by_role("button", name="Add") matches 2 '
                "elements, not one:") in result.stderr
        lines = [line.strip() for line in result.stderr.splitlines()]
        assert '1) button "Add" in row "Alpha Tower Add", under heading "Projects"' in lines
        assert '2) button "Add" in dialog "Add Permitted Projects"' in lines
        assert "resolved to 2 elements" not in result.stderr
