"""My Apps, the app page (App Details & Versions | Credentials) and the version builder.

A version is made in two screens, as Procore's Quick Start Guide (late 2026) tells it: the app
page's **Create Version** opens the builder, which starts from the latest version's
components; **Edit Components** picks the Data Connector components and the service
account's permissions; **Save Version** asks for the semantic version and stores it. Promotion
and Reset client secret post to the endpoints both generations share (``production``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Response, abort, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from automation.mock_portal.developer_portal.common import (
    developer_email,
    owned_app,
    portal_state,
    signed_in,
)
from automation.mock_portal.developer_portal.current.common import blueprint
from automation.mock_portal.developer_portal.current.components import (
    COMPANY_TOOLS,
    GRID_LEVELS,
    PROJECT_TOOLS,
    Components,
    components_of,
    levels_of,
    manifest_with,
)
from automation.mock_portal.developer_portal.manifest import SEMVER, manifest_id, tool_key
from automation.mock_portal.state import App, ManifestVersion, new_version_key

__all__ = ["SCREENS", "app_page", "create_app", "my_apps", "new_version", "save_version"]


def _verified() -> bool:
    return portal_state().developers[developer_email()].verified


def _my_apps_page(error: str | None = None) -> str:
    apps = sorted(
        (a for a in portal_state().apps.values() if a.owner_email == developer_email()),
        key=lambda a: a.id,
    )
    return render_template(
        "developer_current/my_apps.html",
        apps=apps,
        email=developer_email(),
        error=error,
        verified=_verified(),
    )


@signed_in
def my_apps() -> str:
    with portal_state().lock:
        return _my_apps_page()


@signed_in
def create_app() -> BaseResponse | tuple[str, int]:
    name = request.form.get("app_name", "").strip()
    state = portal_state()
    with state.lock:
        if not name:
            return _my_apps_page("App Name is required."), 422
        app, _sandbox_secret = state.new_app(name, developer_email())
    return redirect(url_for("developer.app_page", app_id=app.id))


def _semver(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _selected(app: App) -> ManifestVersion | None:
    """The version the page details: ``?version=`` (a row's link), else the latest."""
    wanted = request.args.get("version")
    found = next((v for v in app.versions if v.semver == wanted), None)
    if wanted and found is None:
        abort(404)
    return found or (app.versions[-1] if app.versions else None)


def _permission_rows(components: Components) -> list[tuple[str, str, str]]:
    """The summary under Service Account Authentication: tools with a level, as named."""
    names = {tool_key(t): t for t in COMPANY_TOOLS + PROJECT_TOOLS}
    shown = dict(GRID_LEVELS)
    keys = sorted(set(components.permissions["company"]) | set(components.permissions["project"]))
    return [
        (
            names.get(key, key.replace("_", " ").title()),
            shown.get(components.permissions["company"].get(key, ""), "None"),
            shown.get(components.permissions["project"].get(key, ""), "None"),
        )
        for key in keys
    ]


@signed_in
def app_page(app_id: int) -> str:
    with portal_state().lock:
        app = owned_app(app_id)
        version = _selected(app)
        components = components_of(version.manifest) if version else Components()
        return render_template(
            "developer_current/app.html",
            app=app,
            email=developer_email(),
            version=version,
            versions=list(reversed(app.versions)),
            components=components,
            permission_rows=_permission_rows(components),
            verified=_verified(),
            sandbox_url=f"{request.host_url}app/{app.id + 4270000}/company/home",
        )


def _grid_rows(tools: list[str]) -> list[tuple[str, str, list[str]]]:
    return [(tool, tool_key(tool), levels_of(tool)) for tool in tools]


@blueprint.get("/apps/<int:app_id>/versions/new")
@signed_in
def new_version(app_id: int) -> str:
    with portal_state().lock:
        app = owned_app(app_id)
        latest = app.versions[-1] if app.versions else None
        components = components_of(latest.manifest) if latest else Components()
        return render_template(
            "developer_current/new_version.html",
            app=app,
            email=developer_email(),
            last_version=latest.semver if latest else None,
            draft=json.dumps(components.__dict__),
            grids=(
                ("company", "Company Level", _grid_rows(COMPANY_TOOLS)),
                ("project", "Project Level", _grid_rows(PROJECT_TOOLS)),
            ),
            grid_levels=GRID_LEVELS,
        )


def _components(body: dict[str, Any]) -> Components:
    found = body.get("permissions")
    given: dict[str, Any] = found if isinstance(found, dict) else {}
    permissions = {
        level: {str(k): str(v) for k, v in (given.get(level) or {}).items() if v}
        for level in ("company", "project")
    }
    return Components(
        user_level=bool(body.get("user_level")),
        service_account=bool(body.get("service_account")),
        permissions=permissions,
    )


@blueprint.post("/apps/<int:app_id>/versions/new")
@signed_in
def save_version(app_id: int) -> tuple[Response, int]:
    body = request.get_json(silent=True) or {}
    semver = str(body.get("version", "")).strip()
    chosen = _components(body)
    state = portal_state()
    with state.lock:
        app = owned_app(app_id)
        problems = chosen.problems()
        last = app.versions[-1] if app.versions else None
        if not SEMVER.match(semver):
            problems.append("Enter the version number in semantic format major.minor.patch.")
        elif last is not None and _semver(semver) <= _semver(last.semver):
            problems.append(f"Version must be greater than the last version, {last.semver}.")
        if problems:
            return jsonify({"errors": problems}), 422
        base = last.manifest if last else {"schema_version": "3", "components": {}}
        manifest = manifest_with(base, chosen, manifest_id(app))
        app.versions.append(ManifestVersion(semver, manifest, new_version_key()))
    return jsonify({"version": semver, "url": url_for("developer.app_page", app_id=app_id)}), 201


@blueprint.get("/verified-developer")
@signed_in
def become_verified() -> str:
    return render_template("developer_current/verified.html", email=developer_email())


#: The classic endpoints whose addresses this generation's screens take over.
SCREENS: dict[str, Callable[..., Any]] = {
    "my_apps": my_apps,
    "create_app": create_app,
    "app_page": app_page,
}
