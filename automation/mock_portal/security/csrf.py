"""Cross-site request forgery protection for the browser sites, as Rails gives Procore.

Every session holds one random token. Each HTML page gets it twice, with no template doing
anything: a hidden ``csrf_token`` field in every ``<form method="post">`` and a
``<meta name="csrf-token">`` in ``<head>`` for scripts, which send it as ``X-CSRF-Token``
(templates may also call the ``csrf_token()`` Jinja global). Every POST, PUT, PATCH or DELETE
outside the APIs must bring the session's token and must not come from another origin, or it
is refused with Rails' 422 before the view runs.

``/oauth`` and ``/__mock__`` take credentials, not cookies: nothing to forge. ``/rest`` takes
bearer tokens, and also a company admin's session (see ``api/access.py``); a session-borne
call there is refused from a foreign origin, as no browser sends that header cross-site
without the portal's consent.

A session without a token is one that expired (or never was): it is cleared, so the view
sees a signed-out visitor and answers as it always does, with its sign-in page.
"""

from __future__ import annotations

import hmac
import re
import secrets

from flask import Flask, Response, request, session

from automation.mock_portal.security.responses import API_PREFIXES, refusal

__all__ = ["CSRF_FIELD", "CSRF_HEADER", "csrf_token", "install_csrf"]

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_SESSION_KEY = "_csrf_token"
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_NO_COOKIES = ("/oauth", "/__mock__")
_SESSION_OR_BEARER = "/rest"
_POST_FORM = re.compile(r"<form\b[^>]*\bmethod\s*=\s*[\"']?post\b[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_REJECTED = "The change you wanted was rejected"


def csrf_token() -> str:
    """The session's token, made on first use."""
    token = session.get(_SESSION_KEY)
    if not isinstance(token, str):
        token = session[_SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def _foreign_origin() -> bool:
    origin = request.headers.get("Origin")
    return origin is not None and origin != request.host_url.rstrip("/")


def _sent_token() -> str:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.mimetype in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        sent = request.form.get(CSRF_FIELD)
    return sent or ""


def _check() -> Response | None:
    if request.method not in _UNSAFE_METHODS or request.path.startswith(_NO_COOKIES):
        return None
    on_rest = request.path.startswith(_SESSION_OR_BEARER)
    if on_rest and request.headers.get("Authorization", "").lower().startswith("bearer "):
        return None  # a token, not a cookie: any origin may use it
    if _foreign_origin():
        return refusal(422, "invalid_origin", f"{_REJECTED}: it came from another site.")
    if on_rest:
        return None
    expected = session.get(_SESSION_KEY)
    if not isinstance(expected, str):
        session.clear()  # expired or new: the view answers a signed-out visitor
        return None
    if not hmac.compare_digest(_sent_token().encode(), expected.encode()):
        return refusal(
            422, "invalid_authenticity_token", f"{_REJECTED}: invalid authenticity token."
        )
    return None


def _with_token(html: str) -> str:
    token = csrf_token()  # URL-safe base64: nothing to escape
    field = f'<input type="hidden" name="{CSRF_FIELD}" value="{token}">'
    meta = f'<meta name="csrf-token" content="{token}">'
    html = _POST_FORM.sub(lambda form: form.group(0) + field, html)
    return _HEAD.sub(lambda head: head.group(0) + meta, html, count=1)


def _inject(response: Response) -> Response:
    if (
        response.mimetype != "text/html"
        or response.direct_passthrough
        or response.is_streamed
        or request.path.startswith(API_PREFIXES)
    ):
        return response
    html = response.get_data(as_text=True)
    if _POST_FORM.search(html) or _HEAD.search(html):
        response.set_data(_with_token(html))
    return response


def install_csrf(app: Flask) -> None:
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.before_request(_check)
    app.after_request(_inject)
