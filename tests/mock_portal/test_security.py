"""The mock is as strict as Procore: rate limits, CSRF, cookie flags, body limits, JSON shapes
and a guarded ``/__mock__``, over real HTTP (urllib, one cookie jar per "browser")."""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from http.cookiejar import CookieJar
from typing import Any

import pytest

from automation.mock_portal.security import (
    OAUTH_FAILURES,
    SIGN_IN_FAILURES,
)
from automation.mock_portal.server import MockPortal
from automation.mock_portal.state import seed_promoted_app
from automation.targets import Target

pytestmark = pytest.mark.usefixtures("fresh_portal")

DEVELOPER = ("consultant@example.com", "Portal-Pass-2026!")  # the mock seed default.json
FOREIGN = "https://attacker.example"


@dataclass
class Reply:
    status: int
    headers: Message
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the test looks at the 302 itself


class Browser:
    """One browser's cookies over plain HTTP; redirects are answers, not followed."""

    def __init__(self, portal: MockPortal) -> None:
        self.base = portal.base_url
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _KeepRedirects()
        )

    def send(
        self,
        path: str,
        method: str = "GET",
        *,
        form: dict[str, str] | None = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        data = urllib.parse.urlencode(form).encode() if form is not None else body
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=10) as reply:
                return Reply(reply.status, reply.headers, reply.read().decode())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.headers, error.read().decode())

    def csrf_token(self, path: str) -> str:
        """The token a page gives its scripts (``<meta name="csrf-token">``)."""
        page = self.send(path)
        found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
        assert found, f"no csrf-token meta on {path}"
        return found.group(1)

    def start_login(self, email: str, back: str = "/developers/sign_in") -> str:
        """Procore's login up to its password screen (email first); the session's token."""
        token = self.csrf_token(f"/login/?return_to={back}")
        form = {"email": email, "return_to": back, "csrf_token": token}
        reply = self.send("/login/", "POST", form=form)
        assert reply.status == 302, reply.text
        return token

    def sign_in(self, email: str, password: str, back: str) -> str:
        """Procore's login, then back to the site that sent us (which takes its word for it)."""
        token = self.start_login(email, back)
        form = {"password": password, "return_to": back, "csrf_token": token}
        reply = self.send("/login/password", "POST", form=form)
        assert reply.status == 302, reply.text
        reply = self.send(reply.headers["Location"].removeprefix(self.base))
        assert reply.status == 302 and "/login" not in reply.headers["Location"], reply.text
        return token

    def sign_in_developer(self) -> str:
        return self.sign_in(*DEVELOPER, back="/developers/sign_in")


