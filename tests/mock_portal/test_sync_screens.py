"""Every screen of the mock sync tool, photographed for docs/mock-portal-company.md.

Screenshots go to a temporary folder; with ``RUNBOOK_UPDATE_SCREENS=1`` they replace the ones
in ``docs/screens/sync/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from automation.mock_portal.procore.apps import install_app
from automation.mock_portal.procore.common import add_memberships
from automation.mock_portal.server import MockPortal
from automation.mock_portal.state import seed_promoted_app

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens" / "sync"


@pytest.fixture
def portal() -> Iterator[MockPortal]:
    with MockPortal() as running:
        yield running


class TestScreens:
    """Each sync tool screen shows what it is for (its heading, the fields, rows and messages
    of that moment), and is saved as a picture."""

    def test_every_screen(self, page: Page, portal: MockPortal, screens: Path) -> None:
        page.set_viewport_size({"width": 1100, "height": 700})
        with portal.state.lock:
            app, version, secret = seed_promoted_app(portal.state, "Procore DMSA App")
            company = portal.state.companies[8089]
            installation = install_app(portal.state, company, version.production_key or "")
            account = company.users[installation.service_account_id]
            add_memberships(portal.state, company, account, list(company.projects))

        def shot(name: str, *shows: Locator) -> None:
            """The picture, once the screen shows each of ``shows``."""
            assert shows, f"{name}: say what the screen shows"
            for shown in shows:
                expect(shown).to_be_visible()
            page.screenshot(path=screens / f"{name}.png")

        def heading(name: str) -> Locator:
            return page.get_by_role("heading", name=name, exact=True)

        page.goto(portal.base_url + "/sync/")
        shot("01-sign-in", heading("Sign In"), page.get_by_label("Email"),
             page.get_by_label("Password"))
        page.get_by_label("Email").fill("consultant@example.com")
        page.get_by_label("Password").fill("Sync-Pass-2026!")
        page.get_by_role("button", name="Sign In").click()
        shot("02-dashboard-empty", heading("Procore Integrations"), heading("Connections"),
             page.get_by_role("link", name="New Procore Integration"))
        expect(page.get_by_role("row", name=re.compile("HingePoint DMSA"))).to_have_count(0)
        page.get_by_role("link", name="New Procore Integration").click()
        page.get_by_label("Name").fill("HingePoint DMSA")
        page.get_by_label("Client ID").fill(app.production_client_id or "")
        page.get_by_label("Client Secret").fill("0" * 64)
        page.get_by_role("button", name="Save").click()
        page.get_by_label("Client Secret").fill("")
        shot("03-new-integration-refused", heading("New Procore Integration"),
             page.get_by_role("alert").filter(has_text=re.compile("client", re.IGNORECASE)))
        page.get_by_label("Client Secret").fill(secret)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_be_visible()
        page.get_by_role("link", name="New Connection").click()
        shot("04-new-connection", heading("New Connection"),
             page.get_by_role("button", name="Save"))
        page.get_by_role("button", name="Save").click()
        page.get_by_role("button", name="Start Sync").click()
        expect(page.get_by_role("status")).to_contain_text("37 projects readable")
        shot("05-sync-complete", page.get_by_role("heading", name="HingePoint DMSA → HingePoint"))
        page.get_by_role("link", name="Dashboard").click()
        shot("06-dashboard", heading("Procore Integrations"),
             page.get_by_role("row", name=re.compile("HingePoint DMSA")).first)
