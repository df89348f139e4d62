"""The mock's OAuth and REST API over real HTTP (urllib): shapes, pagination, errors, limits."""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from automation.mock_portal.procore.apps import install_app
from automation.mock_portal.server import MockPortal
from automation.mock_portal.state import seed_promoted_app

HINGEPOINT, LARGE, MEGA = 8089, 8090, 8091
DIRECTORY_ADMIN = {"company": {"directory": "admin"}, "project": {"directory": "admin"}}


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: Any


def call(
    url: str,
    method: str = "GET",
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw, status, got = response.read(), response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        raw, status, got = error.read(), error.code, dict(error.headers)
    try:
        body = json.loads(raw) if raw else None
    except json.JSONDecodeError:
        body = raw.decode()
    return Reply(status, got, body)


def admin_call(portal: MockPortal, path: str, method: str = "GET", **kwargs: Any) -> Reply:
    """``call`` to ``/__mock__/*`` with the portal's admin token."""
    headers = {**portal.admin_headers(), **kwargs.pop("headers", {})}
    return call(portal.base_url + path, method, headers=headers, **kwargs)


def form(**fields: str) -> bytes:
    return urllib.parse.urlencode(fields).encode()


pytestmark = pytest.mark.usefixtures("fresh_portal")


@dataclass
class World:
    """A promoted app installed in HingePoint whose service account is on five projects."""

    portal: MockPortal
    client_id: str
    client_secret: str
    account_id: int
    member_projects: list[int]
    other_projects: list[int]

    def token(self, secret: str | None = None) -> str:
        reply = call(
            self.portal.base_url + "/oauth/token",
            "POST",
            data=form(
                grant_type="client_credentials",
                client_id=self.client_id,
                client_secret=secret or self.client_secret,
            ),
        )
        assert reply.status == 200, reply.body
        return str(reply.body["access_token"])

    def get(self, path: str, token: str, company: int | None = HINGEPOINT) -> Reply:
        headers = {"Authorization": f"Bearer {token}"}
        if company is not None:
            headers["Procore-Company-Id"] = str(company)
        return call(self.portal.base_url + path, headers=headers)


def make_world(portal: MockPortal, permissions: dict[str, dict[str, str]] | None = None) -> World:
    state = portal.state
    with state.lock:
        app, version, secret = seed_promoted_app(state, "API Test App", permissions=permissions)
        assert app.production_client_id and version.production_key
        company = state.companies[HINGEPOINT]
        installation = install_app(state, company, version.production_key)
        project_ids = sorted(company.projects)
        members = project_ids[:5]
        company.memberships[installation.service_account_id] = set(members)
        installation.permitted_project_ids = set(members)  # (as Add Permitted Projects does)
        return World(
            portal,
            app.production_client_id,
            secret,
            installation.service_account_id,
            members,
            project_ids[5:],
        )


@pytest.fixture
def world(portal: MockPortal) -> World:
    return make_world(portal, DIRECTORY_ADMIN)


class TestTokenEndpoint:
    """POST /oauth/token grants client_credentials from any body encoding, OAuth-style errors."""

    def test_form_body(self, world: World) -> None:
        reply = call(
            world.portal.base_url + "/oauth/token",
            "POST",
            data=form(
                grant_type="client_credentials",
                client_id=world.client_id,
                client_secret=world.client_secret,
            ),
        )
        assert reply.status == 200
        assert set(reply.body) == {"access_token", "token_type", "expires_in", "created_at"}
        assert reply.body["token_type"] == "bearer" and reply.body["expires_in"] == 5400
        assert isinstance(reply.body["created_at"], int)
        assert reply.headers["Cache-Control"] == "no-store"

    def test_json_body(self, world: World) -> None:
        body = {
            "grant_type": "client_credentials",
            "client_id": world.client_id,
            "client_secret": world.client_secret,
        }
        reply = call(
            world.portal.base_url + "/oauth/token",
            "POST",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        assert reply.status == 200 and reply.body["access_token"]

    def test_multipart_body(self, world: World) -> None:
        boundary = "----mockboundary"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in (
                ("grant_type", "client_credentials"),
                ("client_id", world.client_id),
                ("client_secret", world.client_secret),
            )
        ]
        data = ("".join(parts) + f"--{boundary}--\r\n").encode()
        reply = call(
            world.portal.base_url + "/oauth/token",
            "POST",
            data=data,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        assert reply.status == 200 and reply.body["access_token"]

    def test_http_basic_client_authentication(self, world: World) -> None:
        import base64

        basic = base64.b64encode(f"{world.client_id}:{world.client_secret}".encode()).decode()
        reply = call(
            world.portal.base_url + "/oauth/token",
            "POST",
            data=form(grant_type="client_credentials"),
            headers={"Authorization": f"Basic {basic}"},
        )
        assert reply.status == 200

    @pytest.mark.parametrize(
        ("fields", "status", "error"),
        [
            ({}, 400, "invalid_request"),
            ({"grant_type": "authorization_code"}, 400, "unsupported_grant_type"),
            ({"grant_type": "password"}, 400, "unsupported_grant_type"),
            ({"grant_type": "client_credentials", "client_id": "nobody"}, 401, "invalid_client"),
        ],
    )
    def test_errors(self, world: World, fields: dict[str, str], status: int, error: str) -> None:
        reply = call(world.portal.base_url + "/oauth/token", "POST", data=form(**fields))
        assert reply.status == status
        assert reply.body["error"] == error and reply.body["error_description"]

    def test_wrong_secret_is_invalid_client(self, world: World) -> None:
        reply = call(
            world.portal.base_url + "/oauth/token",
            "POST",
            data=form(
                grant_type="client_credentials", client_id=world.client_id, client_secret="x"
            ),
        )
        assert reply.status == 401 and reply.body["error"] == "invalid_client"
        assert "WWW-Authenticate" in reply.headers


class TestTokenLifecycle:
    """Only token hashes are kept; info, revoke, expiry and secret rotation end a token."""

    def test_only_a_hash_is_stored(self, world: World) -> None:
        token = world.token()
        state = admin_call(world.portal, "/__mock__/state").body
        assert token not in json.dumps(state)
        assert hashlib.sha256(token.encode()).hexdigest() in world.portal.state.tokens

    def test_info(self, world: World) -> None:
        token = world.token()
        reply = world.get("/oauth/token/info", token, company=None)
        assert reply.status == 200
        assert reply.body["application"] == {"uid": world.client_id}
        assert 5390 <= reply.body["expires_in"] <= 5400

    def test_revoke_always_answers_200(self, world: World) -> None:
        token = world.token()
        url = world.portal.base_url + "/oauth/revoke"
        assert call(url, "POST", data=form(token=token)).status == 200
        assert world.get("/oauth/token/info", token, company=None).status == 401
        assert call(url, "POST", data=form(token="never-issued")).status == 200
        assert call(url, "POST", data=form()).status == 200

    def test_expired_token(self, world: World) -> None:
        token = world.token()
        record = world.portal.state.tokens[hashlib.sha256(token.encode()).hexdigest()]
        record.created_at -= timedelta(seconds=5401)
        assert world.get("/rest/v1.0/me", token).status == 401

    def test_new_secret_voids_old_secret_and_its_tokens(self, world: World) -> None:
        token = world.token()
        with world.portal.state.lock:
            app = next(iter(world.portal.state.apps.values()))
            new_secret = world.portal.state.issue_production_secret(app)
        assert world.get("/rest/v1.0/me", token).status == 401
        reply = call(
            world.portal.base_url + "/oauth/token",
            "POST",
            data=form(
                grant_type="client_credentials",
                client_id=world.client_id,
                client_secret=world.client_secret,
            ),
        )
        assert reply.status == 401 and reply.body["error"] == "invalid_client"
        assert world.get("/rest/v1.0/me", world.token(new_secret)).status == 200


class TestCompanyAccess:
    """Procore-Company-Id is required; 401 when installed nowhere, 403 elsewhere."""

    def test_missing_header(self, world: World) -> None:
        reply = world.get(f"/rest/v1.1/projects?company_id={HINGEPOINT}", world.token(), None)
        assert reply.status == 400 and reply.body == {
            "errors": "Missing Procore-Company-Id header!"
        }

    def test_no_token(self, world: World) -> None:
        reply = call(world.portal.base_url + "/rest/v1.0/companies")
        assert reply.status == 401 and "WWW-Authenticate" in reply.headers

    def test_app_not_installed_is_401(self, portal: MockPortal) -> None:
        with portal.state.lock:
            app, _, secret = seed_promoted_app(portal.state, "Nowhere App")
        reply = call(
            portal.base_url + "/oauth/token",
            "POST",
            data=form(
                grant_type="client_credentials",
                client_id=str(app.production_client_id),
                client_secret=secret,
            ),
        )
        token = reply.body["access_token"]
        got = call(
            portal.base_url + f"/rest/v1.1/projects?company_id={HINGEPOINT}",
            headers={"Authorization": f"Bearer {token}", "Procore-Company-Id": str(HINGEPOINT)},
        )
        assert got.status == 401

    def test_other_company_is_403(self, world: World) -> None:
        reply = world.get(f"/rest/v1.1/projects?company_id={LARGE}", world.token(), LARGE)
        assert reply.status == 403

    def test_me_and_companies(self, world: World) -> None:
        token = world.token()
        me = world.get("/rest/v1.0/me", token)
        assert me.status == 200 and me.body["id"] == world.account_id
        assert set(me.body) == {"id", "login", "name"}
        assert world.get("/rest/v1.0/me", token, company=None).body == me.body
        companies = world.get("/rest/v1.0/companies", token, company=None)
        assert [(c["id"], c["name"], c["is_active"]) for c in companies.body] == [
            (HINGEPOINT, "HingePoint", True)
        ]


class TestProjectVisibility:
    """A service account sees exactly the active projects it is a member of and its app is
    permitted on."""

    def test_lists_member_projects_only(self, world: World) -> None:
        reply = world.get(f"/rest/v1.1/projects?company_id={HINGEPOINT}", world.token())
        assert reply.status == 200
        assert [p["id"] for p in reply.body] == world.member_projects
        assert reply.body[0]["company"] == {"id": HINGEPOINT, "name": "HingePoint"}

    def test_inactive_projects_are_hidden(self, world: World) -> None:
        world.portal.state.companies[HINGEPOINT].projects[world.member_projects[0]].active = False
        reply = world.get(f"/rest/v1.1/projects?company_id={HINGEPOINT}", world.token())
        assert [p["id"] for p in reply.body] == world.member_projects[1:]

    def test_other_projects_are_404(self, world: World) -> None:
        token = world.token()
        assert (
            world.get(f"/rest/v1.0/projects/{world.other_projects[0]}/users", token).status == 404
        )
        assert world.get("/rest/v1.0/projects/999999999/users", token).status == 404
        members = world.get(f"/rest/v1.0/projects/{world.member_projects[0]}/users", token)
        assert members.status == 200
        assert world.account_id in {u["id"] for u in members.body}

    def test_unpermitted_projects_are_hidden(self, world: World) -> None:
        """What an app update leaves: memberships kept, permitted projects emptied."""
        with world.portal.state.lock:
            (installation,) = [i for i in world.portal.state.installations.values()
                               if i.service_account_id == world.account_id]
            installation.permitted_project_ids.discard(world.member_projects[0])
        reply = world.get(f"/rest/v1.1/projects?company_id={HINGEPOINT}", world.token())
        assert [p["id"] for p in reply.body] == world.member_projects[1:]

    def test_company_users(self, world: World) -> None:
        reply = world.get(f"/rest/v1.3/companies/{HINGEPOINT}/users", world.token())
        assert reply.status == 200
        logins = {u["login"] for u in reply.body}
        assert {"admin@example.com", "jordan@example.com"} <= logins
        assert world.get(f"/rest/v1.3/companies/{LARGE}/users", world.token(), LARGE).status == 403

    def test_app_installations(self, world: World) -> None:
        reply = world.get(f"/rest/v1.0/app_installations?company_id={HINGEPOINT}", world.token())
        assert reply.status == 200 and len(reply.body) == 1
        assert reply.body[0]["app_name"] == "API Test App"
        assert reply.body[0]["service_account"]["id"] == world.account_id
        assert len(reply.body[0]["app_version_id"]) == 36


class TestToolPermissions:
    """A tool endpoint answers what the installed version's tool permissions allow."""

    def daily_logs(self, world: World, project: int) -> Reply:
        return world.get(f"/rest/v1.0/projects/{project}/daily_logs", world.token())

    def test_without_the_permission_403(self, world: World) -> None:
        reply = self.daily_logs(world, world.member_projects[0])
        assert reply.status == 403
        assert reply.body == {
            "errors": "API Test App does not have project level Daily Log permission"
        }

    def test_with_read_only_200_on_reachable_projects(self, portal: MockPortal) -> None:
        world = make_world(portal, {"project": {"daily_log": "readonly"}})
        reply = self.daily_logs(world, world.member_projects[0])
        assert reply.status == 200 and reply.body == []
        assert reply.headers["Total"] == "0"
        not_permitted = self.daily_logs(world, world.other_projects[0])
        assert not_permitted.status == 403
        assert "not permitted" in not_permitted.body["errors"]
        assert self.daily_logs(world, 999999999).status == 404


class TestPagination:
    """page/per_page slice the list; Total, Per-Page and Link describe it."""

    @pytest.fixture
    def big(self, portal: MockPortal) -> tuple[World, str]:
        world = make_world(portal)
        with portal.state.lock:
            company = portal.state.companies[HINGEPOINT]
            for n in range(213):
                portal.state.new_project(company, f"Extra {n}")
            company.memberships[world.account_id] = set(company.projects)
            (installation,) = [i for i in portal.state.installations.values()
                               if i.service_account_id == world.account_id]
            installation.permitted_project_ids = set(company.projects)
        return world, world.token()

    def test_pages_and_headers(self, big: tuple[World, str]) -> None:
        world, token = big
        path = f"/rest/v1.1/projects?company_id={HINGEPOINT}&per_page=100"
        first = world.get(path, token)
        assert len(first.body) == 100
        assert first.headers["Total"] == "250" and first.headers["Per-Page"] == "100"
        links = dict(
            (rel.split('"')[1], url.strip().strip("<>"))
            for url, rel in (part.split(";") for part in first.headers["Link"].split(","))
        )
        assert set(links) == {"first", "next", "last"}
        assert "page=3" in links["last"] and f"company_id={HINGEPOINT}" in links["next"]
        second = world.get(path + "&page=2", token)
        assert 'rel="prev"' in second.headers["Link"] and 'rel="next"' in second.headers["Link"]
        third = world.get(path + "&page=3", token)
        assert len(third.body) == 50 and 'rel="next"' not in third.headers["Link"]
        ids = [p["id"] for page in (first, second, third) for p in page.body]
        assert len(set(ids)) == 250 and ids == sorted(ids)
        assert world.get(path + "&page=4", token).body == []

    def test_per_page_is_capped_and_checked(self, big: tuple[World, str]) -> None:
        world, token = big
        reply = world.get(f"/rest/v1.1/projects?company_id={HINGEPOINT}&per_page=5000", token)
        assert reply.headers["Per-Page"] == "300" and len(reply.body) == 250
        bad = world.get(f"/rest/v1.1/projects?company_id={HINGEPOINT}&page=0", token)
        assert bad.status == 400
        assert world.get("/rest/v1.1/projects", token).status == 400


class TestProjectUserActions:
    """Add/remove take a company admin's session or a token with Directory admin."""

    def url(self, world: World, project: int, action: str) -> str:
        base = f"{world.portal.base_url}/rest/v1.0/projects/{project}"
        return f"{base}/users/{world.account_id}/actions/{action}"

    def test_token_with_directory_admin(self, world: World) -> None:
        token = world.token()
        project = world.other_projects[0]
        headers = {"Authorization": f"Bearer {token}", "Procore-Company-Id": str(HINGEPOINT)}
        added = call(self.url(world, project, "add"), "POST", headers=headers)
        assert added.status == 200 and added.body["project_id"] == project
        visible = world.get(f"/rest/v1.1/projects?company_id={HINGEPOINT}&per_page=300", token)
        assert project in {p["id"] for p in visible.body}
        installation = next(iter(world.portal.state.installations.values()))
        assert project in installation.permitted_project_ids
        removed = call(self.url(world, project, "remove"), "DELETE", headers=headers)
        assert removed.status == 200
        assert world.get(f"/rest/v1.0/projects/{project}/users", token).status == 404

    def test_token_without_admin_is_403(self, portal: MockPortal) -> None:
        world = make_world(portal, {"company": {"directory": "readonly"}})
        headers = {
            "Authorization": f"Bearer {world.token()}",
            "Procore-Company-Id": str(HINGEPOINT),
        }
        reply = call(self.url(world, world.other_projects[0], "add"), "POST", headers=headers)
        assert reply.status == 403

    def session_cookie(self, portal: MockPortal, login: str) -> str:
        serializer = portal.app.session_interface.get_signing_serializer(portal.app)  # type: ignore[attr-defined]
        return f"session={serializer.dumps({'procore_login': login})}"

    def test_company_admin_browser_session(self, world: World) -> None:
        cookie = self.session_cookie(world.portal, "admin@example.com")
        project = world.other_projects[1]
        reply = call(self.url(world, project, "add"), "POST", headers={"Cookie": cookie})
        assert reply.status == 200
        company = world.portal.state.companies[HINGEPOINT]
        assert project in company.memberships[world.account_id]

    def test_session_of_a_non_admin_is_refused(self, world: World) -> None:
        cookie = self.session_cookie(world.portal, "jordan@example.com")
        reply = call(
            self.url(world, world.other_projects[1], "add"), "POST", headers={"Cookie": cookie}
        )
        assert reply.status == 401

    def test_unknown_user_or_project(self, world: World) -> None:
        cookie = self.session_cookie(world.portal, "admin@example.com")
        base = world.portal.base_url + "/rest/v1.0/projects"
        reply = call(
            f"{base}/{world.other_projects[0]}/users/1/actions/add",
            "POST",
            headers={"Cookie": cookie},
        )
        assert reply.status == 404
        reply = call(
            f"{base}/1/users/{world.account_id}/actions/add", "POST", headers={"Cookie": cookie}
        )
        assert reply.status == 404


class TestRateLimit:
    """Every REST answer carries rate-limit headers; over the limit a token gets 429."""

    def test_limit_from_faults(self, world: World) -> None:
        set_faults = admin_call(world.portal, "/__mock__/faults", "POST", data=b"rate_limit=3")
        assert set_faults.status == 200
        try:
            token = world.token()
            remaining = []
            for _ in range(3):
                reply = world.get("/rest/v1.0/me", token)
                assert reply.status == 200 and reply.headers["X-Rate-Limit-Limit"] == "3"
                remaining.append(reply.headers["X-Rate-Limit-Remaining"])
                assert int(reply.headers["X-Rate-Limit-Reset"]) > 0
            assert remaining == ["2", "1", "0"]
            over = world.get("/rest/v1.0/me", token)
            assert over.status == 429 and int(over.headers["Retry-After"]) >= 1
            assert world.get("/rest/v1.0/me", world.token()).status == 200  # its own budget
        finally:
            admin_call(world.portal, "/__mock__/faults", "POST", data=b"")

    def test_default_limit(self, world: World) -> None:
        reply = world.get("/rest/v1.0/me", world.token())
        assert reply.headers["X-Rate-Limit-Limit"] == "3600"


class TestMockAdmin:
    """/__mock__ exports without secrets, resets to the seed, and creates projects."""

    def test_state_has_hashes_never_secrets(self, world: World) -> None:
        text = json.dumps(admin_call(world.portal, "/__mock__/state").body)
        assert world.client_secret not in text
        assert "production_secret_hash" in text and world.client_id in text

    def test_create_project_joins_service_accounts_set_to_join(self, world: World) -> None:
        company = world.portal.state.companies[HINGEPOINT]
        company.users[world.account_id].add_to_new_projects = True
        reply = admin_call(
            world.portal,
            f"/__mock__/companies/{HINGEPOINT}/projects",
            "POST",
            data=json.dumps({"name": "Brand New Tower", "active": True}).encode(),
            headers={"Content-Type": "application/json"},
        )
        assert reply.status == 201 and world.account_id in reply.body["member_user_ids"]
        visible = world.get(f"/rest/v1.1/projects?company_id={HINGEPOINT}", world.token())
        assert "Brand New Tower" in {p["name"] for p in visible.body}

    def test_create_project_errors(self, portal: MockPortal) -> None:
        url = "/__mock__/companies/{}/projects"
        headers = {"Content-Type": "application/json"}
        created = admin_call(portal, url.format(1), "POST", data=b'{"name": "x"}', headers=headers)
        assert created.status == 404
        empty = admin_call(portal, url.format(HINGEPOINT), "POST", data=b"{}", headers=headers)
        assert empty.status == 400

    def test_reset(self, world: World) -> None:
        assert world.portal.state.apps
        assert admin_call(world.portal, "/__mock__/reset", "POST").status == 200
        state = admin_call(world.portal, "/__mock__/state").body
        assert state["apps"] == [] and state["installations"] == []
        assert world.portal.app.config["PORTAL_STATE"] is world.portal.state
