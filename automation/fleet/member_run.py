"""One member's run: the runbook with the member's inputs, in its own run directory.

The same pieces as ``runbook run`` (journal, recorders, executor) in a browser the worker
lends. A run directory that already has a journal is resumed: the steps it finished are not
done again, the step that was under way looks at the current state first.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser

from automation.actions import REGISTRY
from automation.artifacts import RecordOptions, RunRecorders
from automation.execute.events import RunEvent, StepEvent
from automation.execute.executor import Executor, RunSettings
from automation.execute.journal import JOURNAL_NAME, Journal, read_journal
from automation.fleet.browsers import LentBrowserSession
from automation.fleet.members import Member
from automation.runbook import build_plan
from automation.runbook.inputs import resolve_inputs
from automation.runbook.model import Runbook
from automation.runbook.plan import Plan
from automation.targets import Target
from automation.vault.url import open_vault

__all__ = ["member_plan", "run_member"]


def member_plan(runbook: Runbook, member: Member, shared: dict[str, str]) -> Plan:
    """The member's plan: the shared ``--var`` values, then the member's own, over defaults."""
    return build_plan(runbook, resolve_inputs(runbook, shared, member.variables,
                                              source="member"), REGISTRY)


class _CurrentStep:
    """Tells the progress board which step a member is on."""

    def __init__(self, member: str, report: Any) -> None:
        self.member, self.report = member, report

    def on_run(self, event: RunEvent) -> None:
        pass

    def on_step(self, event: StepEvent) -> None:
        if event.status == "started":
            self.report(self.member, f"[{event.index}/{event.total}] {event.title}")


def run_member(runbook: Runbook, member: Member, shared: dict[str, str], *, target: Target,
               vault_url: str | None, browser: Browser, run_dir: Path, timeout_s: float,
               on_step: Any = None) -> tuple[bool, list[str]]:
    """Runs (or resumes) the member: whether it succeeded, and the files the leak scan
    quarantined (a success that leaked a secret is a failure). Its journal says the rest."""
    resume = read_journal(run_dir) if (run_dir / JOURNAL_NAME).is_file() else None
    plan = member_plan(runbook, member, shared)
    settings = RunSettings(run_dir=run_dir, default_timeout_s=timeout_s)
    with contextlib.ExitStack() as stack:
        vault = stack.enter_context(open_vault(vault_url))
        journal = Journal(run_dir)
        stack.callback(journal.close)
        session = LentBrowserSession(target, browser)
        stack.callback(session.close)
        recorders = RunRecorders(run_dir, session, RecordOptions(),
                                 quarantine_dir=settings.rescue_dir.parent / "quarantine")
        stack.callback(recorders.finish)  # a failed member gets its report and scan too
        subscribers = [journal, *recorders.subscribers]
        if on_step is not None:
            subscribers.append(_CurrentStep(member.name, on_step))
        executor = Executor(plan, target=target, vault=vault, browser=session,
                            settings=settings, subscribers=subscribers,
                            camera=recorders.screenshots)
        result = executor.run(resume)
    return result.succeeded and not recorders.leaked, list(recorders.leaked)
