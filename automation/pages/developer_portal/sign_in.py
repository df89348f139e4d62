"""Developer Portal sign-in: email and password, then a one-time code when the account asks."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from automation.pages.base import Site
from automation.pages.developer_portal.errors import SecondFactorRequired, SignInRefused
from automation.pages.recovery import follow, settle
from automation.secret import Secret

__all__ = ["SignInPage", "developer_portal_site"]

#: Where a signed-in developer lands; a signed-out visit goes to Sign In and back here.
MY_APPS_PATH = "apps"


class SignInPage:
    """The Sign In page and its second step (Verification Code)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        page = site.page
        self.email = page.get_by_label("Email", exact=True)
        self.password = page.get_by_label("Password", exact=True)
        self.sign_in_button = page.get_by_role("button", name="Sign In", exact=True)
        self.code = page.get_by_label("Verification Code")
        self.verify_button = page.get_by_role("button", name="Verify", exact=True)
        self.refusal = page.get_by_role("alert").first
        # Every signed-in page offers Sign Out; sign-in may return to any page (``?next=``).
        self.signed_in = page.get_by_role("button", name="Sign Out", exact=True)

    @staticmethod
    def is_sign_in_page(page: Page) -> bool:
        """True when the page asks for a password or a code (checked at once, no waiting)."""
        password_step = page.get_by_role("button", name="Sign In", exact=True)
        code_step = page.get_by_role("button", name="Verify", exact=True)
        return password_step.or_(code_step).count() > 0

    def sign_in(
        self, email: str, password: Secret, totp_code: Callable[[], str] | None = None
    ) -> None:
        """Signs in and ends signed in (on My Apps, or the page that asked); no-op if signed in.

        Tried up to three times when a page of the way comes back as a server error or the
        portal forgets the session at once; a refusal is raised at once.
        """
        for attempt in (1, 2, 3):
            try:
                self._sign_in(email, password, totp_code)
                return
            except (AssertionError, PlaywrightError):
                if attempt == 3:
                    raise
                settle(self.site.page)

    def _sign_in(self, email: str, password: Secret, totp_code: Callable[[], str] | None) -> None:
        page = self.site.page
        # A new browser page shows nothing to look at: straight to the portal, which asks to
        # sign in or, signed in already, shows My Apps.
        fresh = page.url == "about:blank"
        if fresh or not (self.is_sign_in_page(page) or self.signed_in.is_visible()):
            self.site.load(self.site.url(MY_APPS_PATH))  # (reloads a 5xx)
        if self.sign_in_button.is_visible():
            self.email.fill(email)
            self.password.fill(password.reveal())
            follow(page, self.sign_in_button)  # a server error on the way is reloaded at once
            expect(self.signed_in.or_(self.code).or_(self.refusal)).to_be_visible()
            if self.signed_in.is_visible():
                return  # follow() waited for the page's load: its scripts have run
            self._refused()
        if self.code.is_visible():
            if totp_code is None:
                raise SecondFactorRequired(
                    f"{email} must give a one-time code and no TOTP source was given"
                )
            self.code.fill(totp_code())
            follow(page, self.verify_button)
            expect(self.signed_in.or_(self.refusal)).to_be_visible()
            self._refused()
        expect(self.signed_in).to_be_visible()
        # The page is shown before its scripts run: later clicks need them.
        page.wait_for_load_state()

    def _refused(self) -> None:
        if self.refusal.is_visible():
            raise SignInRefused(self.refusal.inner_text().strip())


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
