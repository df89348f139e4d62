"""The ``runbook`` command.

Exit codes: 0 success; 1 a step failed (or the vault refused); 2 invalid input (a runbook,
a ``--var``, a target, a vault URL: nothing was started); 130 interrupted (SIGINT); 143
terminated (SIGTERM).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from loguru import logger

from automation.cli import commands, doctor, fleet, probe, records, shipped
from automation.cli.global_options import add_global_options, settle_global_options
from automation.errors import EXIT_FAILED, EXIT_INVALID, EXIT_OK, RunbookError, RunbookToolError
from automation.mock_portal import cli as mock_portal_cli
from automation.vault import cli as vault_cli

__all__ = ["build_parser", "main"]

EPILOG = ("exit codes: 0 success, 1 a step failed, 2 invalid input, 130 interrupted (SIGINT), "
          "143 terminated (SIGTERM)")
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="runbook",
        description="Run browser-automation runbooks (YAML) against web portals.",
        epilog=EPILOG,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.register(sub)
    records.register(sub)
    fleet.register(sub)
    probe.register(sub)
    shipped.register(sub)
    doctor.register(sub)
    mock_portal_cli.register(sub)
    vault_cli.register(sub)
    add_global_options(parser)  # last: they reach every subcommand registered above
    return parser


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line as the command reads it: global options settled wherever given."""
    parser = build_parser()
    args = parser.parse_args(argv)
    settle_global_options(parser, args)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    from pathlib import Path

    from automation.log import configure_logging

    configure_logging(verbose=args.verbose, quiet=getattr(args, "quiet", False),
                      json_path=Path(args.log_json) if args.log_json else None)
    try:
        code: int = args.handler(args)
    except RunbookError as exc:
        commands.print_invalid(exc)
        return EXIT_INVALID
    except RunbookToolError as exc:
        logger.error("error: {}", exc)
        return exc.exit_code
    except KeyboardInterrupt as stop:  # SIGINT, or SIGTERM (automation/execute/interrupts.py)
        logger.error("interrupted by {}: stopped", getattr(stop, "name", "SIGINT"))
        return int(getattr(stop, "exit_code", EXIT_INTERRUPTED))
    except BrokenPipeError:  # `runbook actions | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # a full or read-only disk, a missing directory: not a bug
        where = f"{exc.filename}: " if exc.filename else ""
        logger.error("error: {}{}", where, exc.strerror or type(exc).__name__)
        return EXIT_FAILED
    except Exception as exc:  # a bug: say so plainly; the traceback only with -v
        logger.opt(exception=args.verbose > 0).error(
            "internal error: {}: {}", type(exc).__name__, exc)
        return EXIT_FAILED
    return code


if __name__ == "__main__":
    sys.exit(main())
