"""Promote: "Promote Manifest?" (classic) or "Promote Version" (form based), release notes,
then Promote."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from automation.pages.base import Site
from automation.pages.developer_portal.boxes import box_holding, heading
from automation.pages.developer_portal.errors import PromotionRefused
from automation.pages.developer_portal.production_credentials_dialog import (
    ProductionCredentialsDialog,
)
from automation.pages.visible import field

__all__ = ["PromoteDialog"]

#: The required field's caption ("Release Notes *").
_RELEASE_NOTES = re.compile(r"^\s*Release Notes\s*\*?\s*$")


class PromoteDialog:
    def __init__(
        self, site: Site, *, credentials: ProductionCredentialsDialog | None = None
    ) -> None:
        self.site = site
        page = site.page
        notes = page.get_by_text(_RELEASE_NOTES)
        # The classic portal's is a dialog element, the form-based one's a plain container
        # with a heading (Procore's design system): found by heading and field alike.
        title = heading(page, re.compile(r"^Promote (Manifest\?|Version)$"))
        self.root = box_holding(page, title, notes)
        self.release_notes = field(self.root, _RELEASE_NOTES)
        self._credentials = credentials
        self.promote_button = self.root.get_by_role("button", name="Promote", exact=True)
        self.cancel_button = self.root.get_by_role("button", name="Cancel", exact=True)
        self.refusal = self.root.get_by_role("alert")

    def promote(self, release_notes: str, *, promoted: Locator) -> bool:
        """Promotes; True when "Your Production Credentials" opened (the app's first time).

        ``promoted`` is something only the page after a promotion has (the version in the
        Production list): a later promotion shows no credentials and ends there instead.
        """
        self.release_notes.fill(release_notes)
        self.promote_button.click()
        credentials = self._credentials or ProductionCredentialsDialog(self.site)
        expect(credentials.root.or_(self.refusal).or_(promoted)).not_to_have_count(0)
        if credentials.root.count() > 0:
            return True  # read() waits for the secret to be filled in
        if self.refusal.count() > 0:
            raise PromotionRefused(self.refusal.inner_text().strip())
        self.site.page.wait_for_load_state()  # a later promotion reloads the page
        return False

    def cancel(self) -> None:
        self.cancel_button.click()
        expect(self.root).to_be_hidden()
