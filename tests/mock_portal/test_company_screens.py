"""Every screen of the mock Procore web app, photographed for docs/mock-portal-company.md.

Screenshots go to a temporary folder; with ``RUNBOOK_UPDATE_SCREENS=1`` they replace the ones
in ``docs/screens/procore/`` (then look at them next to ``docs/screens/reference/``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

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
    """Each screen shows what the reference's does (its heading, the fields, rows and messages
    of that moment), and is saved as a picture."""

    def test_every_screen(self, page: Page, portal: MockPortal, screens: Path) -> None:
        page.set_viewport_size({"width": 1280, "height": 800})

        def shot(name: str, *shows: Locator, full_page: bool = False) -> None:
            """The picture, once the screen shows each of ``shows``."""
            assert shows, f"{name}: say what the screen shows"
            for shown in shows:
                expect(shown).to_be_visible()
            page.screenshot(path=screens / f"{name}.png", full_page=full_page)

        def heading(name: str | re.Pattern[str], scope: Page | Locator = page) -> Locator:
            return scope.get_by_role("heading", name=name, exact=isinstance(name, str))

        with portal.state.lock:
            app, version, _secret = seed_promoted_app(
                portal.state, "Procore DMSA App", permissions=SEED_PERMISSIONS
            )
        base = portal.base_url + "/app"
        page.goto(base + "/")
        shot("01-sign-in", heading("Log In"), page.get_by_label("Email"))
        log_in_by_hand(page, "admin@example.com", "Procore-Pass-2026!")
        shot("02-company-picker", heading("Select a Company"),
             page.get_by_role("link", name="HingePoint", exact=True))
        page.get_by_role("link", name="HingePoint", exact=True).click()
        page.get_by_role("button", name="Company Tools").click()
        shot("03-company-home-tools-menu", heading("HingePoint Portfolio"),
             page.get_by_role("menuitem", name="Admin"),
             page.get_by_role("menuitem", name="Directory"))
        page.get_by_role("menuitem", name="Admin").click()
        page.get_by_role("link", name="App Management").click()
        page.get_by_role("button", name="Install App").click()
        shot("04-app-management-install-menu", heading("App Management"),
             page.get_by_role("menuitem", name="Install Custom App"))
        page.get_by_role("menuitem", name="Install Custom App").click()
        install = page.get_by_role("dialog", name="Install Custom App")
        install.get_by_label("App Version ID").fill(version.sandbox_key)
        install.get_by_role("button", name="Install").click()
        shot("05-install-custom-app-sandbox-key", heading("Install Custom App", install),
             install.get_by_role("alert").filter(has_text="sandbox"))
        install.get_by_label("App Version ID").fill(version.production_key or "")
        install.get_by_role("button", name="Install").click()
        confirm = page.get_by_role("dialog", name="Confirm App Installation")
        shot("06-confirm-installation", heading("Permissions Requested", confirm),
             confirm.get_by_role("row", name=re.compile("Directory")),
             confirm.get_by_role("button", name="Install"))
        confirm.get_by_role("button", name="Install").click()
        setup = page.get_by_role("dialog", name="App Setup")
        shot("07-app-setup", heading("App Setup", setup),
             setup.get_by_role("button", name="Skip"))
        setup.get_by_role("button", name="Skip").click()
        permit = page.get_by_role("dialog", name="Add Permitted Projects")
        select = permit.get_by_role("combobox")
        for name in ("Riverside Medical Center", "Harbor View Apartments"):
            select.fill(name)
            permit.get_by_role("option", name=name).click()
        select.fill("")
        select.press("Escape")
        chosen = permit.get_by_role("listitem")  # the chosen projects, as chips
        shot("08-add-permitted-projects", heading("Add Permitted Projects", permit),
             chosen.filter(has_text="Riverside Medical Center"),
             chosen.filter(has_text="Harbor View Apartments"))
        permit.get_by_role("button", name="Add", exact=True).click()
        expect(page.get_by_role("status")).to_have_text("App installed.")
        with portal.state.lock:  # a newer production version: "Update Available"
            newer = ManifestVersion("1.1.0", version.manifest, sandbox_key=new_version_key())
            newer.production_key, newer.promoted_at = new_version_key(), newer.created_at
            app.versions.append(newer)
        page.reload()
        shot("09-installed-apps-update-available", page.get_by_role(
            "row", name=re.compile("Procore DMSA App")).get_by_text("Update Available"))
        page.get_by_role("row", name=re.compile("Procore DMSA App")).get_by_role(
            "link", name="View"
        ).click()
        shot("10-app-details", heading(re.compile("^Procore DMSA App")),
             page.get_by_role("tab", name="Permissions"))
        page.get_by_role("tab", name="Permissions").click()
        permitted = heading("Permitted Projects")
        region = holding(page, permitted, page.get_by_role("combobox"))
        region.get_by_role("combobox").click()
        shot("11-permissions-select-projects",
             region.get_by_role("option", name=re.compile("^Select All")))
        region.get_by_role("combobox").press("Escape")
        shot("12-permissions-permitted-projects", permitted,
             region.get_by_text("Riverside Medical Center"),
             region.get_by_text("Harbor View Apartments"), full_page=True)

        page.get_by_role("button", name="Company Tools").click()
        page.get_by_role("menuitem", name="Directory").click()
        shot("13-directory", heading("Company Directory"),
             page.get_by_role("row", name=re.compile(r"Procore DMSA App \(")))
        page.get_by_role("row", name=re.compile(r"Procore DMSA App \(")).get_by_role(
            "link", name="Edit"
        ).click()
        shot("14-user-edit-project-settings", heading(re.compile(r"^Edit Procore DMSA App \(")),
             heading("Current Project Settings"),
             heading(re.compile(r"^Projects Procore DMSA App \(.*\) Does Not Belong To$")),
             page.get_by_role("button", name="Add All"), full_page=True)
        page.get_by_role("button", name="Select Default Template").click()
        shot("15-select-default-template",
             heading("Select Default Template",
                     page.get_by_role("dialog", name="Select Default Template")))
        page.get_by_role("dialog", name="Select Default Template").get_by_role(
            "button", name="Cancel"
        ).click()
        page.get_by_role("button", name="Change Template").first.click()
        shot("16-change-template",
             heading("Change Template", page.get_by_role("dialog", name="Change Template")))
        page.get_by_role("dialog", name="Change Template").get_by_role(
            "button", name="Cancel"
        ).click()
        progress = page.get_by_role("status").filter(has=page.get_by_role("progressbar"))
        page.get_by_role("button", name="Add All").click()
        expect(progress).to_contain_text("stalled")
        shot("17-add-all-stalled", progress.get_by_role("button", name="Retry"))
        progress.get_by_role("button", name="Retry").click()
        expect(progress).to_contain_text("Adding projects…")
        shot("18-add-all-in-progress", progress.get_by_role("progressbar"))
        expect(progress).to_contain_text("Complete.")
        shot("19-add-all-complete", progress.get_by_role("button", name="OK", exact=True))
        progress.get_by_role("button", name="OK", exact=True).click()

        portal.state.add_all_mode = "disabled"
        page.goto(base + "/8090/company/directory")
        page.get_by_role("row", name=re.compile("Sam Estimator")).get_by_role(
            "link", name="Edit"
        ).click()
        expect(page.get_by_role("button", name="Add All")).to_be_disabled()
        shot("20-add-all-disabled-2500-projects", heading(re.compile("^Edit Sam Estimator")))

        page.goto(base + "/8089/company/projects/new")
        shot("21-new-project", heading("New Project"),
             page.get_by_role("button", name=re.compile("^Create")))
        page.goto(base + "/8089/company/admin/app_management")
        page.get_by_role("row", name=re.compile("Procore DMSA App")).get_by_role(
            "link", name="View"
        ).click()
        page.get_by_role("button", name="Uninstall").click()
        # The form posts and redirects: picture the page it lands on, not the one it leaves.
        expect(page.get_by_role("tab", name="Uninstalled Apps")).to_have_attribute(
            "aria-selected", "true"
        )
        shot("22-uninstalled-apps", page.get_by_role("row", name=re.compile("Procore DMSA App")))
