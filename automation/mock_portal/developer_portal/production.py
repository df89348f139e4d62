"""Production credentials: promote a version, reveal the client secret once, reset it.

The production client secret exists in exactly one place: the body of the response to the
request that created it (first promotion, or Reset client secret). The server keeps only its
hash, puts it in no session, no URL and no page, and marks the response ``no-store``; the
dialog that shows it wipes the value on Close and when the page is hidden, so neither a reload,
nor the back button, nor a second render can show it again.
"""

from __future__ import annotations

from flask import Response, abort, jsonify, request

from automation.mock_portal.developer_portal.common import (
    blueprint,
    owned_app,
    portal_state,
    signed_in,
)
from automation.mock_portal.state import App, new_version_key, now

__all__ = ["promote", "reset_client_secret"]


def _reveal(app: App, secret: str, **extra: str) -> Response:
    """The one response that ever carries this secret."""
    credentials = {"client_id": app.production_client_id, "client_secret": secret}
    response = jsonify({**extra, "credentials": credentials})
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/apps/<int:app_id>/versions/<key>/promote")
@signed_in
def promote(app_id: int, key: str) -> Response | tuple[Response, int]:
    body = request.get_json(silent=True) or {}
    notes = str(body.get("release_notes", "")).strip()
    state = portal_state()
    with state.lock:
        app = owned_app(app_id)
        version = next((v for v in app.versions if v.sandbox_key == key), None)
        if version is None:
            abort(404)
        if not notes:
            return jsonify({"errors": ["Release Notes is required."]}), 422
        if version.production_key:
            return jsonify({"errors": [f"Version {version.semver} is already promoted."]}), 409
        version.production_key = new_version_key()
        version.promoted_at, version.release_notes = now(), notes
        if app.production_client_id is not None:
            return jsonify({"promoted": version.semver, "credentials": None})
        secret = state.issue_production_secret(app)
        return _reveal(app, secret, promoted=version.semver)


@blueprint.post("/apps/<int:app_id>/production/reset_client_secret")
@signed_in
def reset_client_secret(app_id: int) -> Response | tuple[Response, int]:
    state = portal_state()
    with state.lock:
        app = owned_app(app_id)
        if app.production_client_id is None:
            return jsonify({"errors": ["Promote a version first: no production credentials."]}), 409
        secret = state.issue_production_secret(app)
        # Tokens carry the generation they were issued under; the old secret's are now void.
        return _reveal(app, secret)
