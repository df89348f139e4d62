"""`plan` and `run` take --tags and --start-at, meaning the same, checked before anything starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from automation.cli.main import main
from automation.execute.events import RunEvent, StepEvent
from automation.execute.journal import Journal

ROOT = Path(__file__).parents[2]

DMSA = str(ROOT / "runbooks" / "dmsa-credentials.yaml")

TAGGED = """
runbook: tagged
title: Tagged steps
steps:
  - id: open
    title: Open the portal
    do: goto
    with: {url: "https://example.test/"}
    tags: [portal]
  - id: look
    title: Look at the company
    do: expect_text
    with: {target: {role: heading, name: Company}, text: Company}
    tags: [company]
  - {id: shot, title: Take a picture, do: screenshot, with: {name: end}, tags: [always]}
"""


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


class TestTagsMatchingNothing:
    """A tag no step carries is refused (exit 2, no browser), listing the runbook's tags."""

    def test_plan_refuses_and_lists_no_tags(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, err = run_cli(["plan", DMSA, "--tags", "portal"], capsys)
        assert code == 2 and out == ""
        assert "--tags portal: no step of runbook 'dmsa-credentials' has this tag; its tags: " \
               "none (no step has tags)" in err

    def test_run_refuses_before_any_browser(self, capsys: pytest.CaptureFixture[str],
                                            no_browser: None, tmp_path: Path) -> None:
        code, _, err = run_cli(["run", DMSA, "--tags", "portal", "--vault", "memory:",
                                "--out", str(tmp_path)], capsys)
        assert code == 2
        assert "no step of runbook 'dmsa-credentials' has this tag" in err
        assert list(tmp_path.iterdir()) == []  # no run directory either

    def test_lists_the_tags_the_runbook_has(self, capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
        (tmp_path / "tagged.yaml").write_text(TAGGED)
        code, _, err = run_cli(["plan", str(tmp_path / "tagged.yaml"), "--tags",
                                "portal,sync"], capsys)
        assert code == 2
        assert "--tags sync: no step of runbook 'tagged' has this tag; its tags: always, " \
               "company, portal" in err


class TestPlanSelects:
    """`plan --tags` and `plan --start-at` show the steps a run with them would take."""

    def test_tags(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        (tmp_path / "tagged.yaml").write_text(TAGGED)
        code, out, _ = run_cli(["plan", str(tmp_path / "tagged.yaml"), "--tags", "portal",
                                "--json"], capsys)
        assert code == 0
        rows = {row["key"]: row for row in json.loads(out)}
        assert "skipped" not in rows["open"] and "skipped" not in rows["shot"]
        assert rows["look"]["skipped"] == "not tagged portal"

    def test_start_at(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        (tmp_path / "tagged.yaml").write_text(TAGGED)
        code, out, _ = run_cli(["plan", str(tmp_path / "tagged.yaml"), "--start-at", "look"],
                               capsys)
        assert code == 0
        assert "Tagged steps (tagged): 2 steps, 1 skipped" in out
        assert "[open]  skipped: before --start-at" in out

    def test_unknown_start_step(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, _, err = run_cli(["plan", DMSA, "--start-at", "company.verfy"], capsys)
        assert code == 2
        assert "--start-at company.verfy: no such step in" in err
        assert "company.verify" in err  # the steps are listed


class TestStartAtWithoutEarlierRun:
    """With no earlier run, --start-at says which skipped step produces each missing value,
    where it is read, and where to start instead (exit 2, no browser)."""

    EXPECTED = ("runbooks/dmsa-credentials.yaml:37:23: step company.verify needs "
                "steps.developer.promote.app_version_key (output 'app_version_key' of step "
                "developer.promote), which --start-at skips; ")

    def test_plan(self, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(ROOT)
        code, _, err = run_cli(["plan", "runbooks/dmsa-credentials.yaml", "--start-at",
                                "company.verify", "--target", "production", "--out",
                                str(tmp_path)], capsys)
        assert code == 2
        assert (self.EXPECTED + f"no earlier run of dmsa-credentials against target "
                f"production under {tmp_path}/ has it: start at developer.promote or "
                "earlier") in err
        assert ("step company.verify needs steps.projects.existing.total_projects (output "
                "'total_projects' of step company.projects.existing)") in err
        assert "dict object" not in err

    def test_run(self, capsys: pytest.CaptureFixture[str], tmp_path: Path, no_browser: None,
                 monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(ROOT)
        code, _, err = run_cli(["run", "runbooks/dmsa-credentials.yaml", "--start-at",
                                "company.verify", "--vault", "memory:", "--out",
                                str(tmp_path)], capsys)
        assert code == 2
        assert self.EXPECTED + "the built-in mock starts afresh for every run" in err
        assert list(tmp_path.iterdir()) == []

    def test_built_in_mock_runs_do_not_count(
            self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Its portal ended with the run: an earlier run's app means nothing to a new one."""
        TestStartAtWithEarlierRun().journal(tmp_path / "1-dmsa-credentials", "built-in mock",
                                            "gone")
        code, _, err = run_cli(["plan", DMSA, "--start-at", "company.verify", "--out",
                                str(tmp_path)], capsys)
        assert code == 2
        assert ("the built-in mock starts afresh for every run, so no earlier run's outputs "
                "apply (to start anywhere, serve one that outlives its runs: `runbook "
                "mock-portal --profile-out mock.yaml`, then --target mock.yaml): start at "
                "developer.promote or earlier") in err


class TestStartAtWithEarlierRun:
    """`plan --start-at` shows the values the latest run of the runbook against the target
    journaled; a run of another target does not count."""

    def journal(self, run_dir: Path, target: str, version: str) -> None:
        journal = Journal(run_dir)
        journal.on_run(RunEvent("started", DMSA, "dmsa-credentials",
                                details={"target": {"name": target}}))
        for key, outputs in (("developer.promote", {"app_version_key": version}),
                             ("company.projects.existing", {"total_projects": 37})):
            journal.on_step(StepEvent("succeeded", key, key, 1, 16, "x", outputs=outputs))
        journal.close()

    def test_values_from_the_latest_run_of_that_target(
            self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        profile = tmp_path / "staging.yaml"
        profile.write_text("name: staging\nsites: {developer_portal: 'https://dev.test'}\n")
        runs = tmp_path / "runs"
        self.journal(runs / "20260101T000000Z-dmsa-credentials", "staging", "old")
        self.journal(runs / "20260102T000000Z-dmsa-credentials", "staging", "new")
        self.journal(runs / "20260103T000000Z-dmsa-credentials", "sandbox", "sandbox")
        code, out, err = run_cli(["plan", DMSA, "--start-at", "company.verify", "--target",
                                  str(profile), "--out", str(runs), "--json"], capsys)
        assert code == 0, err
        rows = {row["key"]: row for row in json.loads(out)}
        assert rows["company.verify"]["with"]["expected_projects"] == 37
        assert rows["company.install"]["skipped"] == "before --start-at"
        assert "new" in rows["company.install"]["title"]  # the app version of the latest
        assert "20260102T000000Z-dmsa-credentials" in err  # where the outputs came from
