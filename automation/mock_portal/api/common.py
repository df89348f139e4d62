"""What the OAuth endpoints and the REST API share: the ``api`` blueprint, errors, tokens.

The blueprint lives here so that ``oauth`` and ``rest`` can register their views on it
without importing each other; ``api.py`` imports them all and is what ``app.py`` mounts.

Only a SHA-256 of each access token is kept, so a token is looked up by its hash.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from automation.mock_portal.state import App, PortalState, Token, now

__all__ = [
    "ApiError",
    "bearer",
    "blueprint",
    "live_token",
    "portal_state",
    "token_hash",
]

blueprint = Blueprint("api", __name__)


class ApiError(Exception):
    def __init__(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(status, payload)
        self.status, self.payload, self.headers = status, payload, headers or {}


@blueprint.errorhandler(ApiError)
def _api_error(error: ApiError) -> Response:
    response = jsonify(error.payload)
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def portal_state() -> PortalState:
    state: PortalState = current_app.config["PORTAL_STATE"]
    return state


def token_hash(access_token: str) -> str:
    return hashlib.sha256(access_token.encode()).hexdigest()


def bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def live_token(state: PortalState, access_token: str | None) -> tuple[str, Token, App] | None:
    """The token's record if it is known, unexpired and of the app's current secret."""
    if not access_token:
        return None
    key = token_hash(access_token)
    token = state.tokens.get(key)
    app = state.apps.get(token.app_id) if token else None
    if token is None or app is None:
        return None
    expired = (now() - token.created_at).total_seconds() >= token.expires_in
    rotated = token.environment == "production" and token.secret_generation != app.secret_generation
    if expired or rotated:
        del state.tokens[key]
        return None
    return key, token, app
