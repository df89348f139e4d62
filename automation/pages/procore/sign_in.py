"""The Procore web app's sign-in: a signed-out visit goes through Procore's login and back."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page

from automation.pages.base import Site
from automation.pages.procore_login import Credentials, ProcoreLogin
from automation.secret import Secret

__all__ = ["ProcoreSignIn"]


class ProcoreSignIn:
    def __init__(self, site: Site) -> None:
        self.site = site
        # Every signed-in page of the web app has Sign Out in its top bar.
        self.signed_in = site.page.get_by_role("link", name="Sign Out", exact=True)

    #: A page of Procore's login (where the web app sends a signed-out browser).
    is_sign_in_page = staticmethod(ProcoreLogin.is_login_page)

    @classmethod
    def site_for(cls, page: Page, base_url: str, login: str, password: Secret) -> Site:
        """The web app as a :class:`Site` that signs in again whenever it is asked to."""

        def sign_in(site: Site) -> None:
            cls(site).sign_in(login, password)

        return Site(page, base_url, sign_in=sign_in, is_sign_in_page=cls.is_sign_in_page)

    def sign_in(
        self,
        login: str,
        password: Secret,
        *,
        totp_code: Callable[[], str] | None = None,
        company: str | None = None,
    ) -> None:
        """Signs in (picking ``company`` if the login asks); a no-op when signed in already."""
        page = self.site.page
        # On one of the web app's own pages, signed in: one query (a read of the page is
        # only needed to tell the login's screens apart).
        if page.url.startswith(self.site.base_url + "/") and self.signed_in.is_visible():
            return
        # A new browser page shows nothing to look at (about:blank is no sign-in page).
        if page.url == "about:blank" or not self.is_sign_in_page(page):
            # A new browser page (or another page): the web app sends a signed-out browser
            # to the login, a signed-in one to its start page (where the login returns at once).
            self.site.load(self.site.url())  # (reloads a 5xx)
        credentials = Credentials(login, password, totp_code, company)
        ProcoreLogin(page).log_in(credentials, signed_in=self.signed_in)
