"""``runbook fleet``: one runbook for many members (companies), several at a time.

::

    runbook fleet RUNBOOK --members FILE [--var k=v] [--parallel N] [--target T]
                  [--vault URL] [--browser-endpoint URL ...] [--out DIR] [--first-alone]
    runbook fleet --resume FLEET_DIR [--parallel N] [--browser-endpoint URL ...]

Everything that can be wrong with the input (the members file, the runbook, each member's
inputs) is reported as ``file:line:col: message`` with exit 2 before any browser starts.
See docs/fleet.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loguru import logger

from automation.errors import EXIT_FAILED, EXIT_OK, Problem, RunbookError

__all__ = ["add_endpoint_option", "register"]

EXIT_INTERRUPTED = 130


def add_endpoint_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--browser-endpoint", action="append", default=[], metavar="URL",
        help="use a browser elsewhere instead of launching one: a Playwright browser server "
        "(ws://...) or a Chromium DevTools endpoint (http://...); repeat for a pool "
        "(docs/browsers.md)")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    fleet = sub.add_parser(
        "fleet", help="run a runbook once per member (company), several at a time",
        description="Run a runbook once per member of a members file (YAML list or CSV), "
        "--parallel at a time, each in its own browser context and run directory under "
        "runs/fleet-<time>/. One member's failure does not stop the others.")
    fleet.add_argument("runbook", type=Path, nargs="?",
                       help="the runbook (not with --resume: the fleet names it)")
    fleet.add_argument("--members", type=Path, metavar="FILE",
                       help="YAML list of mappings or CSV with a header: one member per row, "
                       "its input values, an optional 'name'")
    fleet.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                       help="an input value every member shares (a member's own wins)")
    fleet.add_argument("--parallel", type=int, metavar="N",
                       help="members at a time (default 1; on --resume, the fleet's)")
    fleet.add_argument("--target", default=None,
                       help="mock (default: one built-in mock portal for every member), "
                       "sandbox, production, or a target profile file")
    fleet.add_argument("--mock-ui", choices=("current", "classic"), metavar="current|classic",
                       help="the built-in mock's Developer Portal")
    fleet.add_argument("--vault", help="vault URL (default: $RUNBOOK_VAULT or "
                       "file:.runbook/vault.enc)")
    add_endpoint_option(fleet)
    fleet.add_argument("--out", type=Path, default=Path("runs"), metavar="DIR",
                       help="where the fleet directory goes (default: runs/)")
    fleet.add_argument("--resume", type=Path, metavar="FLEET_DIR",
                       help="run again only the members that did not finish; each resumes "
                       "its own run directory")
    fleet.add_argument("--first-alone", action="store_true",
                       help="run the first member alone, then the rest: for runbooks whose "
                       "first steps make something every member shares")
    fleet.add_argument("--timeout", type=float, default=None, metavar="S",
                       help="default step timeout in seconds")
    fleet.set_defaults(handler=cmd_fleet)


def _new_spec(args: argparse.Namespace) -> Any:
    from automation.fleet.members import load_members
    from automation.fleet.record import FleetSpec
    from automation.retry import DEFAULT_STEP_TIMEOUT_S
    from automation.runbook.inputs import parse_var

    if args.runbook is None or args.members is None:
        raise RunbookError("fleet: give a RUNBOOK and --members FILE, or --resume FLEET_DIR")
    return FleetSpec(
        runbook=str(args.runbook.resolve()), members=load_members(args.members),
        variables=dict(parse_var(v) for v in args.var), target=args.target or "mock",
        mock_ui=args.mock_ui, vault=args.vault, parallel=args.parallel or 1,
        endpoints=list(args.browser_endpoint), first_alone=args.first_alone,
        timeout_s=args.timeout or DEFAULT_STEP_TIMEOUT_S)


def _resumed_spec(args: argparse.Namespace) -> Any:
    from automation.fleet.record import FleetSpec

    if args.runbook or args.members or args.var or args.target or args.vault:
        raise RunbookError("--resume: the fleet keeps its runbook, members, --var, --target "
                           "and --vault; only --parallel and --browser-endpoint may change")
    spec = FleetSpec.load(args.resume)
    if args.parallel:
        spec.parallel = args.parallel
    if args.browser_endpoint:
        spec.endpoints = list(args.browser_endpoint)
    return spec


def _check_members(runbook: Any, spec: Any) -> None:
    """Every member's inputs against the runbook, each problem where the member gave it."""
    import difflib

    from automation.fleet.member_run import member_plan

    problems: list[Problem] = []
    for member in spec.members:
        unknown = [k for k in member.variables if k not in runbook.inputs]
        for key in unknown:
            close = difflib.get_close_matches(key, list(runbook.inputs), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(member.key_pos.get(key, member.pos),
                                    f"member {member.name}: {key}: not an input of runbook "
                                    f"'{runbook.name}'{hint}"))
        if unknown:
            continue
        try:
            member_plan(runbook, member, spec.variables)
        except RunbookError as error:
            messages = [p.message for p in error.problems] or [str(error)]
            problems += [Problem(member.pos, f"member {member.name}: {m}") for m in messages]
    if problems:
        raise RunbookError(problems)


