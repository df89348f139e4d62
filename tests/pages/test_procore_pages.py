"""Procore web app page objects against the mock: intents end in a known state, repeat safely."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from automation.mock_portal.faults import Faults
from automation.mock_portal.server import MockPortal
from automation.mock_portal.state import App, ManifestVersion, seed_promoted_app
from automation.pages.procore import CompanyAdmin, InstallRefused, ProcoreSignIn
from automation.secret import Secret

pytestmark = pytest.mark.browser

ADMIN = "admin@example.com"
PASSWORD = Secret("Procore-Pass-2026!", source="test:procore-admin")
PERMISSIONS = {
    "company": {"admin": "admin", "directory": "admin", "documents": "admin", "home": "readonly"},
    "project": {"admin": "admin", "directory": "admin", "documents": "admin", "home": "readonly"},
}


def promoted(portal: MockPortal, name: str) -> tuple[App, ManifestVersion]:
    with portal.state.lock:
        app, version, _secret = seed_promoted_app(portal.state, name, permissions=PERMISSIONS)
    return app, version


def admin(page: Page, portal: MockPortal, company: str) -> CompanyAdmin:
    site = ProcoreSignIn.site_for(page, portal.target().url("procore"), ADMIN, PASSWORD)
    company_admin = CompanyAdmin(site)
    company_admin.sign_in(ADMIN, PASSWORD)
    company_admin.open_company(company)
    return company_admin


def member_ids(portal: MockPortal, company_id: int, user_name: str) -> set[int]:
    company = portal.state.companies[company_id]
    (user,) = [u for u in company.users.values() if u.name == user_name]
    return set(company.memberships.get(user.id, set()))


class TestSignIn:
    """Signing in twice is harmless, and a lost session signs in again on navigation."""

    def test_repeat_and_expired_session(self, page: Page, portal: MockPortal) -> None:
        company_admin = admin(page, portal, "HingePoint")
        company_admin.sign_in(ADMIN, PASSWORD)  # already signed in: no-op
        page.context.clear_cookies()
        company_admin.open_company("HingePoint")  # Site.goto signs in again
        assert "/company/home" in page.url


class TestInstallAndPermit:
    """Install once (repeat reuses), permit all projects, 37 of 37 visible to the account."""

    def test_install_twice_permit_all(self, page: Page, portal: MockPortal) -> None:
        app, version = promoted(portal, "Procore DMSA App")
        company_admin = admin(page, portal, "HingePoint")
        first = company_admin.install_custom_app(version.production_key or "")
        again = company_admin.install_custom_app(version.production_key or "")
        assert first.installed_now and not again.installed_now
        assert first.service_account == again.service_account
        assert first.service_account.startswith("Procore DMSA App (")
        installs = [i for i in portal.state.installations.values() if i.app_id == app.id]
        assert len(installs) == 1

        assert company_admin.permit_projects(first.app_name, "all") == 37
        assert company_admin.permit_projects(first.app_name, "all") == 37  # repeat: no-op
        assert installs[0].permitted_project_ids == set(portal.state.companies[8089].projects)

    def test_refused_key_names_the_reason(self, page: Page, portal: MockPortal) -> None:
        _app, version = promoted(portal, "Sandbox Only App")
        company_admin = admin(page, portal, "HingePoint")
        with pytest.raises(InstallRefused, match="sandbox App Version ID"):
            company_admin.install_custom_app(version.sandbox_key)

    def test_permit_named_projects(self, page: Page, portal: MockPortal) -> None:
        _app, version = promoted(portal, "Named Projects App")
        company_admin = admin(page, portal, "HingePoint")
        installed = company_admin.install_custom_app(version.production_key or "")
        names = ["Cedar Creek Bridge", "Dogwood Daycare"]
        assert company_admin.permit_projects(installed.app_name, names) == 2
        assert company_admin.permit_projects(installed.app_name, names) == 2


class TestProjectSettings:
    """New-project checkbox and every existing project, by Add All below 2,000 projects."""

    def test_new_and_existing_projects(self, page: Page, portal: MockPortal) -> None:
        _app, version = promoted(portal, "Directory App")
        company_admin = admin(page, portal, "HingePoint")
        account = company_admin.install_custom_app(version.production_key or "").service_account
        assert company_admin.add_to_all_new_projects(account) is True
        assert company_admin.add_to_all_new_projects(account) is False
        result = company_admin.add_to_all_existing_projects(account)
        assert result.way == "add_all" and result.added == result.total_projects
        print(f"\nHingePoint: {result.describe()}")
        again = company_admin.add_to_all_existing_projects(account)
        assert again.way == "none" and again.added == 0
        assert member_ids(portal, 8089, account) == set(portal.state.companies[8089].projects)


class TestLargeCompany:
    """Above 2,000 projects (Add All absent) every project is still added, way reported."""

    def test_2500_projects(self, page: Page, portal: MockPortal) -> None:
        _app, version = promoted(portal, "Large App")
        company_admin = admin(page, portal, "Large Builders")
        account = company_admin.install_custom_app(version.production_key or "").service_account
        result = company_admin.add_to_all_existing_projects(account)
        print(f"\nLarge Builders: {result.describe()}")
        assert result.way == "rest" and result.added == 2500
        assert len(member_ids(portal, 8090, account)) == 2500

    def test_row_add(self, page: Page, portal: MockPortal) -> None:
        """Add on each row, page after page, adds exactly those projects (its cost:
        benchmarks/row_add_bench.py)."""
        from automation.pages.procore import ProjectSettings

        _app, version = promoted(portal, "Row Add App")
        company_admin = admin(page, portal, "Large Builders")
        account = company_admin.install_custom_app(version.production_key or "").service_account
        settings = ProjectSettings(company_admin.company, account)
        settings.open()
        assert settings._row_add(limit=20) == 20
        assert len(member_ids(portal, 8090, account)) == 20


@pytest.fixture
def faulty_portal() -> Iterator[MockPortal]:
    faults = Faults(
        latency_s=0.3,
        latency_share=0.2,
        error_rate=0.05,
        expire_session_after=30,
        dialog_delay_s=0.4,
        add_all_stall=True,
        seed=3,
    )
    with MockPortal(faults=faults) as running:
        yield running


class TestUnderFaults:
    """With latency, 5% server errors, one session expiry, slow dialogs and a stalling Add All,
    every intent still ends in its known state."""

    def test_whole_company_side(self, page: Page, faulty_portal: MockPortal) -> None:
        app, version = promoted(faulty_portal, "Faulty App")
        company_admin = admin(page, faulty_portal, "HingePoint")
        installed = company_admin.install_custom_app(version.production_key or "")
        assert company_admin.permit_projects(installed.app_name, "all") == 37
        assert company_admin.add_to_all_new_projects(installed.service_account) is True
        result = company_admin.add_to_all_existing_projects(installed.service_account)
        assert result.way in {"add_all", "none"}
        installs = [i for i in faulty_portal.state.installations.values() if i.app_id == app.id]
        assert len(installs) == 1
        company = faulty_portal.state.companies[8089]
        assert company.memberships[installs[0].service_account_id] == set(company.projects)
