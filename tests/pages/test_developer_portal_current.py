"""Page objects of the form-based Developer Portal (Procore's current one) against the mock,
in a real Chromium: the same intents as the classic page objects, with both wordings."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from automation.mock_portal.server import MockPortal
from automation.pages.base import Site
from automation.pages.developer_portal import (
    AppPage,
    BuilderAppPage,
    DeveloperNotVerified,
    MyAppsPage,
    SignInPage,
    developer_portal_site,
    open_app_page,
)
from automation.secret import Secret

PASSWORD = Secret("Portal-Pass-2026!", "seed")  # the seed accounts' test password
SEED = {"Admin": "Admin", "Directory": "Admin", "Documents": "Admin", "Home": "Read-Only"}
SEED_MANIFEST = {"admin": "admin", "directory": "admin", "documents": "admin", "home": "readonly"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
#: Procore's 2025 "Create an App" and Configuration Builder pages, as the mock's renames.
WORDING_2025 = (
    "rename=App Details & Versions:Configuration Builder;Credentials:OAuth Credentials;"
    "Edit Components:Add Components;Save:Save Component;Create App:Create;Save Version:Create;"
    "Developer Sandbox OAuth Credentials:Sandbox OAuth Credentials"
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_portal")]


def signed_in(page: Page, portal: MockPortal, email: str = "consultant@example.com") -> Site:
    site = developer_portal_site(page, portal.target().url("developer_portal"), email, PASSWORD)
    SignInPage(site).sign_in(email, PASSWORD)
    return site


@pytest.fixture
def site(page: Page, portal: MockPortal) -> Site:
    return signed_in(page, portal)


def new_app(site: Site, name: str = "Procore DMSA App") -> BuilderAppPage:
    page = open_app_page(site, MyAppsPage(site).open_or_create_app(name))
    assert isinstance(page, BuilderAppPage)
    return page


def apps(portal: MockPortal) -> list[dict[str, Any]]:
    request = urllib.request.Request(
        portal.base_url + "/__mock__/state", headers=portal.admin_headers()
    )
    with urllib.request.urlopen(request) as reply:
        found: list[dict[str, Any]] = json.load(reply)["apps"]
    return found


def set_faults(portal: MockPortal, spec: str) -> None:
    request = urllib.request.Request(
        portal.base_url + "/__mock__/faults",
        data=spec.encode(),
        method="POST",
        headers=portal.admin_headers(),
    )
    urllib.request.urlopen(request).close()


class TestGenerationFromThePage:
    """open_app_page returns the page object of the generation the portal shows."""

    def test_form_based(self, site: Site) -> None:
        assert isinstance(new_app(site), BuilderAppPage)

    def test_classic(self, page: Page) -> None:
        with MockPortal(ui="classic") as classic:
            site = signed_in(page, classic)
            ref = MyAppsPage(site).open_or_create_app("Procore DMSA App")
            assert isinstance(open_app_page(site, ref), AppPage)


class TestVersions:
    """A version with the service account, then exactly these permissions; re-runs reuse."""

    def test_service_account_then_permissions_then_nothing_new(
        self, site: Site, portal: MockPortal
    ) -> None:
        app = new_app(site)
        first = app.create_version_with_client_credentials()
        assert first.version == "1.0.0" and UUID.match(first.app_version_key)
        assert app.create_version_with_client_credentials() == first
        second = app.set_tool_permissions(SEED, SEED)
        assert second.version == "1.1.0" and second.app_version_key != first.app_version_key
        assert app.set_tool_permissions(SEED, SEED) == second
        assert app.create_version_with_client_credentials() == second
        (stored,) = apps(portal)
        assert [v["semver"] for v in stored["versions"]] == ["1.0.0", "1.1.0"]
        instances = stored["versions"][-1]["manifest"]["components"]["oauth"]["instances"]
        assert [i["grant_type"] for i in instances] == ["authorization_code", "client_credentials"]
        assert instances[1]["permissions"] == {"company": SEED_MANIFEST, "project": SEED_MANIFEST}

    def test_changed_permissions_make_a_new_exact_version(
        self, site: Site, portal: MockPortal
    ) -> None:
        app = new_app(site)
        app.set_tool_permissions(SEED, SEED)
        changed = app.set_tool_permissions({"Home": "Standard", "Concierge": "Admin"}, {})
        assert changed.version == "1.1.0"
        manifest = apps(portal)[0]["versions"][-1]["manifest"]
        (account,) = manifest["components"]["oauth"]["instances"][1:]
        assert account["permissions"] == {
            "company": {"home": "standard", "concierge": "admin"},
            "project": {},
        }

    def test_a_level_the_row_does_not_offer(self, site: Site, portal: MockPortal) -> None:
        """Concierge has no Read-only (greyed out in Procore's picture): said, not clicked."""
        with pytest.raises(ValueError, match="Concierge offers no readonly"):
            new_app(site).set_tool_permissions({"Concierge": "Read-Only"}, {})
        assert apps(portal)[0]["versions"] == []


class TestScreens:
    """The mock's widgets are Procore's design system's: plain modals, aria-current tabs,
    grid radios without names of their own."""

    def test_widgets(self, site: Site) -> None:
        new_app(site)
        page = site.page
        tab = page.get_by_role("button", name="App Details & Versions")
        expect(tab).to_have_attribute("aria-current", "page")
        expect(page.get_by_role("tab")).to_have_count(0)
        page.get_by_role("link", name="Create Version").click()
        page.get_by_role("button", name="Edit Components").click()
        expect(page.get_by_role("heading", name="Edit Components")).to_be_visible()
        expect(page.get_by_role("dialog")).to_have_count(0)
        service_account = page.get_by_role("checkbox", name="Service Account Authentication")
        expect(service_account).to_be_disabled()  # never alone
        page.get_by_role("checkbox", name="User Level Authentication").check()
        service_account.check()
        radios = page.get_by_role("table").get_by_role("radio")
        expect(radios.first).to_be_visible()
        assert radios.first.get_attribute("aria-label") is None
        expect(page.get_by_role("radio", name=re.compile("Admin"))).to_have_count(0)


class TestPromotion:
    """First promotion shows the credentials once; a re-run promotes nothing."""

    def test_first_promotion_then_rerun(self, site: Site, portal: MockPortal) -> None:
        app = new_app(site)
        version = app.set_tool_permissions(SEED, SEED).version
        assert not app.is_promoted()
        assert app.promote(version, "First production version")
        dialog = app.credentials_dialog()
        client_id, secret = dialog.read()
        dialog.close()
        assert app.is_promoted() and app.production_client_id() == client_id
        key = app.production_app_version_key(version)
        assert key is not None and UUID.match(key)
        assert not app.promote(version, "again")
        (stored,) = apps(portal)
        assert stored["production_client_id"] == client_id
        assert stored["versions"][-1]["production_key"] == key
        assert secret.reveal() not in site.page.content()

    def test_reset_client_secret(self, site: Site) -> None:
        app = new_app(site)
        app.create_version_with_client_credentials()
        assert app.promote(None, "First production version")
        first = app.credentials_dialog()
        client_id, old = first.read()
        first.close()
        dialog = app.reset_client_secret()
        same_id, new = dialog.read()
        dialog.close()
        assert same_id == client_id and new.reveal() != old.reveal()


class TestUnverifiedOrganization:
    """ "Become a Verified Developer" instead of production options: said before anything."""

    def test_my_apps_and_promote_say_so(self, page: Page, portal: MockPortal) -> None:
        site = signed_in(page, portal, "unverified@example.com")
        assert not MyAppsPage(site).is_verified_developer()
        app = new_app(site, "Made By Hand")
        app.create_version_with_client_credentials()
        with pytest.raises(DeveloperNotVerified):
            app.promote(None, "First production version")
        assert apps(portal)[0]["production_client_id"] is None

    def test_a_verified_one_is_not_stopped(self, site: Site) -> None:
        assert MyAppsPage(site).is_verified_developer()


@pytest.fixture
def wording_2025(portal: MockPortal) -> Iterator[None]:
    set_faults(portal, WORDING_2025)
    yield
    set_faults(portal, "")


@pytest.mark.usefixtures("wording_2025")
class TestWording2025:
    """Procore's 2025 pages' words (Configuration Builder, Add Components, Save Component,
    OAuth Credentials, Sandbox OAuth Credentials, Create) drive the same procedure."""

    def test_whole_developer_side(self, site: Site, portal: MockPortal) -> None:
        page = site.page
        app = new_app(site)
        expect(page.get_by_role("button", name="Configuration Builder")).to_be_visible()
        version = app.set_tool_permissions(SEED, SEED)
        assert version.version == "1.0.0" and app.set_tool_permissions(SEED, SEED) == version
        assert app.promote(version.version, "First production version")
        dialog = app.credentials_dialog()
        client_id, _secret = dialog.read()
        dialog.close()
        assert app.production_client_id() == client_id
        expect(page.get_by_role("button", name="OAuth Credentials")).to_be_visible()
        assert app.production_app_version_key(version.version) is not None
        assert len(apps(portal)) == 1
