"""The sync tool's intents (seed: integration, connection, Start Sync), each repeatable."""

from __future__ import annotations

from automation.pages.base import Site
from automation.pages.recovery import again_after_sign_in
from automation.pages.sync_tool.connection import ConnectionPage, NewConnectionForm
from automation.pages.sync_tool.dashboard import SyncDashboard
from automation.pages.sync_tool.integration_form import NewIntegrationForm
from automation.pages.sync_tool.sign_in import SyncSignIn
from automation.secret import Secret

__all__ = ["SyncTool"]


class SyncTool:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.dashboard = SyncDashboard(site)

    def sign_in(self, login: str, password: Secret) -> None:
        SyncSignIn(self.site).sign_in(login, password)

    def create_integration(
        self, name: str, environment: str, client_id: str, client_secret: Secret
    ) -> bool:
        """Creates the integration; False when one with this name and client id exists."""
        return again_after_sign_in(
            self.site,
            lambda: self._create_integration(name, environment, client_id, client_secret),
        )

    def _create_integration(
        self, name: str, environment: str, client_id: str, client_secret: Secret
    ) -> bool:
        self.dashboard.open()
        if self.dashboard.has_integration(name):
            if self.dashboard.integration_client_id(name) == client_id:
                return False
            raise ValueError(f"an integration named {name!r} exists with another client id")
        form = NewIntegrationForm(self.site)
        form.open()
        form.submit(name, environment, client_id, client_secret)
        return True

    def create_connection(self, integration: str, company: str) -> bool:
        """Connects the integration to the company; False when that connection exists."""
        return again_after_sign_in(self.site, lambda: self._create_connection(integration, company))

    def _create_connection(self, integration: str, company: str) -> bool:
        self.dashboard.open()
        if self.dashboard.connection_row(integration, company).count():
            return False
        form = NewConnectionForm(self.site)
        form.open()
        form.submit(integration, company)
        return True

    def start_sync(
        self, integration: str, company: str, client_secret: Secret | None = None
    ) -> int:
        """Starts the sync of that connection; returns how many projects it can read."""

        def start() -> int:
            page = self.site.page
            here = page.get_by_role("heading", level=1, name=f"{integration} → {company}")
            if here.count() == 0:  # not on that connection's page already
                self.dashboard.open()
                self.dashboard.open_connection(integration, company)
            return ConnectionPage(self.site).start_sync(client_secret)

        return again_after_sign_in(self.site, start)

    # -- looking without acting (check mode) -------------------------------------------------

    def integration_client_id(self, name: str) -> str | None:
        """The Client ID of the integration named ``name``, or None when there is none."""

        def look() -> str | None:
            self.dashboard.open()
            if not self.dashboard.has_integration(name):
                return None
            return self.dashboard.integration_client_id(name)

        return again_after_sign_in(self.site, look)

    def has_connection(self, integration: str, company: str) -> bool:
        def look() -> bool:
            self.dashboard.open()
            return self.dashboard.connection_row(integration, company).count() > 0

        return again_after_sign_in(self.site, look)
