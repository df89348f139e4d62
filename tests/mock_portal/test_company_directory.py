"""The mock Procore web app's Directory and Project Settings, driven with plain Playwright."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from automation.mock_portal.faults import Faults
from automation.mock_portal.server import MockPortal
from automation.mock_portal.state import Company, Installation, User, seed_promoted_app
from automation.pages.visible import holding
from automation.testing.procore_login import log_in_by_hand

pytestmark = pytest.mark.browser

ADMIN, PASSWORD = "admin@example.com", "Procore-Pass-2026!"


def installed(portal: MockPortal, company_id: int, name: str) -> tuple[Installation, User]:
    """An app installed in the company (through the same code the Install button runs)."""
    from automation.mock_portal.procore.apps import install_app

    with portal.state.lock:
        _app, version, _secret = seed_promoted_app(portal.state, name)
        company = portal.state.companies[company_id]
        installation = install_app(portal.state, company, version.production_key or "")
        return installation, company.users[installation.service_account_id]


def sign_in(page: Page, portal: MockPortal) -> None:
    page.goto(portal.base_url + "/app/login")
    log_in_by_hand(page, ADMIN, PASSWORD)
    expect(page.get_by_role("heading", name="Select a Company")).to_be_visible()


def open_edit(page: Page, portal: MockPortal, company: str, user: User) -> None:
    sign_in(page, portal)
    page.get_by_role("link", name=company, exact=True).click()
    page.get_by_role("button", name="Company Tools").click()
    page.get_by_role("menuitem", name="Directory").click()
    page.get_by_role("searchbox").fill(user.name)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("row", name=re.compile(re.escape(user.name))).get_by_role(
        "link", name="Edit"
    ).click()
    expect(page.get_by_role("heading", name=f"Edit {user.name}")).to_be_visible()


def table_under(page: Page, heading: str) -> Locator:
    """The table in the block under ``heading``."""
    title = page.get_by_role("heading", name=heading, exact=True)
    return holding(page, title, page.get_by_role("table")).get_by_role("table")


def absent_table(page: Page, user: User) -> Locator:
    return table_under(page, f"Projects {user.name} Does Not Belong To")


def add_all_progress(page: Page) -> Locator:
    """The live region with Add All's progress bar."""
    return page.get_by_role("status").filter(has=page.get_by_role("progressbar"))


def members(company: Company, user: User) -> set[int]:
    return set(company.memberships.get(user.id, set()))


class TestDirectoryList:
    """The service account appears in the company Directory, marked as an app."""

    def test_service_account_listed(self, page: Page, portal: MockPortal) -> None:
        _installation, account = installed(portal, 8089, "Listed App")
        sign_in(page, portal)
        page.goto(portal.base_url + "/app/8089/company/directory")
        row = page.get_by_role("row", name=re.compile(re.escape(account.name)))
        expect(row).to_contain_text("App")
        expect(row.get_by_role("link", name="Edit")).to_be_visible()


class TestNewProjectSettings:
    """The checkbox and default template save; new projects then include the user."""

    def test_add_to_all_new_projects(self, page: Page, portal: MockPortal) -> None:
        _installation, account = installed(portal, 8089, "New Projects App")
        open_edit(page, portal, "HingePoint", account)
        checkbox = page.get_by_role(
            "checkbox", name=f"Add {account.name} to all new projects in HingePoint"
        )
        expect(checkbox).not_to_be_checked()
        page.get_by_role("button", name="Select Default Template").click()
        dialog = page.get_by_role("dialog", name="Select Default Template")
        dialog.get_by_role("radio", name="Standard").check()
        dialog.get_by_role("button", name="Apply").click()
        checkbox.check()
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_have_text("Changes saved.")
        expect(checkbox).to_be_checked()
        assert account.add_to_new_projects and account.default_template == "Standard"
        assert account.permission_template == "Standard"  # the company template is untouched

        page.get_by_role("button", name="Company Tools").click()
        page.get_by_role("menuitem", name="New Project").click()
        page.get_by_label("Name").fill("Brand New Tower")
        page.get_by_role("button", name="Create").click()
        expect(page.get_by_role("status")).to_have_text("Project created.")
        company = portal.state.companies[8089]
        (new,) = [p for p in company.projects.values() if p.name == "Brand New Tower"]
        assert new.id in members(company, account)


