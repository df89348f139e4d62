"""Developer Portal page objects against the mock portal, in a real Chromium."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Page, expect

from automation.mock_portal.server import MockPortal
from automation.pages.base import Site
from automation.pages.developer_portal import (
    AppPage,
    MyAppsPage,
    SecondFactorRequired,
    SignInPage,
    SignInRefused,
    VersionRefused,
    VersionRow,
    developer_portal_site,
)
from automation.secret import Secret

PASSWORD = Secret("Portal-Pass-2026!", "seed")  # the seed accounts' test password
SEED_PERMISSIONS = {
    "Admin": "Admin",
    "Directory": "Admin",
    "Documents": "Admin",
    "Home": "Read-Only",
}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_portal")]


@pytest.fixture(scope="module")
def developer_ui() -> str:
    return "classic"  # this module is about the classic manifest editor


class TOTP(pyotp.TOTP):
    min_secret_length_bits = 80  # the seed's demo secret is 80 bits; pyotp wants 112 by default


@pytest.fixture
def site(page: Page, portal: MockPortal) -> Site:
    return developer_portal_site(
        page, portal.target().url("developer_portal"), "consultant@example.com", PASSWORD
    )


def mock_state(portal: MockPortal) -> dict[str, Any]:
    request = urllib.request.Request(
        portal.base_url + "/__mock__/state", headers=portal.admin_headers()
    )
    with urllib.request.urlopen(request) as reply:
        state: dict[str, Any] = json.load(reply)
    return state


def token_status(portal: MockPortal, client_id: str, secret: Secret) -> tuple[int, str]:
    body = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret.reveal(),
        }
    ).encode()
    try:
        with urllib.request.urlopen(portal.base_url + "/oauth/token", body) as reply:
            return reply.status, str(json.load(reply)["token_type"])
    except urllib.error.HTTPError as error:
        return error.code, str(json.load(error)["error"])


def developer_side(site: Site) -> tuple[str, AppPage, str, str]:
    """The seed's Developer Portal half, as the runbook will chain it."""
    SignInPage(site).sign_in("consultant@example.com", PASSWORD)
    ref = MyAppsPage(site).open_or_create_app("Procore DMSA App")
    app = AppPage(site).open(ref)
    first_key = app.create_version_with_client_credentials().app_version_key
    key = app.set_tool_permissions(SEED_PERMISSIONS, SEED_PERMISSIONS).app_version_key
    return ref, app, first_key, key


class TestSignIn:
    """sign_in ends signed in, is a no-op when already signed in, and says why it failed."""

    def test_sign_in_then_no_op(self, site: Site) -> None:
        sign_in = SignInPage(site)
        sign_in.sign_in("consultant@example.com", PASSWORD)
        expect(site.page.get_by_role("heading", name="My Apps")).to_be_visible()
        sign_in.sign_in("consultant@example.com", PASSWORD)
        expect(site.page.get_by_role("button", name="Sign Out")).to_be_visible()

    def test_wrong_password(self, site: Site) -> None:
        with pytest.raises(SignInRefused, match="email or password you entered is incorrect"):
            SignInPage(site).sign_in("consultant@example.com", Secret("wrong-password"))

    def test_second_factor(self, site: Site) -> None:
        with pytest.raises(SecondFactorRequired):
            SignInPage(site).sign_in("mfa@example.com", PASSWORD)
        seed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        SignInPage(site).sign_in("mfa@example.com", PASSWORD, TOTP(seed).now)
        expect(site.page.get_by_text("mfa@example.com")).to_be_visible()

    def test_signs_in_again_when_the_session_is_gone(self, site: Site, portal: MockPortal) -> None:
        SignInPage(site).sign_in("consultant@example.com", PASSWORD)
        ref = MyAppsPage(site).open_or_create_app("Session App")
        site.page.context.clear_cookies()
        app = AppPage(site).open(ref)
        assert app.name() == "Session App"


