"""Developer Portal sign-in through Procore's login, with plain Playwright against the mock."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import Page, expect

from automation.mock_portal.server import MockPortal
from automation.testing.procore_login import log_in_by_hand

PASSWORD = "Portal-Pass-2026!"  # the seed accounts' test password (the mock seed default.json)
MFA_SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_portal")]


class TestSignIn:
    """Sign In leads to Procore's login, which comes back to My Apps signed in."""

    def test_from_the_landing_page(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/developers/")
        page.get_by_role("link", name="Sign In").first.click()
        assert page.url.startswith(portal.base_url + "/login/")
        log_in_by_hand(page, "consultant@example.com", PASSWORD)
        expect(page.get_by_role("heading", name="My Apps")).to_be_visible()
        expect(page.get_by_text("consultant@example.com")).to_be_visible()

    def test_sign_out_signs_out_of_the_login_too(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/developers/sign_in")
        log_in_by_hand(page, "consultant@example.com", PASSWORD)
        page.get_by_role("button", name="Sign Out").click()
        page.goto(portal.base_url + "/developers/apps")
        expect(page.get_by_label("Email")).to_be_visible()
        expect(page.get_by_role("button", name="Continue")).to_be_visible()

    def test_an_account_without_a_developer_record(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/developers/sign_in")
        log_in_by_hand(page, "admin@example.com", "Procore-Pass-2026!")
        expect(page.get_by_role("heading", name="No Developer Account")).to_be_visible()
        expect(page.get_by_role("button", name="Sign Out")).to_have_count(0)


class TestRedirectBack:
    """A signed-out visit to any page goes through the login and back to that page."""

    def test_back_to_the_app_page(self, page: Page, portal: MockPortal) -> None:
        with portal.state.lock:
            app, _ = portal.state.new_app("Deep Link App", "consultant@example.com")
        page.goto(f"{portal.base_url}/developers/apps/{app.id}")
        log_in_by_hand(page, "consultant@example.com", PASSWORD)
        expect(page.get_by_role("heading", name="Deep Link App")).to_be_visible()
        assert page.url.endswith(f"/developers/apps/{app.id}")

    def test_no_open_redirect(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/developers/sign_in?next=https://evil.example/")
        log_in_by_hand(page, "consultant@example.com", PASSWORD)
        expect(page.get_by_role("heading", name="My Apps")).to_be_visible()

    def test_another_developers_app_is_not_found(self, page: Page, portal: MockPortal) -> None:
        with portal.state.lock:
            app, _ = portal.state.new_app("Not Yours", "mfa@example.com")
        page.goto(portal.base_url + "/developers/sign_in")
        log_in_by_hand(page, "consultant@example.com", PASSWORD)
        response = page.goto(f"{portal.base_url}/developers/apps/{app.id}")
        assert response is not None and response.status == 404


class TestSecondFactor:
    """The MFA seed account must also pass Authenticator App with a current TOTP code."""

    def test_authenticator_app_code(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/developers/apps")
        page.get_by_label("Email").fill("mfa@example.com")
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="How Do You Want to Verify Your Identity")
               ).to_be_visible()
        page.get_by_role("link", name="Authenticator App").click()
        expect(page.get_by_role("heading", name="Enter Your 6-digit Verification Code")
               ).to_be_visible()
        page.get_by_role("textbox").fill("000000")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text("The verification code you entered is invalid.")).to_be_visible()
        page.get_by_role("textbox").fill(pyotp.TOTP(MFA_SEED).now())
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="My Apps")).to_be_visible()

    def test_password_alone_is_not_signed_in(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/developers/sign_in")
        page.get_by_label("Email").fill("mfa@example.com")
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("link", name="Use a Phone Number")).to_be_visible()
        page.goto(portal.base_url + "/developers/apps")
        expect(page.get_by_role("heading", name="My Apps")).to_have_count(0)
        expect(page.get_by_role("button", name="Continue")).to_be_visible()
