"""The ProcoreLogin page object against the mock's login, in a real Chromium over HTTP."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from automation import actions
from automation.execute.context import StepRun
from automation.execute.session import BrowserSession
from automation.mock_portal.server import MockPortal
from automation.pages.base import Site
from automation.pages.developer_portal import SignInPage
from automation.pages.procore import ProcoreSignIn
from automation.pages.procore_login import (
    CompanyChoiceRequired,
    ProcoreLogin,
    SignInRefused,
    SingleSignOnRequired,
    totp_codes,
)
from automation.secret import Secret
from automation.targets import Target
from automation.vault.url import open_vault

ADMIN_PASSWORD = Secret("Procore-Pass-2026!", "seed")  # the mock seed default.json
DEVELOPER_PASSWORD = Secret("Portal-Pass-2026!", "seed")
MFA_SEED = Secret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "seed")
#: An attribute a screen reader reads but a person does not see.
UNSEEN = re.compile(r"""\s(?:role|aria-[\w-]+)=("[^"]*"|'[^']*'|\S+)""")

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_portal")]


@pytest.fixture
def company_app(page: Page, portal: MockPortal) -> Site:
    return Site(page, portal.target().url("procore"),
                is_sign_in_page=ProcoreLogin.is_login_page)


@pytest.fixture
def developer_portal(page: Page, portal: MockPortal) -> Site:
    return Site(page, portal.target().url("developer_portal"),
                is_sign_in_page=ProcoreLogin.is_login_page)


class TestEmailFirst:
    """The web app's sign-in goes email, Continue, password, Continue, and back signed in."""

    def test_sign_in_then_no_op(self, company_app: Site) -> None:
        sign_in = ProcoreSignIn(company_app)
        sign_in.sign_in("admin@example.com", ADMIN_PASSWORD)
        page = company_app.page
        expect(page.get_by_role("heading", name="Select a Company")).to_be_visible()
        assert page.url.startswith(company_app.base_url + "/")
        sign_in.sign_in("admin@example.com", ADMIN_PASSWORD)  # signed in: nothing to do
        expect(page.get_by_role("link", name="Sign Out")).to_be_visible()

    def test_recognises_its_screens_and_no_other(self, company_app: Site) -> None:
        page = company_app.page
        company_app.load(company_app.url())
        assert company_app.on_sign_in_page()  # the email screen
        page.get_by_label("Email").fill("admin@example.com")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Enter Your Password")).to_be_visible()
        assert company_app.on_sign_in_page()
        ProcoreSignIn(company_app).sign_in("admin@example.com", ADMIN_PASSWORD)
        assert not company_app.on_sign_in_page()  # the web app's company picker

    def test_goto_signs_in_after_the_redirect(self, page: Page, portal: MockPortal) -> None:
        site = ProcoreSignIn.site_for(page, portal.target().url("procore"),
                                      "admin@example.com", ADMIN_PASSWORD)
        site.goto("/8089/company/home")
        expect(page.get_by_role("banner")).to_contain_text("HingePoint")


class TestAuthenticatorApp:
    """MFA: Authenticator App with the code of the vault's TOTP seed."""

    def test_developer_portal_with_mfa(self, developer_portal: Site) -> None:
        SignInPage(developer_portal).sign_in("mfa@example.com", DEVELOPER_PASSWORD,
                                             totp_codes(MFA_SEED))
        page = developer_portal.page
        expect(page.get_by_role("heading", name="My Apps")).to_be_visible()
        expect(page.get_by_text("mfa@example.com")).to_be_visible()


class TestRefusals:
    """A wrong password is refused with the login's own words; nothing is signed in."""

    def test_wrong_password(self, company_app: Site) -> None:
        with pytest.raises(SignInRefused, match="email or password you entered is incorrect"):
            ProcoreSignIn(company_app).sign_in("admin@example.com", Secret("wrong", "test"))
        assert company_app.on_sign_in_page()

    def test_wrong_code(self, developer_portal: Site) -> None:
        with pytest.raises(SignInRefused, match="verification code you entered is invalid"):
            SignInPage(developer_portal).sign_in("mfa@example.com", DEVELOPER_PASSWORD,
                                                 lambda: "000000")


class TestSingleSignOn:
    """An SSO account stops at its identity provider with an error naming --headed."""

    def test_headless_stops(self, company_app: Site) -> None:
        with pytest.raises(SingleSignOnRequired, match="--headed"):
            ProcoreSignIn(company_app).sign_in("riley@sso.example.com", ADMIN_PASSWORD)
        expect(company_app.page.get_by_role("heading", name="HingePoint Okta")).to_be_visible()
        assert not company_app.on_sign_in_page()  # the provider's page is not Procore's


