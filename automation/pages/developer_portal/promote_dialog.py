""" "Promote Manifest?": release notes, then Promote."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from automation.pages.base import Site
from automation.pages.developer_portal.errors import PromotionRefused
from automation.pages.developer_portal.production_credentials_dialog import (
    ProductionCredentialsDialog,
)

__all__ = ["PromoteDialog"]


class PromoteDialog:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.root = site.page.get_by_role("dialog", name="Promote Manifest?")
        self.release_notes = self.root.get_by_label(re.compile(r"^Release Notes"))
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
        credentials = ProductionCredentialsDialog(self.site)
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
