"""The Developer Portal at ``/developers``: the classic manifest UI the seed procedure shows.

Pages are server-rendered; dialogs are ``<dialog>`` elements opened by a little plain JS
(``static/developer/*.js``). Dialog actions that change state post JSON and get JSON back.

The production client secret exists in exactly one place: the body of the response to the
request that created it (first promotion, or Reset client secret). The server keeps only its
hash, puts it in no session, no URL and no page, and marks the response ``no-store``; the
dialog that shows it wipes the value on Close and when the page is hidden, so neither a reload,
nor the back button, nor a second render can show it again.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

import pyotp
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from automation.mock_portal.state import App, ManifestVersion, PortalState, new_version_key, now

__all__ = ["COMPANY_TOOLS", "PROJECT_TOOLS", "blueprint", "tool_key", "validate_manifest"]

blueprint = Blueprint(
    "developer",
    __name__,
    url_prefix="/developers",
    template_folder="templates",
    static_folder="static/developer",
    static_url_path="/static",
)

#: Permission Builder rows, as the reference lists them.
COMPANY_TOOLS = [
    "Admin", "App Management", "Calendar", "Checklists", "Concierge", "Cost Catalog",
    "Directory", "Documents", "Equipment", "Home", "Inspections", "Permissions", "Planroom",
    "Portfolio", "Schedule", "Timecard", "Timesheets",
]  # fmt: skip
PROJECT_TOOLS = [
    "Admin", "Budgeting", "Commitments", "Coordination Issues", "Daily Log", "Directory",
    "Documents", "Home",
]  # fmt: skip
LEVELS = {"readonly": "Read-Only", "standard": "Standard", "admin": "Admin"}
GRANT_TYPES = {"authorization_code", "client_credentials"}
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")

View = TypeVar("View", bound=Callable[..., Any])


class _TOTP(pyotp.TOTP):
    # pyotp 2.10+ refuses seeds under 112 bits; authenticator apps (and the seed file's
    # 80-bit demo seed) still use them, and a sign-in page checks codes, not seed policy.
    min_secret_length_bits = 80


def tool_key(name: str) -> str:
    """``Daily Log`` -> ``daily_log``: the key a tool has in the manifest's permissions."""
    return name.lower().replace(" ", "_")


def _state() -> PortalState:
    state: PortalState = current_app.config["PORTAL_STATE"]
    return state


