"""``runbook demo``, ``runbook report`` and ``runbook procedure``: a run's record, shown."""

from __future__ import annotations

import argparse
import webbrowser
from pathlib import Path

from automation.cli.commands import add_runbook_help
from automation.errors import EXIT_OK, RunbookError

__all__ = ["register"]

#: How much a demo slows every browser operation, so a viewer can follow it.
DEMO_SLOWMO_MS = 250


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser(
        "demo", help="run a runbook as a filmed demo (video.webm, captions.vtt)", add_help=False,
        description="Run a runbook slowed down, filmed, with the element about to be acted "
        "on highlighted: video.webm, captions.vtt and report.html in the run directory.")
    add_runbook_help(demo)
    demo.add_argument("runbook", type=Path)
    demo.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                      help="an input value (secret inputs: NAME=vault:PATH#FIELD)")
    demo.add_argument("--vars-file", type=Path, metavar="FILE", help="input values (YAML)")
    demo.add_argument("--target", help="mock (default), sandbox, production, or a profile")
    demo.add_argument("--mock-ui", choices=("current", "classic"), metavar="current|classic",
                      help="the built-in mock's Developer Portal (default: current)")
    demo.add_argument("--vault", help="vault URL (default: $RUNBOOK_VAULT or "
                      "file:.runbook/vault.enc)")
    demo.add_argument("--headed", action="store_true", help="show the browser")
    demo.add_argument("--virtual-display", action="store_true",
                      help="run headed on a virtual screen (Xvfb)")
    demo.add_argument("--slowmo", type=int, default=DEMO_SLOWMO_MS, metavar="MS",
                      help=f"pause between browser operations (default {DEMO_SLOWMO_MS})")
    demo.add_argument("--trace", action="store_true", help="keep trace.zip too")
    demo.add_argument("--out", type=Path, default=Path("runs"), metavar="DIR")
    demo.add_argument("--timeout", type=float, default=30.0, metavar="S")
    demo.set_defaults(handler=cmd_demo, video=True, highlight=True, resume=None,
                      start_at=None, tags=None, quiet=False, browser_endpoint=[])

    report = sub.add_parser("report", help="print (or open) the newest run's report.html")
    report.add_argument("run_dir", type=Path, nargs="?", metavar="RUN_DIR",
                        help="a run directory (default: the newest under --out)")
    report.add_argument("--out", type=Path, default=Path("runs"), metavar="DIR")
    report.add_argument("--open", action="store_true", help="open it in a web browser")
    report.set_defaults(handler=cmd_report)

    procedure = sub.add_parser(
        "procedure", help="write procedure.md/.html (the illustrated how-to) from a run",
        description="Write procedure.md and procedure.html into a successful run's directory.")
    procedure.add_argument("run_dir", type=Path, metavar="RUN_DIR")
    procedure.set_defaults(handler=cmd_procedure)


def cmd_demo(args: argparse.Namespace) -> int:
    from automation.cli.run import run_command

    return run_command(args)


def _record_dir(run_dir: Path | None, out: Path) -> Path:
    from automation.artifacts.record import RECORD_NAME

    if run_dir is not None:
        if not (run_dir / RECORD_NAME).is_file():
            raise RunbookError(f"{run_dir}: not a run directory with a record "
                               f"({RECORD_NAME} is missing)")
        return run_dir
    runs = sorted(p.parent for p in out.glob(f"*/{RECORD_NAME}"))
    if not runs:
        raise RunbookError(f"{out}: no run directory with a report yet (runbook run ...)")
    return runs[-1]


def cmd_report(args: argparse.Namespace) -> int:
    from automation.artifacts import REPORT_NAME, load_record, write_report

    run_dir = _record_dir(args.run_dir, args.out)
    path = run_dir / REPORT_NAME
    if not path.is_file():
        write_report(load_record(run_dir))
    print(path)
    if args.open:
        webbrowser.open(path.resolve().as_uri())
    return EXIT_OK


def cmd_procedure(args: argparse.Namespace) -> int:
    from automation.artifacts import load_record, secure_tree, write_procedure

    record = load_record(_record_dir(args.run_dir, Path("runs")))
    if not record.succeeded:
        raise RunbookError(f"{args.run_dir}: the run did not succeed; a procedure is written "
                           "from a successful run")
    for path in write_procedure(record):
        print(path)
    secure_tree(record.run_dir)
    return EXIT_OK
