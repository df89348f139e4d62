"""Developer Portal sign-in, driven with plain Playwright against the mock over HTTP."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import Page, expect

from automation.mock_portal.server import MockPortal

PASSWORD = "Portal-Pass-2026!"  # the seed accounts' test password (fixtures/mock/default.json)
MFA_SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_portal")]


class TOTP(pyotp.TOTP):
    min_secret_length_bits = 80  # the seed's demo secret is 80 bits; pyotp wants 112 by default


def fill_sign_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()


class TestSignIn:
    """Email and password open My Apps; wrong ones are refused with a message."""

    def test_from_the_landing_page(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/developers/")
        page.get_by_role("link", name="Sign In").first.click()
        fill_sign_in(page, "consultant@example.com", PASSWORD)
        expect(page.get_by_role("heading", name="My Apps")).to_be_visible()
        expect(page.get_by_text("consultant@example.com")).to_be_visible()

    def test_wrong_password(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/developers/sign_in")
        fill_sign_in(page, "consultant@example.com", "not-the-password")
        expect(page.get_by_role("alert")).to_have_text("Invalid email or password.")
        expect(page.get_by_role("heading", name="Sign In")).to_be_visible()

    def test_sign_out(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/developers/sign_in")
        fill_sign_in(page, "consultant@example.com", PASSWORD)
        page.get_by_role("button", name="Sign Out").click()
        page.goto(portal.base_url + "/developers/apps")
        expect(page.get_by_role("heading", name="Sign In")).to_be_visible()


class TestRedirectBack:
    """A signed-out visit to any page goes through Sign In and back to that page."""

    def test_back_to_the_app_page(self, page: Page, portal: MockPortal) -> None:
        with portal.state.lock:
            app, _ = portal.state.new_app("Deep Link App", "consultant@example.com")
        page.goto(f"{portal.base_url}/developers/apps/{app.id}")
        expect(page.get_by_role("heading", name="Sign In")).to_be_visible()
        fill_sign_in(page, "consultant@example.com", PASSWORD)
        expect(page.get_by_role("heading", name="Deep Link App")).to_be_visible()
        assert page.url.endswith(f"/developers/apps/{app.id}")

    def test_no_open_redirect(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/developers/sign_in?next=https://evil.example/")
        fill_sign_in(page, "consultant@example.com", PASSWORD)
        expect(page.get_by_role("heading", name="My Apps")).to_be_visible()

    def test_another_developers_app_is_not_found(self, page: Page, portal: MockPortal) -> None:
        with portal.state.lock:
            app, _ = portal.state.new_app("Not Yours", "mfa@example.com")
        page.goto(portal.base_url + "/developers/sign_in")
        fill_sign_in(page, "consultant@example.com", PASSWORD)
        response = page.goto(f"{portal.base_url}/developers/apps/{app.id}")
        assert response is not None and response.status == 404


class TestSecondFactor:
    """The MFA seed account must also give a current 6-digit TOTP code."""

    def test_totp_code(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/developers/apps")
        fill_sign_in(page, "mfa@example.com", PASSWORD)
        expect(page.get_by_role("heading", name="Two-Step Verification")).to_be_visible()
        page.get_by_label("Verification Code").fill("000000")
        page.get_by_role("button", name="Verify").click()
        expect(page.get_by_role("alert")).to_contain_text("not valid")
        page.get_by_label("Verification Code").fill(TOTP(MFA_SEED).now())
        page.get_by_role("button", name="Verify").click()
        expect(page.get_by_role("heading", name="My Apps")).to_be_visible()

    def test_password_alone_is_not_signed_in(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/developers/sign_in")
        fill_sign_in(page, "mfa@example.com", PASSWORD)
        expect(page.get_by_label("Verification Code")).to_be_visible()
        page.goto(portal.base_url + "/developers/apps")
        expect(page.get_by_role("heading", name="Sign In")).to_be_visible()
