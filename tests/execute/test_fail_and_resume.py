"""A run that fails at step k resumes with --resume, repeating none of steps 1..k-1.

Real Chromium, the real ``runbook`` command in a subprocess, and a page whose request log
shows exactly which buttons were pressed, and how often.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from steps_site import StepsSite

ROOT = Path(__file__).parents[2]
RUNBOOK = ROOT / "fixtures" / "runbooks" / "steps-page.yaml"


def runbook(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "automation.cli.main", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=120, check=False)


@pytest.mark.browser
class TestFailThenResume:
    """Steps done before the failure are not repeated; the run then finishes."""

    def test_resume_continues_after_the_last_completed_step(self, tmp_path: Path) -> None:
        with StepsSite() as site:
            site.broken = 3
            vault = f"file:{tmp_path}/vault.enc"
            first = runbook("run", str(RUNBOOK), "--var", f"site_url={site.url}",
                            "--vault", vault, "--out", str(tmp_path / "runs"), cwd=tmp_path)
            assert first.returncode == 1, first.stderr
            assert "Press Step 3" in first.stderr and "Traceback" not in first.stderr
            assert 'get_by_role("button", name="Step 3")' in first.stderr
            assert site.posts() == ["POST /hit/1", "POST /hit/2"]
            (run_dir,) = (tmp_path / "runs").iterdir()

            site.broken = None
            second = runbook("run", "--resume", str(run_dir), "--vault", vault, cwd=tmp_path)
            assert second.returncode == 0, second.stderr
            assert site.posts() == ["POST /hit/1", "POST /hit/2", "POST /hit/3", "POST /hit/4"]
            assert site.done == [1, 2, 3, 4]
            events = [json.loads(line)["event"] for line in
                      (run_dir / "journal.jsonl").read_text().splitlines()]
            assert events.count("step_succeeded") == 6
            assert events[-1] == "run_finished"

    def test_failure_names_step_page_locator_and_screenshot(self, tmp_path: Path) -> None:
        with StepsSite() as site:
            site.broken = 3
            result = runbook("run", str(RUNBOOK), "--var", f"site_url={site.url}",
                             "--vault", "memory:", "--out", str(tmp_path / "runs"), cwd=tmp_path)
        assert result.returncode == 1
        assert "steps-page.yaml:18:5: step 'step4' (click) failed: Locator.click: Timeout " \
            "2000ms exceeded." in result.stderr
        assert f"page: {site.url}/" in result.stderr
        assert 'locator: get_by_role("button", name="Step 3")' in result.stderr
        (shot,) = (tmp_path / "runs").glob("*/screenshots/step4.1.failed.png")  # per attempt
        assert f"screenshot: {shot}" in result.stderr
        assert shot.stat().st_size > 1000


class TestResumeNeedsAPortalThatOutlivesTheRun:
    """A run on the built-in mock cannot be resumed: its portal ended with it; say so."""

    def test_resume_of_a_built_in_mock_run_is_refused(self, tmp_path: Path) -> None:
        run_dir = tmp_path / "runs" / "r"
        run_dir.mkdir(parents=True)
        (run_dir / "journal.jsonl").write_text(json.dumps({
            "event": "run_started", "runbook": str(RUNBOOK), "name": "steps-page",
            "inputs": {"site_url": "http://127.0.0.1:9"}, "vault": "memory:",
            "target": {"name": "built-in mock", "mock": True,
                       "sites": {"developer_portal": "http://127.0.0.1:9/developers"}}}) + "\n"
            + json.dumps({"event": "step_succeeded", "key": "open", "title": "Open",
                          "index": 1, "total": 6, "action": "goto",
                          "urls": {"developer_portal": "http://127.0.0.1:9/developers/apps"}})
            + "\n")
        result = runbook("run", "--resume", str(run_dir), "--vault", "memory:", cwd=tmp_path)
        assert result.returncode == 2
        assert "runbook mock-portal --profile-out" in result.stderr
        assert "Traceback" not in result.stderr
