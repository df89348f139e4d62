"""How the mock refuses a request it will not serve: short, fixed text, never the request's."""

from __future__ import annotations

from flask import Response, jsonify, request

__all__ = ["API_PREFIXES", "refusal", "wants_json"]

#: Paths authenticated by client credentials, bearer tokens or the admin token, never cookies.
API_PREFIXES = ("/oauth", "/rest", "/__mock__")


def wants_json() -> bool:
    return (
        request.path.startswith(API_PREFIXES)
        or request.is_json
        or request.accept_mimetypes.best == "application/json"
    )


def refusal(
    status: int, error: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    """A JSON or plain-text refusal. The JSON names the error as each caller reads it:
    OAuth's ``error``/``error_description``, the sites' scripts ``error`` (company web app)
    and ``errors`` (Developer Portal)."""
    if wants_json():
        response = jsonify({"error": error, "error_description": message, "errors": [message]})
    else:
        response = Response(message + "\n", mimetype="text/plain")
    response.status_code = status
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "no-store"
    return response
