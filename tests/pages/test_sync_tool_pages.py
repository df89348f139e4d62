"""Sync tool page objects against the mock: integration, connection, Start Sync, repeatable."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from automation.mock_portal.faults import Faults
from automation.mock_portal.procore.apps import install_app
from automation.mock_portal.procore.common import add_memberships
from automation.mock_portal.server import MockPortal
from automation.mock_portal.state import seed_promoted_app
from automation.mock_portal.variants import ALL, VARIANTS, parse_variants
from automation.pages.sync_tool import IntegrationRefused, SyncSignIn, SyncTool
from automation.secret import Secret

pytestmark = pytest.mark.browser

LOGIN = "consultant@example.com"
PASSWORD = Secret("Sync-Pass-2026!", source="test:sync-user")


def tool(page: Page, portal: MockPortal) -> SyncTool:
    site = SyncSignIn.site_for(page, portal.target().url("sync_tool"), LOGIN, PASSWORD)
    sync_tool = SyncTool(site)
    sync_tool.sign_in(LOGIN, PASSWORD)
    return sync_tool


class TestSyncTool:
    """Each intent twice gives one integration and one connection; the sync reads 12 projects."""

    def test_full_flow_twice(self, page: Page, portal: MockPortal) -> None:
        with portal.state.lock:
            app, version, secret_value = seed_promoted_app(portal.state, "Sync Pages App")
            company = portal.state.companies[8089]
            installation = install_app(portal.state, company, version.production_key or "")
            account = company.users[installation.service_account_id]
            add_memberships(portal.state, company, account, sorted(company.projects)[:12])
        secret = Secret(secret_value, source="test:client-secret")
        client_id = app.production_client_id or ""

        sync_tool = tool(page, portal)
        sync_tool.sign_in(LOGIN, PASSWORD)  # already signed in: no-op
        for _run in range(2):
            sync_tool.create_integration("DMSA", "Production", client_id, secret)
            sync_tool.create_connection("DMSA", "HingePoint")
            assert sync_tool.start_sync("DMSA", "HingePoint", secret) == 12
        assert len(portal.state.sync_integrations) == 1
        assert len(portal.state.sync_connections) == 1

        with portal.state.lock:  # Reset client secret: the saved token stops working
            new_secret = Secret(portal.state.issue_production_secret(app), source="test:new")
        assert sync_tool.start_sync("DMSA", "HingePoint", new_secret) == 12

    def test_bad_secret(self, page: Page, portal: MockPortal) -> None:
        with portal.state.lock:
            app, _version, _secret = seed_promoted_app(portal.state, "Bad Secret App")
        sync_tool = tool(page, portal)
        with pytest.raises(IntegrationRefused, match="invalid_client"):
            sync_tool.create_integration(
                "Wrong", "Production", app.production_client_id or "", Secret("f" * 64)
            )


class TestUnderEveryVariant:
    """The intents, the Reconnect form included, find their way on every DOM variant."""

    @pytest.mark.parametrize("variant", [*VARIANTS, ALL])
    def test_flow(self, page: Page, portal: MockPortal, variant: str) -> None:
        with portal.state.lock:
            app, version, secret_value = seed_promoted_app(portal.state, f"Variant {variant}")
            company = portal.state.companies[8089]
            installation = install_app(portal.state, company, version.production_key or "")
            account = company.users[installation.service_account_id]
            add_memberships(portal.state, company, account, sorted(company.projects)[:3])
        secret = Secret(secret_value, source="test:client-secret")
        name = f"DMSA {variant}"
        portal.app.config["PORTAL_VARIANTS"] = parse_variants(variant)
        try:
            sync_tool = tool(page, portal)
            assert sync_tool.create_integration(
                name, "Production", app.production_client_id or "", secret
            )
            assert not sync_tool.create_integration(
                name, "Production", app.production_client_id or "", secret
            )
            assert sync_tool.create_connection(name, "HingePoint")
            with portal.state.lock:  # the saved token stops working: the tool asks again
                new_secret = Secret(portal.state.issue_production_secret(app), source="test:new")
            assert sync_tool.start_sync(name, "HingePoint", new_secret) == 3
        finally:
            portal.app.config["PORTAL_VARIANTS"] = ()


class TestUnderFaults:
    """With latency, 5% server errors and a session expiry the sync tool intents still finish."""

    def test_flow(self, page: Page) -> None:
        faults = Faults(
            latency_s=0.3, latency_share=0.2, error_rate=0.05, expire_session_after=12, seed=5
        )
        with MockPortal(faults=faults) as portal:
            with portal.state.lock:
                app, version, secret_value = seed_promoted_app(portal.state, "Faulty Sync App")
                company = portal.state.companies[8089]
                installation = install_app(portal.state, company, version.production_key or "")
                account = company.users[installation.service_account_id]
                add_memberships(portal.state, company, account, list(company.projects))
            secret = Secret(secret_value, source="test:client-secret")
            sync_tool = tool(page, portal)
            sync_tool.create_integration(
                "DMSA", "Production", app.production_client_id or "", secret
            )
            sync_tool.create_connection("DMSA", "HingePoint")
            assert sync_tool.start_sync("DMSA", "HingePoint", secret) == 37
            assert len(portal.state.sync_integrations) == 1
