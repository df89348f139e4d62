"""The mock Procore web app's App Management, driven with plain Playwright (no page objects).

Outcomes are checked in the portal's state and, for what a service account can read, through
the REST API with the app's production credentials.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import Locator, Page, expect

from automation.mock_portal.server import MockPortal
from automation.mock_portal.state import App, ManifestVersion, new_version_key, seed_promoted_app
from automation.pages.visible import holding
from automation.testing.procore_login import log_in_by_hand

pytestmark = pytest.mark.browser

ADMIN, PASSWORD = "admin@example.com", "Procore-Pass-2026!"
SEED_PERMISSIONS = {
    "company": {"admin": "admin", "directory": "admin", "documents": "admin", "home": "readonly"},
    "project": {"admin": "admin", "directory": "admin", "documents": "admin", "home": "readonly"},
}


def promoted(portal: MockPortal, name: str) -> tuple[App, ManifestVersion, str]:
    with portal.state.lock:
        return seed_promoted_app(portal.state, name, permissions=SEED_PERMISSIONS)


def sign_in(page: Page, portal: MockPortal, company: str = "HingePoint") -> None:
    page.goto(portal.base_url + "/app/")
    log_in_by_hand(page, ADMIN, PASSWORD)
    page.get_by_role("link", name=company, exact=True).click()


def open_app_management(page: Page) -> None:
    page.get_by_role("button", name="Company Tools").click()
    page.get_by_role("menuitem", name="Admin").click()
    page.get_by_role("navigation", name="Company Settings").get_by_role(
        "link", name="App Management"
    ).click()
    expect(page.get_by_role("heading", name="App Management")).to_be_visible()


def permitted_projects(page: Page) -> Locator:
    """The Permissions tab's block under the "Permitted Projects" heading, with its drop-down."""
    heading = page.get_by_role("heading", name="Permitted Projects", exact=True)
    return holding(page, heading, page.get_by_role("combobox"))


def enter_app_version_id(page: Page, key: str) -> None:
    page.get_by_role("button", name="Install App").click()
    page.get_by_role("menuitem", name="Install Custom App").click()
    dialog = page.get_by_role("dialog", name="Install Custom App")
    dialog.get_by_label("App Version ID").fill(key)
    dialog.get_by_role("button", name="Install").click()


def install(page: Page, key: str, projects: list[str] | None) -> None:
    """Install Custom App > confirm > Skip setup > Add Permitted Projects (Add or Skip)."""
    enter_app_version_id(page, key)
    page.get_by_role("dialog", name="Confirm App Installation").get_by_role(
        "button", name="Install"
    ).click()
    page.get_by_role("dialog", name="App Setup").get_by_role("button", name="Skip").click()
    dialog = page.get_by_role("dialog", name="Add Permitted Projects")
    if projects:
        dialog.get_by_role("combobox").click()
        for name in projects:
            dialog.get_by_role("option", name=name, exact=True).click()
        dialog.get_by_role("button", name="Add", exact=True).click()
    else:
        dialog.get_by_role("button", name="Skip").first.click()
    expect(page.get_by_role("status")).to_have_text("App installed.")


def rest_project_names(portal: MockPortal, app: App, secret: str, company_id: int) -> set[str]:
    """What the service account reads through the REST API with the production credentials."""
    form = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": app.production_client_id,
            "client_secret": secret,
        }
    ).encode()
    with urllib.request.urlopen(portal.base_url + "/oauth/token", data=form, timeout=10) as r:
        token = json.load(r)["access_token"]
    names: set[str] = set()
    page = 1
    while True:
        request = urllib.request.Request(
            f"{portal.base_url}/rest/v1.1/projects?company_id={company_id}&page={page}&per_page=100",
            headers={"Authorization": f"Bearer {token}", "Procore-Company-Id": str(company_id)},
        )
        with urllib.request.urlopen(request, timeout=10) as r:
            rows = json.load(r)
        names.update(row["name"] for row in rows)
        if len(rows) < 100:
            return names
        page += 1


class TestSignIn:
    """Only the right password signs in, and the picker lists the admin's companies."""

    def test_wrong_password_is_refused(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/app/")
        page.get_by_label("Email").fill(ADMIN)
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text("The email or password you entered is incorrect.")).to_be_visible()

    def test_picker_lists_companies(self, page: Page, portal: MockPortal) -> None:
        sign_in(page, portal)
        page.goto(portal.base_url + "/app/")
        companies = page.get_by_role("list")
        for name in ("HingePoint", "Large Builders", "Mega Contractors"):
            expect(companies.get_by_role("link", name=name)).to_be_visible()


