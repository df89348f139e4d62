"""One browser for the run, one context (cookies, storage) per site, started on first use."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from automation.execute.browser import open_browser
from automation.pages.base import Site
from automation.targets import GENERIC_SITE, Target

__all__ = ["BrowserSession"]

SignIn = Callable[[Site], None]
#: Told of every site's page as it opens (tracing, video and masking scripts attach here).
SiteOpened = Callable[[str, Site], None]


class BrowserSession:
    """Opens Chromium lazily, so a run that needs no browser starts none.

    ``sign_in_hooks`` maps a site to the action that signs in there (recorded by the executor
    when such a step succeeds): a site that asks to sign in again gets it. ``resume_urls``
    brings a site's page back to where the interrupted run left it.
    """

    def __init__(self, target: Target, launch_options: dict[str, Any]) -> None:
        self.target = target
        self.launch_options = launch_options
        self.sign_in_hooks: dict[str, SignIn] = {}
        self.sign_in_checks: dict[str, Callable[[Page], bool]] = {}
        self.resume_urls: dict[str, str] = {}
        #: Options for every new context (a demo's viewport), and who is told of new sites.
        self.context_options: dict[str, Any] = {}
        self.on_site_opened: list[SiteOpened] = []
        #: The executor's hook for a failed screen, given to every site (see Site).
        self.before_recovery: SignIn | None = None
        self.default_timeout_ms = 30_000.0
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._contexts: dict[str, BrowserContext] = {}
        self._sites: dict[str, Site] = {}

    @property
    def started(self) -> bool:
        return self._browser is not None

    def _browser_instance(self) -> Browser:
        if self._browser is None:
            self._playwright = sync_playwright().start()
            self._browser = open_browser(self._playwright, self.launch_options)
        return self._browser

    def site(self, name: str) -> Site:
        """The site's page (opened, and brought back to its resume URL, on first use)."""
        if name not in self._sites:
            context = self._browser_instance().new_context(**self.context_options)
            context.set_default_timeout(self.default_timeout_ms)
            self._contexts[name] = context
            base = "" if name == GENERIC_SITE else self.target.url(name)

            def sign_in(site: Site) -> None:
                self._sign_in(name, site)

            def is_sign_in_page(page: Page) -> bool:
                return self._is_sign_in_page(name, page)

            site = Site(context.new_page(), base, sign_in=sign_in,
                        is_sign_in_page=is_sign_in_page)
            site.before_recovery = self._before_recovery
            self._sites[name] = site
            for opened in self.on_site_opened:
                opened(name, site)
            if name in self.resume_urls:
                site.page.goto(self.resume_urls[name])
        return self._sites[name]

    def _sign_in(self, name: str, site: Site) -> None:
        hook = self.sign_in_hooks.get(name)
        if hook is None:
            from automation.pages.base import SessionExpired

            raise SessionExpired(f"{name} asks to sign in, and no sign-in step has run")
        hook(site)

    def _before_recovery(self, site: Site) -> None:
        if self.before_recovery is not None:
            self.before_recovery(site)

    def _is_sign_in_page(self, name: str, page: Page) -> bool:
        check = self.sign_in_checks.get(name)
        return bool(check and check(page))

    def set_timeout(self, seconds: float) -> None:
        self.default_timeout_ms = seconds * 1000
        for context in self._contexts.values():
            context.set_default_timeout(self.default_timeout_ms)

    def open_sites(self) -> Iterator[tuple[str, Site]]:
        yield from self._sites.items()

    def urls(self) -> dict[str, str]:
        return {name: site.page.url for name, site in self._sites.items()
                if not site.page.is_closed()}

    def close(self) -> None:
        for context in self._contexts.values():
            context.close()
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()
        self._contexts.clear()
        self._sites.clear()
        self._browser = self._playwright = None
