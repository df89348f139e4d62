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
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from automation.errors import RunbookError, RunbookToolError

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

__all__ = [
    "CHROMIUM_ARGS",
    "connect_browser",
    "endpoint_options",
    "find_chromium",
    "launch_options",
    "open_browser",
    "parse_endpoint",
]

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


# -- browsers elsewhere ------------------------------------------------------------------------

#: How long connecting to a browser elsewhere may take before the endpoint counts as dead.
CONNECT_TIMEOUT_MS = 15_000
#: The launch options' key naming browsers elsewhere instead of a binary to launch.
ENDPOINTS = "endpoints"
#: ``cdp+ws://`` is a DevTools WebSocket (Browserless' documented endpoint, Selenium Grid's
#: ``se:cdp``): a plain ``ws://`` means Playwright's own protocol, which those do not speak.
_SCHEMES = {"ws": "playwright", "wss": "playwright", "http": "cdp", "https": "cdp",
            "cdp+ws": "cdp", "cdp+wss": "cdp"}


def parse_endpoint(url: str) -> str:
    """``url`` checked: a Playwright browser server (``ws://``, ``wss://``), a Chromium
    DevTools endpoint (``http://``, ``https://``) or a DevTools WebSocket (``cdp+ws://``,
    ``cdp+wss://``); :class:`RunbookError` otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES or not parts.hostname:
        raise RunbookError(f"--browser-endpoint {url}: expected ws://HOST:PORT/... (a Playwright "
                           "browser server), http://HOST:PORT (a Chromium DevTools endpoint) or "
                           "cdp+ws://HOST:PORT/... (a DevTools WebSocket)")
    return url


def endpoint_options(urls: list[str]) -> dict[str, Any]:
    """Options for :func:`open_browser` that connect to the first live endpoint of ``urls``."""
    return {ENDPOINTS: [parse_endpoint(url) for url in urls]}


def connect_browser(playwright: Playwright, url: str) -> Browser:
    """A browser elsewhere: ``BrowserType.connect`` for a Playwright server (the same
    protocol as a local launch), ``connect_over_cdp`` for a bare DevTools endpoint (what
    Browserless and Selenium Grid 4 expose)."""
    if _SCHEMES[urlsplit(url).scheme] == "playwright":
        return playwright.chromium.connect(url, timeout=CONNECT_TIMEOUT_MS)
    return playwright.chromium.connect_over_cdp(url.removeprefix("cdp+"),
                                                timeout=CONNECT_TIMEOUT_MS)


def open_browser(playwright: Playwright, options: dict[str, Any]) -> Browser:
    """Launches Chromium here, or connects to the first endpoint of ``options`` that answers."""
    endpoints: list[str] | None = options.get(ENDPOINTS)
    if not endpoints:
        return playwright.chromium.launch(**options)
    from playwright.sync_api import Error as PlaywrightError

    failures = []
    for url in endpoints:
        try:
            return connect_browser(playwright, url)
        except PlaywrightError as error:
            failures.append(f"{url}: {str(error).strip().splitlines()[0]}")
    raise RunbookToolError("no browser endpoint answered:\n  " + "\n  ".join(failures))
