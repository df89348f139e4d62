"""New Procore Integration: Name, Environment, Client ID, Client Secret, Save."""

from __future__ import annotations

from playwright.sync_api import expect

from automation.pages.base import Site
from automation.pages.sync_tool.errors import IntegrationRefused
from automation.secret import Secret

__all__ = ["IntegrationRefused", "NewIntegrationForm"]


class NewIntegrationForm:
    def __init__(self, site: Site) -> None:
        self.site = site
        page = self.page = site.page
        self.form = page.get_by_role("form", name="New Procore Integration")
        self.name = self.form.get_by_label("Name", exact=True)
        self.environment = self.form.get_by_label("Environment")
        self.client_id = self.form.get_by_label("Client ID")
        self.client_secret = self.form.get_by_label("Client Secret")
        self.save = self.form.get_by_role("button", name="Save", exact=True)
        self.error = self.form.get_by_role("alert")

    def open(self) -> None:
        link = self.page.get_by_role("link", name="New Procore Integration")
        if link.count() == 0:  # not on the dashboard
            self.site.goto("")
        link.click()  # the form's fields wait for it to open

    def submit(self, name: str, environment: str, client_id: str, client_secret: Secret) -> None:
        self.name.fill(name)
        self.environment.select_option(environment)
        self.client_id.fill(client_id)
        self.client_secret.fill(client_secret.reveal())
        self.save.click()
        saved = self.page.get_by_role("status").filter(has_text="Integration saved")
        expect(saved.or_(self.error)).to_be_visible()
        if self.error.is_visible():
            raise IntegrationRefused(self.error.inner_text().strip(), url=self.page.url)
