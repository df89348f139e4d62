"""``runbook doctor --target T [RUNBOOK]``: is a target ready for a run? A checklist.

Each site of the target answers (a HEAD request with a short timeout: any HTTP answer, even
an error status, means it is there), the runbook's logins are in the vault under the target's
namespace, a Chromium is installed. Nothing is changed anywhere; exit 1 if anything is
missing, with what to do about it.
"""

from __future__ import annotations

import argparse
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from automation.cli.shipped import runbook_argument, shipped_dir
from automation.errors import EXIT_FAILED, EXIT_OK, RunbookError

if TYPE_CHECKING:
    from automation.runbook.model import Runbook
    from automation.targets import Target
    from automation.vault.base import Vault

__all__ = ["register"]

#: The runbook checked when none is named: the shipped DMSA procedure.
DEFAULT_RUNBOOK = "dmsa-credentials.yaml"


@dataclass(frozen=True)
class Check:
    ok: bool
    what: str
    advice: str = ""

    def lines(self) -> list[str]:
        lines = [f"  [{'ok' if self.ok else '!!'}] {self.what}"]
        lines += [f"       {line}" for line in self.advice.splitlines()]
        return lines


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    doctor = sub.add_parser(
        "doctor", help="check a target before a run: sites, vault logins, browser",
        description="Check a target before a run: each site answers, the runbook's logins "
        "are in the vault under the target's namespace, a browser is installed. Exit 1 if "
        "something is missing.")
    doctor.add_argument("runbook", type=runbook_argument, nargs="?", default=None,
                        help="whose vault secrets to check: a file or a shipped runbook's "
                        "name (default: the DMSA runbook)")
    doctor.add_argument("--target", required=True,
                        help="mock, sandbox, production, or a target profile file")
    doctor.add_argument("--vault", help="vault URL (default: $RUNBOOK_VAULT or "
                        "file:.runbook/vault.enc)")
    doctor.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                        help="an input value, as for run (inputs name vault paths)")
    doctor.add_argument("--timeout", type=float, default=5.0, metavar="S",
                        help="seconds each site has to answer (default 5)")
    doctor.set_defaults(handler=cmd_doctor)


def cmd_doctor(args: argparse.Namespace) -> int:
    from automation.actions import REGISTRY
    from automation.cli.targets import plan_target
    from automation.runbook import load_runbook
    from automation.runbook.inputs import parse_var, resolve_inputs
    from automation.vault.url import open_vault

    runbook_path: Path = args.runbook or shipped_dir() / DEFAULT_RUNBOOK
    runbook = load_runbook(runbook_path, REGISTRY)  # bad input: exit 2 before anything
    inputs = resolve_inputs(runbook, dict(parse_var(v) for v in args.var))
    target = plan_target(args.target)
    print(f"target {target.name!r}: its secrets live under {target.vault_namespace}/ in the "
          f"vault")
    checks: list[Check] = []
    if args.target == "mock":
        checks.append(Check(True, "the built-in mock portal: started by each run (127.0.0.1)"))
    else:
        checks += [_reachable(site, url, args.timeout) for site, url in target.sites.items()]
    with open_vault(args.vault) as vault:
        checks += _logins(runbook, inputs, target, vault, args.target)
    checks.append(_browser())
    for check in checks:
        print("\n".join(check.lines()))
    failed = sum(not c.ok for c in checks)
    print(f"{failed} problem{'s' if failed != 1 else ''} found" if failed else
          f"ready: {runbook_path.name} can run against {target.name!r}")
    return EXIT_FAILED if failed else EXIT_OK


def _reachable(site: str, url: str, timeout: float) -> Check:
    request = urllib.request.Request(url, method="HEAD")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as answer:  # an answer all the same: the site is there
        status = answer.code
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", None) or error
        return Check(False, f"{site} {url} does not answer: {reason}",
                     "check the URL in the target profile, the network, or a proxy")
    return Check(True, f"{site} {url} answers (HTTP {status})")


def _logins(runbook: Runbook, inputs: dict[str, Any], target: Target, vault: Vault,
            target_spec: str) -> list[Check]:
    from automation.actions import REGISTRY
    from automation.execute.vault_needs import describe_missing, missing_needs, vault_needs
    from automation.vault.namespaced import scoped

    if target_spec == "mock":  # the built-in mock's runs store its demo logins first
        return [Check(True, "the mock's demo logins: stored under mock/ by each run")]
    view = scoped(vault, target.vault_namespace)
    needs = vault_needs(runbook, inputs, REGISTRY, target)
    missing = {need.path: need for need in missing_needs(needs, view)}
    checks = []
    for need in needs:
        full = view.full_path(need.path)
        lacking = missing.get(need.path)
        if lacking is None:
            checks.append(Check(True, f"{full} holds {', '.join(need.fields)}"))
            continue
        advice = describe_missing([lacking], view, f"--target {target_spec}").splitlines()
        checks.append(Check(False, f"{full} lacks {', '.join(lacking.fields)}",
                            "\n".join(line.strip() for line in advice[3:])))
    return checks


def _browser() -> Check:
    from automation.execute.browser import find_chromium

    try:
        return Check(True, f"browser: {find_chromium(headless=True)}")
    except RunbookError as error:
        return Check(False, "no browser found", str(error))
