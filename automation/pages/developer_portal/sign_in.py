"""Developer Portal sign-in: **Sign In** leads to Procore's login, which comes back signed in."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from automation.errors import ServerError
from automation.pages.base import Site
from automation.pages.procore_login import Credentials, ProcoreLogin
from automation.secret import Secret

__all__ = ["SignInPage", "developer_portal_site"]

#: Where a signed-in developer lands; a signed-out visit goes to Sign In and back here.
MY_APPS_PATH = "apps"


class SignInPage:
    """The way in: the portal sends a signed-out visit through Procore's login."""

    def __init__(self, site: Site) -> None:
        self.site = site
        # Every signed-in page offers Sign Out; sign-in may return to any page (``?next=``).
        self.signed_in = site.page.get_by_role("button", name="Sign Out", exact=True)

    #: A page of Procore's login (where the portal's Sign In leads).
    is_sign_in_page = staticmethod(ProcoreLogin.is_login_page)

    def sign_in(
        self, email: str, password: Secret, totp_code: Callable[[], str] | None = None
    ) -> None:
        """Signs in and ends signed in (on My Apps, or the page that asked); no-op if signed in.

        Tried up to three times when a page of the way comes back as a server error or the
        portal forgets the session at once; a refusal is raised at once.
        """
        for attempt in (1, 2, 3):
            try:
                self._sign_in(Credentials(email, password, totp_code))
                return
            except (AssertionError, PlaywrightError, ServerError):
                if attempt == 3:
                    raise
                # Next attempt: a page that is neither the login nor signed in is loaded anew.

    def _sign_in(self, credentials: Credentials) -> None:
        page = self.site.page
        # A new browser page shows nothing to look at: straight to the portal, which sends a
        # signed-out browser to the login or, signed in already, shows My Apps.
        fresh = page.url == "about:blank"
        if fresh or not (self.is_sign_in_page(page) or self.signed_in.is_visible()):
            self.site.load(self.site.url(MY_APPS_PATH))  # (reloads a 5xx)
        # Returns at once, signed in, when the portal showed My Apps.
        ProcoreLogin(page).log_in(credentials, signed_in=self.signed_in)
        # The page is shown before its scripts run: later clicks need them.
        page.wait_for_load_state()


def developer_portal_site(
    page: Page,
    base_url: str,
    email: str,
    password: Secret,
    totp_code: Callable[[], str] | None = None,
) -> Site:
    """The Developer Portal as a :class:`Site` that signs in again whenever it is asked to."""

    def sign_in(site: Site) -> None:
        SignInPage(site).sign_in(email, password, totp_code)

    return Site(page, base_url, sign_in=sign_in, is_sign_in_page=SignInPage.is_sign_in_page)
