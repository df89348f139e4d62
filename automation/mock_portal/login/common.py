"""What the login's screens share: the blueprint, the accounts it knows, the flow's session.

One Procore account signs in to the Developer Portal and to the company web app alike, so the
login looks an email up in every seed record that has a password: ``login_accounts`` (SSO and
several-company accounts), the Developer Portal's ``developers``, the company web app's
``procore_logins``. A site learns who signed in from :func:`signed_in_email`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, session, url_for
from werkzeug.wrappers import Response

from automation.mock_portal.state import PortalState

__all__ = [
    "Account",
    "account_in_progress",
    "blueprint",
    "find_account",
    "forget_sign_in",
    "go_to",
    "login_url",
    "pending",
    "return_to",
    "signed_in_company",
    "signed_in_email",
]

blueprint = Blueprint(
    "login",
    __name__,
    url_prefix="/login",
    template_folder="templates",
    static_folder="static/login",
    static_url_path="/static",
)

#: Where a login without a (valid) ``return_to`` ends: the company web app.
DEFAULT_RETURN = "/app/"

# The flow's state in the session: who is signing in and what they have shown so far.
_PENDING = "login_pending"
# Who the login signed in (the login host's own session), and the company they picked.
_IDENTITY = "login_identity"
_COMPANY = "login_company"


@dataclass(frozen=True)
class Account:
    email: str
    password: str | None
    totp_seed: str | None = None
    identity_provider: str | None = None
    idp_password: str | None = None
    companies: tuple[int, ...] = ()


def portal_state() -> PortalState:
    state: PortalState = current_app.config["PORTAL_STATE"]
    return state


def find_account(email: str) -> Account | None:
    state = portal_state()
    key = email.strip().lower()
    with state.lock:
        account = state.login_accounts.get(key)
        if account is not None:
            return Account(account.email, account.password, account.totp_seed,
                           account.identity_provider, account.idp_password,
                           tuple(account.companies))
        developer = state.developers.get(key)
        if developer is not None:
            return Account(developer.email, developer.password, developer.totp_seed)
        password = state.procore_logins.get(key)
        return Account(key, password) if password is not None else None


def return_to(default: str = DEFAULT_RETURN) -> str:
    """The validated ``return_to`` of this request: a path of this mock, never another host."""
    value = request.values.get("return_to", "")
    parts = urlsplit(value)
    local = (
        not parts.scheme
        and not parts.netloc
        and parts.path.startswith("/")
        and not parts.path.startswith("//")
        and "\\" not in value
        and not parts.path.startswith(blueprint.url_prefix or "/login")
    )
    if not local:
        return default
    return parts.path + (f"?{parts.query}" if parts.query else "")


def go_to(endpoint: str) -> Response:
    """Another screen of the login, keeping ``return_to``."""
    return redirect(url_for(endpoint, return_to=return_to()))


def account_in_progress() -> Account | None:
    email = pending().get("email")
    return find_account(email) if isinstance(email, str) else None


def login_url(back: str) -> str:
    """Where a site sends a signed-out browser: the login, then ``back``."""
    return url_for("login.email", return_to=back)


def pending() -> dict[str, Any]:
    """The sign-in under way: ``email``, and ``password``/``code``/``company`` once shown."""
    value = session.get(_PENDING)
    return dict(value) if isinstance(value, dict) else {}


def set_pending(value: dict[str, Any]) -> None:
    session[_PENDING] = value


def finish(email: str, company: int | None) -> None:
    session.pop(_PENDING, None)
    session[_IDENTITY] = email
    if company is None:
        session.pop(_COMPANY, None)
    else:
        session[_COMPANY] = company


def signed_in_email() -> str | None:
    email = session.get(_IDENTITY)
    return email if isinstance(email, str) else None


def signed_in_company() -> int | None:
    company = session.get(_COMPANY)
    return company if isinstance(company, int) else None


def forget_sign_in() -> None:
    """Signing out of a site signs out of the login too (as Procore's Sign Out does)."""
    for key in (_PENDING, _IDENTITY, _COMPANY):
        session.pop(key, None)


@blueprint.after_request
def _never_cache(response: Response) -> Response:
    # The back button must not show a password screen from the cache.
    if request.endpoint != f"{blueprint.name}.static":
        response.headers["Cache-Control"] = "no-store"
    return response
