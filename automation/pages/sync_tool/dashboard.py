"""The sync tool's dashboard: Procore Integrations and Connections."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from automation.pages.base import Site
from automation.pages.recovery import follow

__all__ = ["SyncDashboard"]


class SyncDashboard:
    def __init__(self, site: Site) -> None:
        self.site = site
        page = self.page = site.page
        self.integrations = page.get_by_role("table", name="Procore Integrations")
        self.connections = page.get_by_role("table", name="Connections")

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
        return self.integration_row(name).get_by_role("cell").nth(2).inner_text().strip()

    def connection_row(self, integration: str, company: str) -> Locator:
        return (
            self.connections.get_by_role("row")
            .filter(has=self.page.get_by_role("cell", name=integration, exact=True))
            .filter(has=self.page.get_by_role("cell", name=company, exact=True))
        )

    def open_connection(self, integration: str, company: str) -> None:
        follow(
            self.page,
            self.connection_row(integration, company).get_by_role(
                "link", name=re.compile(r"^Open")
            ),
        )
        expect(self.page.get_by_role("button", name="Start Sync")).to_be_visible()
