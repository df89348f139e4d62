"""New Procore Integration: Name, Environment, Client ID, Client Secret, Save."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from automation.pages.base import Site
from automation.pages.sync_tool.errors import IntegrationRefused
from automation.pages.visible import action, field, holding
from automation.secret import Secret

__all__ = ["IntegrationRefused", "NewIntegrationForm"]


class NewIntegrationForm:
    def __init__(self, site: Site) -> None:
        self.site = site
        page = self.page = site.page
        # The form: the block holding its heading and its Save button; each field by caption.
        self.form = holding(
            page,
            page.get_by_role("heading", name="New Procore Integration", exact=True),
            action(page, "Save"),
        )
        self.name = field(self.form, "Name")
        self.environment = field(self.form, "Environment", kind="combobox")
        self.client_id = field(self.form, "Client ID")
        self.client_secret = field(self.form, "Client Secret", kind="password")
        self.save = action(self.form, "Save")
        self.error = self.form.get_by_role("alert")
        #: The dashboard's link that opens the form.
        self.new_integration = action(page, "New Procore Integration")

    def locators(self) -> dict[str, Locator]:
        """What the intents find on the open form, by name (for the drift probe)."""
        return {"form": self.form, "Name": self.name, "Environment": self.environment,
                "Client ID": self.client_id, "Client Secret": self.client_secret,
                "Save": self.save}

    def open(self) -> None:
        link = self.new_integration
        if link.count() == 0:  # not on the dashboard
            self.site.goto("")
        link.click()  # the form's fields wait for it to open

    def submit(self, name: str, environment: str, client_id: str, client_secret: Secret) -> None:
        self.name.fill(name)
        self.environment.select_option(environment)
        self.client_id.fill(client_id)
        self.client_secret.fill(client_secret.reveal())
        self.save.click()
        saved = self.page.get_by_text(re.compile(r"^\s*Integration saved"))
        expect(saved.or_(self.error)).to_be_visible()
        if self.error.is_visible():
            raise IntegrationRefused(self.error.inner_text().strip(), url=self.page.url)
