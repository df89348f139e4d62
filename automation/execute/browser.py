"""Finds a Chromium to drive and launches it.

Order: ``RUNBOOK_CHROMIUM`` (a path), Playwright's own download, then a system Chromium. A
headless run prefers the headless shell, as Playwright itself does: the same Blink without the
browser's UI, it loads a page in about half the time here (38 ms against 80 ms a navigation,
measured by ``benchmarks/dmsa_bench.py``). Where none exists the error says what to install.
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

#: Globs under Playwright's browsers directory (``playwright install chromium`` brings both).
_PLAYWRIGHT_HEADLESS_SHELL = (
    "chromium_headless_shell-*/chrome-headless-shell-linux*/chrome-headless-shell",
    "chromium_headless_shell-*/chrome-linux/headless_shell",  # Playwright before 1.57
)
_PLAYWRIGHT_CHROMIUM = ("chromium-*/chrome-linux*/chrome",)

_SYSTEM_HEADLESS_SHELL = (
    "/usr/lib/chromium/chromium-headless-shell",  # Debian's chromium-headless-shell
    "chromium-headless-shell",
)
_SYSTEM_CHROMIUM = (
    "/usr/lib/chromium/chromium",  # Debian's binary; skips the shell wrapper's warning
    "/usr/bin/chromium",
    "chromium",
    "chromium-browser",
    "google-chrome",
)


def _playwright_browser(globs: tuple[str, ...]) -> str | None:
    """A browser as ``playwright install`` leaves it, found without starting Playwright.

    (Asking Playwright's driver costs a process start, about 0.3 s, on every run.)
    """
    root = Path(
        os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright"
    )
    for pattern in globs:
        found = sorted(root.glob(pattern), reverse=True)
        if found:
            return str(found[0])
    return None


def _system_browser(candidates: tuple[str, ...]) -> str | None:
    for candidate in candidates:
        found = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if found:
            return found
    return None


@functools.cache
def find_chromium(*, headless: bool = True) -> str:
    """The path of a Chromium binary; for ``headless``, a headless shell where there is one
    (a full Chromium serves headless too)."""
    explicit = os.environ.get("RUNBOOK_CHROMIUM")
    if explicit:
        if not Path(explicit).is_file():
            raise RunbookError(f"RUNBOOK_CHROMIUM={explicit}: no such file")
        return explicit
    candidates: list[str | None] = []
    if headless:
        candidates += [
            _playwright_browser(_PLAYWRIGHT_HEADLESS_SHELL),
            _system_browser(_SYSTEM_HEADLESS_SHELL),
        ]
    candidates += [_playwright_browser(_PLAYWRIGHT_CHROMIUM), _system_browser(_SYSTEM_CHROMIUM)]
    for found in candidates:
        if found:
            return found
    raise RunbookError(
        "no Chromium found. Install one of: `python -m playwright install chromium`, "
        "`apt-get install chromium chromium-headless-shell` (Debian/Ubuntu), or set "
        "RUNBOOK_CHROMIUM to a Chromium binary"
    )


def launch_options(*, headed: bool = False, slowmo_ms: int = 0, channel: str | None = None
                   ) -> dict[str, Any]:
    """Keyword arguments for ``playwright.chromium.launch``; a ``channel`` (``chrome``,
    ``msedge``...) is a browser Playwright finds itself, instead of the Chromium found here."""
    options: dict[str, Any] = {"headless": not headed, "args": list(CHROMIUM_ARGS)}
    if channel:
        options["channel"] = channel
    else:
        options["executable_path"] = find_chromium(headless=not headed)
    if slowmo_ms:
        options["slow_mo"] = slowmo_ms
    return options
