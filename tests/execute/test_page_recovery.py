"""Page-level recovery repeats nothing beyond what the retry policy allows: a passing 5xx is
loaded again once, then raised typed; a failure on the sign-in page is a SessionExpired.
Real Chromium against the real mock portal."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from automation.errors import ServerError, SessionExpired, VersionRefused
from automation.mock_portal.faults import FaultRuntime, Faults, set_faults
from automation.mock_portal.server import MockPortal
from automation.pages.base import Site
from automation.pages.recovery import again_after_sign_in, attempt, follow
from automation.pages.sync_tool import SyncSignIn
from automation.retry import RELOADS_OF_A_SERVER_ERROR, RERUNS_PER_ATTEMPT

pytestmark = pytest.mark.browser


@pytest.fixture
def no_faults_after(portal: MockPortal) -> Iterator[None]:
    yield
    set_faults(portal.app, Faults())


def requests(portal: MockPortal) -> int:
    runtime: FaultRuntime = portal.app.config["PORTAL_FAULT_RUNTIME"]
    return runtime.requests


def sync_site(page: Page, portal: MockPortal) -> Site:
    return Site(page, portal.target().url("sync_tool"),
                is_sign_in_page=SyncSignIn.is_sign_in_page)


@pytest.mark.usefixtures("no_faults_after")
class TestServerErrorsBounded:
    """A GET that keeps answering 5xx is loaded 1 + RELOADS_OF_A_SERVER_ERROR times, then
    raises ServerError at once (no wait runs out)."""

    def test_load_gives_up_after_one_reload(self, page: Page, portal: MockPortal) -> None:
        site = sync_site(page, portal)
        set_faults(portal.app, Faults(error_rate=1.0))
        with pytest.raises(ServerError, match=r"answered 50\d"):
            site.load(site.url())
        assert requests(portal) == 1 + RELOADS_OF_A_SERVER_ERROR

    def test_follow_gives_up_after_one_reload(self, page: Page, portal: MockPortal) -> None:
        site = sync_site(page, portal)
        site.load(site.url())  # the sign-in page, unfaulted
        page.set_content(f'<a href="{site.url()}">Sync tool</a>')
        set_faults(portal.app, Faults(error_rate=1.0))
        with pytest.raises(ServerError):
            follow(page, page.get_by_role("link", name="Sync tool"))
        assert requests(portal) == 1 + RELOADS_OF_A_SERVER_ERROR


class TestIntentFailuresTyped:
    """again_after_sign_in re-runs an intent only as the attempt allows, then names what the
    page shows; anything else passes untouched."""

    def test_sign_in_page_means_session_expired(self, page: Page, portal: MockPortal) -> None:
        signed_in: list[int] = []
        site = Site(page, portal.target().url("sync_tool"),
                    sign_in=lambda _site: signed_in.append(1),
                    is_sign_in_page=SyncSignIn.is_sign_in_page)
        site.load(site.url())  # signed out: the tool shows its sign-in form
        runs: list[int] = []

        def intent() -> None:
            runs.append(1)
            expect(page.get_by_role("link", name="New Connection")).to_be_visible(timeout=200)

        for reruns in (0, 1):
            runs.clear()
            with attempt(reruns), pytest.raises(SessionExpired) as raised:
                again_after_sign_in(site, intent)
                again_after_sign_in(site, intent)  # never reached: the first ends the attempt
            assert len(runs) == 1 + reruns
            assert isinstance(raised.value.__cause__, AssertionError)
        runs.clear()
        with pytest.raises(SessionExpired):  # outside a run: the allowance is the intent's
            again_after_sign_in(site, intent)
        assert len(runs) == 1 + RERUNS_PER_ATTEMPT
        assert len(signed_in) == 1 + RERUNS_PER_ATTEMPT  # once before each re-run

    def test_refusal_passes_untouched(self, page: Page, portal: MockPortal) -> None:
        site = sync_site(page, portal)
        site.load(site.url())

        def intent() -> None:
            raise VersionRefused("Version must be greater than 1.1.0 (session)")

        with pytest.raises(VersionRefused):
            again_after_sign_in(site, intent)

    def test_other_failures_pass_untouched(self, page: Page, portal: MockPortal) -> None:
        site = sync_site(page, portal)
        page.set_content("<h1>Somewhere else</h1>")

        def intent() -> None:
            expect(page.get_by_role("heading", name=re.compile("Dashboard"))).to_be_visible(
                timeout=200)

        with pytest.raises(AssertionError):
            again_after_sign_in(site, intent)
