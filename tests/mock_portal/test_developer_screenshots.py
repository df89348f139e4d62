"""Screenshots of every Developer Portal screen and dialog, for docs/mock-portal-developer.md.

Run with ``RUNBOOK_UPDATE_SCREENS=1`` to refresh ``docs/screens/developer/``; otherwise the
same screens are captured into a temporary directory (every screen must still render).
Credential values are masked, as in the reference screenshots.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from automation.mock_portal.mock_admin import reset_state
from automation.mock_portal.server import MockPortal
from automation.pages.visible import column_index, holding
from automation.testing.procore_login import log_in_by_hand

SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens" / "developer"
PASSWORD = "Portal-Pass-2026!"  # the seed accounts' test password (the mock seed default.json)
EXPECTED = [
    "login-email",
    "login-password",
    "login-verify-identity",
    "login-verification-code",
    "my-apps-create-new-app",
    "app-page-new",
    "manage-manifests-empty",
    "create-new-version",
    "create-new-version-components",
    "manifest-client-credentials",
    "permission-builder",
    "manifest-injected-permissions",
    "manage-manifests-promote",
    "promote-manifest",
    "production-credentials",
    "app-credentials",
    "manage-manifests-production",
    "manage-manifests-old-versions",
    "reset-client-secret",
    "manifest-version",
]

pytestmark = pytest.mark.browser



def grid_radio(grid: Locator, tool: str, level: str) -> Locator:
    """The radio in the ``level`` column of the row whose first cell reads ``tool``."""
    expect(grid.get_by_role("columnheader").first).to_be_visible()  # the builder is open
    headers = grid.get_by_role("columnheader").all_inner_texts()
    row = grid.get_by_role("row").filter(
        has=grid.page.get_by_role("rowheader", name=tool, exact=True)
    )
    return row.get_by_role("cell").nth(column_index(headers, level) - 1).get_by_role("radio")

@pytest.fixture(scope="module")
def portal() -> Iterator[MockPortal]:
    with MockPortal(ui="classic") as running:
        reset_state(running.app)
        yield running


@pytest.fixture
def shot_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    yield context.new_page()
    context.close()


class Camera:
    def __init__(self, page: Page, out: Path) -> None:
        self.page, self.out = page, out
        self.taken: list[str] = []

    def page_shot(
        self, name: str, *, full: bool = False, mask: list[Locator] | None = None
    ) -> None:
        self.page.screenshot(
            path=self.out / f"{name}.png", full_page=full, mask=mask or [], animations="disabled"
        )
        self.taken.append(name)

    def element_shot(self, name: str, element: Locator, mask: list[Locator] | None = None) -> None:
        element.screenshot(path=self.out / f"{name}.png", mask=mask or [], animations="disabled")
        self.taken.append(name)


class TestEveryScreen:
    """Each screen and dialog of the classic flow renders and is captured."""

    def test_capture(self, shot_page: Page, portal: MockPortal, screens: Path) -> None:
        page, camera = shot_page, Camera(shot_page, screens)
        base = portal.base_url + "/developers"
        page.goto(base + "/sign_in")  # leads to Procore's login
        camera.page_shot("login-email")
        page.get_by_label("Email").fill("mfa@example.com")
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Password").fill(PASSWORD)
        camera.page_shot("login-password")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("link", name="Authenticator App")).to_be_visible()
        camera.page_shot("login-verify-identity")
        page.get_by_role("link", name="Authenticator App").click()
        expect(page.get_by_role("heading", name="Enter Your 6-digit Verification Code")
               ).to_be_visible()
        camera.page_shot("login-verification-code")
        page.context.clear_cookies()

        page.goto(base + "/sign_in")
        log_in_by_hand(page, "consultant@example.com", PASSWORD)
        page.get_by_role("button", name="Create a New App").click()
        dialog = page.get_by_role("dialog", name="Create New App")
        dialog.get_by_label("App Name").fill("Procore DMSA App")
        camera.page_shot("my-apps-create-new-app")
        dialog.get_by_role("button", name="Create", exact=True).click()
        expect(page.get_by_role("heading", name="Procore DMSA App")).to_be_visible()
        camera.page_shot("app-page-new", full=True)
        manifests = holding(
            page,
            page.get_by_role("heading", name="Manage Manifests"),
            page.get_by_role("button", name="Sandbox", exact=True),
        )
        camera.element_shot("manage-manifests-empty", manifests)

        page.get_by_role("button", name="Create New Version").click()
        version = page.get_by_role("dialog", name="Create New Version")
        version.get_by_label("Enter Version Number").fill("1.0.0")
        camera.page_shot("create-new-version")
        camera.element_shot("create-new-version-components", version.locator(".version-head"))
        editor = version.get_by_label("App Manifest")
        manifest = json.loads(editor.input_value())
        copy = page.get_by_role("button", name="Copy Code Snippet")
        holding(version, page.get_by_text("Data Connection", exact=True), copy).get_by_role(
            "button", name="Copy Code Snippet"
        ).click()
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Control+V")
        snippet = json.loads("{" + editor.input_value() + "}")
        snippet["oauth"]["instances"][0]["grant_type"] = "client_credentials"
        manifest["components"] = snippet
        editor.fill(json.dumps(manifest, indent=2))
        camera.element_shot("manifest-client-credentials", version.locator(".editor"))

        version.get_by_role("button", name="Open Builder").click()
        builder = page.get_by_role("dialog", name="Permission Builder")
        seed_choice = {"Admin": "Admin", "Directory": "Admin", "Documents": "Admin"}
        for tool, level in {**seed_choice, "Home": "Read-Only"}.items():
            grid_radio(builder.get_by_role("table"), tool, level).check()
        builder.get_by_role("button", name="Company", exact=True).scroll_into_view_if_needed()
        camera.element_shot("permission-builder", builder)
        builder.get_by_role("button", name="Project", exact=True).click()
        project = builder.get_by_role("table")
        for tool, level in {**seed_choice, "Home": "Read-Only"}.items():
            grid_radio(project, tool, level).check()
        builder.get_by_role("button", name="Update Manifest").click()
        editor.evaluate(
            "e => { e.scrollTop = e.scrollHeight; e.dispatchEvent(new Event('scroll')); }"
        )
        camera.element_shot("manifest-injected-permissions", version.locator(".editor"))
        version.get_by_role("button", name="Create", exact=True).click()
        expect(page.get_by_role("link", name="1.0.0", exact=True)).to_be_visible()
        camera.element_shot("manage-manifests-promote", manifests)

        manifests.get_by_role("button", name="Promote").click()
        promote = page.get_by_role("dialog", name="Promote Manifest?")
        promote.get_by_label("Release Notes").fill(
            "Procore DMSA App - first production version\nService account for the data sync."
        )
        camera.element_shot("promote-manifest", promote)
        promote.get_by_role("button", name="Promote", exact=True).click()
        credentials = page.get_by_role("dialog", name="Your Production Credentials")
        expect(credentials.get_by_label("Client Secret")).not_to_have_value("")
        secret_fields = [
            credentials.get_by_label("Client ID"),
            credentials.get_by_label("Client Secret"),
        ]
        camera.element_shot("production-credentials", credentials, mask=secret_fields)
        credentials.get_by_role("button", name="Close", exact=True).click()
        expect(page.get_by_role("button", name="Reset client secret")).to_be_visible()

        sandbox = holding(

            page,

            page.get_by_role("heading", name="Sandbox OAuth Credentials"),

            page.get_by_text("Client ID"),

        )
        production = holding(
            page,
            page.get_by_role("heading", name="Production OAuth Credentials"),
            page.get_by_text("Client ID"),
        )
        sandbox.scroll_into_view_if_needed()
        page.set_viewport_size({"width": 1280, "height": 1100})
        camera.page_shot("app-credentials", full=False)
        page.set_viewport_size({"width": 1280, "height": 860})
        manifests.get_by_role("button", name="Production", exact=True).click()
        camera.element_shot("manage-manifests-production", manifests)

        manifests.get_by_role("button", name="Sandbox", exact=True).click()
        page.get_by_role("button", name="Create New Version").click()
        version.get_by_label("Enter Version Number").fill("1.1.0")
        version.get_by_role("button", name="Create", exact=True).click()
        expect(page.get_by_role("link", name="1.1.0", exact=True)).to_be_visible()
        manifests.get_by_role("button", name="Show Old Versions").click()
        camera.element_shot("manage-manifests-old-versions", manifests)

        production.get_by_role("button", name="Reset client secret").click()
        reset = page.get_by_role("dialog", name="Reset Client Secret?")
        camera.element_shot("reset-client-secret", reset)
        reset.get_by_role("button", name="Cancel").click()

        manifests.get_by_role("link", name="1.0.0", exact=True).click()
        expect(page.get_by_role("heading", name="Manifest Version 1.0.0")).to_be_visible()
        camera.page_shot("manifest-version")

        assert camera.taken == EXPECTED
        assert all((screens / f"{name}.png").stat().st_size > 2000 for name in EXPECTED)
