"""The REST API at ``/rest/*``, standing for ``api.procore.com``: resources and their JSON.

Lists are paginated as Procore's are (``page`` / ``per_page``, ``Total``, ``Per-Page`` and
``Link`` headers). Calls name the company in the ``Procore-Company-Id`` header; ``access``
decides who the caller is and what it sees. Adding an installation's service account to a
project also permits the project to the app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from flask import Response, jsonify, request

from automation.mock_portal.api.access import (
    connect,
    live_installations,
    may_manage_users,
    token_app,
    unauthorized,
    visible_projects,
)
from automation.mock_portal.api.common import ApiError, blueprint, portal_state
from automation.mock_portal.state import Company, Project, User

__all__ = [
    "add_project_user",
    "app_installations",
    "companies",
    "company_users",
    "me",
    "paginated",
    "project_users",
    "projects",
    "remove_project_user",
]

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 300  # a mock choice: Procore documents per_page without a published maximum


# -- JSON shapes and pagination --------------------------------------------------------------


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


def paginated(items: list[Any]) -> Response:
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
    state = portal_state()
    with state.lock:
        if request.headers.get("Procore-Company-Id"):
            _, installation, company = connect(state)
        else:  # the one company the app is installed in, as Procore's /me answers
            app, token = token_app(state)
            installed = live_installations(state, app, token)
            if not installed:
                raise unauthorized("401 Unauthorized: the app is not installed in any company")
            installation = installed[0]
            company = state.companies[installation.company_id]
        user = company.users[installation.service_account_id]
        return jsonify({"id": user.id, "login": user.login, "name": user.name})


@blueprint.get("/rest/v1.0/companies")
def companies() -> Response:
    state = portal_state()
    with state.lock:
        app, token = token_app(state)
        ids = sorted({i.company_id for i in live_installations(state, app, token)})
        found = [
            {"id": c.id, "name": c.name, "is_active": True, "logo_url": None, "my_company": False}
            for c in (state.companies[cid] for cid in ids)
        ]
        return paginated(found)


def _company_id_param() -> int:
    """The ``company_id`` query parameter, which these list endpoints require."""
    raw = request.args.get("company_id")
    if not raw or not raw.isdigit():
        raise ApiError(400, {"errors": "company_id is missing or not a company id"})
    return int(raw)


@blueprint.get("/rest/v1.1/projects")
def projects() -> Response:
    company_id = _company_id_param()
    state = portal_state()
    with state.lock:
        _, installation, company = connect(state, company_id)
        visible = visible_projects(company, installation)
        return paginated([_project_json(p, company) for p in visible])


@blueprint.get("/rest/v1.3/companies/<int:company_id>/users")
def company_users(company_id: int) -> Response:
    state = portal_state()
    with state.lock:
        _, _, company = connect(state, company_id)
        users = sorted(company.users.values(), key=lambda u: u.id)
        return paginated([_user_json(u) for u in users])


@blueprint.get("/rest/v1.0/projects/<int:project_id>/users")
def project_users(project_id: int) -> Response:
    state = portal_state()
    with state.lock:
        _, installation, company = connect(state)
        if project_id not in {
            p.id for p in visible_projects(company, installation)
        }:
            raise ApiError(404, {"errors": f"Project {project_id} not found"})
        members = [
            _user_json(u)
            for u in sorted(company.users.values(), key=lambda u: u.id)
            if project_id in company.memberships.get(u.id, set())
        ]
        return paginated(members)


@blueprint.get("/rest/v1.0/app_installations")
def app_installations() -> Response:
    company_id = _company_id_param()
    state = portal_state()
    with state.lock:
        _, _, company = connect(state, company_id)
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
        return paginated(found)


# -- project users: add and remove -----------------------------------------------------------


def _membership_change(
    project_id: int, user_id: int, change: Callable[[Company], None]
) -> Response:
    state = portal_state()
    with state.lock:
        company = next((c for c in state.companies.values() if project_id in c.projects), None)
        if company is None:
            raise ApiError(404, {"errors": f"Project {project_id} not found"})
        may_manage_users(state, company)
        user = company.users.get(user_id)
        if user is None:
            raise ApiError(404, {"errors": f"User {user_id} not found"})
        change(company)
        return jsonify({**_user_json(user), "project_id": project_id})


@blueprint.post("/rest/v1.0/projects/<int:project_id>/users/<int:user_id>/actions/add")
def add_project_user(project_id: int, user_id: int) -> Response:
    def add(company: Company) -> None:
        company.memberships.setdefault(user_id, set()).add(project_id)
        for installation in portal_state().installations.values():
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
