"""The probe's browser: one context (cookies) per site, in a browser the caller gives (a test
runner's, whose Playwright is already running) or in one launched here."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from automation.execute.browser import launch_options
from automation.pages.base import Site
from automation.targets import Target

__all__ = ["ProbeBrowser"]

SignIn = Callable[[Site], None]


class ProbeBrowser:
    """A site's page is opened on first use; ``sign_in[site]`` signs in when the site asks."""

    def __init__(self, target: Target, *, browser: Browser | None, headed: bool,
                 timeout_s: float, sign_in: dict[str, SignIn],
                 is_sign_in_page: dict[str, Callable[[Page], bool]]) -> None:
        self.target = target
        self._given = browser
        self._headed = headed
        self._timeout_ms = timeout_s * 1000
        self._sign_in = sign_in
        self._is_sign_in_page = is_sign_in_page
        self._playwright: Playwright | None = None
        self._browser: Browser | None = browser
        self._contexts: list[BrowserContext] = []
        self.sites: dict[str, Site] = {}

    def site(self, name: str) -> Site:
        if name not in self.sites:
            context = self._browser_instance().new_context()
            context.set_default_timeout(self._timeout_ms)
            self._contexts.append(context)
            self.sites[name] = Site(context.new_page(), self.target.url(name),
                                    sign_in=self._sign_in.get(name),
                                    is_sign_in_page=self._is_sign_in_page.get(name))
        return self.sites[name]

    def _browser_instance(self) -> Browser:
        if self._browser is None:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                **launch_options(headed=self._headed))
        return self._browser

    def close(self) -> None:
        """Closes what the probe opened (the caller's browser stays open)."""
        for context in self._contexts:
            context.close()
        self._contexts.clear()
        self.sites.clear()
        if self._browser is not None and self._browser is not self._given:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()
        self._browser, self._playwright = self._given, None