class TestRowAdd:
    """Add on a row moves the project to Current Project Settings at once, and permits it."""

    def test_add_one_and_change_template(self, page: Page, portal: MockPortal) -> None:
        installation, account = installed(portal, 8089, "Row Add App")
        open_edit(page, portal, "HingePoint", account)
        page.get_by_role("searchbox").fill("Marina")
        page.get_by_role("button", name="Filter").click()
        absent = absent_table(page, account)
        expect(absent.get_by_role("row")).to_have_count(2)
        absent.get_by_role("row", name=re.compile("Silver Lake Marina")).get_by_role(
            "button", name="Add"
        ).click()
        current = table_under(page, "Current Project Settings")
        row = current.get_by_role("row", name=re.compile("Silver Lake Marina"))
        expect(row).to_be_visible()
        expect(absent.get_by_role("row")).to_have_count(1)
        company = portal.state.companies[8089]
        (marina,) = [p.id for p in company.projects.values() if p.name == "Silver Lake Marina"]
        assert members(company, account) == {marina} == installation.permitted_project_ids

        row.get_by_role("button", name="Change Template").click()
        dialog = page.get_by_role("dialog", name="Change Template")
        dialog.get_by_label("Permission Template").select_option("Project Manager")
        dialog.get_by_role("button", name="Apply").click()
        expect(row).to_contain_text("Project Manager")
        assert account.project_templates[marina] == "Project Manager"


class TestAddAll:
    """Add All adds every missing project progressively; Complete then OK."""

    def test_add_all_completes(self, page: Page, portal: MockPortal) -> None:
        installation, account = installed(portal, 8089, "Add All App")
        open_edit(page, portal, "HingePoint", account)
        total = len(portal.state.companies[8089].active_projects())
        page.get_by_role("button", name="Add All").click()
        progress = add_all_progress(page)
        expect(progress).to_contain_text(f"Complete. {total} of {total} projects were added.")
        progress.get_by_role("button", name="OK", exact=True).click()
        expect(absent_table(page, account).get_by_role("row")).to_have_count(1)  # header only
        page.get_by_role("button", name="Save").click()
        company = portal.state.companies[8089]
        assert members(company, account) == set(company.projects)
        assert installation.permitted_project_ids == set(company.projects)


@pytest.fixture
def slow_portal() -> Iterator[MockPortal]:
    """2,500 projects with Add All allowed and slow batches, so Cancel lands mid-way."""
    with MockPortal(faults=Faults(add_all_stall=True)) as running:
        running.state.add_all_limit = 3000
        running.app.config["PROCORE_ADD_ALL_BATCH"] = 100
        running.app.config["PROCORE_ADD_ALL_PAUSE_S"] = 0.15
        yield running


class TestAddAllInterrupted:
    """A stalled job says so and resumes with Retry; Cancel stops; Add All resumes to the end."""

    def test_stall_retry_cancel_resume(self, page: Page, slow_portal: MockPortal) -> None:
        _installation, account = installed(slow_portal, 8090, "Big App")
        open_edit(page, slow_portal, "Large Builders", account)
        page.get_by_role("button", name="Add All").click()
        progress = add_all_progress(page)
        expect(progress).to_contain_text("Adding projects has stalled at 100 of 2,500")
        company = slow_portal.state.companies[8090]
        assert len(members(company, account)) == 100

        progress.get_by_role("button", name="Retry").click()
        expect(progress).to_contain_text("Adding projects…")
        progress.get_by_role("button", name="Cancel").click()
        expect(progress).to_contain_text("Cancelled.")
        stopped = len(members(company, account))
        assert 100 < stopped < 2500

        page.get_by_role("button", name="Add All").click()
        expect(progress).to_contain_text("Complete.", timeout=20_000)
        assert members(company, account) == {p.id for p in company.active_projects()}


class TestAddAllUnavailable:
    """From 2,000 active projects on, Add All is absent or disabled, as the portal is set."""

    @pytest.mark.parametrize("mode", ["absent", "disabled"])
    def test_large_company(self, page: Page, portal: MockPortal, mode: str) -> None:
        _installation, account = installed(portal, 8090, f"Unavailable {mode}")
        portal.state.add_all_mode = mode  # type: ignore[assignment]
        open_edit(page, portal, "Large Builders", account)
        add_all = page.get_by_role("button", name="Add All")
        if mode == "absent":
            expect(add_all).to_have_count(0)
        else:
            expect(add_all).to_be_disabled()
        expect(
            absent_table(page, account).get_by_role("button", name="Add", exact=True).first
        ).to_be_visible()
