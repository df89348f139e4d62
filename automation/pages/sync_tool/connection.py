"""New Connection (integration, company) and a connection's page with Start Sync."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from automation.errors import StepError
from automation.pages.base import Site
from automation.pages.sync_tool.errors import ConnectionRefused, SyncRefused
from automation.pages.visible import action, field, holding
from automation.secret import Secret

__all__ = ["ConnectionPage", "NewConnectionForm"]


class NewConnectionForm:
    def __init__(self, site: Site) -> None:
        self.site = site
        page = self.page = site.page
        self.form = holding(
            page,
            page.get_by_role("heading", name="New Connection", exact=True),
            action(page, "Save"),
        )
        self.integration = field(self.form, "Procore Integration", kind="combobox")
        self.company = field(self.form, "Company", kind="combobox")
        self.save = action(self.form, "Save")

    def open(self) -> None:
        link = action(self.page, "New Connection")
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
        expect(action(self.page, "Start Sync")).to_be_visible()


class ConnectionPage:
    def __init__(self, site: Site) -> None:
        self.site = site
        page = self.page = site.page
        self.start = action(page, "Start Sync")
        self.result = page.get_by_text(re.compile(r"^\s*Sync complete"))
        # The form the tool shows when its saved connection expired: heading and button
        # both read "Reconnect".
        self.reconnect = holding(
            page,
            page.get_by_role("heading", name="Reconnect", exact=True),
            action(page, "Reconnect"),
        )
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
                field(self.reconnect, "Client Secret", kind="password").fill(
                    client_secret.reveal()
                )
                action(self.reconnect, "Reconnect").click()
                expect(self.reconnect).to_be_hidden()
                continue
            break
        if self.error.count():
            raise SyncRefused(self.error.first.inner_text().strip(), url=self.page.url)
        raise StepError("sync did not start", url=self.page.url)
