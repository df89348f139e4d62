"""Company Admin > App Management: installed apps, Install Custom App, View > Permissions.

Installing a data connection app creates an Installation and the app's service account (a
Directory user named after the app plus a random suffix). Permitting a project adds the service
account to that project too, and deleting a permitted project removes both: Procore keeps the
two in step (see ``common.add_memberships``).
"""

from __future__ import annotations

import re
import secrets
import string
from typing import Any

from flask import abort, render_template, request
from werkzeug.wrappers import Response

from automation.mock_portal.procore.auth import page_context
from automation.mock_portal.procore.common import (
    Pager,
    add_memberships,
    admin_company,
    blueprint,
    current_login,
    json_error,
    portal_state,
    redirect_to,
    signed_in,
    slug,
)
from automation.mock_portal.procore.manifest import requested_permissions
from automation.mock_portal.state import (
    App,
    Company,
    Installation,
    ManifestVersion,
    PortalState,
    User,
)

__all__ = ["install_app", "latest_production_key", "validate_app_version_id"]

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


class InstallRefused(Exception):
    """The message a company admin sees under the App Version ID field."""


def validate_app_version_id(
    state: PortalState, company: Company, key: str
) -> tuple[App, ManifestVersion]:
    """The production version a key installs, or :class:`InstallRefused` with the reason."""
    key = key.strip()
    if not key:
        raise InstallRefused("App Version ID is required.")
    if len(key) != 36:
        raise InstallRefused(f"App Version ID must be 36 characters (you entered {len(key)}).")
    if not _UUID.match(key):
        raise InstallRefused("App Version ID is not valid. Check the ID and try again.")
    found = state.find_version(key)
    if found is None:
        raise InstallRefused(
            "No app was found for this App Version ID. Check the ID and try again."
        )
    app, version, kind = found
    if kind == "sandbox":
        raise InstallRefused(
            "This is a sandbox App Version ID. It can only be installed in the app's development "
            "sandbox company. Ask the developer for the production App Version ID."
        )
    installation = state.installation_of(app.id, company.id)
    if installation is not None:
        if installation.app_version_key == key:
            raise InstallRefused(f"{app.name} is already installed in {company.name}.")
        raise InstallRefused(
            f"{app.name} is already installed in {company.name}. Use Update on the installed "
            "app to move to this version."
        )
    return app, version


def _service_account(state: PortalState, company: Company, app: App) -> User:
    # Procore does not publish the suffix format; five lowercase letters and digits look like it.
    suffix = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(5))
    user = User(
        id=state.next_id(),
        name=f"{app.name} ({suffix})",
        login=f"{slug(app.name)}-{suffix}@serviceaccount.procore.invalid",
        company_id=company.id,
        app_id=app.id,
    )
    company.users[user.id] = user
    company.memberships[user.id] = set()
    return user


def install_app(state: PortalState, company: Company, key: str) -> Installation:
    """Installs (or re-installs after an uninstall) the app version; call under the lock."""
    app, _version = validate_app_version_id(state, company, key)
    for old in state.installations.values():
        if old.app_id == app.id and old.company_id == company.id and old.uninstalled:
            # A re-install revives the same service account; its projects must be set again.
            old.uninstalled = False
            old.app_version_key = key.strip()
            old.permitted_project_ids.clear()
            company.memberships[old.service_account_id] = set()
            return old
    user = _service_account(state, company, app)
    installation = Installation(
        id=state.next_id(),
        company_id=company.id,
        app_id=app.id,
        app_version_key=key.strip(),
        service_account_id=user.id,
    )
    state.installations[installation.id] = installation
    return installation


def latest_production_version(app: App) -> ManifestVersion | None:
    promoted = [v for v in app.versions if v.production_key]
    if not promoted:
        return None
    return max(promoted, key=lambda v: v.promoted_at or v.created_at)


def latest_production_key(app: App) -> str | None:
    newest = latest_production_version(app)
    return newest.production_key if newest else None


def _installation(company: Company, installation_id: int) -> Installation:
    installation = portal_state().installations.get(installation_id)
    if installation is None or installation.company_id != company.id:
        abort(404)
    return installation


def _row(state: PortalState, installation: Installation) -> dict[str, Any]:
    app = state.apps[installation.app_id]
    found = state.find_version(installation.app_version_key)
    return {
        "installation": installation,
        "app": app,
        "version": found[1].semver if found else "",
        "update_available": latest_production_key(app) not in (None, installation.app_version_key),
    }


@blueprint.route("/<int:company_id>/company/admin/app_management")
@signed_in
def app_management(company_id: int) -> str:
    state = portal_state()
    tab = "uninstalled" if request.args.get("tab") == "uninstalled" else "installed"
    with state.lock:
        company = admin_company(company_id)
        rows = [
            _row(state, i)
            for i in state.installations.values()
            if i.company_id == company.id and i.uninstalled == (tab == "uninstalled")
        ]
    rows.sort(key=lambda r: r["app"].name)
    return render_template(
        "procore/app_management.html",
        **page_context(company=company, admin_section="apps", tab=tab, rows=rows),
    )


@blueprint.route("/<int:company_id>/company/admin/app_management/check", methods=["POST"])
@signed_in
def check_app_version(company_id: int) -> Any:
    """The first Install: validates the ID and describes the app for the confirm dialog."""
    state = portal_state()
    key = str((request.get_json(silent=True) or {}).get("app_version_id", ""))
    with state.lock:
        company = admin_company(company_id)
        try:
            app, version = validate_app_version_id(state, company, key)
        except InstallRefused as refused:
            return json_error(str(refused))
        instructions = version.manifest.get("post_installation_instruction") or {}
        return {
            "app_name": app.name,
            "version": version.semver,
            "company_name": company.name,
            "permissions": requested_permissions(version.manifest),
            "setup_notes": instructions.get("notes") if isinstance(instructions, dict) else None,
        }


