"""An installed app's update: App Management > View > Update App > Review Update > Update.

Procore's "Update an Installed App": the apps list marks the row "Update Available"
(update-available-badge.png); on the App Info screen the button reads **Update App** in the
current article and **Update Available** in an earlier one (its translations still say so);
the window that follows is called "Review Update" and, two lines later, "Review Changes"; its
**Update** finishes. Both wordings are accepted for each.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import expect

from automation.errors import StepError
from automation.pages.procore.app_management import AppManagement
from automation.pages.procore.company_picker import OpenCompany
from automation.pages.recovery import follow
from automation.pages.visible import action, holding, words

__all__ = ["AppUpdate", "UpdateOutcome"]

UPDATE_BUTTON = words("Update App", "Update Available")
REVIEW_HEADING = words("Review Update", "Review Changes")


@dataclass(frozen=True)
class UpdateOutcome:
    updated_now: bool
    #: The version the App Info screen shows once the update is done (or was not needed).
    version: str


class AppUpdate:
    def __init__(self, company: OpenCompany) -> None:
        self.company = company
        self.page = company.site.page
        page = self.page
        self.update_button = action(page, UPDATE_BUTTON)
        self.review = holding(
            page, page.get_by_role("heading", name=REVIEW_HEADING), action(page, "Update")
        )
        # App Info's details: the value right after the "Version" caption (inferred: Procore
        # does not publish that screen's details).
        self.version = page.get_by_text("Version", exact=True).locator(
            "xpath=following-sibling::*[1]"
        )

    def waiting(self, app_name: str) -> str | None:
        """Looks only: None when no update waits, else the installed version."""
        screen = self._installed(app_name)
        if not screen.update_available(app_name):
            return None
        screen.view(app_name)
        return self._shown_version()

    def update(self, app_name: str) -> UpdateOutcome:
        """Updates the app to the newest promoted version; nothing when none is waiting."""
        screen = self._installed(app_name)
        if not screen.update_available(app_name):  # look first
            screen.view(app_name)
            return UpdateOutcome(updated_now=False, version=self._shown_version())
        screen.view(app_name)
        self.update_button.click()
        expect(self.review).to_be_visible()
        follow(self.page, action(self.review, "Update"))
        expect(self.update_button).to_have_count(0)
        return UpdateOutcome(updated_now=True, version=self._shown_version())

    def _installed(self, app_name: str) -> AppManagement:
        """App Management, open on Installed Apps, where the app must be listed."""
        screen = AppManagement(self.company)
        screen.open()
        if not screen.is_installed(app_name):
            raise StepError(
                f"'{app_name}' is not installed in this company, so there is nothing to update: "
                "install it first (procore/company-install.yaml), or give app_version_id",
                url=self.page.url,
            )
        return screen

    def _shown_version(self) -> str:
        return self.version.first.inner_text().strip()
