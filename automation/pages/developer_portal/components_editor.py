"""The form-based version builder: Edit Components, then Save Version.

Late-2026 wording (Quick Start Guide): Create Version > Edit Components > Data Connector >
User Level Authentication + Service Account Authentication > Permissions Builder > **Save** >
**Save Version**. The 2025 page says Add Components, Save Component, and **Create** for the
version: each is accepted.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from automation.pages.base import Site
from automation.pages.developer_portal.boxes import box_holding, heading, named
from automation.pages.developer_portal.errors import VersionRefused
from automation.pages.developer_portal.permission_builder import Permissions
from automation.pages.developer_portal.permissions_grid import PermissionsGrid
from automation.pages.recovery import click_and_await_navigation
from automation.pages.visible import field

__all__ = ["EditComponentsModal", "SaveVersionModal", "VersionBuilderPage"]

EDIT_COMPONENTS = re.compile(r"^(Edit|Add) Components$")  # late 2026 | 2025
SAVE_COMPONENTS = re.compile(r"^Save( Component)?$")  # late 2026 | 2025
SAVE_VERSION = re.compile(r"^(Save Version|Create)$")  # late 2026 | 2025
#: What the Save Version modal always shows, as opposed to what it says about a refusal.
_FURNITURE = re.compile(
    r"^(Save Version|Create|Create Version|Cancel|Close|×|Version Number.*|Use semantic.*)$"
)
#: How long Save Version waits for the app page before looking for a refusal instead.
_GRACE_MS = 5_000


class EditComponentsModal:
    """Data Connector components and, under Service Account Authentication, the grid."""

    def __init__(self, site: Site) -> None:
        page = site.page
        self.save_button = page.get_by_role("button", name=SAVE_COMPONENTS)
        self.root = box_holding(page, heading(page, EDIT_COMPONENTS), self.save_button)
        self.user_level = self.root.get_by_role("checkbox", name="User Level Authentication")
        self.service_account = self.root.get_by_role(
            "checkbox", name="Service Account Authentication"
        )
        self.cancel_button = self.root.get_by_role("button", name="Cancel", exact=True)

    def locators(self) -> dict[str, Locator]:
        """What the intents find on the open modal, by name (for the drift probe)."""
        return {"modal": self.root, "User Level Authentication": self.user_level,
                "Service Account Authentication": self.service_account,
                "Save": self.save_button, "Cancel": self.cancel_button}

    def use_service_account(self) -> PermissionsGrid:
        """Checks both components (Service Account Authentication comes "on top of User
        Level Authentication, never alone"); returns its permissions grid."""
        self.user_level.check()  # (waits for the modal to open)
        self.service_account.check()
        # The modal holds one grid (the shown level's table): no need to find a box in it.
        return PermissionsGrid(self.root)

    def save(self) -> None:
        self.root.get_by_role("button", name=SAVE_COMPONENTS).click()
        expect(self.user_level).to_be_hidden()

    def cancel(self) -> None:
        self.cancel_button.click()
        expect(self.user_level).to_be_hidden()


class SaveVersionModal:
    """Version Number (semantic), Cancel / Save Version."""

    def __init__(self, site: Site) -> None:
        self.site = site
        page = site.page
        self.version_number = field(page, re.compile(r"^\s*Version Number"))
        self.root = box_holding(
            page, self.version_number, page.get_by_role("button", name=SAVE_VERSION)
        )
        self.save_button = self.root.get_by_role("button", name=SAVE_VERSION)

    def save(self, version: str) -> None:
        """Saves; ends on the app page showing the new version. Refused: VersionRefused."""
        self.version_number.fill(version)
        saved = click_and_await_navigation(self.site.page, self.save_button, within_ms=_GRACE_MS)
        if saved is None and self.version_number.is_visible():
            # The modal stays open and says why under the field (no alert role: plain text).
            said = [
                line.strip()
                for line in self.root.inner_text().splitlines()
                if line.strip() and not _FURNITURE.match(line.strip())
            ]
            raise VersionRefused(" ".join(said) or "Save Version was refused")
        self.site.page.wait_for_load_state()


class VersionBuilderPage:
    """The screen Create Version opens: the new version's components, then Save Version."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.edit_components_button = named(site.page, EDIT_COMPONENTS)
        # The page's own button; the modal's one of the same name is hidden until it opens.
        self.save_version_button = site.page.get_by_role("button", name=SAVE_VERSION)

    def locators(self) -> dict[str, Locator]:
        """What the intents find on the builder page, by name (for the drift probe)."""
        return {"Edit Components": self.edit_components_button,
                "Save Version": self.save_version_button}

    def edit_components(self) -> EditComponentsModal:
        self.edit_components_button.click()
        return EditComponentsModal(self.site)

    def make(self, current: Permissions, wanted: Permissions, version: str) -> None:
        """A version with both Data Connector components and exactly ``wanted``; the grid
        opens on ``current``. Ends on the app page showing the version."""
        components = self.edit_components()
        components.use_service_account().apply(current, wanted)
        components.save()
        self.save_version_button.click()
        SaveVersionModal(self.site).save(version)
