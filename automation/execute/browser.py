"""Finds a Chromium to drive and launches it.

Order: ``RUNBOOK_CHROMIUM`` (a path), Playwright's own download, then a system Chromium.
Where none exists the error says what to install.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path
from typing import Any

from automation.errors import RunbookError

__all__ = ["CHROMIUM_ARGS", "find_chromium", "launch_options"]

#: Without these Chromium phones home at start and, on a closed network, floods the log with
#: refused connections; none of them changes what a page does.
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

_SYSTEM_CANDIDATES = (
    "/usr/lib/chromium/chromium",  # Debian's binary; skips the shell wrapper's warning
    "/usr/bin/chromium",
    "chromium",
    "chromium-browser",
    "google-chrome",
)


def _playwright_chromium() -> str | None:
    """Chromium as ``playwright install chromium`` leaves it, found without starting Playwright.

    (Asking Playwright's driver costs a process start, about 0.3 s, on every run.)
    """
    root = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" /
                "ms-playwright")
    found = sorted(root.glob("chromium-*/chrome-linux*/chrome"), reverse=True)
    return str(found[0]) if found else None


@functools.cache
def find_chromium() -> str:
    """The path of a Chromium binary (Playwright's full Chromium serves headless too)."""
    explicit = os.environ.get("RUNBOOK_CHROMIUM")
    if explicit:
        if not Path(explicit).is_file():
            raise RunbookError(f"RUNBOOK_CHROMIUM={explicit}: no such file")
        return explicit
    own = _playwright_chromium()
    if own:
        return own
    for candidate in _SYSTEM_CANDIDATES:
        found = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if found:
            return found
    raise RunbookError(
        "no Chromium found. Install one of: `python -m playwright install chromium`, "
        "`apt-get install chromium` (Debian/Ubuntu), or set RUNBOOK_CHROMIUM to a Chromium binary"
    )


def launch_options(*, headed: bool = False, slowmo_ms: int = 0) -> dict[str, Any]:
    """Keyword arguments for ``playwright.chromium.launch``."""
    options: dict[str, Any] = {
        "headless": not headed,
        "args": list(CHROMIUM_ARGS),
        "executable_path": find_chromium(),
    }
    if slowmo_ms:
        options["slow_mo"] = slowmo_ms
    return options
