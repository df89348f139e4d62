"""Headed runs need a screen: say so plainly where there is none, or bring a virtual one.

Without a display Chromium dies at launch and Playwright reports a closed target, which
never says why. ``--virtual-display`` starts Xvfb (``scripts/setup`` installs it) on a free
display for the run and stops it after, so demos can be recorded headed on a server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from automation.errors import RunbookError

__all__ = ["NO_DISPLAY", "display_for_run"]

NO_DISPLAY = (
    "--headed needs a display, and this machine has none ($DISPLAY and $WAYLAND_DISPLAY "
    "are not set). Run with --virtual-display (Xvfb; scripts/setup installs it), or under "
    "xvfb-run -a, or without --headed")


@contextmanager
def display_for_run(*, headed: bool, virtual: bool) -> Iterator[dict[str, str] | None]:
    """The environment Chromium needs for the run (None: the process's own)."""
    if virtual:
        with _xvfb() as display:
            yield {**os.environ, "DISPLAY": display}
        return
    if headed and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise RunbookError(NO_DISPLAY)
    yield None


@contextmanager
def _xvfb() -> Iterator[str]:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise RunbookError("--virtual-display needs Xvfb: run scripts/setup, or "
                           "apt-get install xvfb")
    read_end, write_end = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write_end), "-screen", "0",
                               "1280x800x24", "-nolisten", "tcp"], pass_fds=(write_end,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        number = announced.readline().strip()  # Xvfb writes it once it accepts clients
    try:
        if not number:
            raise RunbookError("Xvfb did not start (try: xvfb-run -a runbook ...)")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)