class TestOpenOrCreateApp:
    """open_or_create_app reuses the app with that name: no duplicate on a re-run."""

    def test_reuse(self, site: Site, portal: MockPortal) -> None:
        SignInPage(site).sign_in("consultant@example.com", PASSWORD)
        my_apps = MyAppsPage(site)
        first = my_apps.open_or_create_app("Procore DMSA App")
        again = my_apps.open_or_create_app("Procore DMSA App")
        assert first == again and not first.startswith("http")
        assert my_apps.app_names() == ["Procore DMSA App"]
        assert [a["name"] for a in mock_state(portal)["apps"]] == ["Procore DMSA App"]
        assert re.fullmatch(r"[0-9a-f]{64}", AppPage(site).open(first).sandbox_client_id())


class TestManifestVersions:
    """Versions with client_credentials and exact tool permissions, each made only once."""

    def test_client_credentials_then_permissions_then_nothing_new(
        self, site: Site, portal: MockPortal
    ) -> None:
        _, app, first_key, key = developer_side(site)
        assert UUID.match(first_key) and UUID.match(key) and first_key != key
        assert [row.version for row in app.versions("Sandbox")] == ["1.1.0", "1.0.0"]
        (state_app,) = mock_state(portal)["apps"]
        latest = state_app["versions"][-1]
        (instance,) = latest["manifest"]["components"]["oauth"]["instances"]
        assert instance["grant_type"] == "client_credentials"
        expected = {
            "admin": "admin",
            "directory": "admin",
            "documents": "admin",
            "home": "readonly",
        }
        assert instance["permissions"] == {"company": expected, "project": expected}
        assert app.create_version_with_client_credentials() == VersionRow("1.1.0", key)
        assert app.set_tool_permissions(SEED_PERMISSIONS, SEED_PERMISSIONS) == VersionRow(
            "1.1.0", key
        )
        assert len(mock_state(portal)["apps"][0]["versions"]) == 2

    def test_changed_permissions_make_an_exact_new_version(
        self, site: Site, portal: MockPortal
    ) -> None:
        _, app, _, key = developer_side(site)
        newer = app.set_tool_permissions({"Documents": "Standard"}, {"Daily Log": "read-only"})
        assert newer.version == "1.2.0" and UUID.match(newer.app_version_key)
        assert newer.app_version_key != key
        manifest = mock_state(portal)["apps"][0]["versions"][-1]["manifest"]
        (instance,) = manifest["components"]["oauth"]["instances"]
        assert instance["permissions"] == {
            "company": {"documents": "standard"},
            "project": {"daily_log": "readonly"},
        }

    def test_a_refused_version_says_why(self, site: Site, portal: MockPortal) -> None:
        """Create answers in place, without reloading: the dialog's reason is raised."""
        _, app, _, _ = developer_side(site)
        dialog = app.open_create_version()
        with pytest.raises(VersionRefused, match=r"greater than 1\.1\.0"):
            dialog.create("1.0.0")
        assert len(mock_state(portal)["apps"][0]["versions"]) == 2

    def test_admin_tool_offers_only_none_or_admin(self, site: Site) -> None:
        SignInPage(site).sign_in("consultant@example.com", PASSWORD)
        app = AppPage(site).open(MyAppsPage(site).open_or_create_app("Checked App"))
        with pytest.raises(ValueError, match="only None or Admin"):
            app.set_tool_permissions({"Admin": "Read-Only"}, {})


