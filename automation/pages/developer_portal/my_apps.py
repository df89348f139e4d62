"""My Apps: the developer's apps, and "Create a New App"."""

from __future__ import annotations

from playwright.sync_api import Locator, expect

from automation.pages.base import Site
from automation.pages.developer_portal.sign_in import MY_APPS_PATH

__all__ = ["CreateAppDialog", "MyAppsPage"]


class CreateAppDialog:
    """The "Create New App" dialog (App Name, Cancel / Create)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.root = site.page.get_by_role("dialog", name="Create New App")
        self.app_name = self.root.get_by_label("App Name")
        self.create_button = self.root.get_by_role("button", name="Create", exact=True)

    def create(self, name: str) -> None:
        """Creates the app; ends on the new app's page."""
        expect(self.root).to_be_visible()
        self.app_name.fill(name)
        self.create_button.click()
        expect(self.site.page.get_by_role("heading", name=name, exact=True)).to_be_visible()
        self.site.page.wait_for_load_state()  # its dialogs need the page's scripts


class MyAppsPage:
    def __init__(self, site: Site) -> None:
        self.site = site
        page = site.page
        self.heading = page.get_by_role("heading", name="My Apps", exact=True)
        self.create_new_app = page.get_by_role("button", name="Create a New App")

    def open(self) -> MyAppsPage:
        if not self.heading.is_visible():
            self.site.goto(MY_APPS_PATH)
        expect(self.heading).to_be_visible()
        self.site.page.wait_for_load_state()
        return self

    def app_names(self) -> list[str]:
        self.open()
        return [name.strip() for name in self._app_links().all_inner_texts()]

    def open_app(self, name: str) -> str | None:
        """Opens the app named ``name`` (the first, if several share it); None if none does."""
        self.open()
        link = self.site.page.get_by_role("main").get_by_role("link", name=name, exact=True).first
        if link.count() == 0:
            return None
        link.click()
        expect(self.site.page.get_by_role("heading", name=name, exact=True)).to_be_visible()
        self.site.page.wait_for_load_state()
        return self.app_ref()

    def create_app(self, name: str) -> str:
        """Creates an app named ``name`` even if one exists; returns its reference."""
        self.open()
        self.create_new_app.click()
        CreateAppDialog(self.site).create(name)
        return self.app_ref()

    def open_or_create_app(self, name: str) -> str:
        """The app named ``name``, created when there is none: no duplicate on a re-run.

        Returns the app's reference: its page address relative to the portal's base URL,
        which :meth:`AppPage.open <automation.pages.developer_portal.AppPage.open>` takes.
        """
        return self.open_app(name) or self.create_app(name)

    def app_ref(self) -> str:
        url = self.site.page.url.split("#")[0].split("?")[0]
        base = self.site.base_url + "/"
        return url[len(base) :] if url.startswith(base) else url

    def _app_links(self) -> Locator:
        return self.site.page.get_by_role("main").get_by_role("table").get_by_role("link")
