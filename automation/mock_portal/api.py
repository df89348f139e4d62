"""OAuth 2.0 token endpoints and the REST API, at the root of the mock's origin.

``/oauth/*`` stands for ``login.procore.com``, ``/rest/*`` for ``api.procore.com``.

Who sees what: a token belongs to an app (production or sandbox credentials). In a company
where that app is installed, the token acts as the installation's service account, which sees
exactly the *active* projects it is a member of; every other project is invisible (404). An
app installed nowhere gets 401, an app installed elsewhere but not in the company asked for
gets 403. REST calls name the company in the ``Procore-Company-Id`` header.

Adding or removing a project user (``.../actions/add|remove``) takes either a token whose
installed manifest grants company-level Directory (or Admin) ``admin``, or the signed-in
session of a company administrator in the Procore web app (``session["procore_login"]``),
which is how browser automation adds thousands of projects when Add All is unavailable.
Adding an installation's service account also permits the project to the app.

Only a SHA-256 of each access token is kept; client secrets are checked against their hash.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request, session

from automation.mock_portal.faults import current_faults
from automation.mock_portal.state import (
    App,
    Company,
    Installation,
    PortalState,
    Project,
    Token,
    User,
    now,
)

__all__ = ["ApiError", "blueprint", "reset_rate_limits", "token_hash"]

blueprint = Blueprint("api", __name__)

TOKEN_LIFETIME_S = 5400
RATE_WINDOW_S = 3600
DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 300  # a mock choice: Procore documents per_page without a published maximum
MISSING_COMPANY = "Missing Procore-Company-Id header!"
INVALID_CLIENT = (
    "Client authentication failed due to unknown client, no client authentication included, "
    "or unsupported authentication method."
)


class ApiError(Exception):
    def __init__(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(status, payload)
        self.status, self.payload, self.headers = status, payload, headers or {}


@blueprint.errorhandler(ApiError)
def _api_error(error: ApiError) -> Response:
    response = jsonify(error.payload)
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def _state() -> PortalState:
    state: PortalState = current_app.config["PORTAL_STATE"]
    return state


def token_hash(access_token: str) -> str:
    return hashlib.sha256(access_token.encode()).hexdigest()


# -- OAuth -----------------------------------------------------------------------------------


def _oauth_params() -> dict[str, str]:
    """Form-encoded, multipart and JSON bodies alike, plus HTTP Basic client credentials."""
    body: Any = request.get_json(silent=True) if request.is_json else request.form
    params = {k: v for k, v in dict(body or {}).items() if isinstance(v, str)}
    auth = request.authorization
    if auth is not None and auth.type == "basic" and auth.username:
        params.setdefault("client_id", auth.username)
        params.setdefault("client_secret", auth.password or "")
    return params


def _oauth_error(status: int, error: str, description: str) -> ApiError:
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    if status == 401:
        headers["WWW-Authenticate"] = f'Bearer realm="Procore", error="{error}"'
    return ApiError(status, {"error": error, "error_description": description}, headers)


@blueprint.post("/oauth/token")
def oauth_token() -> Response:
    params = _oauth_params()
    grant_type = params.get("grant_type")
    if not grant_type:
        raise _oauth_error(
            400, "invalid_request", "The request is missing a required parameter: grant_type."
        )
    if grant_type != "client_credentials":
        raise _oauth_error(
            400,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
        )
    client_id, client_secret = params.get("client_id"), params.get("client_secret")
    state = _state()
    with state.lock:
        verified = (
            state.verify_client(client_id, client_secret) if client_id and client_secret else None
        )
        if verified is None:
            raise _oauth_error(401, "invalid_client", INVALID_CLIENT)
        app, environment = verified
        access_token = secrets.token_urlsafe(32)
        created = now()
        state.tokens[token_hash(access_token)] = Token(
            app.id,
            "production" if environment == "production" else "sandbox",
            app.secret_generation,
            created,
            TOKEN_LIFETIME_S,
        )
    response = jsonify(
        {
            "access_token": access_token,
            "token_type": "bearer",
            "expires_in": TOKEN_LIFETIME_S,
            "created_at": int(created.timestamp()),
        }
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def _live_token(state: PortalState, access_token: str | None) -> tuple[str, Token, App] | None:
    """The token's record if it is known, unexpired and of the app's current secret."""
    if not access_token:
        return None
    key = token_hash(access_token)
    token = state.tokens.get(key)
    app = state.apps.get(token.app_id) if token else None
    if token is None or app is None:
        return None
    expired = (now() - token.created_at).total_seconds() >= token.expires_in
    rotated = token.environment == "production" and token.secret_generation != app.secret_generation
    if expired or rotated:
        del state.tokens[key]
        return None
    return key, token, app


@blueprint.get("/oauth/token/info")
def oauth_token_info() -> Response:
    state = _state()
    with state.lock:
        live = _live_token(state, _bearer())
        if live is None:
            raise _oauth_error(401, "invalid_token", "The access token is invalid")
        _, token, app = live
        client_id = (
            app.production_client_id
            if token.environment == "production"
            else (app.sandbox_client_id)
        )
        left = token.expires_in - int((now() - token.created_at).total_seconds())
    return jsonify(
        {
            "resource_owner_id": None,
            "scope": [],
            "expires_in": left,
            "application": {"uid": client_id},
            "created_at": int(token.created_at.timestamp()),
        }
    )


@blueprint.post("/oauth/revoke")
def oauth_revoke() -> Response:
    # RFC 7009: the answer is 200 whether or not the token was valid.
    token = _oauth_params().get("token")
    state = _state()
    if token:
        with state.lock:
            state.tokens.pop(token_hash(token), None)
    return jsonify({})


# -- REST: authentication, rate limit, company -----------------------------------------------


class _RateLimits:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.windows: dict[str, tuple[float, int]] = {}

    def take(self, key: str, limit: int) -> tuple[bool, dict[str, str]]:
        with self.lock:
            started, used = self.windows.get(key, (time.time(), 0))
            if time.time() - started >= RATE_WINDOW_S:
                started, used = time.time(), 0
            allowed = used < limit
            used += 1 if allowed else 0
            self.windows[key] = (started, used)
        headers = {
            "X-Rate-Limit-Limit": str(limit),
            "X-Rate-Limit-Remaining": str(max(limit - used, 0)),
            "X-Rate-Limit-Reset": str(int(started + RATE_WINDOW_S)),
        }
        if not allowed:
            headers["Retry-After"] = str(max(int(started + RATE_WINDOW_S - time.time()), 1))
        return allowed, headers


def _rate_limits(app: Flask) -> _RateLimits:
    limits: _RateLimits = app.extensions.setdefault("portal_rate_limits", _RateLimits())
    return limits


def reset_rate_limits(app: Flask) -> None:
    limits = _rate_limits(app)
    with limits.lock:
        limits.windows.clear()


def _count_request(key: str) -> None:
    allowed, headers = _rate_limits(current_app).take(key, current_faults().rate_limit)
    g.rate_limit_headers = headers
    if not allowed:
        raise ApiError(429, {"errors": "Rate limit exceeded"}, headers)


@blueprint.after_request
def _add_rate_limit_headers(response: Response) -> Response:
    response.headers.update(getattr(g, "rate_limit_headers", {}))
    return response


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, {"errors": message}, {"WWW-Authenticate": 'Bearer realm="Procore"'})


def _token_app(state: PortalState) -> tuple[App, Token]:
    live = _live_token(state, _bearer())
    if live is None:
        raise _unauthorized("401 Unauthorized: the access token is invalid or expired")
    key, token, app = live
    _count_request(key)
    return app, token


def _installations(state: PortalState, app: App, token: Token) -> list[Installation]:
    """The app's live installations made with a key of the token's environment."""
    found = []
    for installation in state.installations.values():
        if installation.app_id != app.id or installation.uninstalled:
            continue
        kind = state.find_version(installation.app_version_key)
        if kind is not None and kind[2] == token.environment:
            found.append(installation)
    return found


def _header_company_id() -> int:
    raw = request.headers.get("Procore-Company-Id")
    if not raw:
        raise ApiError(400, {"errors": MISSING_COMPANY})
    try:
        return int(raw)
    except ValueError:
        raise ApiError(400, {"errors": f"Procore-Company-Id {raw!r} is not a company id"}) from None


def _connect(
    state: PortalState, company_id: int | None = None
) -> tuple[App, Installation, Company]:
    """The caller's app, its installation in the company and the company, or the HTTP error."""
    app, token = _token_app(state)
    wanted = _header_company_id() if company_id is None else company_id
    if company_id is not None:
        _header_company_id()  # still required, as on Procore
    installed = _installations(state, app, token)
    if not installed:
        raise _unauthorized("401 Unauthorized: the app is not installed in any company")
    for installation in installed:
        if installation.company_id == wanted:
            return app, installation, state.companies[wanted]
    raise ApiError(403, {"errors": f"The app is not connected to company {wanted}"})


