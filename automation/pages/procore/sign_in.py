"""Procore's sign-in page (Email, Password, Log In)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from automation.pages.base import Site
from automation.secret import Secret

__all__ = ["ProcoreSignIn", "procore_site"]


class ProcoreSignIn:
    def __init__(self, site: Site) -> None:
        self.site = site
        page = site.page
        self.email = page.get_by_label("Email", exact=True)
        self.password = page.get_by_label("Password", exact=True)
        self.log_in = page.get_by_role("button", name="Log In", exact=True)

    @staticmethod
    def is_sign_in_page(page: Page) -> bool:
        """True when the page asks for a password (checked at once, without waiting)."""
        return page.get_by_role("button", name="Log In", exact=True).count() > 0

    def sign_in(self, login: str, password: Secret) -> None:
        """Signs in; a no-op when the session is already signed in."""
        page = self.site.page
        if not self.is_sign_in_page(page):
            if page.url.startswith(self.site.base_url + "/"):
                return  # on one of the site's own pages, not asked to sign in: signed in
            page.goto(self.site.url())
            if not self.is_sign_in_page(page):
                return
        self.email.fill(login)
        self.password.fill(password.reveal())
        self.log_in.click()
        expect(self.log_in).to_have_count(0)


def procore_site(page: Page, base_url: str, login: str, password: Secret) -> Site:
    """The Procore web app as a :class:`Site` that signs in again whenever it is asked to."""

    def sign_in(site: Site) -> None:
        ProcoreSignIn(site).sign_in(login, password)

    return Site(page, base_url, sign_in=sign_in, is_sign_in_page=ProcoreSignIn.is_sign_in_page)
