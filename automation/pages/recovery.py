"""Runs an intent again when the site dropped the session or answered a server error.

An expired session sends a click (not only a ``Site.goto``) to the sign-in page, and a passing
5xx replaces the page with an error; the intent then fails on a locator that is not there.
Intents look at the current state first, so the cure is to sign in if asked and run the same
intent again from the start. Other failures are re-raised untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automation.errors import StepError
from automation.pages.base import Site

__all__ = ["again_after_sign_in", "click_and_await_navigation", "follow", "settle"]

T = TypeVar("T")
ATTEMPTS = 3

#: The HTTP status of the page now shown (Chromium's Navigation Timing), None if unknown.
_STATUS_JS = "() => performance.getEntriesByType('navigation')[0]?.responseStatus ?? null"


def _server_error_shown(site: Site) -> bool:
    try:
        status = site.page.evaluate(_STATUS_JS)
    except PlaywrightError:
        return False
    return isinstance(status, int) and status >= 500


def settle(page: Page) -> None:
    """After a navigation: reloads a page that came back as a passing server error (GETs only)."""
    for _attempt in range(3):
        try:
            status = page.evaluate(_STATUS_JS)
        except PlaywrightError:
            return
        if not (isinstance(status, int) and status >= 500):
            return
        page.reload()


def follow(page: Page, link: Locator) -> None:
    """Clicks something that loads a new page, waits for it, reloads a passing 5xx (GET)."""
    with page.expect_navigation() as navigation:
        link.click()
    response = navigation.value
    if response is not None and response.status >= 500 and response.request.method == "GET":
        settle(page)


def click_and_await_navigation(page: Page, target: Locator, *, within_ms: float) -> bool:
    """Clicks something that usually loads a new page but may answer in place (a refusal).

    True once the new page has loaded. False when no navigation began within ``within_ms``:
    the caller then looks at what the page shows. Waiting for the navigation event instead of
    polling for the new page's content saves up to one polling interval, which grows with a
    slow server (Playwright's ``expect`` looks again after 20, 50, 100, 100 then 500 ms).
    """
    clicked = False
    try:
        with page.expect_navigation(timeout=within_ms):
            target.click()
            clicked = True
    except PlaywrightTimeoutError:
        if not clicked:
            raise  # the click itself timed out: not ours to hide
        return False
    return True


def _session_was_lost(site: Site) -> bool:
    if site.sign_in is None:
        return False
    if not site.on_sign_in_page():
        site.page.goto(site.url())
        if not site.on_sign_in_page():
            return False
    site.sign_in(site)
    return True


def again_after_sign_in(site: Site, intent: Callable[[], T]) -> T:
    """``intent()``, run again (up to 3 times in all) after a lost session or a server error."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return intent()
        except (AssertionError, PlaywrightError, StepError) as failure:
            if site.before_recovery is not None:
                site.before_recovery(site)
            refused = isinstance(failure, StepError) and "session" not in failure.reason.lower()
            if refused or attempt == ATTEMPTS:
                raise
            if not _server_error_shown(site) and not _session_was_lost(site):
                raise
    raise AssertionError("unreachable")