def admin_state(portal: MockPortal) -> dict[str, Any]:
    request = urllib.request.Request(
        portal.base_url + "/__mock__/state", headers=portal.admin_headers()
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        state: dict[str, Any] = json.load(reply)
    return state


def app_names(portal: MockPortal) -> list[str]:
    return [app["name"] for app in admin_state(portal)["apps"]]


def token_request(portal: MockPortal, client_id: str, secret: str) -> Reply:
    return Browser(portal).send(
        "/oauth/token",
        "POST",
        form={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )


def promoted_app(portal: MockPortal) -> tuple[int, str, str]:
    with portal.state.lock:
        app, _version, secret = seed_promoted_app(portal.state, "Strict App")
    assert app.production_client_id
    return app.id, app.production_client_id, secret


def rate_headers(reply: Reply) -> tuple[int, int, int]:
    return (
        int(reply.headers["X-Rate-Limit-Limit"]),
        int(reply.headers["X-Rate-Limit-Remaining"]),
        int(reply.headers["X-Rate-Limit-Reset"]),
    )


class TestOAuthRateLimit:
    """Failed client secrets run out a per-client and per-address budget (429); success does not."""

    def test_wrong_secrets_end_in_429_with_procores_headers(self, portal: MockPortal) -> None:
        _app_id, client_id, secret = promoted_app(portal)
        allowed = OAUTH_FAILURES.per_key
        replies = [token_request(portal, client_id, f"guess-{n}") for n in range(allowed + 1)]
        assert [r.status for r in replies] == [401] * allowed + [429]
        assert [rate_headers(r)[1] for r in replies[:3]] == [allowed - 1, allowed - 2, allowed - 3]
        limit, remaining, reset = rate_headers(replies[-1])
        assert (limit, remaining) == (allowed, 0) and reset > 0
        assert int(replies[-1].headers["Retry-After"]) >= 1
        assert replies[-1].json()["error"] == "too_many_requests"
        # Locked for the window, even with the right secret: guessing learns nothing more.
        assert token_request(portal, client_id, secret).status == 429

    def test_many_clients_from_one_address_end_in_429(self, portal: MockPortal) -> None:
        per_address = OAUTH_FAILURES.per_address
        statuses = [
            token_request(portal, f"unknown-client-{n}", "guess").status
            for n in range(per_address + 1)
        ]
        assert statuses == [401] * per_address + [429]

    def test_successful_tokens_never_count(self, portal: MockPortal) -> None:
        _app_id, client_id, secret = promoted_app(portal)
        replies = [
            token_request(portal, client_id, secret) for _ in range(OAUTH_FAILURES.per_key * 3)
        ]
        assert {r.status for r in replies} == {200}
        assert rate_headers(replies[-1])[1] == OAUTH_FAILURES.per_key


class TestSignInRateLimit:
    """Wrong passwords on every sign-in page run out a per-login budget, then 429."""

    @staticmethod
    def guesses(portal: MockPortal, site: str, count: int) -> list[Reply]:
        """``count`` wrong passwords: on Procore's login (which the Developer Portal and the
        web app share) after its email screen; on the sync tool's own one-form sign-in."""
        browser = Browser(portal)
        if site == "procore login":
            token = browser.start_login("admin@example.com")
            return [
                browser.send(
                    "/login/password", "POST", form={"password": f"guess-{n}", "csrf_token": token}
                )
                for n in range(count)
            ]
        token = browser.csrf_token("/sync/login")
        email = "consultant@example.com"
        return [
            browser.send(
                "/sync/login",
                "POST",
                form={"email": email, "password": f"guess-{n}", "csrf_token": token},
            )
            for n in range(count)
        ]

    @pytest.mark.parametrize("site", ["procore login", "sync tool"])
    def test_wrong_passwords_end_in_429(self, portal: MockPortal, site: str) -> None:
        allowed = SIGN_IN_FAILURES.per_key
        replies = self.guesses(portal, site, allowed + 1)
        assert all(r.status != 302 for r in replies[:allowed])
        assert replies[-1].status == 429
        limit, remaining, _reset = rate_headers(replies[-1])
        assert (limit, remaining) == (allowed, 0)
        assert rate_headers(replies[0])[1] == allowed - 1
        assert int(replies[-1].headers["Retry-After"]) >= 1

    def test_successful_sign_ins_are_not_counted(self, portal: MockPortal) -> None:
        email, password = DEVELOPER
        allowed = SIGN_IN_FAILURES.per_key
        browser = Browser(portal)
        token = browser.start_login(email)
        for n in range(allowed - 1):
            wrong = {"password": f"guess-{n}", "csrf_token": token}
            assert browser.send("/login/password", "POST", form=wrong).status != 302
        replies = []
        for _ in range(3):
            token = browser.start_login(email)
            right = {"password": password, "csrf_token": token}
            replies.append(browser.send("/login/password", "POST", form=right))
        assert [r.status for r in replies] == [302] * 3
        assert rate_headers(replies[-1])[1] == 1


class TestCsrf:
    """State-changing browser requests need the session's token and no foreign Origin."""

    def test_every_post_form_and_page_carries_the_token(self, portal: MockPortal) -> None:
        browser = Browser(portal)
        token = browser.sign_in_developer()
        page = browser.send("/developers/apps").text
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>\s*(<input[^>]*>)?", page)
        assert len(forms) >= 2  # Sign Out and Create New App
        assert all(f'name="csrf_token" value="{token}"' in hidden for hidden in forms)

    def test_token_less_post_creates_no_app(self, portal: MockPortal) -> None:
        browser = Browser(portal)
        browser.sign_in_developer()
        reply = browser.send("/developers/apps", "POST", form={"app_name": "Forged App"})
        assert reply.status == 422
        assert "Forged App" not in app_names(portal)

    def test_foreign_origin_creates_no_app(self, portal: MockPortal) -> None:
        browser = Browser(portal)
        token = browser.sign_in_developer()
        reply = browser.send(
            "/developers/apps",
            "POST",
            form={"app_name": "Forged App", "csrf_token": token},
            headers={"Origin": FOREIGN},
        )
        assert reply.status == 422
        assert "Forged App" not in app_names(portal)

    def test_the_forms_own_post_creates_the_app(self, portal: MockPortal) -> None:
        browser = Browser(portal)
        token = browser.sign_in_developer()
        reply = browser.send(
            "/developers/apps",
            "POST",
            form={"app_name": "Real App", "csrf_token": token},
            headers={"Origin": portal.base_url},
        )
        assert reply.status == 302
        assert "Real App" in app_names(portal)

    @pytest.mark.parametrize(
        ("headers", "allowed"),
        [
            ({}, False),
            ({"X-CSRF-Token": "TOKEN", "Origin": FOREIGN}, False),
            ({"X-CSRF-Token": "TOKEN"}, True),
        ],
        ids=["no token", "foreign origin", "token header"],
    )
    def test_reset_client_secret(
        self, portal: MockPortal, headers: dict[str, str], allowed: bool
    ) -> None:
        app_id, _client_id, _secret = promoted_app(portal)
        browser = Browser(portal)
        token = browser.sign_in_developer()
        sent = {k: v.replace("TOKEN", token) for k, v in headers.items()}
        reply = browser.send(
            f"/developers/apps/{app_id}/production/reset_client_secret",
            "POST",
            body=b"{}",
            headers={"Content-Type": "application/json", "Accept": "application/json", **sent},
        )
        generation = next(a for a in admin_state(portal)["apps"] if a["id"] == app_id)[
            "secret_generation"
        ]
        assert (reply.status == 200, generation == 2) == (allowed, allowed), reply.text
        if not allowed:
            assert reply.status == 422 and reply.json()["errors"]

    def test_session_rest_call_refuses_a_foreign_origin(self, portal: MockPortal) -> None:
        browser = Browser(portal)
        browser.sign_in("admin@example.com", "Procore-Pass-2026!", back="/app/login")
        company = admin_state(portal)["companies"][0]
        user = company["users"][0]["id"]
        project = min(portal.state.companies[company["id"]].projects)
        path = f"/rest/v1.0/projects/{project}/users/{user}/actions/add"
        headers = {"Procore-Company-Id": str(company["id"]), "Origin": FOREIGN}
        assert browser.send(path, "POST", headers=headers).status == 422
        # A bearer token is no cookie: any origin may use it (this one is merely unknown).
        bearer = {**headers, "Authorization": "Bearer not-a-token"}
        assert Browser(portal).send(path, "POST", headers=bearer).status == 401

    def test_oauth_needs_no_csrf_token(self, portal: MockPortal) -> None:
        _app_id, client_id, secret = promoted_app(portal)
        reply = Browser(portal).send(
            "/oauth/token",
            "POST",
            form={
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": secret,
            },
            headers={"Origin": FOREIGN},
        )
        assert reply.status == 200


class TestSessionCookie:
    """The session cookie is SameSite=Lax and HttpOnly, so other sites neither send nor read it."""

    def test_flags(self, portal: MockPortal) -> None:
        reply = Browser(portal).send("/login/")
        cookie = reply.headers["Set-Cookie"]
        assert "SameSite=Lax" in cookie and "HttpOnly" in cookie


class TestBodies:
    """Oversized bodies get 413 without echo; malformed or non-object JSON gets 400, never 500."""

    def test_a_300_mb_body_is_refused_before_it_is_read(self, portal: MockPortal) -> None:
        marker = b"ECHO-ME-" * 8192  # 64 KiB of the 300 MB announced
        connection = http.client.HTTPConnection(portal.host, portal.port, timeout=10)
        try:
            connection.putrequest("POST", "/__mock__/faults")
            connection.putheader("Content-Type", "text/plain")
            connection.putheader("Content-Length", str(300 * 1024 * 1024))
            for name, value in portal.admin_headers().items():
                connection.putheader(name, value)
            connection.endheaders(marker)
            reply = connection.getresponse()
            status, text = reply.status, reply.read()
        finally:
            connection.close()
        assert status == 413
        assert b"ECHO-ME" not in text and len(text) < 1024

    @pytest.mark.parametrize(
        "path", ["/oauth/token", "/oauth/revoke", "/developers/apps/1/versions"]
    )
    @pytest.mark.parametrize(
        "body", [b"[1, 2]", b'"text"', b"{not json"], ids=["array", "string", "malformed"]
    )
    def test_wrong_json_is_400(self, portal: MockPortal, path: str, body: bytes) -> None:
        browser = Browser(portal)
        token = browser.sign_in_developer()
        reply = browser.send(
            path,
            "POST",
            body=body,
            headers={"Content-Type": "application/json", "X-CSRF-Token": token},
        )
        assert reply.status == 400, reply.text
        assert body.decode() not in reply.text

    def test_a_long_fault_spec_is_refused_without_echo(self, portal: MockPortal) -> None:
        spec = b"latency=" + b"9" * 5000
        reply = Browser(portal).send(
            "/__mock__/faults", "POST", body=spec, headers=portal.admin_headers()
        )
        assert reply.status == 400 and len(reply.text) < 200


class TestMockAdmin:
    """``/__mock__/*`` answers only with the portal's admin token."""

    @pytest.mark.parametrize(
        "headers", [{}, {"Authorization": "Bearer wrong"}], ids=["no token", "wrong token"]
    )
    def test_refused_without_the_token(self, portal: MockPortal, headers: dict[str, str]) -> None:
        with portal.state.lock:
            portal.state.new_app("Survives Reset", "consultant@example.com")
        browser = Browser(portal)
        assert browser.send("/__mock__/reset", "POST", body=b"", headers=headers).status == 401
        assert browser.send("/__mock__/state", headers=headers).status == 401
        assert "Survives Reset" in app_names(portal)

    def test_accepted_with_the_token(self, portal: MockPortal) -> None:
        reply = Browser(portal).send(
            "/__mock__/reset", "POST", body=b"", headers=portal.admin_headers()
        )
        assert reply.status == 200

    def test_the_target_carries_the_token_but_never_into_a_journal(
        self, portal: MockPortal
    ) -> None:
        target = portal.target()
        assert target.mock_admin_token == portal.admin_token
        assert "mock_admin_token" not in target.to_profile()
        saved = target.to_profile(include_admin_token=True)
        assert saved["mock_admin_token"] == portal.admin_token
        assert portal.admin_token not in repr(target)
        assert isinstance(target, Target)
