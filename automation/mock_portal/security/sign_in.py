"""Failed sign-ins run out a budget per login and per address (``SIGN_IN_FAILURES``), then 429.

A sign-in view opts in with one line, by its endpoint name and where its login comes from::

    limit_sign_in("developer.sign_in")                      # the form's "email" field
    limit_sign_in("developer.verify", login=pending_login)  # a callable giving the login

The view itself does not change: a POST it answers with a redirect signed someone in, any
other answer (the form again, with its error) was a failed attempt.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, g, request, session

from automation.mock_portal.security.rate_limits import (
    SIGN_IN_FAILURES,
    failure_quota,
    record_failure,
)
from automation.mock_portal.security.responses import refusal

__all__ = ["form_login", "install_sign_in_limits", "limit_sign_in", "session_login"]

Login = Callable[[], object]


def form_login(field: str = "email") -> Login:
    """The login typed into the form's ``field``."""
    return lambda: request.form.get(field, "")


def session_login(key: str) -> Login:
    """The login a previous step kept in the session (e.g. the one awaiting its TOTP code)."""
    return lambda: session.get(key, "")


_LIMITED: dict[str, Login] = {}


def limit_sign_in(endpoint: str, login: Login | None = None) -> None:
    """Puts the sign-in view ``endpoint`` under ``SIGN_IN_FAILURES``."""
    _LIMITED[endpoint] = login or form_login()


def pending_login() -> object:
    """The email Procore's login is asking a password or a code for (``login`` keeps it)."""
    pending = session.get("login_pending")
    return pending.get("email", "") if isinstance(pending, dict) else ""


# Today's sign-in views; a new one adds its line here or next to its view. Procore's login
# (used by the Developer Portal and the web app) takes the email first, then the password and
# the one-time code on screens of their own: those two are where a guess can be made.
limit_sign_in("login.submit_password", pending_login)
limit_sign_in("login.submit_code", pending_login)
limit_sign_in("sync.sign_in")


def _login_key() -> str:
    login = _LIMITED[str(request.endpoint)]()
    return f"{request.endpoint}:{str(login or '').strip().lower()}"


def install_sign_in_limits(app: Flask) -> None:
    @app.before_request
    def _refuse_when_spent() -> Response | None:
        if request.method != "POST" or request.endpoint not in _LIMITED:
            return None
        key = _login_key()
        quota = failure_quota(SIGN_IN_FAILURES, key)
        if not quota.allowed:
            return refusal(
                429,
                "too_many_requests",
                "Too many failed sign-in attempts. Try again later.",
                quota.headers(),
            )
        g.sign_in_key = key
        return None

    @app.after_request
    def _count_failures(response: Response) -> Response:
        key = g.pop("sign_in_key", None)
        if key is None:
            return response
        if 300 <= response.status_code < 400:
            quota = failure_quota(SIGN_IN_FAILURES, key)
        else:
            quota = record_failure(SIGN_IN_FAILURES, key)
        response.headers.update(quota.headers())
        return response
