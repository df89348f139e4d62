"""Every screen of the mock sync tool, photographed for docs/mock-portal-company.md.

Screenshots go to a temporary folder; with ``RUNBOOK_UPDATE_SCREENS=1`` they replace the ones
in ``docs/screens/sync/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

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
    """Each sync tool screen renders and is saved as a picture."""

    def test_every_screen(self, page: Page, portal: MockPortal, screens: Path) -> None:
        page.set_viewport_size({"width": 1100, "height": 700})
        with portal.state.lock:
            app, version, secret = seed_promoted_app(portal.state, "Procore DMSA App")
            company = portal.state.companies[8089]
            installation = install_app(portal.state, company, version.production_key or "")
            account = company.users[installation.service_account_id]
            add_memberships(portal.state, company, account, list(company.projects))

        def shot(name: str) -> None:
            page.screenshot(path=screens / f"{name}.png")

        page.goto(portal.base_url + "/sync/")
        shot("01-sign-in")
        page.get_by_label("Email").fill("consultant@example.com")
        page.get_by_label("Password").fill("Sync-Pass-2026!")
        page.get_by_role("button", name="Sign In").click()
        shot("02-dashboard-empty")
        page.get_by_role("link", name="New Procore Integration").click()
        page.get_by_label("Name").fill("HingePoint DMSA")
        page.get_by_label("Client ID").fill(app.production_client_id or "")
        page.get_by_label("Client Secret").fill("0" * 64)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("alert")).to_be_visible()
        page.get_by_label("Client Secret").fill("")
        shot("03-new-integration-refused")
        page.get_by_label("Client Secret").fill(secret)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_be_visible()
        page.get_by_role("link", name="New Connection").click()
        shot("04-new-connection")
        page.get_by_role("button", name="Save").click()
        page.get_by_role("button", name="Start Sync").click()
        expect(page.get_by_role("status")).to_contain_text("37 projects readable")
        shot("05-sync-complete")
        page.get_by_role("link", name="Dashboard").click()
        shot("06-dashboard")
