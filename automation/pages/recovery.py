"""Recovery inside one attempt of a step, bounded by :mod:`automation.retry`.

An expired session sends a click (not only a ``Site.goto``) to the sign-in page, and a passing
5xx replaces the page with an error; the intent then fails on a locator that is not there.
:func:`again_after_sign_in` names that failure by type (:class:`SessionExpired`,
:class:`ServerError`), signs in if asked and runs the intent again, which is safe because
intents look at the current state first. Such re-runs are counted per attempt: the executor
opens each attempt with :func:`attempt` and ``RERUNS_PER_ATTEMPT`` (2) re-runs, shared by the
attempt's intents; a page object used outside a run gets that many per intent. When none is
left the typed error ends the attempt, and the executor decides whether another comes.
A passing 5xx on a GET navigation is loaded again ``RELOADS_OF_A_SERVER_ERROR`` (2) times at
most, at once: an error page costs no wait.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automation.errors import PortalRefused, ServerError, SessionExpired, StepError
from automation.pages.base import Site
from automation.retry import RELOADS_OF_A_SERVER_ERROR, RERUNS_PER_ATTEMPT

__all__ = ["again_after_sign_in", "attempt", "click_and_await_navigation", "follow", "settle"]

T = TypeVar("T")

#: The HTTP status of the page now shown (Chromium's Navigation Timing), None if unknown.
_STATUS_JS = "() => performance.getEntriesByType('navigation')[0]?.responseStatus ?? null"


def _status_shown(page: Page) -> int | None:
    try:
        status = page.evaluate(_STATUS_JS)
    except PlaywrightError:
        return None
    return status if isinstance(status, int) else None


def _server_error(page: Page, status: int) -> ServerError:
    return ServerError(f"the page answered {status} (a server error)", url=page.url)


def settle(page: Page) -> bool:
    """After a navigation: reloads a page that came back as a passing server error (GETs only),
    ``RELOADS_OF_A_SERVER_ERROR`` times at most; :class:`ServerError` if it stays one.
    True when it reloaded (the page now shown is another)."""
    for reload in range(1 + RELOADS_OF_A_SERVER_ERROR):
        status = _status_shown(page)
        if status is None or status < 500:
            return reload > 0
        if reload == RELOADS_OF_A_SERVER_ERROR:
            raise _server_error(page, status)
        page.reload()
    return True


def follow(page: Page, link: Locator) -> None:
    """Clicks something that loads a new page and waits for it.

    A 5xx answer to a GET is loaded again (:func:`settle`); one to a POST is not sent
    again here: :class:`ServerError` at once, and the next attempt looks first.
    """
    with page.expect_navigation() as navigation:
        link.click()
    response = navigation.value
    if response is None or response.status < 500:
        return
    if response.request.method != "GET":
        raise _server_error(page, response.status)
    settle(page)


def click_and_await_navigation(page: Page, target: Locator, *, within_ms: float) -> int | None:
    """Clicks something that usually loads a new page but may answer in place (a refusal).

    The HTTP status of the new page once it has loaded (0 when unknown), which spares the
    caller a look at it; None when no navigation began within ``within_ms``: the caller then
    looks at what the page shows. Waiting for the navigation event instead of polling for the
    new page's content saves up to one polling interval, which grows with a slow server
    (Playwright's ``expect`` looks again after 20, 50, 100, 100 then 500 ms).
    """
    clicked = False
    try:
        with page.expect_navigation(timeout=within_ms) as navigation:
            target.click()
            clicked = True
    except PlaywrightTimeoutError:
        if not clicked:
            raise  # the click itself timed out: not ours to hide
        return None
    response = navigation.value
    return response.status if response is not None else 0


#: The re-runs left in the current attempt (a one-item list, shared by its intents); None
#: outside an attempt.
_reruns_left: ContextVar[list[int] | None] = ContextVar("reruns_left", default=None)


@contextmanager
def attempt(reruns: int = RERUNS_PER_ATTEMPT) -> Iterator[None]:
    """One attempt of a step: its intents share ``reruns`` re-runs."""
    token = _reruns_left.set([reruns])
    try:
        yield
    finally:
        _reruns_left.reset(token)


def _what_the_page_shows(site: Site) -> StepError | None:
    """A lost session or a server error shown by the page now, as the error to raise."""
    if site.on_sign_in_page():
        return SessionExpired("the site asked to sign in again in the middle of the step",
                              url=site.page.url)
    status = _status_shown(site.page)
    if status is not None and status >= 500:
        return _server_error(site.page, status)
    return None


def _transient(site: Site, failure: BaseException) -> StepError | None:
    """``failure`` as a lost session or a server error, None if it is neither."""
    if isinstance(failure, PortalRefused):
        return None
    if isinstance(failure, SessionExpired | ServerError):
        return failure
    typed = _what_the_page_shows(site)
    if typed is not None:
        typed.__cause__ = failure
    return typed


def again_after_sign_in(site: Site, intent: Callable[[], T]) -> T:
    """``intent()``; after a lost session or a server error, signs in if asked and runs it
    again, if the attempt has a re-run left; else raises :class:`SessionExpired` or
    :class:`ServerError`. Any other failure is raised untouched."""
    left = _reruns_left.get() or [RERUNS_PER_ATTEMPT]  # outside a run: per intent
    while True:
        try:
            return intent()
        except (AssertionError, PlaywrightError, StepError) as failure:
            if site.before_recovery is not None:
                site.before_recovery(site)
            typed = _transient(site, failure)
            if typed is None:
                raise
            if left[0] <= 0:
                if typed is failure:
                    raise
                raise typed from failure
            left[0] -= 1
        if site.sign_in is not None and site.on_sign_in_page():
            site.sign_in(site)
