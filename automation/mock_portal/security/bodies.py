"""Request bodies: at most ``MAX_BODY_BYTES`` (413 otherwise, before the body is read), and a
JSON body must parse to an object (400 otherwise), so that no view ever sees a list or a
string where it reads fields. Refusals never quote the body back."""

from __future__ import annotations

import json

from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from automation.mock_portal.security.responses import refusal

__all__ = ["MAX_BODY_BYTES", "install_body_limits"]

#: Manifests, forms and bulk adds are a few kilobytes; a megabyte leaves room and no more.
MAX_BODY_BYTES = 1024 * 1024


def _too_large(_error: object = None) -> Response:
    return refusal(
        413, "request_too_large", f"The request body is larger than {MAX_BODY_BYTES} bytes."
    )


def _check() -> Response | None:
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return _too_large()
    if not request.is_json:
        return None
    raw = request.get_data(cache=True)  # a body without a length is cut off at the limit too
    if not raw.strip():
        return None
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return refusal(400, "invalid_request", "The request body is not valid JSON.")
    if not isinstance(body, dict):
        return refusal(400, "invalid_request", "The request body must be a JSON object.")
    return None


def install_body_limits(app: Flask) -> None:
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.before_request(_check)
