"""My Apps, an app's page, a manifest version's page, and Create New Version.

Versions are numbered major.minor.patch and must increase; each new version gets a sandbox
key at once, and a production key only when promoted (``production``).
"""

from __future__ import annotations

import json

from flask import Response, abort, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from automation.mock_portal.developer_portal.common import (
    blueprint,
    developer_email,
    owned_app,
    portal_state,
    signed_in,
)
from automation.mock_portal.developer_portal.manifest import (
    COMPANY_TOOLS,
    PROJECT_TOOLS,
    SEMVER,
    manifest_id,
    validate_manifest,
)
from automation.mock_portal.state import App, ManifestVersion, new_version_key

__all__ = ["app_page", "create_app", "create_version", "my_apps", "version_page"]



# -- My Apps ---------------------------------------------------------------------------------


@blueprint.get("/apps")
@signed_in
def my_apps() -> str:
    with portal_state().lock:
        apps = sorted(
            (a for a in portal_state().apps.values() if a.owner_email == developer_email()),
            key=lambda a: a.id,
        )
        return render_template(
            "developer/my_apps.html", apps=apps, email=developer_email(), error=None
        )


@blueprint.post("/apps")
@signed_in
def create_app() -> BaseResponse | tuple[str, int]:
    name = request.form.get("app_name", "").strip()
    state = portal_state()
    with state.lock:
        if not name:
            apps = [a for a in state.apps.values() if a.owner_email == developer_email()]
            page = render_template(
                "developer/my_apps.html",
                apps=apps,
                email=developer_email(),
                error="App Name is required.",
            )
            return page, 422
        app, _sandbox_secret = state.new_app(name, developer_email())  # masked on the app page
    return redirect(url_for("developer.app_page", app_id=app.id))


# -- the app page ----------------------------------------------------------------------------


def _starting_manifest(app: App) -> str:
    """What the Create New Version editor starts from: the last version, else a template."""
    if app.versions:
        return json.dumps(app.versions[-1].manifest, indent=2)
    return json.dumps(
        {
            "schema_version": "3",
            "app_manifest": {"id": manifest_id(app)},
            "post_installation_instruction": {
                "page": {
                    "url": "https://example-post-install-page.com",
                    "label": "Post installation instruction page",
                },
                "notes": "these-are-post-installation-setup-notes",
            },
            "components": {},
        },
        indent=2,
    )


def _grant_type(app: App) -> str | None:
    if not app.versions:
        return None
    instances = app.versions[-1].manifest.get("components", {}).get("oauth", {}).get("instances")
    return instances[0].get("grant_type") if instances else None


@blueprint.get("/apps/<int:app_id>")
@signed_in
def app_page(app_id: int) -> str:
    with portal_state().lock:
        app = owned_app(app_id)
        sandbox = list(reversed(app.versions))
        production = sorted(
            (v for v in app.versions if v.production_key),
            key=lambda v: v.promoted_at or v.created_at,
            reverse=True,
        )
        return render_template(
            "developer/app.html",
            app=app,
            email=developer_email(),
            sandbox=sandbox,
            production=production,
            last_version=app.versions[-1].semver if app.versions else None,
            starting_manifest=_starting_manifest(app),
            grant_type=_grant_type(app),
            sandbox_url=f"{request.host_url}app/{app.id + 4270000}/company/home",
            company_tools=COMPANY_TOOLS,
            project_tools=PROJECT_TOOLS,
        )


# -- manifest versions -----------------------------------------------------------------------


@blueprint.get("/apps/<int:app_id>/versions/<semver>")
@signed_in
def version_page(app_id: int, semver: str) -> str:
    with portal_state().lock:
        app = owned_app(app_id)
        version = next((v for v in app.versions if v.semver == semver), None)
        if version is None:
            abort(404)
        manifest = json.dumps(version.manifest, indent=2)
        return render_template(
            "developer/version.html",
            app=app,
            version=version,
            manifest=manifest,
            email=developer_email(),
        )


def _semver(text: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in text.split("."))
    return major, minor, patch


@blueprint.post("/apps/<int:app_id>/versions")
@signed_in
def create_version(app_id: int) -> tuple[Response, int]:
    body = request.get_json(silent=True) or {}
    semver = str(body.get("version", "")).strip()
    state = portal_state()
    with state.lock:
        app = owned_app(app_id)
        problems = []
        if not SEMVER.match(semver):
            problems.append("Enter the version number in semantic format major.minor.patch.")
        elif app.versions and _semver(semver) <= _semver(app.versions[-1].semver):
            problems.append(
                f"Version must be greater than the last version, {app.versions[-1].semver}."
            )
        manifest, manifest_problems = validate_manifest(str(body.get("manifest", "")))
        problems.extend(manifest_problems)
        if problems or manifest is None:
            return jsonify({"errors": problems}), 422
        # "UID and name will be autogenerated under the app_manifest root key".
        manifest["app_manifest"] = {**manifest.get("app_manifest", {}), "id": manifest_id(app)}
        app.versions.append(ManifestVersion(semver, manifest, new_version_key()))
    return jsonify({"version": semver, "url": url_for("developer.app_page", app_id=app_id)}), 201
