"""A sign-in form of Email, Password and one button, on the site's own page: the sync tool's.

(A third-party tool keeps its own sign-in. Procore's sites lead to Procore's login instead:
:mod:`automation.pages.procore_login`.)
"""

from __future__ import annotations

from typing import ClassVar

from playwright.sync_api import Page, expect

from automation.pages.base import Site
from automation.pages.visible import field
from automation.secret import Secret

__all__ = ["PasswordSignIn"]


class PasswordSignIn:
    #: The name of the form's button, which differs from site to site.
    BUTTON: ClassVar[str]

    def __init__(self, site: Site) -> None:
        self.site = site
        page = site.page
        # Fields by their captions (a label, or the words above the box).
        self.email = field(page, "Email")
        self.password = field(page, "Password", kind="password")
        self.button = page.get_by_role("button", name=self.BUTTON, exact=True)

    @classmethod
    def site_for(cls, page: Page, base_url: str, login: str, password: Secret) -> Site:
        """The site as a :class:`Site` that signs in again whenever it is asked to."""

        def sign_in(site: Site) -> None:
            cls(site).sign_in(login, password)

        return Site(page, base_url, sign_in=sign_in, is_sign_in_page=cls.is_sign_in_page)

    @classmethod
    def is_sign_in_page(cls, page: Page) -> bool:
        """True when the page asks for a password (checked at once, without waiting)."""
        return page.get_by_role("button", name=cls.BUTTON, exact=True).count() > 0

    def sign_in(self, login: str, password: Secret) -> None:
        """Signs in; a no-op when the session is already signed in."""
        page = self.site.page
        # A new browser page shows nothing to look at: straight to the site, which asks to
        # sign in or, signed in already, shows its start page.
        if page.url == "about:blank" or not self.is_sign_in_page(page):
            if page.url.startswith(self.site.base_url + "/"):
                return  # on one of the site's own pages, not asked to sign in: signed in
            self.site.load(self.site.url())  # (reloads a 5xx)
            if not self.is_sign_in_page(page):
                return
        self.email.fill(login)
        self.password.fill(password.reveal())
        self.button.click()
        expect(self.button).to_have_count(0)
