"""The executor's own logic, with actions that need no browser (milliseconds per test)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fake_actions
import pytest
from fake_actions import CALLS, FAILURES, REGISTRY

from automation.errors import Problem
from automation.execute.events import RunEvent, StepEvent
from automation.execute.executor import Executor, RunResult, RunSettings
from automation.execute.journal import Journal, read_journal
from automation.execute.session import BrowserSession
from automation.runbook.parse import parse_file
from automation.runbook.plan import build_plan
from automation.runbook.validate import validate
from automation.secret import Secret
from automation.targets import Target
from automation.vault.memory import MemoryVault

TARGET = Target("test", {"developer_portal": "http://127.0.0.1:9/dev"})


class Recorder:
    def __init__(self) -> None:
        self.steps: list[StepEvent] = []
        self.runs: list[RunEvent] = []

    def on_step(self, event: StepEvent) -> None:
        self.steps.append(event)

    def on_run(self, event: RunEvent) -> None:
        self.runs.append(event)

    def statuses(self) -> list[tuple[str, str]]:
        return [(e.key, e.status) for e in self.steps if e.status != "started"]


@pytest.fixture(autouse=True)
def fresh_counters() -> Iterator[None]:
    CALLS.clear()
    FAILURES.clear()
    yield


def run(tmp_path: Path, text: str, *, inputs: dict[str, Any] | None = None,
        vault: MemoryVault | None = None, resume: bool = False, **settings: Any
        ) -> tuple[RunResult, Recorder, MemoryVault]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "runbook.yaml"
    path.write_text(text)
    problems: list[Problem] = []
    runbook = parse_file(path, problems)
    assert runbook is not None
    problems += validate(runbook, REGISTRY)
    assert not problems, problems
    plan = build_plan(runbook, inputs or {}, REGISTRY)
    recorder, vault = Recorder(), vault or MemoryVault()
    run_dir = tmp_path / "run"
    journal = Journal(run_dir)
    state = read_journal(run_dir) if resume else None
    executor = Executor(plan, target=TARGET, vault=vault, browser=BrowserSession(TARGET, {}),
                        settings=RunSettings(**{"run_dir": run_dir, "retry_backoff_s": 0.001,
                                                **settings}),
                        subscribers=[recorder, journal])
    result = executor.run(state)
    journal.close()
    return result, recorder, vault


TWO_STEPS = """
runbook: two
title: Two steps
steps:
  - id: app
    title: Make the app
    do: fake.make
    with: {name: app}
  - title: Make the version of {{ steps.app.id }}
    do: fake.make
    with: {name: "{{ steps.app.id }}-version"}
"""


class TestOutputsFlow:
    """A step's outputs feed the templates of the steps after it."""

    def test_second_step_reads_first_output(self, tmp_path: Path) -> None:
        result, recorder, _ = run(tmp_path, TWO_STEPS)
        assert result.succeeded
        assert CALLS == {"app": 1, "app-1-version": 1}
        assert recorder.steps[-1].title == "Make the version of app-1"


class TestRetries:
    """Only actions declared safe to retry are retried, with backoff, up to 'retries'."""

    def test_retry_safe_step_recovers(self, tmp_path: Path) -> None:
        FAILURES["app"] = 2
        text = TWO_STEPS.replace("with: {name: app}", "with: {name: app}\n    retries: 2")
        result, recorder, _ = run(tmp_path, text)
        assert result.succeeded
        assert CALLS["app"] == 3
        assert [e.attempt for e in recorder.steps if e.key == "app" and
                e.status == "failed"] == [1, 2]

    def test_gives_up_after_its_retries(self, tmp_path: Path) -> None:
        FAILURES["app"] = 5
        text = TWO_STEPS.replace("with: {name: app}", "with: {name: app}\n    retries: 1")
        result, _, _ = run(tmp_path, text)
        assert not result.succeeded and result.failed_step == "app"
        assert CALLS["app"] == 2 and CALLS["app-1-version"] == 0

    def test_unsafe_action_runs_once(self, tmp_path: Path) -> None:
        FAILURES["x"] = 1
        result, _, _ = run(tmp_path, "runbook: r\ntitle: r\nsteps:\n"
                           "  - {title: Once, do: fake.once, with: {name: x}}\n")
        assert not result.succeeded
        assert CALLS["x"] == 1


