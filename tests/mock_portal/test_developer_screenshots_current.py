"""Screenshots of the form-based Developer Portal's screens, for docs/mock-portal-developer.md.

Run with ``RUNBOOK_UPDATE_SCREENS=1`` to refresh ``docs/screens/developer-current/``;
otherwise the same screens are captured into a temporary directory (each must still render).
Credential values are masked, as in the reference screenshots.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from automation.mock_portal.server import MockPortal
from automation.testing.procore_login import log_in_by_hand

SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens" / "developer-current"
PASSWORD = "Portal-Pass-2026!"  # the seed accounts' test password (the mock seed default.json)
EXPECTED = [
    "my-apps-create-app",
    "app-page-new",
    "edit-components",
    "save-version",
    "app-details-version",
    "promote-version",
    "production-credentials",
    "credentials-tab",
    "unverified-developer",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def portal() -> Iterator[MockPortal]:
    with MockPortal(ui="current") as running:
        yield running


@pytest.fixture
def shot_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    yield context.new_page()
    context.close()


def sign_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/sign_in")  # leads to Procore's login, then back
    log_in_by_hand(page, email, PASSWORD)
    expect(page.get_by_role("heading", name="My Apps")).to_be_visible()


class TestEveryScreen:
    """Each screen and modal of the form-based flow renders and is captured."""

    def test_capture(self, shot_page: Page, portal: MockPortal, screens: Path) -> None:
        page, taken = shot_page, []

        def shot(name: str, mask: list[Locator] | None = None) -> None:
            page.screenshot(path=screens / f"{name}.png", mask=mask or [], animations="disabled")
            taken.append(name)

        base = portal.base_url + "/developers"
        sign_in(page, base, "consultant@example.com")
        page.get_by_role("button", name="Create a New App").click()
        page.get_by_label("App Name").fill("Procore DMSA App")
        shot("my-apps-create-app")
        page.get_by_role("button", name="Create App").click()
        expect(page.get_by_role("heading", name="Procore DMSA App")).to_be_visible()
        shot("app-page-new")

        page.get_by_role("link", name="Create Version").click()
        page.get_by_role("button", name="Edit Components").click()
        page.get_by_role("checkbox", name="User Level Authentication").check()
        page.get_by_role("checkbox", name="Service Account Authentication").check()
        table = page.get_by_role("table")
        for tool, column in (("Admin", 4), ("Directory", 4), ("Documents", 4), ("Home", 2)):
            row = table.get_by_role("row").filter(
                has=page.get_by_role("cell", name=tool, exact=True)
            )
            row.get_by_role("cell").nth(column).get_by_role("radio").check()
        page.get_by_role(
            "heading", name="Permissions for Service Account"
        ).scroll_into_view_if_needed()
        shot("edit-components")
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_role("button", name="Save Version").click()
        page.get_by_label("Version Number").fill("1.0.0")
        shot("save-version")
        page.get_by_role("button", name="Save Version").last.click()
        expect(page.get_by_role("heading", name="Version 1.0.0")).to_be_visible()
        page.set_viewport_size({"width": 1280, "height": 1100})
        shot("app-details-version")
        page.set_viewport_size({"width": 1280, "height": 860})

        page.get_by_role("button", name="Promote Version").click()
        page.get_by_label("Release Notes").fill("First production version")
        shot("promote-version")
        page.get_by_role("button", name="Promote", exact=True).click()
        secret = page.get_by_label("Client Secret", exact=True).last  # the modal's
        expect(secret).not_to_have_value("")
        shot("production-credentials", mask=[secret, page.get_by_label("Client ID").last])
        page.get_by_role("button", name="Close", exact=True).last.click()
        expect(page.get_by_text("Production App Version Key:")).to_be_visible()
        page.get_by_role("button", name="Credentials", exact=True).click()
        ids = page.get_by_label("Client ID")
        shot("credentials-tab", mask=[ids])

        sign_in(page, base, "unverified@example.com")
        shot("unverified-developer")

        assert taken == EXPECTED
        assert all((screens / f"{name}.png").stat().st_size > 2000 for name in EXPECTED)