class TestPromotion:
    """promote shows the credentials once; read() and close() are separate; re-runs skip."""

    def test_first_promotion_and_rerun(self, site: Site, portal: MockPortal) -> None:
        ref, app, _, _ = developer_side(site)
        assert not app.is_promoted() and app.production_client_id() is None
        assert app.promote(None, "First production version") is True
        dialog = app.credentials_dialog()
        client_id, secret = dialog.read()
        assert isinstance(secret, Secret) and str(secret) == "<secret>"
        assert dialog.is_open()  # read() never closes: the caller stores the secret first
        assert token_status(portal, client_id, secret) == (200, "bearer")
        dialog.close()
        assert app.is_promoted() and app.production_client_id() == client_id
        key = app.production_app_version_key()
        assert key is not None and UUID.match(key)
        assert key == mock_state(portal)["apps"][0]["versions"][-1]["production_key"]
        assert app.promote(None, "First production version") is False  # already promoted
        assert app.promote("1.1.0", "again") is False
        AppPage(site).open(ref)
        assert app.production_app_version_key("1.1.0") == key
        assert [v["release_notes"] for v in mock_state(portal)["apps"][0]["versions"]] == [
            None,
            "First production version",
        ]

    def test_later_promotion_shows_no_credentials(self, site: Site, portal: MockPortal) -> None:
        _, app, _, _ = developer_side(site)
        assert app.promote("1.0.0", "Old one first") is True
        app.credentials_dialog().read()
        app.credentials_dialog().close()
        assert app.promote("1.1.0", "Then the permissions") is False
        assert [row.version for row in app.versions("Production")] == ["1.1.0", "1.0.0"]
        assert app.production_app_version_key() == app.production_app_version_key("1.1.0")


class TestResetClientSecret:
    """reset_client_secret returns the dialog with a new secret; the old one is void."""

    def test_reset(self, site: Site, portal: MockPortal) -> None:
        _, app, _, _ = developer_side(site)
        app.promote(None, "First production version")
        client_id, old = app.credentials_dialog().read()
        app.credentials_dialog().close()
        dialog = app.reset_client_secret()
        same_id, new = dialog.read()
        assert same_id == client_id and new != old
        dialog.close()
        assert token_status(portal, client_id, old) == (401, "invalid_client")
        assert token_status(portal, client_id, new) == (200, "bearer")


class TestRunTwice:
    """The whole Developer Portal half twice: one app, two versions, one promotion."""

    def test_twice(self, site: Site, portal: MockPortal) -> None:
        for _ in range(2):
            _, app, _, _ = developer_side(site)
            if app.promote(None, "First production version"):
                app.credentials_dialog().read()
                app.credentials_dialog().close()
        (state_app,) = mock_state(portal)["apps"]
        assert [v["semver"] for v in state_app["versions"]] == ["1.0.0", "1.1.0"]
        assert [bool(v["production_key"]) for v in state_app["versions"]] == [False, True]


class TestUnderFaults:
    """Slow dialogs, latency, passing server errors and a lost session change nothing."""

    SPEC = "dialog_delay=0.3,latency=0.3@0.2,errors=0.2,expire_session_after=11,seed=5"

    def test_faulty_portal(self, site: Site, portal: MockPortal) -> None:
        failures: list[int] = []
        site.page.on("response", lambda r: failures.append(r.status) if r.status >= 500 else None)
        post_faults(portal, self.SPEC)
        try:
            _, app, _, _ = developer_side(site)
            assert app.promote(None, "First production version") is True
            client_id, secret = app.credentials_dialog().read()
            app.credentials_dialog().close()
            assert app.production_app_version_key() is not None
            assert portal.app.config["PORTAL_FAULT_RUNTIME"].session_expired
        finally:
            post_faults(portal, "")
        assert failures, "the faults should have failed at least one request"
        assert token_status(portal, client_id, secret)[0] == 200
        (state_app,) = mock_state(portal)["apps"]
        assert [v["semver"] for v in state_app["versions"]] == ["1.0.0", "1.1.0"]


def post_faults(portal: MockPortal, spec: str) -> None:
    request = urllib.request.Request(
        portal.base_url + "/__mock__/faults",
        data=spec.encode(),
        method="POST",
        headers=portal.admin_headers(),
    )
    urllib.request.urlopen(request).close()