@blueprint.after_request
def _never_cache(response: Response) -> Response:
    # Pages here show credentials; the back button must ask the server again. Stylesheets and
    # scripts show none, and keep the app's max-age.
    if request.endpoint != f"{blueprint.name}.static":
        response.headers["Cache-Control"] = "no-store"
    return response


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def signed_in(view: View) -> View:
    """Sends a signed-out browser to Sign In (and back afterwards); JSON callers get 401."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        email = session.get("developer_email")
        if isinstance(email, str) and email in _state().developers:
            return view(*args, **kwargs)
        back = request.full_path.rstrip("?") if request.method == "GET" else request.referrer
        target = url_for("developer.sign_in", next=_local(back))
        if request.method != "GET" or _wants_json():
            return jsonify({"error": "signed_out", "sign_in": target}), 401
        return redirect(target)

    return cast(View, wrapper)


def _local(url: str | None) -> str | None:
    """Only paths of this site are followed after sign-in (no open redirect)."""
    if not url:
        return None
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if path.startswith(blueprint.url_prefix or "/developers") else None


def _email() -> str:
    return str(session["developer_email"])


def _my_app(app_id: int) -> App:
    app = _state().apps.get(app_id)
    if app is None or app.owner_email != _email():
        abort(404)
    return app


def _stamp(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else ""


blueprint.add_app_template_filter(_stamp, "portal_stamp")


# -- sign in ---------------------------------------------------------------------------------


@blueprint.get("/")
def home() -> str:
    return render_template("developer/home.html", email=session.get("developer_email"))


@blueprint.route("/sign_in", methods=["GET", "POST"])
def sign_in() -> tuple[str, int] | BaseResponse:
    back = _local(request.values.get("next")) or url_for("developer.my_apps")
    error = None
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()
        developer = _state().developers.get(email)
        if developer is None or developer.password != request.form.get("password", ""):
            error = "Invalid email or password."
        elif developer.totp_seed:
            session.pop("developer_email", None)
            session["developer_pending"] = email
            return redirect(url_for("developer.verify", next=back))
        else:
            session["developer_email"] = email
            return redirect(back)
    return render_template("developer/sign_in.html", error=error, next=back), (
        401 if error else 200
    )


@blueprint.route("/sign_in/verify", methods=["GET", "POST"])
def verify() -> tuple[str, int] | BaseResponse:
    back = _local(request.values.get("next")) or url_for("developer.my_apps")
    pending = session.get("developer_pending")
    developer = _state().developers.get(pending) if isinstance(pending, str) else None
    if developer is None or not developer.totp_seed:
        return redirect(url_for("developer.sign_in", next=back))
    error = None
    if request.method == "POST":
        code = re.sub(r"\s", "", request.form.get("code", ""))
        if re.fullmatch(r"\d{6}", code) and _TOTP(developer.totp_seed).verify(code, valid_window=1):
            session.pop("developer_pending", None)
            session["developer_email"] = developer.email
            return redirect(back)
        error = "That code is not valid. Enter the current 6-digit code."
    return render_template("developer/verify.html", error=error, next=back), (401 if error else 200)


@blueprint.post("/sign_out")
def sign_out() -> BaseResponse:
    session.pop("developer_email", None)
    return redirect(url_for("developer.home"))


# -- My Apps ---------------------------------------------------------------------------------


@blueprint.get("/apps")
@signed_in
def my_apps() -> str:
    with _state().lock:
        apps = sorted(
            (a for a in _state().apps.values() if a.owner_email == _email()), key=lambda a: a.id
        )
        return render_template("developer/my_apps.html", apps=apps, email=_email(), error=None)


@blueprint.post("/apps")
@signed_in
def create_app() -> BaseResponse | tuple[str, int]:
    name = request.form.get("app_name", "").strip()
    state = _state()
    with state.lock:
        if not name:
            apps = [a for a in state.apps.values() if a.owner_email == _email()]
            page = render_template(
                "developer/my_apps.html", apps=apps, email=_email(), error="App Name is required."
            )
            return page, 422
        app, _sandbox_secret = state.new_app(name, _email())  # masked on the app page
    return redirect(url_for("developer.app_page", app_id=app.id))


# -- the app page ----------------------------------------------------------------------------


def manifest_id(app: App) -> str:
    """The app's ``app_manifest.id``: generated by the portal, stable for the app."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"procore-mock-app:{app.id}:{app.salt}"))


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
    with _state().lock:
        app = _my_app(app_id)
        sandbox = list(reversed(app.versions))
        production = sorted(
            (v for v in app.versions if v.production_key),
            key=lambda v: v.promoted_at or v.created_at,
            reverse=True,
        )
        return render_template(
            "developer/app.html",
            app=app,
            email=_email(),
            sandbox=sandbox,
            production=production,
            last_version=app.versions[-1].semver if app.versions else None,
            starting_manifest=_starting_manifest(app),
            grant_type=_grant_type(app),
            sandbox_url=f"{request.host_url}app/{app.id + 4270000}/company/home",
            company_tools=COMPANY_TOOLS,
            project_tools=PROJECT_TOOLS,
        )


@blueprint.get("/apps/<int:app_id>/versions/<semver>")
@signed_in
def version_page(app_id: int, semver: str) -> str:
    with _state().lock:
        app = _my_app(app_id)
        version = next((v for v in app.versions if v.semver == semver), None)
        if version is None:
            abort(404)
        manifest = json.dumps(version.manifest, indent=2)
        return render_template(
            "developer/version.html", app=app, version=version, manifest=manifest, email=_email()
        )


def _semver(text: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in text.split("."))
    return major, minor, patch


