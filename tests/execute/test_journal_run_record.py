"""The journal's run lines say how the run went: never a success it did not have."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fake_actions import FAILURES
from runner import journaled_run, plan_of

TEXT = """
runbook: two
title: Two steps
steps:
  - {id: first, title: First, do: fake.make, with: {name: first}}
  - {id: second, title: Second, do: fake.once, with: {name: second}}
"""


def run_lines(run_dir: Path) -> dict[str, dict[str, Any]]:
    lines = [json.loads(line) for line in (run_dir / "journal.jsonl").read_text().splitlines()]
    return {line["event"]: line for line in lines if line["event"].startswith("run_")}


class TestRunRecordTellsTheTruth:
    """run_started claims no outcome; run_finished says succeeded or failed, and where."""

    def test_failed_run_is_journaled_as_failed_at_its_step(self, tmp_path: Path) -> None:
        FAILURES["second"] = 1
        try:
            result = journaled_run(plan_of(tmp_path / "r.yaml", TEXT), tmp_path / "run")
        finally:
            FAILURES.clear()
        assert not result.succeeded
        runs = run_lines(tmp_path / "run")
        assert "succeeded" not in runs["run_started"]
        assert runs["run_finished"]["succeeded"] is False
        assert runs["run_finished"]["failed_step"] == "second"

    def test_successful_run_is_journaled_as_succeeded(self, tmp_path: Path) -> None:
        result = journaled_run(plan_of(tmp_path / "r.yaml", TEXT), tmp_path / "run")
        assert result.succeeded
        runs = run_lines(tmp_path / "run")
        assert "succeeded" not in runs["run_started"]
        assert runs["run_finished"]["succeeded"] is True
        assert "failed_step" not in runs["run_finished"]


class TestActionSummaryForTheProcedure:
    """Step events carry the action's one-line summary (the procedure shows it); the journal,
    which the registry can always explain, leaves it out."""

    def test_summary_in_events_not_in_journal(self, tmp_path: Path) -> None:
        from automation.artifacts.record import RunRecord

        record = RunRecord(tmp_path / "run")
        plan = plan_of(tmp_path / "r.yaml", TEXT)
        journaled_run(plan, tmp_path / "run", subscribers=[record])
        assert [row.summary for row in record.steps] == [
            "Make a thing (fails as often as FAILURES says).", "Something not safe to repeat."]
        journal = (tmp_path / "run" / "journal.jsonl").read_text()
        assert "\"summary\"" not in journal and "Make a thing" not in journal
