"""What every page of the mock Developer Portal (``/developers``) shares.

The blueprint lives here so that the page modules (``sign_in``, ``apps``,
``production``) can register their views on it without importing each other;
``developer.py`` imports them all and is what ``app.py`` mounts. Also here: the sign-in guard,
the no-store rule for pages, and the ``portal_stamp`` template filter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)

from automation.mock_portal.state import App, PortalState

__all__ = [
    "blueprint",
    "developer_email",
    "local_path",
    "owned_app",
    "portal_state",
    "signed_in",
]

blueprint = Blueprint(
    "developer",
    __name__,
    url_prefix="/developers",
    template_folder="templates",
    static_folder="static/developer",
    static_url_path="/static",
)

View = TypeVar("View", bound=Callable[..., Any])


def portal_state() -> PortalState:
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
        if isinstance(email, str) and email in portal_state().developers:
            return view(*args, **kwargs)
        back = request.full_path.rstrip("?") if request.method == "GET" else request.referrer
        target = url_for("developer.sign_in", next=local_path(back))
        if request.method != "GET" or _wants_json():
            return jsonify({"error": "signed_out", "sign_in": target}), 401
        return redirect(target)

    return cast(View, wrapper)


def local_path(url: str | None) -> str | None:
    """Only paths of this site are followed after sign-in (no open redirect)."""
    if not url:
        return None
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if path.startswith(blueprint.url_prefix or "/developers") else None


def developer_email() -> str:
    return str(session["developer_email"])


def owned_app(app_id: int) -> App:
    """The signed-in developer's app; anyone else's is a 404, as if it did not exist."""
    app = portal_state().apps.get(app_id)
    if app is None or app.owner_email != developer_email():
        abort(404)
    return app


def _stamp(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else ""


blueprint.add_app_template_filter(_stamp, "portal_stamp")
