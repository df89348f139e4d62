"""What every screen of the mock Procore web app (``/app``) shares.

The blueprint lives here so that the screen modules (``auth``, ``apps``,
``directory``, ``add_all``) can register their views on it without importing
each other; ``company.py`` imports them all and is what ``app.py`` mounts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, redirect, request, session, url_for
from werkzeug.wrappers import Response

from automation.mock_portal.state import Company, Installation, PortalState, User

__all__ = [
    "PERMISSION_TEMPLATES",
    "Pager",
    "admin_company",
    "blueprint",
    "current_login",
    "installation_for_user",
    "portal_state",
    "signed_in",
]

blueprint = Blueprint(
    "company",
    __name__,
    url_prefix="/app",
    template_folder="templates",
    static_folder="static/procore",
    static_url_path="/static",
)

#: Procore's stock project permission templates (the names a new company starts with).
PERMISSION_TEMPLATES = (
    "Architect/Engineer",
    "Owner/Client",
    "Project Manager",
    "Standard",
    "Subcontractor",
    "Superintendent",
)

SESSION_KEY = "procore_login"

#: Visible texts the pages' scripts write (see ``procore.js`` ``Procore.label``).
SCRIPT_LABELS = (
    "Select All",
    "Select Projects",
    "Remove",
    "No projects found",
    "Loading…",
    "more",
    "Change Template",
    "projects",
    "Adding projects…",
    "Adding projects has stalled at",
    "Retry to continue.",
    "Cancelled.",
    "projects were added.",
    "Add All resumes with the rest.",
    "Complete.",
    "of",
    "Select at least one project, or Skip.",
    "Select at least one project.",
    "Your session has expired. Please sign in again.",
)

F = TypeVar("F", bound=Callable[..., Any])


def portal_state() -> PortalState:
    state: PortalState = current_app.config["PORTAL_STATE"]
    return state


def current_login() -> str | None:
    login = session.get(SESSION_KEY)
    return login if isinstance(login, str) else None


def signed_in(view: F) -> F:
    """Sends a visitor without a session to the sign-in page, then back where they were going."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_login() is None:
            if request.method != "GET" or request.accept_mimetypes.best == "application/json":
                return {"error": "Your session has expired. Please sign in again."}, 401
            return redirect(url_for("company.sign_in", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def admin_company(company_id: int) -> Company:
    """The company, if the signed-in user administers it (Procore answers 403 otherwise)."""
    company = portal_state().companies.get(company_id)
    if company is None:
        abort(404)
    if current_login() not in company.admins:
        abort(403)
    return company


def installation_for_user(state: PortalState, user: User) -> Installation | None:
    """The live installation whose service account ``user`` is (None for people)."""
    for installation in state.installations.values():
        if installation.service_account_id == user.id and not installation.uninstalled:
            return installation
    return None


def add_memberships(
    state: PortalState, company: Company, user: User, project_ids: Sequence[int]
) -> int:
    """Adds ``user`` to projects; a service account's projects are permitted to its app too.

    Procore keeps an app's permitted projects and its service account's project directory in
    step, whichever screen the change is made on. Returns how many projects were new.
    """
    members = company.memberships.setdefault(user.id, set())
    before = len(members)
    members.update(project_ids)
    installation = installation_for_user(state, user)
    if installation is not None:
        installation.permitted_project_ids.update(project_ids)
    return len(members) - before


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths, so the sign-in page cannot be used to redirect elsewhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return default


def wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def json_error(message: str, status: int = 422) -> tuple[dict[str, str], int]:
    return {"error": message}, status


@dataclass(frozen=True)
class Pager:
    """One page of a long table (the 10,000-project company must render in well under 1 s)."""

    page: int
    per_page: int
    total: int

    @classmethod
    def from_request(cls, total: int, arg: str = "page", per_page: int = 100) -> Pager:
        pages = max(1, math.ceil(total / per_page))
        try:
            page = int(request.args.get(arg, "1"))
        except ValueError:
            page = 1
        return cls(min(max(page, 1), pages), per_page, total)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def start(self) -> int:
        return (self.page - 1) * self.per_page

    def slice(self, items: Sequence[Any]) -> Sequence[Any]:
        return items[self.start : self.start + self.per_page]

    @property
    def first_row(self) -> int:
        return min(self.start + 1, self.total)

    @property
    def last_row(self) -> int:
        return min(self.start + self.per_page, self.total)


def matches(name: str, query: str) -> bool:
    return not query or query.casefold() in name.casefold()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def redirect_to(endpoint: str, **values: Any) -> Response:
    return redirect(url_for(endpoint, **values))


@blueprint.context_processor
def _script_labels() -> dict[str, Any]:
    label: Callable[[str], str] = current_app.jinja_env.globals["label"]  # type: ignore[assignment]
    return {"LABELS": {text: label(text) for text in SCRIPT_LABELS}}