class TestCompanyChoice:
    """An account invited to several companies picks the named one; none named: an error."""

    def test_picks_the_named_company(self, company_app: Site) -> None:
        ProcoreSignIn(company_app).sign_in("pat@example.com", ADMIN_PASSWORD,
                                           company="Large Builders")
        expect(company_app.page.get_by_role("banner")).to_contain_text("Large Builders")

    def test_no_company_named(self, company_app: Site) -> None:
        with pytest.raises(CompanyChoiceRequired, match="company"):
            ProcoreSignIn(company_app).sign_in("pat@example.com", ADMIN_PASSWORD)


class TestDeveloperPortalComesBack:
    """The portal's Sign In leads to the login, which returns to the page that asked."""

    def test_deep_link(self, developer_portal: Site, portal: MockPortal) -> None:
        with portal.state.lock:
            app, _ = portal.state.new_app("Come Back App", "consultant@example.com")
        page = developer_portal.page
        page.goto(developer_portal.url(f"apps/{app.id}"))
        assert developer_portal.on_sign_in_page()
        SignInPage(developer_portal).sign_in("consultant@example.com", DEVELOPER_PASSWORD)
        expect(page.get_by_role("heading", name="Come Back App")).to_be_visible()


def _strip_unseen(route: Route) -> None:
    response = route.fetch()
    body = response.text()
    if "text/html" in response.headers.get("content-type", ""):
        body = UNSEEN.sub("", body)
    route.fulfill(response=response, body=body)


class TestWithoutUnseenNames:
    """The page object needs no role or aria-* attribute on the login's screens."""

    @pytest.fixture
    def stripped(self, page: Page) -> Iterator[None]:
        page.route(re.compile(r"/login/"), _strip_unseen)
        yield
        page.unroute(re.compile(r"/login/"))

    @pytest.mark.usefixtures("stripped")
    def test_mfa_and_refusal(self, developer_portal: Site, company_app: Site) -> None:
        SignInPage(developer_portal).sign_in("mfa@example.com", DEVELOPER_PASSWORD,
                                             totp_codes(MFA_SEED))
        expect(developer_portal.page.get_by_role("heading", name="My Apps")).to_be_visible()
        developer_portal.page.context.clear_cookies()
        with pytest.raises(SignInRefused):
            ProcoreSignIn(company_app).sign_in("admin@example.com", Secret("wrong", "test"))

    def test_the_mock_adds_none(self, portal: MockPortal) -> None:
        screens = [*_screens(portal, "mfa@example.com", "Portal-Pass-2026!"),
                   *_screens(portal, "pat@example.com", ADMIN_PASSWORD.reveal()),
                   *_screens(portal, "riley@sso.example.com", "")]
        assert len(screens) == 9  # email, password, method, code; 2 + company; email, IdP
        for html in screens:
            assert "<form" in html or "Authenticator App" in html
            assert not UNSEEN.search(html)


def _screens(portal: MockPortal, email: str, password: str) -> list[str]:
    """The HTML of each login screen this account meets (its own cookie jar)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    base = portal.base_url + "/login/"

    token: list[str] = []  # the session's CSRF token, from the first page's meta tag

    def read(url: str, form: dict[str, str] | None = None) -> str:
        if form is not None:
            form = {**form, "csrf_token": token[0]}
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        with opener.open(url, body) as reply:
            html = str(reply.read().decode())
        if not token:
            found = re.search(r'name="csrf-token" content="([^"]+)"', html)
            assert found, "the login page carries no CSRF token"
            token.append(found.group(1))
        return html

    pages = [read(base), read(base, {"email": email})]
    if password:
        after_password = read(base + "password", {"password": password})
        pages.append(after_password)
        if "Authenticator App" in after_password:
            pages.append(read(base + "verify/app"))
    return pages


class TestHeadedPerson:
    """Headed, procore.sign_in waits for the person to finish SSO, then goes on signed in."""

    def test_person_finishes_at_the_identity_provider(
        self, portal: MockPortal, browser: Browser, tmp_path: Path
    ) -> None:
        session = _SharedBrowserSession(portal.target(), browser)
        asked: list[str] = []

        def person(message: str) -> None:  # what the person does in the browser
            asked.append(message)
            page = session.site("procore").page
            page.get_by_label("Password").fill("Okta-Pass-2026!")
            page.get_by_role("button", name="Sign In").click()

        try:
            with open_vault(f"file:{tmp_path}/vault.enc") as vault:
                run = StepRun("sign_in", "Sign in", portal.target(), vault, session, tmp_path,
                              headed=True, ask_human=person)
                actions.procore.sign_in(run, login="riley@sso.example.com",
                                        password=Secret("unused", "test"))
                page = session.site("procore").page
                expect(page.get_by_role("link", name="Sign Out")).to_be_visible()
                assert len(asked) == 1 and "identity provider" in asked[0]
        finally:
            for _name, site in session.open_sites():
                site.page.context.close()


class _SharedBrowserSession(BrowserSession):
    """The run's browser session on the test's Chromium (one Playwright per test process)."""

    def __init__(self, target: Target, browser: Browser) -> None:
        super().__init__(target, {})
        self._shared = browser

    def _browser_instance(self) -> Browser:
        return self._shared
