"""The mock sync tool, driven with plain Playwright: integration, connection, Start Sync."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from automation.mock_portal.procore.apps import install_app
from automation.mock_portal.procore.common import add_memberships
from automation.mock_portal.server import MockPortal
from automation.mock_portal.state import App, seed_promoted_app

pytestmark = pytest.mark.browser

SYNC_USER, SYNC_PASSWORD = "consultant@example.com", "Sync-Pass-2026!"


@pytest.fixture
def credentials(portal: MockPortal) -> tuple[App, str]:
    """A production app installed in HingePoint whose account belongs to 5 projects."""
    with portal.state.lock:
        app, version, secret = seed_promoted_app(portal.state, "Sync App")
        company = portal.state.companies[8089]
        installation = install_app(portal.state, company, version.production_key or "")
        account = company.users[installation.service_account_id]
        add_memberships(portal.state, company, account, sorted(company.projects)[:5])
    return app, secret


def sign_in(page: Page, portal: MockPortal) -> None:
    page.goto(portal.base_url + "/sync/")
    page.get_by_label("Email").fill(SYNC_USER)
    page.get_by_label("Password").fill(SYNC_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Procore Integrations")).to_be_visible()


def new_integration(page: Page, name: str, environment: str, client_id: str, secret: str) -> None:
    page.get_by_role("link", name="New Procore Integration").click()
    page.get_by_label("Name").fill(name)
    page.get_by_label("Environment").select_option(environment)
    page.get_by_label("Client ID").fill(client_id)
    page.get_by_label("Client Secret").fill(secret)
    page.get_by_role("button", name="Save").click()


class TestSignIn:
    """Only the seed's sync user signs in."""

    def test_wrong_password(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/sync/")
        page.get_by_label("Email").fill(SYNC_USER)
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign In").click()
        expect(page.get_by_role("alert")).to_have_text("Incorrect email or password.")


class TestIntegration:
    """Save checks the credentials at /oauth/token; only the client id is stored."""

    def test_bad_secret_is_refused(
        self, page: Page, portal: MockPortal, credentials: tuple[App, str]
    ) -> None:
        app, _secret = credentials
        sign_in(page, portal)
        new_integration(page, "Bad", "Production", app.production_client_id or "", "0" * 64)
        expect(page.get_by_role("alert")).to_contain_text("invalid_client")
        assert not [i for i in portal.state.sync_integrations.values() if i.name == "Bad"]

    def test_wrong_environment_is_refused(
        self, page: Page, portal: MockPortal, credentials: tuple[App, str]
    ) -> None:
        app, secret = credentials
        sign_in(page, portal)
        new_integration(page, "Wrong env", "Sandbox", app.production_client_id or "", secret)
        expect(page.get_by_role("alert")).to_contain_text("Check the Client ID")

    def test_full_flow(self, page: Page, portal: MockPortal, credentials: tuple[App, str]) -> None:
        app, secret = credentials
        sign_in(page, portal)
        new_integration(
            page, "HingePoint DMSA", "Production", app.production_client_id or "", secret
        )
        expect(page.get_by_role("status")).to_contain_text("Procore accepted the credentials")
        integrations = page.get_by_role("table", name="Procore Integrations")
        expect(integrations.get_by_role("row", name=re.compile("HingePoint DMSA"))).to_contain_text(
            "Production"
        )

        page.get_by_role("link", name="New Connection").click()
        page.get_by_label("Procore Integration").select_option(label="HingePoint DMSA")
        expect(page.get_by_label("Company")).to_contain_text("HingePoint")
        page.get_by_label("Company").select_option(label="HingePoint")
        page.get_by_role("button", name="Save").click()
        page.get_by_role("button", name="Start Sync").click()
        expect(page.get_by_role("status")).to_have_text("Sync complete: 5 projects readable.")

        exported = json.loads(
            urllib.request.urlopen(
                urllib.request.Request(
                    portal.base_url + "/__mock__/state", headers=portal.admin_headers()
                ),
                timeout=10,
            ).read()
        )
        (saved,) = [i for i in exported["sync_integrations"] if i["name"] == "HingePoint DMSA"]
        assert saved["client_id"] == app.production_client_id
        assert secret not in json.dumps(exported)
        (connection,) = [
            c for c in exported["sync_connections"] if c["integration_id"] == saved["id"]
        ]
        assert connection["company_id"] == 8089 and connection["last_sync_projects"] == 5

    def test_reset_secret_asks_to_reconnect(
        self, page: Page, portal: MockPortal, credentials: tuple[App, str]
    ) -> None:
        app, secret = credentials
        sign_in(page, portal)
        new_integration(page, "Resettable", "Production", app.production_client_id or "", secret)
        page.get_by_role("link", name="New Connection").click()
        page.get_by_label("Procore Integration").select_option(label="Resettable")
        page.get_by_role("button", name="Save").click()
        with portal.state.lock:
            new_secret = portal.state.issue_production_secret(app)  # Reset client secret
        page.get_by_role("button", name="Start Sync").click()
        reconnect = page.get_by_role("form", name="Reconnect")
        reconnect.get_by_label("Client Secret").fill(new_secret)
        reconnect.get_by_role("button", name="Reconnect").click()
        page.get_by_role("button", name="Start Sync").click()
        expect(page.get_by_role("status")).to_have_text("Sync complete: 5 projects readable.")
