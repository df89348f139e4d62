"""The mock of Procore's login, screen by screen, with plain Playwright over HTTP."""

from __future__ import annotations

import urllib.parse

import pytest
from playwright.sync_api import Page, expect

from automation.mock_portal.server import MockPortal
from automation.testing.procore_login import log_in_by_hand

ADMIN_PASSWORD = "Procore-Pass-2026!"  # automation/mock_portal/seeds/default.json

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_portal")]


def login(page: Page, portal: MockPortal, return_to: str = "/app/") -> None:
    page.goto(f"{portal.base_url}/login/?{urllib.parse.urlencode({'return_to': return_to})}")


class TestEmailFirst:
    """The email comes first; the password screen shows it with Edit and Forgot Password."""

    def test_email_then_password(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/app/")
        expect(page.get_by_label("Email")).to_be_visible()
        expect(page.get_by_label("Password")).to_have_count(0)
        page.get_by_label("Email").fill("admin@example.com")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Enter Your Password")).to_be_visible()
        expect(page.get_by_text("admin@example.com", exact=True)).to_be_visible()
        expect(page.get_by_role("link", name="Forgot Password")).to_be_visible()
        page.get_by_label("Password").fill(ADMIN_PASSWORD)
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Select a Company")).to_be_visible()
        expect(page.get_by_role("link", name="Sign Out")).to_be_visible()

    def test_edit_goes_back_to_the_email(self, page: Page, portal: MockPortal) -> None:
        login(page, portal)
        page.get_by_label("Email").fill("someone@example.com")
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("link", name="Edit").click()
        expect(page.get_by_label("Email")).to_have_value("someone@example.com")

    def test_forgot_password(self, page: Page, portal: MockPortal) -> None:
        login(page, portal)
        page.get_by_label("Email").fill("admin@example.com")
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("link", name="Forgot Password").click()
        page.get_by_role("button", name="Send Instructions").click()
        expect(page.get_by_text("we sent instructions")).to_be_visible()


class TestRefusals:
    """A wrong password, or an unknown email, gets the same visible error and no session."""

    @pytest.mark.parametrize("email", ["admin@example.com", "nobody@example.com"])
    def test_wrong_password(self, page: Page, portal: MockPortal, email: str) -> None:
        login(page, portal)
        page.get_by_label("Email").fill(email)
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text("The email or password you entered is incorrect.")
               ).to_be_visible()
        page.goto(portal.base_url + "/app/")
        expect(page.get_by_role("link", name="Sign Out")).to_have_count(0)


class TestReturnTo:
    """The login returns only to a path of the mock, else to the company web app."""

    @pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                        "/\\evil.example", "javascript:alert(1)"])
    def test_elsewhere_is_refused(self, page: Page, portal: MockPortal, target: str) -> None:
        login(page, portal, return_to=target)
        log_in_by_hand(page, "admin@example.com", ADMIN_PASSWORD)
        assert page.url.startswith(portal.base_url + "/app/")


class TestSingleSignOn:
    """An SSO account never sees a password field: Continue goes to its identity provider."""

    def test_identity_provider_then_back(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/app/")
        page.get_by_label("Email").fill("riley@sso.example.com")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="HingePoint Okta")).to_be_visible()
        expect(page.get_by_role("heading", name="Enter Your Password")).to_have_count(0)
        page.get_by_label("Password").fill("Okta-Pass-2026!")
        page.get_by_role("button", name="Sign In").click()
        expect(page.get_by_role("link", name="Sign Out")).to_be_visible()
        expect(page.get_by_text("riley@sso.example.com")).to_be_visible()


class TestCompanyChoice:
    """A person invited to several companies picks one, then Continue opens it."""

    def test_pick_then_continue(self, page: Page, portal: MockPortal) -> None:
        page.goto(portal.base_url + "/app/")
        log_in_by_hand(page, "pat@example.com", ADMIN_PASSWORD)
        expect(page.get_by_role("radio", name="HingePoint")).to_be_visible()
        expect(page.get_by_role("radio", name="Large Builders")).to_be_visible()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text("Select a company.")).to_be_visible()
        page.get_by_role("radio", name="Large Builders").check()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("banner")).to_contain_text("Large Builders")
        assert page.url.endswith("/app/8090/company/home")
