"""The sync tool's Sign In page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from automation.pages.base import Site
from automation.secret import Secret

__all__ = ["SyncSignIn", "sync_tool_site"]


class SyncSignIn:
    def __init__(self, site: Site) -> None:
        self.site = site
        page = site.page
        self.email = page.get_by_label("Email", exact=True)
        self.password = page.get_by_label("Password", exact=True)
        self.submit = page.get_by_role("button", name="Sign In", exact=True)

    @staticmethod
    def is_sign_in_page(page: Page) -> bool:
        return page.get_by_role("button", name="Sign In", exact=True).count() > 0

    def sign_in(self, login: str, password: Secret) -> None:
        """Signs in; a no-op when already signed in."""
        page = self.site.page
        if not self.is_sign_in_page(page):
            if page.url.startswith(self.site.base_url + "/"):
                return  # on one of the site's own pages, not asked to sign in: signed in
            page.goto(self.site.url())
            if not self.is_sign_in_page(page):
                return
        self.email.fill(login)
        self.password.fill(password.reveal())
        self.submit.click()
        expect(self.submit).to_have_count(0)


def sync_tool_site(page: Page, base_url: str, login: str, password: Secret) -> Site:
    def sign_in(site: Site) -> None:
        SyncSignIn(site).sign_in(login, password)

    return Site(page, base_url, sign_in=sign_in, is_sign_in_page=SyncSignIn.is_sign_in_page)