class TestWhenTagsStartAt:
    """'when', --tags and --start-at decide which steps run; skipped steps are reported."""

    TEXT = """
runbook: choose
title: Choose
inputs:
  fast: {type: boolean, default: false}
steps:
  - {id: a, title: A, do: fake.make, with: {name: a}, tags: [setup]}
  - {id: b, title: B, do: fake.make, with: {name: b}, when: "not inputs.fast"}
  - {id: c, title: C, do: fake.make, with: {name: c}, tags: [always]}
"""

    def test_when_false_skips(self, tmp_path: Path) -> None:
        _, recorder, _ = run(tmp_path, self.TEXT, inputs={"fast": True})
        assert recorder.statuses() == [("a", "succeeded"), ("b", "skipped"), ("c", "succeeded")]

    def test_tags_select_steps_and_always_runs(self, tmp_path: Path) -> None:
        _, recorder, _ = run(tmp_path, self.TEXT, inputs={"fast": False},
                             tags=frozenset({"setup"}))
        assert recorder.statuses() == [("a", "succeeded"), ("b", "skipped"), ("c", "succeeded")]

    def test_start_at_skips_the_steps_before(self, tmp_path: Path) -> None:
        _, recorder, _ = run(tmp_path, self.TEXT, inputs={"fast": False}, start_at="b")
        assert recorder.statuses() == [("a", "skipped"), ("b", "succeeded"), ("c", "succeeded")]


CAPTURE = """
runbook: capture
title: Capture
steps:
  - id: promote
    title: Promote and capture
    do: fake.capture
    with: {secret_value: "{{ vault('seed/source#value') }}"}
    vault: {path: "apps/demo/production", fields: [client_id, client_secret]}
  - title: Use the captured secret
    do: fake.use
    with: {token: "{{ steps.promote.client_secret }}"}
"""


class TestSecretOutputs:
    """Secret outputs go to the vault; the journal holds references; templates pass Secrets."""

    SECRET = "s3cr3t-value-that-must-not-leak"

    def vault(self) -> MemoryVault:
        vault = MemoryVault()
        vault.put("test/seed/source", {"value": self.SECRET})  # under target 'test'
        return vault

    def test_secret_stored_and_passed_as_secret(self, tmp_path: Path) -> None:
        result, recorder, vault = run(tmp_path, CAPTURE, vault=self.vault())
        assert result.succeeded
        stored = vault.get("test/apps/demo/production")
        assert stored["client_secret"] == Secret(self.SECRET)
        assert stored["client_id"] == Secret("client-123")
        assert CALLS["use:secret"] == 1 and CALLS[f"use-value:{self.SECRET}"] == 1
        event = next(e for e in recorder.steps if e.key == "promote" and e.status == "succeeded")
        assert event.vault_refs["client_secret"] == (
            "vault:test/apps/demo/production#client_secret")
        assert "client_secret" not in event.outputs

    def test_journal_never_holds_the_secret(self, tmp_path: Path) -> None:
        run(tmp_path, CAPTURE, vault=self.vault())
        journal = (tmp_path / "run" / "journal.jsonl").read_bytes()
        assert self.SECRET.encode() not in journal
        records = [json.loads(line) for line in journal.splitlines()]
        done = next(r for r in records if r["event"] == "step_succeeded")
        assert done["vault_refs"] == {
            "client_secret": "vault:test/apps/demo/production#client_secret"}

    def test_capturing_again_does_not_add_a_vault_version(self, tmp_path: Path) -> None:
        vault = self.vault()
        run(tmp_path, CAPTURE, vault=vault)
        run(tmp_path / "again", CAPTURE, vault=vault)
        assert len(vault.history("test/apps/demo/production")) == 1


class TestResume:
    """A resumed run continues after the last completed step without repeating any."""

    def test_resume_skips_completed_and_restores_outputs(self, tmp_path: Path) -> None:
        FAILURES["app-1-version"] = 1
        first, _, vault = run(tmp_path, TWO_STEPS)
        assert not first.succeeded and first.failed_step == "step2"
        second, recorder, _ = run(tmp_path, TWO_STEPS, vault=vault, resume=True)
        assert second.succeeded
        assert CALLS == {"app": 1, "app-1-version": 2}
        assert recorder.statuses() == [("app", "done_before"), ("step2", "succeeded")]

    def test_resume_reads_secret_outputs_back_from_the_vault(self, tmp_path: Path) -> None:
        vault = MemoryVault()
        vault.put("test/seed/source", {"value": "another-secret-value"})
        fake_actions.FAILURES.clear()
        text = CAPTURE.replace("do: fake.use", "do: fake.use\n    retries: 0")
        path = tmp_path / "run" / "journal.jsonl"
        run(tmp_path, text, vault=vault)
        # Forget the last step, as if the run had died before it.
        lines = path.read_text().splitlines()
        path.write_text("\n".join(lines[:3]) + "\n")
        CALLS.clear()
        result, _, _ = run(tmp_path, text, vault=vault, resume=True)
        assert result.succeeded
        assert CALLS["capture"] == 0
        assert CALLS["use-value:another-secret-value"] == 1
