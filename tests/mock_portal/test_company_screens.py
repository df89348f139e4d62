"""Every screen of the mock Procore web app, photographed for docs/mock-portal-company.md.

Screenshots go to a temporary folder; with ``RUNBOOK_UPDATE_SCREENS=1`` they replace the ones
in ``docs/screens/procore/`` (then look at them next to ``docs/screens/reference/``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from automation.mock_portal.faults import Faults
from automation.mock_portal.server import MockPortal
from automation.mock_portal.state import ManifestVersion, new_version_key, seed_promoted_app
from automation.pages.visible import holding
from automation.testing.procore_login import log_in_by_hand

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens" / "procore"
SEED_PERMISSIONS = {
    "company": {"admin": "admin", "directory": "admin", "documents": "admin", "home": "readonly"},
    "project": {
        "admin": "admin",
        "budgeting": "standard",
        "commitments": "standard",
        "coordination_issues": "readonly",
        "daily_log": "standard",
        "directory": "admin",
        "documents": "admin",
        "home": "readonly",
    },
}


@pytest.fixture
def portal() -> Iterator[MockPortal]:
    with MockPortal(faults=Faults(add_all_stall=True)) as running:
        running.app.config["PROCORE_ADD_ALL_BATCH"] = 4
        running.app.config["PROCORE_ADD_ALL_PAUSE_S"] = 0.25
        yield running


class TestScreens:
    """Each screen renders with the reference's labels, and is saved as a picture."""

    def test_every_screen(self, page: Page, portal: MockPortal, screens: Path) -> None:
        page.set_viewport_size({"width": 1280, "height": 800})

        def shot(name: str, full_page: bool = False) -> None:
            page.screenshot(path=screens / f"{name}.png", full_page=full_page)

        with portal.state.lock:
            app, version, _secret = seed_promoted_app(
                portal.state, "Procore DMSA App", permissions=SEED_PERMISSIONS
            )
        base = portal.base_url + "/app"
        page.goto(base + "/")
        shot("01-sign-in")
        log_in_by_hand(page, "admin@example.com", "Procore-Pass-2026!")
        expect(page.get_by_role("heading", name="Select a Company")).to_be_visible()
        shot("02-company-picker")
        page.get_by_role("link", name="HingePoint", exact=True).click()
        page.get_by_role("button", name="Company Tools").click()
        shot("03-company-home-tools-menu")
        page.get_by_role("menuitem", name="Admin").click()
        page.get_by_role("link", name="App Management").click()
        page.get_by_role("button", name="Install App").click()
        shot("04-app-management-install-menu")
        page.get_by_role("menuitem", name="Install Custom App").click()
        install = page.get_by_role("dialog", name="Install Custom App")
        install.get_by_label("App Version ID").fill(version.sandbox_key)
        install.get_by_role("button", name="Install").click()
        expect(install.get_by_role("alert")).to_be_visible()
        shot("05-install-custom-app-sandbox-key")
        install.get_by_label("App Version ID").fill(version.production_key or "")
        install.get_by_role("button", name="Install").click()
        confirm = page.get_by_role("dialog", name="Confirm App Installation")
        expect(confirm.get_by_role("row", name=re.compile("Directory"))).to_be_visible()
        shot("06-confirm-installation")
        confirm.get_by_role("button", name="Install").click()
        setup = page.get_by_role("dialog", name="App Setup")
        expect(setup).to_be_visible()
        shot("07-app-setup")
        setup.get_by_role("button", name="Skip").click()
        permit = page.get_by_role("dialog", name="Add Permitted Projects")
        select = permit.get_by_role("combobox")
        for name in ("Riverside Medical Center", "Harbor View Apartments"):
            select.fill(name)
            permit.get_by_role("option", name=name).click()
        select.fill("")
        select.press("Escape")
        shot("08-add-permitted-projects")
        permit.get_by_role("button", name="Add", exact=True).click()
        expect(page.get_by_role("status")).to_have_text("App installed.")
        with portal.state.lock:  # a newer production version: "Update Available"
            newer = ManifestVersion("1.1.0", version.manifest, sandbox_key=new_version_key())
            newer.production_key, newer.promoted_at = new_version_key(), newer.created_at
            app.versions.append(newer)
        page.reload()
        shot("09-installed-apps-update-available")
        page.get_by_role("row", name=re.compile("Procore DMSA App")).get_by_role(
            "link", name="View"
        ).click()
        shot("10-app-details")
        page.get_by_role("tab", name="Permissions").click()
        heading = page.get_by_role("heading", name="Permitted Projects", exact=True)
        region = holding(page, heading, page.get_by_role("combobox"))
        region.get_by_role("combobox").click()
        expect(region.get_by_role("option", name=re.compile("^Select All"))).to_be_visible()
        shot("11-permissions-select-projects")
        region.get_by_role("combobox").press("Escape")
        shot("12-permissions-permitted-projects", full_page=True)

        page.get_by_role("button", name="Company Tools").click()
        page.get_by_role("menuitem", name="Directory").click()
        shot("13-directory")
        page.get_by_role("row", name=re.compile(r"Procore DMSA App \(")).get_by_role(
            "link", name="Edit"
        ).click()
        shot("14-user-edit-project-settings", full_page=True)
        page.get_by_role("button", name="Select Default Template").click()
        expect(page.get_by_role("dialog", name="Select Default Template")).to_be_visible()
        shot("15-select-default-template")
        page.get_by_role("dialog", name="Select Default Template").get_by_role(
            "button", name="Cancel"
        ).click()
        page.get_by_role("button", name="Change Template").first.click()
        shot("16-change-template")
        page.get_by_role("dialog", name="Change Template").get_by_role(
            "button", name="Cancel"
        ).click()
        progress = page.get_by_role("status").filter(has=page.get_by_role("progressbar"))
        page.get_by_role("button", name="Add All").click()
        expect(progress).to_contain_text("stalled")
        shot("17-add-all-stalled")
        progress.get_by_role("button", name="Retry").click()
        expect(progress).to_contain_text("Adding projects…")
        shot("18-add-all-in-progress")
        expect(progress).to_contain_text("Complete.")
        shot("19-add-all-complete")
        progress.get_by_role("button", name="OK", exact=True).click()

        portal.state.add_all_mode = "disabled"
        page.goto(base + "/8090/company/directory")
        page.get_by_role("row", name=re.compile("Sam Estimator")).get_by_role(
            "link", name="Edit"
        ).click()
        expect(page.get_by_role("button", name="Add All")).to_be_disabled()
        shot("20-add-all-disabled-2500-projects")

        page.goto(base + "/8089/company/projects/new")
        shot("21-new-project")
        page.goto(base + "/8089/company/admin/app_management")
        page.get_by_role("row", name=re.compile("Procore DMSA App")).get_by_role(
            "link", name="View"
        ).click()
        page.get_by_role("button", name="Uninstall").click()
        # The form posts and redirects: picture the page it lands on, not the one it leaves.
        expect(page.get_by_role("tab", name="Uninstalled Apps")).to_have_attribute(
            "aria-selected", "true"
        )
        shot("22-uninstalled-apps")
