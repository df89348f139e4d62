"""The browsers a fleet's workers use: launched here, or taken from a pool of endpoints.

Playwright's sync API belongs to the thread that started it, so each worker thread starts its
own (one driver process) and opens one browser, which every member it runs gets a fresh
context of. With ``--browser-endpoint`` the workers spread over the pool, round robin; an
endpoint that stops answering leaves the pool, and the worker that found out connects to the
next live one.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from typing import Any

from loguru import logger
from playwright.sync_api import Browser, Playwright
from playwright.sync_api import Error as PlaywrightError

from automation.errors import RunbookToolError
from automation.execute.browser import connect_browser
from automation.execute.session import BrowserSession
from automation.targets import Target

__all__ = ["EndpointPool", "LentBrowserSession", "NoBrowserLeft", "WorkerBrowser",
           "browser_alive"]


class NoBrowserLeft(RunbookToolError):
    """Every endpoint of the pool has died: nothing left to run a member in."""


class EndpointPool:
    """The live endpoints, handed out round robin; shared by the workers."""

    def __init__(self, urls: list[str]) -> None:
        self._alive = list(urls)
        self._lost: list[str] = []
        self._turn = itertools.count()
        self._lock = threading.Lock()

    def __bool__(self) -> bool:
        return bool(self._alive or self._lost)

    def take(self) -> str:
        with self._lock:
            if not self._alive:
                raise NoBrowserLeft("no browser endpoint left: all of "
                                    + ", ".join(self._lost) + " stopped answering")
            return self._alive[next(self._turn) % len(self._alive)]

    def lost(self, url: str) -> None:
        with self._lock:
            if url in self._alive:
                self._alive.remove(url)
                self._lost.append(url)
                logger.warning("browser endpoint {} stopped answering: its members move to "
                               "the others ({} left)", url, len(self._alive))

    @property
    def lost_urls(self) -> list[str]:
        return list(self._lost)


class WorkerBrowser:
    """One worker thread's browser, opened on first use and again after it is lost."""

    def __init__(self, playwright: Playwright, pool: EndpointPool,
                 launch_options: dict[str, Any]) -> None:
        self.playwright, self.pool, self.launch_options = playwright, pool, launch_options
        self.browser: Browser | None = None
        self.endpoint: str | None = None

    def get(self) -> Browser:
        if self.browser is not None and browser_alive(self.browser):
            return self.browser
        self.forget()
        if not self.pool:
            self.browser = self.playwright.chromium.launch(**self.launch_options)
            return self.browser
        while True:
            url = self.pool.take()  # NoBrowserLeft when none is
            try:
                self.browser, self.endpoint = connect_browser(self.playwright, url), url
                return self.browser
            except PlaywrightError:
                self.pool.lost(url)

    def lost(self) -> bool:
        """Whether the browser died (and its endpoint left the pool); checked after a member
        failed, to tell a broken browser from a failing member."""
        if self.browser is None or browser_alive(self.browser):
            return False
        if self.endpoint is not None:
            self.pool.lost(self.endpoint)
        self.forget()
        return True

    def forget(self) -> None:
        if self.browser is not None:
            with contextlib.suppress(PlaywrightError):
                self.browser.close()
        self.browser = self.endpoint = None


def browser_alive(browser: Browser) -> bool:
    """Connected, and answering: a killed remote browser may not have said goodbye yet."""
    if not browser.is_connected():
        return False
    try:
        browser.new_context().close()
    except PlaywrightError:
        return False
    return True


class LentBrowserSession(BrowserSession):
    """A run's session in a browser it does not own: the worker's, which outlives the run.

    The run gets its own contexts (cookies, storage: nothing shared with the member before)
    and closes only those.
    """

    def __init__(self, target: Target, browser: Browser) -> None:
        super().__init__(target, {})
        self._browser = browser

    def close(self) -> None:
        for context in self._contexts.values():
            with contextlib.suppress(PlaywrightError):
                context.close()
        self._contexts.clear()
        self._sites.clear()
