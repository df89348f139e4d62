"""Install App > Install Custom App: the App Version ID dialog and the confirm dialog."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from automation.errors import StepError
from automation.pages.procore.errors import InstallRefused
from automation.pages.visible import action, field, holding

__all__ = ["ConfirmInstallDialog", "InstallCustomAppDialog", "InstallRefused"]


_ALREADY = re.compile(r"^(?P<app>.+?) is already installed in ")


class InstallCustomAppDialog:
    def __init__(self, page: Page) -> None:
        self.page = page
        # The modal: the block holding its heading and its Install button (procore-portal.md,
        # web app 2).
        self.dialog = holding(
            page,
            page.get_by_role("heading", name="Install Custom App", exact=True),
            action(page, "Install"),
        )
        # Its caption reads "App Version ID *" (a required field).
        self.app_version_id = field(self.dialog, re.compile(r"^\s*App Version ID"))
        self.install = action(self.dialog, "Install")
        self.error = self.dialog.get_by_role("alert")
        self.close = action(self.dialog, "Cancel")
        # App Management's "Install App ▾" menu (not its "Install App from Marketplace" entry).
        self.install_app_menu = action(page, re.compile(r"^\s*Install App\b(?! from)"))
        self.install_custom_app = action(page, "Install Custom App")

    def locators(self) -> dict[str, Locator]:
        """What the intents find on the open dialog, by name (for the drift probe)."""
        return {"dialog": self.dialog, "App Version ID": self.app_version_id,
                "Install": self.install, "Cancel": self.close}

    def open(self) -> None:
        """Install App ▾ > Install Custom App (the next fill waits for the dialog)."""
        self.install_app_menu.click()
        self.install_custom_app.click()

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
        self.dialog = holding(
            page,
            page.get_by_role("heading", name="Confirm App Installation", exact=True),
            action(page, "Install"),
        )
        self.install = action(self.dialog, "Install")

    def app_name(self) -> str:
        text = self.dialog.inner_text()
        found = re.search(r"You are about to install (.+?) \(", text)
        if not found:
            raise StepError("the confirm dialog does not name the app", url=self.page.url)
        return found.group(1)

    def confirm(self) -> None:
        """Installs. The caller waits for what follows (the dialog closes as it shows)."""
        self.install.click()
