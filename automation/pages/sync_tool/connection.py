"""New Connection (integration, company) and a connection's page with Start Sync."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from automation.errors import StepError
from automation.pages.base import Site
from automation.pages.sync_tool.errors import ConnectionRefused, SyncRefused
from automation.secret import Secret

__all__ = ["ConnectionPage", "NewConnectionForm"]


class NewConnectionForm:
    def __init__(self, site: Site) -> None:
        self.site = site
        page = self.page = site.page
        self.form = page.get_by_role("form", name="New Connection")
        self.integration = self.form.get_by_label("Procore Integration")
        self.company = self.form.get_by_label("Company")
        self.save = self.form.get_by_role("button", name="Save", exact=True)

    def open(self) -> None:
        link = self.page.get_by_role("link", name="New Connection")
        if link.count() == 0:  # not on the dashboard
            self.site.goto("")
        link.click()
        expect(self.form).to_be_visible()

    def submit(self, integration: str, company: str) -> None:
        if self.integration.locator("option:checked").inner_text() != integration:
            self.integration.select_option(label=integration)
            expect(self.integration.locator("option:checked")).to_have_text(integration)
        alert = self.form.get_by_role("alert")
        if alert.count():
            raise ConnectionRefused(alert.inner_text().strip(), url=self.page.url)
        self.company.select_option(label=company)
        self.save.click()
        expect(self.page.get_by_role("button", name="Start Sync")).to_be_visible()


class ConnectionPage:
    def __init__(self, site: Site) -> None:
        self.site = site
        page = self.page = site.page
        self.start = page.get_by_role("button", name="Start Sync", exact=True)
        self.result = page.get_by_role("status").filter(has_text="Sync complete")
        self.reconnect = page.get_by_role("form", name="Reconnect")
        self.error = page.get_by_role("alert").filter(has_not_text="Client Secret again")

    def start_sync(self, client_secret: Secret | None = None) -> int:
        """Starts a sync; reconnects with the secret when the tool asks. Returns the count."""
        for _attempt in range(2):
            self.start.click()
            expect(self.result.or_(self.reconnect).or_(self.error).first).to_be_visible()
            if self.result.is_visible():
                found = re.search(r"([\d,]+) projects readable", self.result.inner_text())
                if found:
                    return int(found.group(1).replace(",", ""))
            if self.reconnect.is_visible() and client_secret is not None:
                self.reconnect.get_by_label("Client Secret").fill(client_secret.reveal())
                self.reconnect.get_by_role("button", name="Reconnect").click()
                expect(self.reconnect).to_be_hidden()
                continue
            break
        if self.error.count():
            raise SyncRefused(self.error.first.inner_text().strip(), url=self.page.url)
        raise StepError("sync did not start", url=self.page.url)
