"""Company Admin > Company Settings > App Management (Installed Apps | Uninstalled Apps)."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Locator, expect

from automation.pages.procore.add_permitted_projects_dialog import (
    AddPermittedProjectsDialog,
    AppSetupDialog,
    Projects,
)
from automation.pages.procore.company_picker import OpenCompany
from automation.pages.procore.install_custom_app_dialog import (
    InstallCustomAppDialog,
    InstallRefused,
)
from automation.pages.recovery import follow
from automation.pages.visible import action, holding, tab

__all__ = ["AppManagement", "InstallOutcome"]


@dataclass(frozen=True)
class InstallOutcome:
    app_name: str
    installed_now: bool  # False: it was already installed and is reused


class AppManagement:
    def __init__(self, company: OpenCompany) -> None:
        self.company = company
        self.page = company.site.page
        self.heading = self.page.get_by_role("heading", name="App Management", exact=True)
        # The app this object confirmed the installation of: an attempt cut short after the
        # confirmation is repeated, and then finds the app installed by itself.
        self._confirmed: str | None = None

    def locators(self) -> dict[str, Locator]:
        """What the intents find on App Management, by name (for the drift probe)."""
        return {"heading": self.heading,
                "Install App": InstallCustomAppDialog(self.page).install_app_menu}

    def open(self) -> None:
        self.company.open_tool("Admin")
        # Company Settings, the Admin tool's side menu.
        settings = holding(
            self.page,
            self.page.get_by_text("Company Settings", exact=True),
            action(self.page, "App Management"),
        )
        follow(self.page, action(settings, "App Management"))
        expect(self.heading).to_be_visible()

    def row(self, app_name: str) -> Locator:
        """The apps list's row holding the app's name (update-available-badge.png)."""
        return self.page.get_by_role("row").filter(
            has=self.page.get_by_text(app_name, exact=True)
        )

    def is_installed(self, app_name: str) -> bool:
        """On the Installed Apps tab (where :meth:`open` ends): the list is server-drawn."""
        return self.row(app_name).count() > 0

    def update_available(self, app_name: str) -> bool:
        return self.row(app_name).get_by_text("Update Available").count() > 0

    def install_custom_app(
        self,
        app_version_id: str,
        *,
        app_name: str | None = None,
        permitted_projects: Projects | None = None,
    ) -> InstallOutcome:
        """Installs the version, or reuses the installed app (never a second installation).

        ``permitted_projects`` are added in the dialog that follows the install; without it
        that dialog is skipped (see :class:`AppPermissions` to permit later).
        """
        self.open()
        if app_name and self.is_installed(app_name):
            return InstallOutcome(app_name, installed_now=self._confirmed == app_name)
        dialog = InstallCustomAppDialog(self.page)
        dialog.open()
        try:
            confirm = dialog.submit(app_version_id)
        except InstallRefused as refused:
            name = dialog.already_installed_app(refused.reason)
            if name is None:
                raise
            dialog.close.click()
            return InstallOutcome(name, installed_now=self._confirmed == name)
        name = confirm.app_name()
        self._confirmed = name
        confirm.confirm()
        setup, permit = AppSetupDialog(self.page), AddPermittedProjectsDialog(self.page)
        expect(setup.dialog.or_(permit.dialog)).to_be_visible()
        if setup.dialog.is_visible():  # optional: only some apps have a setup step
            setup.skip()
            permit.wait()
        if permitted_projects:
            permit.add(permitted_projects)
        else:
            permit.skip()
        expect(self.row(name)).to_be_visible()
        return InstallOutcome(name, installed_now=True)

    def view(self, app_name: str) -> None:
        self.open()
        follow(self.page, action(self.row(app_name), "View"))
        expect(tab(self.page, "Permissions")).to_be_visible()