class TestInstallValidation:
    """Every wrong App Version ID gets the message a person would see, and installs nothing."""

    @pytest.mark.parametrize(
        ("key", "message"),
        [
            ("", "App Version ID is required."),
            ("1234", "must be 36 characters"),
            ("z" * 36, "App Version ID is not valid"),
            ("00000000-0000-4000-8000-000000000000", "No app was found"),
        ],
    )
    def test_malformed_or_unknown(
        self, page: Page, portal: MockPortal, key: str, message: str
    ) -> None:
        sign_in(page, portal)
        open_app_management(page)
        enter_app_version_id(page, key)
        dialog = page.get_by_role("dialog", name="Install Custom App")
        expect(dialog.get_by_role("alert")).to_contain_text(message)

    def test_sandbox_key_in_production_company(self, page: Page, portal: MockPortal) -> None:
        _app, version, _secret = promoted(portal, "Sandbox Key App")
        sign_in(page, portal)
        open_app_management(page)
        enter_app_version_id(page, version.sandbox_key)
        expect(
            page.get_by_role("dialog", name="Install Custom App").get_by_role("alert")
        ).to_contain_text("This is a sandbox App Version ID")
        assert not [i for i in portal.state.installations.values() if i.app_id == _app.id]

    def test_already_installed(self, page: Page, portal: MockPortal) -> None:
        app, version, _secret = promoted(portal, "Twice Installed App")
        sign_in(page, portal)
        open_app_management(page)
        install(page, version.production_key or "", projects=None)
        enter_app_version_id(page, version.production_key or "")
        expect(
            page.get_by_role("dialog", name="Install Custom App").get_by_role("alert")
        ).to_have_text("Twice Installed App is already installed in HingePoint.")
        installs = [i for i in portal.state.installations.values() if i.app_id == app.id]
        accounts = [u for u in portal.state.companies[8089].users.values() if u.app_id == app.id]
        assert len(installs) == 1 and len(accounts) == 1


class TestInstallCustomApp:
    """Install creates one installation and a service account that reads exactly its projects."""

    def test_install_and_permit(self, page: Page, portal: MockPortal) -> None:
        app, version, secret = promoted(portal, "Procore DMSA App")
        sign_in(page, portal)
        open_app_management(page)
        page.get_by_role("button", name="Install App").click()
        expect(page.get_by_role("menuitem", name="Install App from Marketplace")).to_have_attribute(
            "aria-disabled", "true"
        )
        page.get_by_role("menuitem", name="Install Custom App").click()
        page.get_by_role("dialog", name="Install Custom App").get_by_label("App Version ID").fill(
            version.production_key or ""
        )
        page.get_by_role("dialog", name="Install Custom App").get_by_role(
            "button", name="Install"
        ).click()
        confirm = page.get_by_role("dialog", name="Confirm App Installation")
        expect(confirm).to_contain_text("Procore DMSA App")
        expect(confirm.get_by_role("row", name=re.compile("Directory"))).to_contain_text("Admin")
        confirm.get_by_role("button", name="Install").click()
        page.get_by_role("dialog", name="App Setup").get_by_role("button", name="Skip").click()
        permit = page.get_by_role("dialog", name="Add Permitted Projects")
        expect(permit).to_contain_text(
            "Select the projects that the App will be allowed to access."
        )
        expect(permit.get_by_role("row", name=re.compile("Home"))).to_contain_text("Read-Only")
        expect(permit.get_by_role("combobox")).to_have_attribute("placeholder", "Select Projects")
        permit.get_by_role("combobox").fill("Riverside")
        permit.get_by_role("option", name="Riverside Medical Center").click()
        permit.get_by_role("combobox").fill("Harbor")
        permit.get_by_role("option", name="Harbor View Apartments").click()
        expect(permit.get_by_role("button", name=re.compile(r"^Remove "))).to_have_count(2)
        permit.get_by_role("button", name="Add", exact=True).click()
        row = page.get_by_role("row", name=re.compile("Procore DMSA App"))
        expect(row).to_contain_text("Data Connection")

        (installation,) = [i for i in portal.state.installations.values() if i.app_id == app.id]
        company = portal.state.companies[8089]
        account = company.users[installation.service_account_id]
        assert re.fullmatch(r"Procore DMSA App \([a-z0-9]{5}\)", account.name)
        permitted = {company.projects[p].name for p in installation.permitted_project_ids}
        assert permitted == {"Riverside Medical Center", "Harbor View Apartments"}
        assert company.memberships[account.id] == installation.permitted_project_ids
        assert rest_project_names(portal, app, secret, 8089) == permitted

        state_url = portal.base_url + "/__mock__/state"
        request = urllib.request.Request(state_url, headers=portal.admin_headers())
        with urllib.request.urlopen(request, timeout=10) as r:
            exported = json.load(r)
        (shown,) = [i for i in exported["installations"] if i["app_id"] == app.id]
        assert sorted(shown["permitted_project_ids"]) == sorted(installation.permitted_project_ids)
        (hinge,) = [c for c in exported["companies"] if c["id"] == 8089]
        assert sorted(hinge["memberships"][str(account.id)]) == shown["permitted_project_ids"]
        assert secret not in json.dumps(exported)


