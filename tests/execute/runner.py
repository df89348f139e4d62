"""Runs a runbook text with the fake actions (no browser), journaled, for the executor tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fake_actions import REGISTRY

from automation.errors import Problem
from automation.execute.events import Subscriber
from automation.execute.executor import Executor, RunResult, RunSettings
from automation.execute.journal import Journal
from automation.execute.session import BrowserSession
from automation.runbook.parse import parse_file
from automation.runbook.plan import Plan, build_plan
from automation.runbook.validate import validate
from automation.targets import Target
from automation.vault.memory import MemoryVault

TARGET = Target("test", {"developer_portal": "http://127.0.0.1:9/dev"})


def plan_of(path: Path, text: str, inputs: dict[str, Any] | None = None) -> Plan:
    path.write_text(text)
    problems: list[Problem] = []
    runbook = parse_file(path, problems)
    assert runbook is not None
    problems += validate(runbook, REGISTRY)
    assert not problems, problems
    return build_plan(runbook, inputs or {}, REGISTRY)


def journaled_run(plan: Plan, run_dir: Path, vault: MemoryVault | None = None,
                  subscribers: Sequence[Subscriber] = (), **settings: Any) -> RunResult:
    journal = Journal(run_dir)
    try:
        executor = Executor(plan, target=TARGET, vault=vault or MemoryVault(),
                            browser=BrowserSession(TARGET, {}),
                            settings=RunSettings(run_dir=run_dir, retry_backoff_s=0.001,
                                                 **settings),
                            subscribers=[journal, *subscribers])
        return executor.run()
    finally:
        journal.close()
