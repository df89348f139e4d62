"""Install App > Install Custom App: the App Version ID dialog and the confirm dialog."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from automation.errors import StepError
from automation.pages.procore.errors import InstallRefused

__all__ = ["ConfirmInstallDialog", "InstallCustomAppDialog", "InstallRefused"]


_ALREADY = re.compile(r"^(?P<app>.+?) is already installed in ")


class InstallCustomAppDialog:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialog = page.get_by_role("dialog", name="Install Custom App")
        self.app_version_id = self.dialog.get_by_label("App Version ID")
        self.install = self.dialog.get_by_role("button", name="Install", exact=True)
        self.error = self.dialog.get_by_role("alert")
        self.close = self.dialog.get_by_role("button", name="Cancel")

    def open(self) -> None:
        self.page.get_by_role("button", name="Install App").click()
        self.page.get_by_role("menuitem", name="Install Custom App").click()
        expect(self.dialog).to_be_visible()

    def submit(self, app_version_id: str) -> ConfirmInstallDialog:
        """Enters the ID and presses Install; :class:`InstallRefused` with Procore's message."""
        confirm = ConfirmInstallDialog(self.page)
        self.app_version_id.fill(app_version_id)
        self.install.click()
        expect(confirm.dialog.or_(self.error)).to_be_visible()
        if self.error.is_visible():
            raise InstallRefused(self.error.inner_text().strip(), url=self.page.url)
        return confirm

    @staticmethod
    def already_installed_app(message: str) -> str | None:
        """The app's name when Procore says it is already installed."""
        found = _ALREADY.match(message)
        return found.group("app") if found else None


class ConfirmInstallDialog:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialog = page.get_by_role("dialog", name="Confirm App Installation")
        self.install = self.dialog.get_by_role("button", name="Install", exact=True)

    def app_name(self) -> str:
        text = self.dialog.inner_text()
        found = re.search(r"You are about to install (.+?) \(", text)
        if not found:
            raise StepError("the confirm dialog does not name the app", url=self.page.url)
        return found.group(1)

    def confirm(self) -> None:
        self.install.click()
        expect(self.dialog).to_be_hidden()