def cmd_fleet(args: argparse.Namespace) -> int:
    from automation.actions import REGISTRY
    from automation.execute.browser import launch_options, parse_endpoint
    from automation.execute.interrupts import install
    from automation.fleet.browsers import EndpointPool
    from automation.fleet.record import member_summary
    from automation.fleet.runner import FleetRun
    from automation.runbook import load_runbook

    install()  # SIGTERM stops the fleet as SIGINT does
    spec = _resumed_spec(args) if args.resume else _new_spec(args)
    if spec.parallel < 1:
        raise RunbookError("--parallel: must be 1 or more")
    endpoints = [parse_endpoint(url) for url in spec.endpoints]
    runbook = load_runbook(Path(spec.runbook), REGISTRY)
    _check_members(runbook, spec)
    fleet_dir: Path = args.resume or args.out / (
        "fleet-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ"))
    pending = [m for m in spec.members
               if member_summary(m.name, fleet_dir / m.name).status != "succeeded"]
    if args.resume and spec.target == "mock" and any(
            (fleet_dir / m.name / "journal.jsonl").is_file() for m in pending):
        raise RunbookError(
            "this fleet used the built-in mock portal, whose state ended with that fleet: "
            "resume fleets against a portal that outlives them, e.g. `runbook mock-portal "
            "--companies N --profile-out mock.yaml` and `--target mock.yaml`")
    launch = {} if endpoints else launch_options()
    if not args.resume:
        spec.save(fleet_dir)
    with _fleet_target(spec, len(spec.members), spec.vault) as target:
        logger.info("Fleet of {} ({} to run, {} at a time) in {}", len(spec.members),
                    len(pending), spec.parallel, fleet_dir)
        run = FleetRun(runbook, pending, spec.variables, target, spec.vault, fleet_dir,
                       spec.parallel, EndpointPool(endpoints), launch, spec.timeout_s,
                       first_alone=spec.first_alone)
        try:
            run.run()
        except KeyboardInterrupt as stop:
            _summarize(spec, fleet_dir, run)
            logger.error("interrupted by {}: stopped; go on with: runbook fleet --resume {}",
                         getattr(stop, "name", "SIGINT"), fleet_dir)
            # The workers are inside Playwright calls no other thread can interrupt, and
            # Python's shutdown with them alive crashes in their greenlets: leave at once.
            # Every journal line is already on disk; the drivers close their browsers when
            # this process goes.
            sys.stderr.flush()
            os._exit(int(getattr(stop, "exit_code", EXIT_INTERRUPTED)))
    rows = _summarize(spec, fleet_dir, run)
    leaked = _leaks(fleet_dir)
    if leaked:  # made from scrubbed journals: a hit here is a bug to hear about
        logger.error("LEAK: {} held a secret", ", ".join(leaked))
        return EXIT_FAILED
    if all(r.status == "succeeded" for r in rows):
        return EXIT_OK
    logger.error("Finish the others with: runbook fleet --resume {}", fleet_dir)
    return EXIT_FAILED


def _summarize(spec: Any, fleet_dir: Path, run: Any) -> list[Any]:
    """The table on the terminal and the fleet's report.html, from the members' journals."""
    from automation.fleet.report import fleet_summaries, summary_table, write_fleet_report

    rows = fleet_summaries(spec, fleet_dir, run.leaked)
    report = write_fleet_report(fleet_dir, spec, rows, run.pool.lost_urls)
    print(summary_table(rows))
    sys.stdout.flush()
    logger.info("Fleet report: {}", report)
    return rows


def _leaks(fleet_dir: Path) -> list[str]:
    """The fleet's own files that hold a secret in play (each member's run directory had
    its own scan when the member ended)."""
    from automation.artifacts.leak_scan import needles, scan_bytes, secrets_in_play
    from automation.artifacts.report import REPORT_NAME
    from automation.fleet.record import FLEET_FILE

    wanted = needles(secrets_in_play())
    return [name for name in (REPORT_NAME, FLEET_FILE) if (fleet_dir / name).is_file()
            and scan_bytes((fleet_dir / name).read_bytes(), wanted)]


def _fleet_target(spec: Any, companies: int, vault_url: str | None
                  ) -> AbstractContextManager[Any]:
    from automation.targets import load_target

    if spec.target == "mock":
        return _FleetMock(spec.mock_ui or "current", companies, vault_url)
    if spec.mock_ui is not None:
        raise RunbookError("--mock-ui: only for the built-in mock target, not for "
                           + spec.target)
    return nullcontext(load_target(spec.target))


class _FleetMock(AbstractContextManager[Any]):
    """One built-in mock portal for the whole fleet, seeded with a company per member; the
    demo logins and each company's administrator go into the vault (mock target only)."""

    def __init__(self, ui: str, companies: int, vault_url: str | None) -> None:
        self.ui, self.companies, self.vault_url = ui, companies, vault_url

    def __enter__(self) -> Any:
        import dataclasses

        from automation.cli.targets import BUILT_IN_MOCK, store_demo_logins
        from automation.mock_portal.companies import COMPANY_ADMIN_PASSWORD, admin_vault_path
        from automation.mock_portal.server import MockPortal
        from automation.targets import MOCK_NAMESPACE
        from automation.vault.namespaced import scoped
        from automation.vault.url import open_vault

        self.portal = MockPortal(ui=self.ui, companies=self.companies).start()
        with open_vault(self.vault_url) as vault:
            store_demo_logins(self.portal.state, vault)
            mock_vault = scoped(vault, MOCK_NAMESPACE)  # the mock's logins: under mock/ only
            for company in self.portal.companies:
                path = admin_vault_path(company)
                if not mock_vault.exists(path):
                    mock_vault.put(path, {"login": company.admin_login,
                                          "password": COMPANY_ADMIN_PASSWORD})
        logger.info("Mock portal on {} with {} customer companies (target 'mock')",
                    self.portal.base_url, self.companies)
        return dataclasses.replace(self.portal.target(), name=BUILT_IN_MOCK)

    def __exit__(self, *exc: object) -> None:
        self.portal.stop()