def _visible_projects(company: Company, user_id: int) -> list[Project]:
    member_of = company.memberships.get(user_id, set())
    return sorted(
        (p for pid in member_of if (p := company.projects.get(pid)) is not None and p.active),
        key=lambda p: p.id,
    )


# -- REST: JSON shapes and pagination --------------------------------------------------------


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "login": user.login,
        "email_address": user.login,
        "is_active": True,
        "is_employee": user.app_id is None,
    }


def _project_json(project: Project, company: Company) -> dict[str, Any]:
    return {
        "id": project.id,
        "name": project.name,
        "display_name": project.name,
        "project_number": str(project.id),
        "active": project.active,
        "company": {"id": company.id, "name": company.name},
        "created_at": _iso(project.created_at),
    }


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ApiError(400, {"errors": f"{name} must be a positive whole number"})
    return value


def _paginated(items: list[Any]) -> Response:
    page = _int_arg("page", 1)
    per_page = min(_int_arg("per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    last = max((len(items) + per_page - 1) // per_page, 1)
    response = jsonify(items[(page - 1) * per_page : page * per_page])
    others = {k: v for k, v in request.args.items() if k not in {"page", "per_page"}}

    def link(number: int, rel: str) -> str:
        query = urlencode({**others, "page": number, "per_page": per_page})
        return f'<{request.base_url}?{query}>; rel="{rel}"'

    links = [link(1, "first")]
    if page > 1:
        links.append(link(min(page - 1, last), "prev"))
    if page < last:
        links.append(link(page + 1, "next"))
    links.append(link(last, "last"))
    response.headers["Total"] = str(len(items))
    response.headers["Per-Page"] = str(per_page)
    response.headers["Link"] = ", ".join(links)
    return response


# -- REST endpoints --------------------------------------------------------------------------


@blueprint.get("/rest/v1.0/me")
def me() -> Response:
    state = _state()
    with state.lock:
        if request.headers.get("Procore-Company-Id"):
            _, installation, company = _connect(state)
        else:  # the one company the app is installed in, as Procore's /me answers
            app, token = _token_app(state)
            installed = _installations(state, app, token)
            if not installed:
                raise _unauthorized("401 Unauthorized: the app is not installed in any company")
            installation = installed[0]
            company = state.companies[installation.company_id]
        user = company.users[installation.service_account_id]
        return jsonify({"id": user.id, "login": user.login, "name": user.name})


@blueprint.get("/rest/v1.0/companies")
def companies() -> Response:
    state = _state()
    with state.lock:
        app, token = _token_app(state)
        ids = sorted({i.company_id for i in _installations(state, app, token)})
        found = [
            {"id": c.id, "name": c.name, "is_active": True, "logo_url": None, "my_company": False}
            for c in (state.companies[cid] for cid in ids)
        ]
        return _paginated(found)


@blueprint.get("/rest/v1.1/projects")
def projects() -> Response:
    raw = request.args.get("company_id")
    if not raw or not raw.isdigit():
        raise ApiError(400, {"errors": "company_id is missing or not a company id"})
    state = _state()
    with state.lock:
        _, installation, company = _connect(state, int(raw))
        visible = _visible_projects(company, installation.service_account_id)
        return _paginated([_project_json(p, company) for p in visible])


@blueprint.get("/rest/v1.3/companies/<int:company_id>/users")
def company_users(company_id: int) -> Response:
    state = _state()
    with state.lock:
        _, _, company = _connect(state, company_id)
        users = sorted(company.users.values(), key=lambda u: u.id)
        return _paginated([_user_json(u) for u in users])


@blueprint.get("/rest/v1.0/projects/<int:project_id>/users")
def project_users(project_id: int) -> Response:
    state = _state()
    with state.lock:
        _, installation, company = _connect(state)
        if project_id not in {
            p.id for p in _visible_projects(company, installation.service_account_id)
        }:
            raise ApiError(404, {"errors": f"Project {project_id} not found"})
        members = [
            _user_json(u)
            for u in sorted(company.users.values(), key=lambda u: u.id)
            if project_id in company.memberships.get(u.id, set())
        ]
        return _paginated(members)


@blueprint.get("/rest/v1.0/app_installations")
def app_installations() -> Response:
    raw = request.args.get("company_id")
    if not raw or not raw.isdigit():
        raise ApiError(400, {"errors": "company_id is missing or not a company id"})
    state = _state()
    with state.lock:
        _, _, company = _connect(state, int(raw))
        found = []
        for installation in sorted(state.installations.values(), key=lambda i: i.id):
            if installation.company_id != company.id or installation.uninstalled:
                continue
            app = state.apps.get(installation.app_id)
            account = company.users.get(installation.service_account_id)
            found.append(
                {
                    "id": installation.id,
                    "app_name": app.name if app else None,
                    "app_version_id": installation.app_version_key,
                    "installed_at": _iso(installation.installed_at),
                    "service_account": _user_json(account) if account else None,
                    "permitted_project_count": len(installation.permitted_project_ids),
                }
            )
        return _paginated(found)


def _may_manage_users(state: PortalState, company: Company) -> None:
    """A company admin's browser session, or a token with company-level admin rights."""
    login = session.get("procore_login")
    if isinstance(login, str) and login in company.admins:
        _count_request(f"session:{login}")
        return
    if _bearer() is None:
        raise _unauthorized("401 Unauthorized: sign in or send a bearer token")
    app, installation, connected = _connect(state)
    if connected.id != company.id:
        raise ApiError(404, {"errors": "Project not found"})
    found = state.find_version(installation.app_version_key)
    manifest = found[1].manifest if found else {}
    levels: dict[str, str] = {}
    for instance in manifest.get("components", {}).get("oauth", {}).get("instances", []):
        levels.update(instance.get("permissions", {}).get("company", {}))
    if "admin" not in (levels.get("directory"), levels.get("admin")):
        raise ApiError(403, {"errors": f"{app.name} needs company Directory admin permission"})


def _membership_change(
    project_id: int, user_id: int, change: Callable[[Company], None]
) -> Response:
    state = _state()
    with state.lock:
        company = next((c for c in state.companies.values() if project_id in c.projects), None)
        if company is None:
            raise ApiError(404, {"errors": f"Project {project_id} not found"})
        _may_manage_users(state, company)
        user = company.users.get(user_id)
        if user is None:
            raise ApiError(404, {"errors": f"User {user_id} not found"})
        change(company)
        return jsonify({**_user_json(user), "project_id": project_id})


@blueprint.post("/rest/v1.0/projects/<int:project_id>/users/<int:user_id>/actions/add")
def add_project_user(project_id: int, user_id: int) -> Response:
    def add(company: Company) -> None:
        company.memberships.setdefault(user_id, set()).add(project_id)
        for installation in _state().installations.values():
            if (
                installation.company_id == company.id
                and installation.service_account_id == user_id
                and not installation.uninstalled
            ):
                installation.permitted_project_ids.add(project_id)

    return _membership_change(project_id, user_id, add)


@blueprint.delete("/rest/v1.0/projects/<int:project_id>/users/<int:user_id>/actions/remove")
def remove_project_user(project_id: int, user_id: int) -> Response:
    def remove(company: Company) -> None:
        company.memberships.get(user_id, set()).discard(project_id)

    return _membership_change(project_id, user_id, remove)
