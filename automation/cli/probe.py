"""``runbook probe``: the drift probe (:mod:`automation.probe`) from the command line.

Exit codes: 0 every screen visited and every locator found once; 1 a locator is missing or
found several times, or a screen could not be visited; 2 invalid input.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from automation.errors import EXIT_FAILED, EXIT_OK

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    probe = sub.add_parser(
        "probe", help="check that the page objects still find every screen's labels",
        description="Visit each screen the page objects know, read-only (sign in, follow "
        "links, open dialogs without submitting them), and report every locator found "
        "once, not found (with the closest labels shown), or found several times.")
    probe.add_argument("--target", default="mock", help="mock (default: a fresh built-in "
                       "mock), sandbox, production, or a target profile file")
    probe.add_argument("--vault", help="vault URL holding the logins (default: $RUNBOOK_VAULT "
                       "or file:.runbook/vault.enc)")
    probe.add_argument("--json", action="store_true", help="print the report as JSON")
    probe.add_argument("--screen", action="append", metavar="NAME",
                       help="probe only this screen (repeatable); see --list")
    probe.add_argument("--list", action="store_true", help="list the screens and exit")
    probe.add_argument("--app-name", default="Procore DMSA App",
                       help="the app whose screens to visit (default: %(default)s)")
    probe.add_argument("--company", default="HingePoint",
                       help="the company to open in the web app (default: %(default)s)")
    probe.add_argument("--timeout", type=float, default=10.0, metavar="S",
                       help="how long one action or look may wait (default: %(default)s)")
    probe.add_argument("--headed", action="store_true", help="show the browser")
    probe.set_defaults(handler=cmd_probe)


def cmd_probe(args: argparse.Namespace) -> int:
    from automation.errors import RunbookError
    from automation.probe import JSON_SCHEMA_VERSION, ProbeOptions, probe_screens, screen_names

    if args.list:
        print("\n".join(screen_names()))
        return EXIT_OK
    unknown = sorted(set(args.screen or ()) - set(screen_names()))
    if unknown:
        raise RunbookError(f"--screen {unknown[0]}: no such screen; known: "
                           + ", ".join(screen_names()))
    if args.timeout <= 0:
        raise RunbookError(f"--timeout {args.timeout:g}: must be above 0")
    from automation.cli.targets import open_target, provision_demo_logins
    from automation.vault.url import open_vault

    target_context = open_target(args.target)  # a bad target is bad input: nothing started
    vault = open_vault(args.vault)
    options = ProbeOptions(app_name=args.app_name, company=args.company,
                           timeout_s=args.timeout, headed=args.headed)
    with target_context as target, vault:
        provision_demo_logins(target_context, vault)
        reports = probe_screens(target, vault, options, args.screen)
    ok = all(report.ok for report in reports)
    if args.json:
        document: dict[str, Any] = {
            "schema": JSON_SCHEMA_VERSION, "target": target.name, "ok": ok,
            "screens": [report.to_json() for report in reports]}
        print(json.dumps(document, indent=2))
    else:
        for report in reports:
            print("\n".join(report.lines()))
    return EXIT_OK if ok else EXIT_FAILED
