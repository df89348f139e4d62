"""OAuth 2.0 token endpoints at ``/oauth/*``, standing for ``login.procore.com``.

Issue (client credentials grant only), inspect and revoke access tokens. Client secrets are
checked against their hash; errors take the RFC 6749 ``error`` / ``error_description`` shape.

Failed client authentications count against the client id and the caller's address
(``security.OAUTH_FAILURES``); once either budget is spent the endpoint answers 429, even to
the right secret, until the window ends. Successful requests never count. Every answer of
``/oauth/token`` carries Procore's ``X-Rate-Limit-*`` headers for the budget left.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Response, g, jsonify, request

from automation.mock_portal.api.common import (
    ApiError,
    bearer,
    blueprint,
    live_token,
    portal_state,
    token_hash,
)
from automation.mock_portal.security import OAUTH_FAILURES, failure_quota, record_failure
from automation.mock_portal.state import Token, now

__all__ = ["TOKEN_LIFETIME_S", "oauth_revoke", "oauth_token", "oauth_token_info"]

TOKEN_LIFETIME_S = 5400
INVALID_CLIENT = (
    "Client authentication failed due to unknown client, no client authentication included, "
    "or unsupported authentication method."
)


def _oauth_params() -> dict[str, str]:
    """Form-encoded, multipart and JSON bodies alike, plus HTTP Basic client credentials."""
    # ``security.bodies`` has already refused JSON that is not an object.
    body: Any = request.get_json(silent=True) if request.is_json else request.form
    params = {k: v for k, v in dict(body or {}).items() if isinstance(v, str)}
    auth = request.authorization
    if auth is not None and auth.type == "basic" and auth.username:
        params.setdefault("client_id", auth.username)
        params.setdefault("client_secret", auth.password or "")
    return params


def _oauth_error(status: int, error: str, description: str) -> ApiError:
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    if status == 401:
        headers["WWW-Authenticate"] = f'Bearer realm="Procore", error="{error}"'
    return ApiError(status, {"error": error, "error_description": description}, headers)


@blueprint.post("/oauth/token")
def oauth_token() -> Response:
    params = _oauth_params()
    grant_type = params.get("grant_type")
    if not grant_type:
        raise _oauth_error(
            400, "invalid_request", "The request is missing a required parameter: grant_type."
        )
    if grant_type != "client_credentials":
        raise _oauth_error(
            400,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
        )
    client_id, client_secret = params.get("client_id"), params.get("client_secret")
    client_key = client_id or ""
    quota = failure_quota(OAUTH_FAILURES, client_key)
    g.rate_limit_headers = quota.headers()  # the blueprint adds them to every answer
    if not quota.allowed:
        raise _oauth_error(
            429, "too_many_requests", "Too many failed attempts for this client. Try again later."
        )
    state = portal_state()
    with state.lock:
        verified = (
            state.verify_client(client_id, client_secret) if client_id and client_secret else None
        )
        if verified is None:
            g.rate_limit_headers = record_failure(OAUTH_FAILURES, client_key).headers()
            raise _oauth_error(401, "invalid_client", INVALID_CLIENT)
        app, environment = verified
        access_token = secrets.token_urlsafe(32)
        created = now()
        state.tokens[token_hash(access_token)] = Token(
            app.id,
            "production" if environment == "production" else "sandbox",
            app.secret_generation,
            created,
            TOKEN_LIFETIME_S,
        )
    response = jsonify(
        {
            "access_token": access_token,
            "token_type": "bearer",
            "expires_in": TOKEN_LIFETIME_S,
            "created_at": int(created.timestamp()),
        }
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


@blueprint.get("/oauth/token/info")
def oauth_token_info() -> Response:
    state = portal_state()
    with state.lock:
        live = live_token(state, bearer())
        if live is None:
            raise _oauth_error(401, "invalid_token", "The access token is invalid")
        _, token, app = live
        client_id = (
            app.production_client_id
            if token.environment == "production"
            else (app.sandbox_client_id)
        )
        left = token.expires_in - int((now() - token.created_at).total_seconds())
    return jsonify(
        {
            "resource_owner_id": None,
            "scope": [],
            "expires_in": left,
            "application": {"uid": client_id},
            "created_at": int(token.created_at.timestamp()),
        }
    )


@blueprint.post("/oauth/revoke")
def oauth_revoke() -> Response:
    # RFC 7009: the answer is 200 whether or not the token was valid.
    token = _oauth_params().get("token")
    state = portal_state()
    if token:
        with state.lock:
            state.tokens.pop(token_hash(token), None)
    return jsonify({})
