"""Who a REST call comes from, what it may see and do, and the rate limit it counts against.

A token belongs to an app (production or sandbox credentials). In a company where that app is
installed, the token acts as the installation's service account, which sees exactly the
*active* projects it is a member of. An app installed nowhere gets 401, an app installed
elsewhere but not in the company asked for gets 403. Managing project users also accepts the
signed-in session of a company administrator of the Procore web app.
"""

from __future__ import annotations

from flask import Response, current_app, g, request, session

from automation.mock_portal.api.common import ApiError, bearer, blueprint, live_token
from automation.mock_portal.faults import current_faults
from automation.mock_portal.security import rate_windows, reset_rate_limits
from automation.mock_portal.state import App, Company, Installation, PortalState, Project, Token

__all__ = [
    "connect",
    "granted_level",
    "live_installations",
    "may_manage_users",
    "require_tool",
    "reset_rate_limits",
    "token_app",
    "unauthorized",
    "visible_projects",
]

RATE_WINDOW_S = 3600
MISSING_COMPANY = "Missing Procore-Company-Id header!"


# -- rate limit ------------------------------------------------------------------------------


def _count_request(key: str) -> None:
    windows = rate_windows(current_app, "rest", RATE_WINDOW_S)
    quota = windows.take(key, current_faults().rate_limit)
    g.rate_limit_headers = quota.headers()
    if not quota.allowed:
        raise ApiError(429, {"errors": "Rate limit exceeded"}, g.rate_limit_headers)


@blueprint.after_request
def _add_rate_limit_headers(response: Response) -> Response:
    response.headers.update(getattr(g, "rate_limit_headers", {}))
    return response


# -- the caller: token, installations, company -----------------------------------------------


def unauthorized(message: str) -> ApiError:
    return ApiError(401, {"errors": message}, {"WWW-Authenticate": 'Bearer realm="Procore"'})


def token_app(state: PortalState) -> tuple[App, Token]:
    live = live_token(state, bearer())
    if live is None:
        raise unauthorized("401 Unauthorized: the access token is invalid or expired")
    key, token, app = live
    _count_request(key)
    return app, token


def live_installations(state: PortalState, app: App, token: Token) -> list[Installation]:
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


def connect(state: PortalState, company_id: int | None = None) -> tuple[App, Installation, Company]:
    """The caller's app, its installation in the company and the company, or the HTTP error."""
    app, token = token_app(state)
    wanted = _header_company_id() if company_id is None else company_id
    if company_id is not None:
        _header_company_id()  # still required, as on Procore
    installed = live_installations(state, app, token)
    if not installed:
        raise unauthorized("401 Unauthorized: the app is not installed in any company")
    for installation in installed:
        if installation.company_id == wanted:
            return app, installation, state.companies[wanted]
    raise ApiError(403, {"errors": f"The app is not connected to company {wanted}"})


# -- what the caller sees and may do ---------------------------------------------------------


def visible_projects(company: Company, installation: Installation) -> list[Project]:
    """The active projects the app's service account belongs to *and* the app is permitted
    on: an app update or reinstall empties the permitted projects (Procore's "Managing App
    Versions": project settings "do not carry over"), so its projects vanish until they are
    permitted again."""
    member_of = company.memberships.get(installation.service_account_id, set())
    reachable = member_of & installation.permitted_project_ids
    return sorted(
        (p for pid in reachable if (p := company.projects.get(pid)) is not None and p.active),
        key=lambda p: p.id,
    )


#: How far each level reaches: a tool at Standard may also do what Read-Only may.
_LEVEL_RANK = {"readonly": 1, "read_only": 1, "standard": 2, "admin": 3}


def granted_level(state: PortalState, installation: Installation, scope: str, tool: str) -> int:
    """The rank of the installed version's ``scope`` ("company"/"project") permission on
    ``tool`` (its manifest key, ``daily_log``); 0 when not granted."""
    found = state.find_version(installation.app_version_key)
    manifest = found[1].manifest if found else {}
    best = 0
    for instance in manifest.get("components", {}).get("oauth", {}).get("instances", []):
        level = instance.get("permissions", {}).get(scope, {}).get(tool)
        best = max(best, _LEVEL_RANK.get(str(level).lower(), 0))
    return best


def require_tool(
    state: PortalState, app: App, installation: Installation, scope: str, tool: str, label: str
) -> None:
    """403 unless the installed version grants at least Read-Only on the tool."""
    if granted_level(state, installation, scope, tool) == 0:
        raise ApiError(
            403, {"errors": f"{app.name} does not have {scope} level {label} permission"}
        )


def may_manage_users(state: PortalState, company: Company) -> None:
    """A company admin's browser session, or a token with company-level admin rights."""
    login = session.get("procore_login")
    if isinstance(login, str) and login in company.admins:
        _count_request(f"session:{login}")
        return
    if bearer() is None:
        raise unauthorized("401 Unauthorized: sign in or send a bearer token")
    app, installation, connected = connect(state)
    if connected.id != company.id:
        raise ApiError(404, {"errors": "Project not found"})
    admin = _LEVEL_RANK["admin"]
    if admin not in (granted_level(state, installation, "company", tool) for tool in
                     ("directory", "admin")):
        raise ApiError(403, {"errors": f"{app.name} needs company Directory admin permission"})
