"""One runbook item's run: ``runbook run`` itself, parsed by the command's own parser and run
by its own handler, inside the pytest process.

What the command changes for the life of its process (signal handlers, the umask, loguru's
sinks) is put back after each run: pytest goes on after it.
"""

from __future__ import annotations

import io
import os
import signal
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, redirect_stderr
from pathlib import Path
from typing import IO, Any, cast

from automation.testing.pytest_plugin.options import RunbookOptions
from automation.testing.pytest_plugin.outcome import (
    RunOutcome,
    failed_step,
    find_run_dir,
    run_dirs,
)

__all__ = ["run_runbook"]

TRACE_FILES = ("trace.zip",)
VIDEO_FILES = ("video.webm", "captions.vtt")


class _CurrentStderr(io.TextIOBase):
    """The log's stream: whatever ``sys.stderr`` is at each write (pytest swaps it to
    capture each test's output)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def run_runbook(runbook: Path, options: RunbookOptions,
                member: Mapping[str, Any] | None = None) -> RunOutcome:
    """Runs ``runbook`` as ``runbook run`` would (for a fleet ``member``, with its inputs);
    a RunbookError (bad input) propagates."""
    from automation.cli.main import parse_arguments
    from automation.errors import RunbookError
    from automation.log import configure_logging

    arguments = options.run_arguments(runbook, member)
    usage = io.StringIO()
    try:
        with redirect_stderr(usage):
            args = parse_arguments(arguments)
    except SystemExit:  # argparse refused an option value
        raise RunbookError(usage.getvalue().strip().splitlines()[-1]) from None
    before = run_dirs(options.out)
    # As the command's main does: scrubbed lines (the sink only writes and flushes).
    configure_logging(stream=cast(IO[str], _CurrentStderr()))
    with _process_state_kept():
        code = int(args.handler(args))
    run_dir = find_run_dir(options.out, runbook, before)
    failed = failed_step(run_dir, runbook) if run_dir is not None and code != 0 else None
    outcome = RunOutcome(code, run_dir, failed)
    if run_dir is not None and outcome.succeeded:
        _drop_kept_only_on_failure(run_dir, options)
    return outcome


def _drop_kept_only_on_failure(run_dir: Path, options: RunbookOptions) -> None:
    """pytest-playwright's ``retain-on-failure``: a passed run keeps no trace or film."""
    names = (TRACE_FILES if options.tracing == "retain-on-failure" else ()) + (
        VIDEO_FILES if options.video == "retain-on-failure" else ())
    for name in names:
        (run_dir / name).unlink(missing_ok=True)


@contextmanager
def _process_state_kept() -> Iterator[None]:
    """Signal handlers and the umask as pytest had them, after the run changed them."""
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    umask = os.umask(0o077)
    os.umask(umask)
    try:
        yield
    finally:
        os.umask(umask)
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
