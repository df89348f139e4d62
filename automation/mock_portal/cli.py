"""``runbook mock-portal``: the mock Procore portal in the foreground, until Ctrl-C.

::

    runbook mock-portal [--port N] [--seed FILE] [--projects N] [--faults SPEC]
                        [--ui current|classic] [--variant NAME[,NAME...]] [--profile-out FILE]

It prints the base URL of every site and the admin token ``/__mock__/*`` asks for
(``Authorization: Bearer <token>``), and with ``--profile-out`` writes a target profile that
``runbook run --target FILE`` accepts, the token in it as ``mock_admin_token``. Ctrl-C (or
SIGTERM) stops it; the exit code is 0.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import yaml

from automation.errors import RunbookError
from automation.mock_portal.seeds import DEFAULT_SEED
from automation.targets import SITES

if TYPE_CHECKING:
    from automation.mock_portal.server import MockPortal

__all__ = ["register", "run_mock_portal"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "mock-portal",
        help="serve the mock Procore portal on 127.0.0.1",
        description="Serve the mock Procore portal (Developer Portal, company web app, sync "
        "tool, OAuth and REST) on 127.0.0.1 until interrupted.",
        epilog="fault spec grammar: see automation/mock_portal/faults.py, e.g. "
        "latency=2.0@0.2,errors=0.05,expire_session_after=40,seed=7",
    )
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument(
        "--seed", type=Path, default=DEFAULT_SEED, help="seed JSON (default: %(default)s)"
    )
    parser.add_argument(
        "--projects", type=int, metavar="N", help="how many projects the first company has"
    )
    parser.add_argument("--faults", metavar="SPEC", default="", help="switch faults on")
    parser.add_argument(
        "--ui",
        choices=("current", "classic"),
        default="current",
        help="Developer Portal generation: current (form based, what Procore serves now; "
        "the default) or classic (the manifest editor of the seed procedure)",
    )
    parser.add_argument(
        "--variant", metavar="NAME[,NAME...]", default="",
        help="serve the pages as a DOM variant (automation/mock_portal/variants.py; 'all')",
    )
    parser.add_argument(
        "--profile-out", type=Path, metavar="FILE", help="write a target profile (YAML) here"
    )
    parser.set_defaults(handler=run_mock_portal)


def _portal(args: argparse.Namespace) -> MockPortal:
    # Flask and the mock load here, when the mock is used, not for every `runbook` command.
    from automation.mock_portal.faults import Faults
    from automation.mock_portal.server import MockPortal
    from automation.mock_portal.variants import parse_variants

    try:
        faults = Faults.parse(args.faults)
    except ValueError as exc:
        raise RunbookError(f"--faults: {exc}") from None
    if not args.seed.is_file():
        raise RunbookError(f"--seed {args.seed}: no such file")
    if args.projects is not None and args.projects < 0:
        raise RunbookError("--projects: must be 0 or more")
    try:
        variants = parse_variants(args.variant)
    except ValueError as exc:
        raise RunbookError(f"--variant: {exc}") from None
    try:
        return MockPortal(
            port=args.port,
            seed=args.seed,
            project_count=args.projects,
            faults=faults,
            ui=args.ui,
            variants=variants,
        )
    except OSError as exc:
        raise RunbookError(f"--port {args.port}: cannot listen on 127.0.0.1: {exc}") from None
    except (ValueError, KeyError) as exc:
        raise RunbookError(f"--seed {args.seed}: not a valid seed: {exc}") from None


def run_mock_portal(args: argparse.Namespace) -> int:
    portal = _portal(args)
    target = portal.target()
    stop = threading.Event()

    def on_signal(number: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    portal.start()
    try:
        print(f"Mock Procore portal on {portal.base_url} (Ctrl-C to stop)")
        width = max(map(len, target.sites))
        for site, url in target.sites.items():
            print(f"  {site:<{width}}  {url}    {SITES.get(site, '')}")
        print(f"  {'test-only':<{width}}  {portal.base_url}/__mock__/state")
        print(f"  {'':<{width}}  Authorization: Bearer {portal.admin_token}")
        print(f"  faults: {portal.app.config['PORTAL_FAULTS'].describe()}")
        print(f"  Developer Portal: {args.ui}")
        print(f"  variants: {', '.join(portal.variants) or 'none'}")
        print(f"  accounts: see {args.seed}")
        if args.profile_out:
            profile = target.to_profile(include_admin_token=True)
            # Written whole, then renamed: whoever waits for the file never reads half of it.
            partial = args.profile_out.with_name(args.profile_out.name + ".partial")
            partial.write_text(yaml.safe_dump(profile, sort_keys=False))
            partial.replace(args.profile_out)
            print(f"Target profile written to {args.profile_out}")
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        portal.stop()
    print("Mock portal stopped.")
    return 0
