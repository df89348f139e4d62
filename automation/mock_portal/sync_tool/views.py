"""The sync tool at ``/sync``: the seed's last paragraph.

Sign in; New Procore Integration (Save checks the credentials against ``/oauth/token``);
New Connection (an integration and one of the companies the app is installed in, as the REST
API lists them); Start Sync, which reports how many projects the credentials can read.

Only the client id is stored. The secret lives in the memory of the one request that checks
it; the access token earned with it is kept in process memory (see ``TokenStore``), and when
it no longer works the tool asks for the secret again (Reconnect).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from automation.mock_portal.state import PortalState, SyncConnection, SyncIntegration
from automation.mock_portal.sync_tool.procore_client import (
    ENVIRONMENTS,
    ProcoreError,
    ProcoreHttp,
    TokenStore,
)

__all__ = ["blueprint"]

blueprint = Blueprint(
    "sync",
    __name__,
    url_prefix="/sync",
    template_folder="templates",
    static_folder="static/sync",
    static_url_path="/static",
)

SESSION_KEY = "sync_login"
F = TypeVar("F", bound=Callable[..., Any])


def _state() -> PortalState:
    state: PortalState = current_app.config["PORTAL_STATE"]
    return state


def _tokens() -> TokenStore:
    store = current_app.extensions.get("sync_tokens")
    if store is None:
        store = current_app.extensions.setdefault("sync_tokens", TokenStore())
    assert isinstance(store, TokenStore)
    return store


def _key(integration: SyncIntegration) -> tuple[int, str]:
    return integration.id, integration.client_id


def _procore() -> ProcoreHttp:
    return ProcoreHttp(request.host_url)


def _login() -> str | None:
    login = session.get(SESSION_KEY)
    return login if isinstance(login, str) else None


def signed_in(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _login() is None:
            return redirect(url_for("sync.sign_in", next=request.path))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _page(template: str, **values: Any) -> str:
    return render_template(f"sync/{template}", login=_login(), **values)


def _integration(integration_id: int) -> SyncIntegration:
    found = _state().sync_integrations.get(integration_id)
    if found is None or found.owner != _login():
        abort(404)
    return found


def _connect(integration: SyncIntegration, client_secret: str) -> None:
    """Gets a token with the secret and keeps the token; the secret goes no further."""
    environment = integration.environment
    token, expires_at = _procore().token(integration.client_id, client_secret)
    # One origin serves every environment in the mock; a real sync tool would have asked the
    # environment's own token host, which knows only its own credentials.
    state = _state()
    with state.lock:
        found = state.app_by_client_id(integration.client_id)
    expected = "production" if environment == "Production" else "sandbox"
    if found is None or found[1] != expected:
        raise ProcoreError(
            "Procore rejected these credentials (invalid_client). Check the Client ID, the "
            "Client Secret and the Environment."
        )
    _tokens().put(_key(integration), token, expires_at)


@blueprint.route("/login", methods=["GET", "POST"])
def sign_in() -> str | Response:
    error, email = None, ""
    if request.method == "POST":
        email = request.form.get("email", "").strip()
        expected = _state().sync_users.get(email)
        password = request.form.get("password", "")
        if expected is not None and hmac.compare_digest(expected.encode(), password.encode()):
            session[SESSION_KEY] = email
            target = request.args.get("next", "")
            return redirect(target if target.startswith("/sync") else url_for("sync.dashboard"))
        error = "Incorrect email or password."
    return _page("sign_in.html", error=error, email=email)


@blueprint.route("/logout")
def sign_out() -> Response:
    session.pop(SESSION_KEY, None)
    return redirect(url_for("sync.sign_in"))


@blueprint.route("/")
@signed_in
def dashboard() -> str:
    state = _state()
    with state.lock:
        integrations = [i for i in state.sync_integrations.values() if i.owner == _login()]
        mine = {i.id: i for i in integrations}
        connections = [
            (c, mine[c.integration_id], state.companies.get(c.company_id))
            for c in state.sync_connections.values()
            if c.integration_id in mine
        ]
    return _page("dashboard.html", integrations=integrations, connections=connections)


@blueprint.route("/integrations/new", methods=["GET", "POST"])
@signed_in
def new_integration() -> str | Response:
    state = _state()
    form = {"name": "", "environment": "Production", "client_id": ""}
    error = None
    if request.method == "POST":
        form = {key: request.form.get(key, "").strip() for key in form}
        secret = request.form.get("client_secret", "").strip()
        with state.lock:
            taken = any(
                i.name == form["name"] and i.owner == _login()
                for i in state.sync_integrations.values()
            )
        if not form["name"] or not form["client_id"] or not secret:
            error = "Name, Client ID and Client Secret are required."
        elif form["environment"] not in ENVIRONMENTS:
            error = "Choose an environment."
        elif taken:
            error = f"An integration named {form['name']} already exists."
        else:
            integration = SyncIntegration(
                id=state.next_id(),
                name=form["name"],
                environment=form["environment"],
                client_id=form["client_id"],
                owner=_login() or "",
            )
            try:
                _connect(integration, secret)
            except ProcoreError as failure:
                error = str(failure)
            else:
                with state.lock:
                    state.sync_integrations[integration.id] = integration
                return redirect(url_for("sync.dashboard", saved=integration.id))
    return _page("integration_form.html", form=form, error=error, environments=list(ENVIRONMENTS))


@blueprint.route("/connections/new", methods=["GET", "POST"])
@signed_in
def new_connection() -> str | Response:
    state = _state()
    with state.lock:
        integrations = [i for i in state.sync_integrations.values() if i.owner == _login()]
    error = None
    chosen = request.values.get("integration_id", type=int) or (
        integrations[0].id if integrations else None
    )
    companies: list[dict[str, Any]] = []
    integration = next((i for i in integrations if i.id == chosen), None)
    if integration is not None:
        token = _tokens().get(_key(integration))
        if token is None:
            error = "This integration needs its Client Secret again: open it and Reconnect."
        else:
            try:
                companies = _procore().companies(token)
            except ProcoreError as failure:
                error = str(failure)
    if request.method == "POST" and integration is not None and error is None:
        company_id = request.form.get("company_id", type=int)
        if company_id is None or company_id not in {c["id"] for c in companies}:
            error = "Choose a company the app is installed in."
        else:
            with state.lock:
                existing = next(
                    (
                        c
                        for c in state.sync_connections.values()
                        if c.integration_id == integration.id and c.company_id == company_id
                    ),
                    None,
                )
                connection = existing or SyncConnection(state.next_id(), integration.id, company_id)
                state.sync_connections[connection.id] = connection
            return redirect(url_for("sync.connection", connection_id=connection.id))
    return _page(
        "connection_form.html",
        integrations=integrations,
        chosen=chosen,
        companies=companies,
        error=error,
    )


def _connection(connection_id: int) -> tuple[SyncConnection, SyncIntegration]:
    connection = _state().sync_connections.get(connection_id)
    if connection is None:
        abort(404)
    return connection, _integration(connection.integration_id)


@blueprint.route("/connections/<int:connection_id>")
@signed_in
def connection(connection_id: int) -> str:
    connection, integration = _connection(connection_id)
    company = _state().companies.get(connection.company_id)
    return _page(
        "connection.html",
        connection=connection,
        integration=integration,
        company=company,
        needs_secret=_tokens().get(_key(integration)) is None,
        error=request.args.get("error"),
        synced=request.args.get("synced"),
    )


@blueprint.route("/connections/<int:connection_id>/sync", methods=["POST"])
@signed_in
def start_sync(connection_id: int) -> Response:
    connection, integration = _connection(connection_id)
    token = _tokens().get(_key(integration))
    target = "sync.connection"
    if token is None:
        return redirect(url_for(target, connection_id=connection_id, error="reconnect"))
    try:
        count = _procore().readable_projects(token, connection.company_id)
    except ProcoreError as failure:
        if failure.status == 401:
            _tokens().forget(_key(integration))
            return redirect(url_for(target, connection_id=connection_id, error="reconnect"))
        return redirect(url_for(target, connection_id=connection_id, error=str(failure)))
    with _state().lock:
        connection.last_sync_projects = count
    return redirect(url_for(target, connection_id=connection_id, synced=1))


@blueprint.route("/connections/<int:connection_id>/reconnect", methods=["POST"])
@signed_in
def reconnect(connection_id: int) -> Response:
    _connection_row, integration = _connection(connection_id)
    try:
        _connect(integration, request.form.get("client_secret", "").strip())
    except ProcoreError as failure:
        return redirect(url_for("sync.connection", connection_id=connection_id, error=str(failure)))
    return redirect(url_for("sync.connection", connection_id=connection_id))