def validate_manifest(text: str) -> tuple[dict[str, Any] | None, list[str]]:
    """The manifest and the problems a person would be shown (schema_version 3 shape)."""
    try:
        manifest = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [f"App Manifest is not valid JSON: {exc.msg} (line {exc.lineno})"]
    if not isinstance(manifest, dict):
        return None, ["App Manifest must be a JSON object."]
    problems = []
    if str(manifest.get("schema_version")) != "3":
        problems.append('schema_version must be "3".')
    components = manifest.get("components", {})
    if not isinstance(components, dict):
        return manifest, [*problems, "components must be an object."]
    for name in components:
        if name not in {"oauth", "iframe"}:
            problems.append(f"Unknown component type {name!r}.")
    oauth = components.get("oauth", {})
    instances = oauth.get("instances", []) if isinstance(oauth, dict) else None
    if not isinstance(instances, list):
        return manifest, [*problems, "components.oauth.instances must be a list."]
    for number, instance in enumerate(instances, 1):
        where = f"OAuth instance {number}"
        if not isinstance(instance, dict):
            problems.append(f"{where} must be an object.")
            continue
        if not instance.get("uuid") or not instance.get("uid"):
            problems.append(f"{where} needs the uuid and uid of its code snippet.")
        if instance.get("grant_type") not in GRANT_TYPES:
            problems.append(f"{where}: grant_type must be one of {', '.join(sorted(GRANT_TYPES))}.")
        problems.extend(_permission_problems(where, instance.get("permissions", {})))
    return manifest, problems


def _permission_problems(where: str, permissions: Any) -> list[str]:
    if not isinstance(permissions, dict):
        return [f"{where}: permissions must be an object."]
    problems = []
    for level, tools in (("company", COMPANY_TOOLS), ("project", PROJECT_TOOLS)):
        granted = permissions.get(level, {})
        keys = {tool_key(t) for t in tools}
        if not isinstance(granted, dict):
            problems.append(f"{where}: permissions.{level} must be an object.")
            continue
        for tool, value in granted.items():
            if tool not in keys:
                problems.append(f"{where}: unknown {level} tool {tool!r}.")
            elif value not in LEVELS or (tool == "admin" and value != "admin"):
                problems.append(f"{where}: {level} {tool} cannot be {value!r}.")
    return problems


@blueprint.post("/apps/<int:app_id>/versions")
@signed_in
def create_version(app_id: int) -> tuple[Response, int]:
    body = request.get_json(silent=True) or {}
    semver = str(body.get("version", "")).strip()
    state = _state()
    with state.lock:
        app = _my_app(app_id)
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


# -- production: promote, reveal once, reset -------------------------------------------------


def _reveal(app: App, secret: str, **extra: str) -> Response:
    """The one response that ever carries this secret."""
    credentials = {"client_id": app.production_client_id, "client_secret": secret}
    response = jsonify({**extra, "credentials": credentials})
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/apps/<int:app_id>/versions/<key>/promote")
@signed_in
def promote(app_id: int, key: str) -> Response | tuple[Response, int]:
    body = request.get_json(silent=True) or {}
    notes = str(body.get("release_notes", "")).strip()
    state = _state()
    with state.lock:
        app = _my_app(app_id)
        version = next((v for v in app.versions if v.sandbox_key == key), None)
        if version is None:
            abort(404)
        if not notes:
            return jsonify({"errors": ["Release Notes is required."]}), 422
        if version.production_key:
            return jsonify({"errors": [f"Version {version.semver} is already promoted."]}), 409
        version.production_key = new_version_key()
        version.promoted_at, version.release_notes = now(), notes
        if app.production_client_id is not None:
            return jsonify({"promoted": version.semver, "credentials": None})
        secret = state.issue_production_secret(app)
        return _reveal(app, secret, promoted=version.semver)


@blueprint.post("/apps/<int:app_id>/production/reset_client_secret")
@signed_in
def reset_client_secret(app_id: int) -> Response | tuple[Response, int]:
    state = _state()
    with state.lock:
        app = _my_app(app_id)
        if app.production_client_id is None:
            return jsonify({"errors": ["Promote a version first: no production credentials."]}), 409
        secret = state.issue_production_secret(app)
        # Tokens carry the generation they were issued under; the old secret's are now void.
        return _reveal(app, secret)