@blueprint.route("/<int:company_id>/company/admin/app_management/install", methods=["POST"])
@signed_in
def install(company_id: int) -> Any:
    """The confirming Install: creates the installation and the service account."""
    state = portal_state()
    key = str((request.get_json(silent=True) or {}).get("app_version_id", ""))
    with state.lock:
        company = admin_company(company_id)
        try:
            installation = install_app(state, company, key)
        except InstallRefused as refused:
            return json_error(str(refused))
        account = company.users[installation.service_account_id]
        return {"installation_id": installation.id, "service_account": account.name}


@blueprint.route("/<int:company_id>/company/admin/app_management/projects.json")
@signed_in
def project_choices(company_id: int) -> Any:
    """The Select Projects drop-down's options: active projects not yet permitted."""
    state = portal_state()
    with state.lock:
        company = admin_company(company_id)
        excluded: set[int] = set()
        if "installation_id" in request.args:
            installation = _installation(company, int(request.args["installation_id"]))
            excluded = installation.permitted_project_ids
        projects = sorted(
            ((p.id, p.name) for p in company.active_projects() if p.id not in excluded),
            key=lambda item: item[1],
        )
    return {"projects": projects}


@blueprint.route("/<int:company_id>/company/admin/app_management/<int:installation_id>")
@signed_in
def view_app(company_id: int, installation_id: int) -> str:
    state = portal_state()
    tab = "permissions" if request.args.get("tab") == "permissions" else "details"
    with state.lock:
        company = admin_company(company_id)
        installation = _installation(company, installation_id)
        row = _row(state, installation)
        found = state.find_version(installation.app_version_key)
        permissions = requested_permissions(found[1].manifest) if found else []
        permitted = sorted(
            (
                company.projects[pid]
                for pid in installation.permitted_project_ids
                if pid in company.projects
            ),
            key=lambda p: p.name,
        )
        pager = Pager.from_request(len(permitted))
        shown = list(pager.slice(permitted))
        account = company.users.get(installation.service_account_id)
        update = latest_production_version(row["app"]) if row["update_available"] else None
        update_permissions = requested_permissions(update.manifest) if update else []
    return render_template(
        "procore/app_view.html",
        **page_context(
            company=company,
            admin_section="apps",
            tab=tab,
            row=row,
            account=account,
            permissions=permissions,
            permitted=shown,
            pager=pager,
            installed_by=current_login(),
            update=update,
            update_permissions=update_permissions,
        ),
    )


@blueprint.route(
    "/<int:company_id>/company/admin/app_management/<int:installation_id>/permitted_projects",
    methods=["POST"],
)
@signed_in
def add_permitted_projects(company_id: int, installation_id: int) -> Any:
    state = portal_state()
    body = request.get_json(silent=True) or {}
    try:
        wanted = [int(pid) for pid in body.get("project_ids", [])]
    except (TypeError, ValueError):
        return json_error("Select at least one project.")
    with state.lock:
        company = admin_company(company_id)
        installation = _installation(company, installation_id)
        if installation.uninstalled:
            return json_error("This app is not installed.", 409)
        wanted = [pid for pid in wanted if pid in company.projects]
        if not wanted:
            return json_error("Select at least one project.")
        account = company.users[installation.service_account_id]
        installation.permitted_project_ids.update(wanted)
        add_memberships(state, company, account, wanted)
        return {"permitted": len(installation.permitted_project_ids)}


@blueprint.route(
    "/<int:company_id>/company/admin/app_management/<int:installation_id>"
    "/permitted_projects/<int:project_id>/delete",
    methods=["POST"],
)
@signed_in
def delete_permitted_project(company_id: int, installation_id: int, project_id: int) -> Response:
    state = portal_state()
    with state.lock:
        company = admin_company(company_id)
        installation = _installation(company, installation_id)
        installation.permitted_project_ids.discard(project_id)
        company.memberships.setdefault(installation.service_account_id, set()).discard(project_id)
    return redirect_to(
        "company.view_app",
        company_id=company_id,
        installation_id=installation_id,
        tab="permissions",
        page=request.args.get("page", "1"),
    )


@blueprint.route(
    "/<int:company_id>/company/admin/app_management/<int:installation_id>/update",
    methods=["POST"],
)
@signed_in
def update_app(company_id: int, installation_id: int) -> Response:
    """Review Update > Update: the installation moves to the version the window showed (a
    newer one promoted meanwhile waits for its own update). The app's permitted projects do
    not carry over (Procore's "Managing App Versions"): they must be permitted again."""
    state = portal_state()
    shown = request.form.get("app_version_id", "")
    with state.lock:
        company = admin_company(company_id)
        installation = _installation(company, installation_id)
        app = state.apps[installation.app_id]
        found = state.find_version(shown)
        if (
            not installation.uninstalled
            and found is not None
            and found[0].id == app.id
            and found[2] == "production"
            and shown != installation.app_version_key
        ):
            installation.app_version_key = shown
            installation.permitted_project_ids.clear()
    return redirect_to("company.view_app", company_id=company_id, installation_id=installation_id)


@blueprint.route(
    "/<int:company_id>/company/admin/app_management/<int:installation_id>/uninstall",
    methods=["POST"],
)
@signed_in
def uninstall_app(company_id: int, installation_id: int) -> Response:
    state = portal_state()
    with state.lock:
        company = admin_company(company_id)
        _installation(company, installation_id).uninstalled = True
    return redirect_to("company.app_management", company_id=company_id, tab="uninstalled")