class TestPermissionsTab:
    """View > Permissions adds and deletes permitted projects, membership following."""

    def test_add_then_delete(self, page: Page, portal: MockPortal) -> None:
        app, version, _secret = promoted(portal, "Permissions Tab App")
        sign_in(page, portal)
        open_app_management(page)
        install(page, version.production_key or "", projects=None)
        page.get_by_role("row", name=re.compile("Permissions Tab App")).get_by_role(
            "link", name="View"
        ).click()
        page.get_by_role("tab", name="Permissions").click()
        section = permitted_projects(page)
        section.get_by_role("combobox").fill("Library")
        section.get_by_role("option", name="North Campus Library").click()
        section.get_by_role("combobox").fill("Bridge")
        section.get_by_role("option", name="Cedar Creek Bridge").click()
        section.get_by_role("button", name="Add", exact=True).click()
        table = section.get_by_role("table")
        expect(table.get_by_role("row")).to_have_count(3)  # header + 2
        table.get_by_role("row", name=re.compile("Cedar Creek Bridge")).get_by_role(
            "button", name="Delete"
        ).click()
        expect(table.get_by_role("row")).to_have_count(2)
        (installation,) = [i for i in portal.state.installations.values() if i.app_id == app.id]
        company = portal.state.companies[8089]
        names = {company.projects[p].name for p in installation.permitted_project_ids}
        assert names == {"North Campus Library"}
        assert (
            company.memberships[installation.service_account_id]
            == installation.permitted_project_ids
        )

    def test_select_all_with_ten_thousand_projects(self, page: Page, portal: MockPortal) -> None:
        app, version, _secret = promoted(portal, "Mega App")
        sign_in(page, portal, company="Mega Contractors")
        open_app_management(page)
        install(page, version.production_key or "", projects=None)
        row = page.get_by_role("row", name=re.compile("Mega App"))
        row.get_by_role("link", name="View").click()
        page.get_by_role("tab", name="Permissions").click()
        section = permitted_projects(page)
        section.get_by_role("combobox").click()
        section.get_by_role("option", name="Select All (10,000)").click()
        section.get_by_role("button", name="Add", exact=True).click()
        expect(section.get_by_text(re.compile("permitted projects$"))).to_have_text(
            "10,000 permitted projects"
        )
        (installation,) = [i for i in portal.state.installations.values() if i.app_id == app.id]
        assert len(installation.permitted_project_ids) == 10_000


class TestUpdateAndUninstall:
    """A newer production version shows Update Available; Update App > Review Update > Update
    moves to it and empties the permitted projects; Uninstall moves the app."""

    def test_update_available_then_uninstall(self, page: Page, portal: MockPortal) -> None:
        app, version, _secret = promoted(portal, "Updating App")
        sign_in(page, portal)
        open_app_management(page)
        install(page, version.production_key or "", projects=["Riverside Medical Center"])
        with portal.state.lock:
            newer = ManifestVersion("1.1.0", version.manifest, sandbox_key=new_version_key())
            newer.production_key = new_version_key()
            newer.promoted_at = newer.created_at
            newer.release_notes = "Reads daily logs"
            app.versions.append(newer)
        page.reload()
        row = page.get_by_role("row", name=re.compile("Updating App"))
        expect(row.get_by_text("Update Available")).to_be_visible()
        row.get_by_role("link", name="View").click()
        page.get_by_role("button", name="Update App").click()
        review = page.get_by_role("dialog", name="Review Update")
        expect(review).to_contain_text("1.1.0")
        expect(review).to_contain_text("Reads daily logs")
        review.get_by_role("button", name="Update", exact=True).click()
        expect(page.get_by_text("Update Available")).to_have_count(0)
        (installation,) = [i for i in portal.state.installations.values() if i.app_id == app.id]
        assert installation.app_version_key == newer.production_key
        assert installation.permitted_project_ids == set()  # do not carry over
        page.get_by_role("button", name="Uninstall").click()
        expect(page.get_by_role("tab", name="Uninstalled Apps")).to_have_attribute(
            "aria-selected", "true"
        )
        expect(page.get_by_role("table")).to_contain_text("Updating App")
        assert installation.uninstalled and installation.app_version_key == newer.production_key
