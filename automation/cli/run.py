"""``runbook run``: validate, resolve, then drive the browser; resume from a journal."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loguru import logger

from automation.actions import REGISTRY
from automation.cli.earlier_run import outputs_from_earlier_run
from automation.cli.progress import RunDisplay, open_display
from automation.errors import EXIT_FAILED, EXIT_OK, RunbookError
from automation.execute.browser import endpoint_options, launch_options
from automation.execute.events import RunEvent, StepEvent, Subscriber
from automation.execute.executor import Executor, RunSettings
from automation.execute.journal import Journal, JournalState, read_journal
from automation.execute.session import BrowserSession
from automation.execute.vault_needs import check_before_run
from automation.log import log_result
from automation.runbook import build_plan, load_runbook
from automation.runbook.inputs import load_vars_file, parse_var, resolve_inputs
from automation.runbook.selection import Selection

__all__ = ["run_command"]


class _KillSwitch:
    """Test hook: SIGKILL this process right after step N is journaled.

    Set ``RUNBOOK_KILL_AFTER_STEPS=N``; the crash-safety tests use it to die exactly at a
    step boundary, as a power cut or an OOM kill would.
    """

    def __init__(self, after: int) -> None:
        self.after, self.done = after, 0

    def on_run(self, event: RunEvent) -> None:
        pass

    def on_step(self, event: StepEvent) -> None:
        if event.status == "succeeded":
            self.done += 1
            if self.done >= self.after:
                os.kill(os.getpid(), signal.SIGKILL)


def _ask_human(message: str) -> None:
    print(f"\n>>> {message}\n>>> Press Enter here when done.", file=sys.stderr)
    sys.stdin.readline()


def _run_dir(out: Path, name: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return out / f"{stamp}-{name}"


def run_command(args: argparse.Namespace) -> int:
    from automation.execute.interrupts import install

    install()  # SIGTERM stops a run as SIGINT does: a message, run_finished, exit 143
    resume: JournalState | None = read_journal(args.resume) if args.resume else None
    check = getattr(args, "check", False)
    if check and resume is not None:
        raise RunbookError("run: --check looks at the target from the start; it cannot "
                           "--resume a run")
    runbook_path = args.runbook or (Path(resume.runbook) if resume else None)
    if runbook_path is None:
        raise RunbookError("run: give a RUNBOOK, or --resume RUN_DIR")
    # Everything that can be wrong with the input is found before any browser starts.
    runbook = load_runbook(runbook_path, REGISTRY)
    variables = dict(parse_var(v) for v in args.var)
    given: dict[str, Any] = dict(resume.inputs) if resume else {}
    if args.vars_file:
        given.update(load_vars_file(args.vars_file))
    inputs = resolve_inputs(runbook, variables, given)
    plan = build_plan(runbook, inputs, REGISTRY)
    selection = Selection.from_options(args.start_at, args.tags)
    selection.check(plan)
    earlier = {} if resume else outputs_from_earlier_run(plan, selection, args.out, args.target)
    headed = args.headed or args.virtual_display
    options = (endpoint_options(args.browser_endpoint) if args.browser_endpoint
               else launch_options(headed=headed, slowmo_ms=args.slowmo,
                                   channel=getattr(args, "browser_channel", None)))
    vault = _open_vault(args.vault)
    run_dir = args.resume or _run_dir(args.out, runbook.name)
    os.umask(0o077)  # run directories hold pictures of customer data: owner only

    from automation.artifacts import RecordOptions, RunRecorders
    from automation.cli.display import display_for_run
    from automation.cli.targets import BUILT_IN_MOCK, open_target, provision_demo_logins

    target_context = open_target(args.target, resume.target if resume else None,
                                 resume.urls if resume else (), mock_ui=args.mock_ui)
    display = display_for_run(headed=args.headed, virtual=args.virtual_display)
    with display as environment, target_context as target, vault:
        if environment is not None:
            options["env"] = environment
        provision_demo_logins(target_context, vault)
        check_before_run(plan, inputs, REGISTRY, target, vault, target_spec=args.target,
                         completed=[*(resume.completed if resume else ()),
                                    *selection.skipped(plan)])  # a first run: what to store
        journal = Journal(run_dir)
        browser = BrowserSession(target, options)
        settings = RunSettings(run_dir=run_dir, headed=headed, tags=selection.tags,
                               start_at=selection.start_at, earlier_outputs=earlier,
                               default_timeout_s=args.timeout, check=check)
        recorders = RunRecorders(run_dir, browser, RecordOptions(
            trace=args.trace, video=args.video, highlight=getattr(args, "highlight", False)),
            quarantine_dir=settings.rescue_dir.parent / "quarantine")
        shown = open_display(sys.stderr, quiet=args.quiet)
        executor = Executor(plan, target=target, vault=vault, browser=browser,
                            settings=settings,
                            subscribers=[*_subscribers(shown, journal), *recorders.subscribers],
                            ask_human=_ask_human if headed else None,
                            camera=recorders.screenshots, progress=shown.on_progress)
        try:
            with shown:
                result = executor.run(resume)
        finally:
            recorders.finish()  # an interrupted run gets its report and leak scan too
            browser.close()
            journal.close()
    logger.info("Run directory: {}", run_dir)
    if recorders.leaked:
        logger.error("Run failed: the leak scan found a secret in {} (quarantined)",
                     ", ".join(recorders.leaked))
        return EXIT_FAILED
    if not result.succeeded:
        if executor.check is not None:  # a check is run again, never resumed
            logger.error("The check stopped at a step a real run would fail at, or could "
                         "not look at; fix it and check again")
        else:
            from automation.cli.advice import after_failure

            for line in after_failure(plan, result.failed_step, resumable=(
                    None if target.name == BUILT_IN_MOCK else run_dir)):
                logger.error("{}", line)
        return result.error.exit_code if result.error is not None else EXIT_FAILED
    for line in result.headlines:  # the run's conclusions come last
        log_result(line)
    if executor.check is not None:  # check mode: what a real run would change, last
        for line in executor.check.summary():
            log_result(line)
    return EXIT_OK


def _subscribers(shown: RunDisplay, journal: Journal) -> list[Subscriber]:
    subscribers: list[Subscriber] = [shown, journal]
    kill_after = os.environ.get("RUNBOOK_KILL_AFTER_STEPS")
    if kill_after:
        subscribers.append(_KillSwitch(int(kill_after)))  # after the journal: it is written
    return subscribers


def _open_vault(url: str | None) -> Any:
    from automation.vault.url import open_vault

    return open_vault(url)
