"""Faults: the spec grammar, and each fault as a client meets it over HTTP."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from automation.mock_portal import faults as faults_module
from automation.mock_portal.faults import Faults
from automation.mock_portal.mock_admin import reset_state
from automation.mock_portal.server import MockPortal
from automation.testing.procore_login import log_in_by_hand

FULL_SPEC = (
    "latency=2.0@0.2,errors=0.05,expire_session_after=40,dialog_delay=1.5,add_all_stall=1,"
    "rename=Create New Version:New Manifest Version;Promote:Publish,rate_limit=100,seed=7"
)


class TestParse:
    """Faults.parse reads the documented grammar and names what is wrong with a bad spec."""

    def test_full_example(self) -> None:
        faults = Faults.parse(FULL_SPEC)
        assert (faults.latency_s, faults.latency_min_s, faults.latency_share) == (2.0, 0.0, 0.2)
        assert faults.error_rate == 0.05 and not faults.errors_all
        assert faults.expire_session_after == 40 and faults.dialog_delay_s == 1.5
        assert faults.add_all_stall is True and faults.rate_limit == 100 and faults.seed == 7
        assert faults.renames == {
            "Create New Version": "New Manifest Version",
            "Promote": "Publish",
        }

    def test_empty_spec_is_no_fault(self) -> None:
        assert Faults.parse("") == Faults() and Faults.parse(" , ") == Faults()
        assert Faults().describe() == "none"

    def test_fixed_latency_and_default_share(self) -> None:
        faults = Faults.parse("latency=1.5-1.5,errors_all=1")
        assert (faults.latency_min_s, faults.latency_s, faults.latency_share) == (1.5, 1.5, 1.0)
        assert faults.errors_all

    @pytest.mark.parametrize(
        ("spec", "message"),
        [
            ("latancy=1", "unknown fault 'latancy'; known faults: add_all_stall, dialog_delay"),
            ("errors", "fault 'errors': expected key=value"),
            ("errors=lots", "fault errors=lots: 'lots' is not a number"),
            ("errors=1.5", "fault errors=1.5: 1.5 must be between 0 and 1"),
            ("latency=2@1.2", "must be between 0 and 1"),
            ("latency=3-1", "minimum 3 is above maximum 1"),
            ("expire_session_after=0", "must be at least 1"),
            ("expire_session_after=2.5", "'2.5' is not a whole number"),
            ("add_all_stall=maybe", "'maybe' is not a flag (1 or 0)"),
            ("rename=Promote", "'Promote': expected OLD:NEW"),
        ],
    )
    def test_bad_specs(self, spec: str, message: str) -> None:
        with pytest.raises(ValueError) as caught:
            Faults.parse(spec)
        assert message in str(caught.value)


@pytest.fixture(scope="module")
def developer_ui() -> str:
    return "classic"  # its dialogs are dialog elements, which the late-dialog check finds


def set_faults(portal: MockPortal, spec: str) -> None:
    request = urllib.request.Request(
        portal.base_url + "/__mock__/faults",
        data=spec.encode(),
        method="POST",
        headers=portal.admin_headers(),
    )
    urllib.request.urlopen(request, timeout=5).close()


@pytest.fixture(autouse=True)
def no_faults_after(portal: MockPortal) -> Iterator[None]:
    reset_state(portal.app)
    yield
    set_faults(portal, "")


def status(
    url: str, method: str = "GET", data: bytes | None = None, headers: dict[str, str] | None = None
) -> int:
    request = urllib.request.Request(url, data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as error:
        return error.code


class TestServerErrors:
    """errors=SHARE fails that share of GET/HEAD requests, the same ones under the same seed."""

    def sequence(self, portal: MockPortal, spec: str) -> list[int]:
        set_faults(portal, spec)  # also restarts the request count
        return [status(portal.base_url + "/developers/") for _ in range(40)]

    def test_deterministic_under_the_seed(self, portal: MockPortal) -> None:
        first = self.sequence(portal, "errors=0.3,seed=7")
        again = self.sequence(portal, "errors=0.3,seed=7")
        other = self.sequence(portal, "errors=0.3,seed=8")
        assert first == again and first != other
        assert set(first) - {200} <= {500, 502, 503} and 4 <= first.count(200) <= 36

    def test_only_idempotent_requests_by_default(self, portal: MockPortal) -> None:
        set_faults(portal, "errors=1")
        token_url = portal.base_url + "/oauth/token"
        assert status(portal.base_url + "/developers/") in {500, 502, 503}
        assert status(token_url, "POST", b"grant_type=client_credentials") == 401
        set_faults(portal, "errors=1,errors_all=1")
        assert status(token_url, "POST", b"grant_type=client_credentials") in {500, 502, 503}

    def test_never_the_mock_admin_endpoints_nor_static_files(self, portal: MockPortal) -> None:
        set_faults(portal, "errors=1,errors_all=1")
        admin = portal.admin_headers()
        assert status(portal.base_url + "/__mock__/state", headers=admin) == 200
        assert status(portal.base_url + "/__mock__/reset", "POST", headers=admin) == 200
        assert status(portal.base_url + "/developers/static/portal.js") == 200


class TestLatency:
    """latency delays that share of requests by a fixed or random time; /__mock__ never.

    What the portal sleeps is recorded instead of slept (the portal runs in this process), so
    the tests check the delays themselves, not a wall clock (benchmarks/fault_latency.py
    measures those)."""

    @pytest.fixture
    def slept(self, monkeypatch: pytest.MonkeyPatch) -> list[float]:
        delays: list[float] = []
        monkeypatch.setattr(faults_module, "time", SimpleNamespace(sleep=delays.append))
        return delays

    def test_fixed_latency(self, portal: MockPortal, slept: list[float]) -> None:
        set_faults(portal, "latency=0.3-0.3")
        assert status(portal.base_url + "/developers/") == 200
        assert slept == [0.3]
        assert status(portal.base_url + "/__mock__/faults", headers=portal.admin_headers()) == 200
        assert status(portal.base_url + "/developers/static/portal.js") == 200
        assert slept == [0.3]  # neither the admin endpoints nor static files wait

    def test_random_latency_within_its_bounds(self, portal: MockPortal,
                                              slept: list[float]) -> None:
        set_faults(portal, "latency=0.1-0.9,seed=4")
        for _ in range(20):
            assert status(portal.base_url + "/developers/") == 200
        assert len(slept) == 20 and all(0.1 <= delay <= 0.9 for delay in slept)
        assert len(set(slept)) == 20

    def test_share_of_requests(self, portal: MockPortal, slept: list[float]) -> None:
        set_faults(portal, "latency=5@0.25,seed=2")
        for _ in range(40):
            assert status(portal.base_url + "/developers/") == 200
        assert 4 <= len(slept) <= 16 and all(0 <= delay <= 5 for delay in slept)

    def test_share_zero_means_never(self, portal: MockPortal, slept: list[float]) -> None:
        set_faults(portal, "latency=5@0")
        for _ in range(5):
            assert status(portal.base_url + "/developers/") == 200
        assert slept == []


class TestSessionExpiry:
    """expire_session_after=N signs the browser out once, at its Nth request."""

    def test_expires_once(self, portal: MockPortal) -> None:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

        def sign_in() -> None:
            """Procore's login page (for its CSRF token), email, then password, then back
            through Sign In to My Apps (6 requests: a page, two posts answered by redirects)."""
            back = {"return_to": "/developers/sign_in"}
            with opener.open(portal.base_url + "/login/?return_to=/developers/sign_in") as page:
                token = re.search(r'name="csrf-token" content="([^"]+)"', page.read().decode())
            assert token
            csrf = {"csrf_token": token.group(1)}
            email = {"email": "consultant@example.com", **back, **csrf}
            password = {"password": "Portal-Pass-2026!", **back, **csrf}
            opener.open(portal.base_url + "/login/", urllib.parse.urlencode(email).encode()).close()
            opener.open(portal.base_url + "/login/password",
                        urllib.parse.urlencode(password).encode()).close()

        def apps_url_after_redirects() -> str:
            with opener.open(portal.base_url + "/developers/apps") as reply:
                return str(reply.url)

        set_faults(portal, "expire_session_after=10")
        sign_in()  # requests 1 to 6
        assert apps_url_after_redirects().endswith("/developers/apps")  # 7
        assert apps_url_after_redirects().endswith("/developers/apps")  # 8
        assert apps_url_after_redirects().endswith("/developers/apps")  # 9
        assert "/login/?return_to=" in apps_url_after_redirects()  # 10: signed out
        sign_in()
        for _ in range(10):
            assert apps_url_after_redirects().endswith("/developers/apps")


class TestRenames:
    """rename=OLD:NEW changes the visible label everywhere label() is used."""

    def test_home_page_label_renamed(self, portal: MockPortal) -> None:
        set_faults(portal, "rename=Sign In:Log In;Build on Procore:Welcome")
        with urllib.request.urlopen(portal.base_url + "/developers/") as reply:
            page = reply.read().decode()
        assert ">Log In<" in page and ">Sign In<" not in page


class TestDialogDelay:
    """dialog_delay reaches the pages as dialog_delay_ms."""

    def test_template_variable(self, portal: MockPortal) -> None:
        set_faults(portal, "dialog_delay=1.25")
        with urllib.request.urlopen(portal.base_url + "/developers/") as reply:
            assert 'data-dialog-delay-ms="1250"' in reply.read().decode()


@pytest.mark.browser
class TestDialogsOpenLate:
    """With dialog_delay the dialog appears that much after the click, not before.

    The page's clock is Playwright's fake one, moved by hand: no wall-clock threshold."""

    def test_create_app_dialog_is_late(self, portal: MockPortal, page: Page) -> None:
        set_faults(portal, "dialog_delay=0.6")
        page.clock.install()
        page.goto(portal.base_url + "/developers/sign_in")
        log_in_by_hand(page, "consultant@example.com", "Portal-Pass-2026!")
        create = page.get_by_role("button", name="Create a New App")
        expect(create).to_be_visible()
        page.clock.pause_at(datetime.now(UTC) + timedelta(minutes=1))  # time stands still
        create.click()
        dialog = page.get_by_role("dialog", name="Create New App")
        page.clock.run_for(590)
        expect(dialog).to_be_hidden()
        page.clock.run_for(10)
        expect(dialog).to_be_visible()
