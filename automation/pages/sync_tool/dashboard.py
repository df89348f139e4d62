"""The sync tool's dashboard: Procore Integrations and Connections."""

from __future__ import annotations

from playwright.sync_api import Locator, expect

from automation.pages.base import Site
from automation.pages.recovery import follow
from automation.pages.sync_tool.integration_form import NewIntegrationForm
from automation.pages.visible import action, column_values, holding

__all__ = ["SyncDashboard"]


class SyncDashboard:
    def __init__(self, site: Site) -> None:
        self.site = site
        page = self.page = site.page
        # Each list: the table in the block under its heading.
        table = page.get_by_role("table")
        self.integrations = holding(
            page, page.get_by_role("heading", name="Procore Integrations", exact=True), table
        ).get_by_role("table")
        self.connections = holding(
            page, page.get_by_role("heading", name="Connections", exact=True), table
        ).get_by_role("table")

    def locators(self) -> dict[str, Locator]:
        """What the intents find on the dashboard, by name (for the drift probe)."""
        return {"Procore Integrations": self.integrations, "Connections": self.connections,
                "New Procore Integration": NewIntegrationForm(self.site).new_integration}

    def open(self) -> None:
        """The dashboard: kept when shown (signing in and saving end there), else loaded."""
        if not self.integrations.is_visible():
            self.site.goto("")
            expect(self.integrations).to_be_visible()

    def integration_row(self, name: str) -> Locator:
        return self.integrations.get_by_role("row").filter(
            has=self.page.get_by_role("cell", name=name, exact=True)
        )

    def has_integration(self, name: str) -> bool:
        return self.integration_row(name).count() > 0

    def integration_client_id(self, name: str) -> str:
        """The value under "Client ID" in the integration's row (read by column header)."""
        for row_name, client_id in column_values(self.integrations, "Name", "Client ID"):
            if row_name == name:
                return client_id
        return ""

    def connection_row(self, integration: str, company: str) -> Locator:
        return (
            self.connections.get_by_role("row")
            .filter(has=self.page.get_by_role("cell", name=integration, exact=True))
            .filter(has=self.page.get_by_role("cell", name=company, exact=True))
        )

    def open_connection(self, integration: str, company: str) -> None:
        follow(self.page, action(self.connection_row(integration, company), "Open"))
        expect(action(self.page, "Start Sync")).to_be_visible()
