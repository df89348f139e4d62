"""Test-only endpoints under ``/__mock__``: look inside the mock, reset it, steer it.

=====================================  ======================================================
endpoint                               what it does
=====================================  ======================================================
``GET /__mock__/state``                the whole world as JSON (secret hashes, never secrets)
``POST /__mock__/reset``               back to the seed the portal started from
``POST /__mock__/companies/<id>/       ``{"name": ..., "active": true}``: creates a project
projects``                             as an admin would (service accounts set to join all
                                       new projects join it)
``GET /__mock__/faults``               the faults in force
``POST /__mock__/faults``              a fault spec (text body or ``{"spec": ...}``) replaces
                                       them; an empty spec switches faults off
=====================================  ======================================================

Every request needs the portal's admin token, ``Authorization: Bearer <token>``: the one
``runbook mock-portal`` prints and writes into its profile, ``MockPortal.admin_token`` in a
test. Faults never apply here, so a test can always see and repair the state.
"""

from __future__ import annotations

import hmac
from dataclasses import fields
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, request
from werkzeug.wrappers import Response

from automation.mock_portal.companies import seed_companies
from automation.mock_portal.faults import Faults, current_faults, set_faults
from automation.mock_portal.security import reset_rate_limits
from automation.mock_portal.state import PortalState, load_seed

__all__ = ["blueprint", "reset_state"]

blueprint = Blueprint("mock_admin", __name__, url_prefix="/__mock__")


def _state() -> PortalState:
    state: PortalState = current_app.config["PORTAL_STATE"]
    return state


def reset_state(app: Flask) -> None:
    """Rebuilds the state from the seed, in place: views and tests keep the same object."""
    seed, project_count = app.config["PORTAL_SEED"]
    fresh = load_seed(Path(seed), project_count=project_count)
    seed_companies(fresh, app.config.get("PORTAL_COMPANIES", 0))
    state: PortalState = app.config["PORTAL_STATE"]
    with state.lock:
        for item in fields(PortalState):
            if item.name != "lock":
                setattr(state, item.name, getattr(fresh, item.name))
    set_faults(app, app.config["PORTAL_FAULTS"])  # restarts the request count
    reset_rate_limits(app)


@blueprint.before_request
def _admin_only() -> tuple[Response, int] | None:
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    expected: str = current_app.config["MOCK_ADMIN_TOKEN"]
    if scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), expected.encode()):
        return None
    answer = jsonify({"error": "send the mock's admin token: Authorization: Bearer <token>"})
    answer.headers["WWW-Authenticate"] = 'Bearer realm="mock portal admin"'
    return answer, 401


@blueprint.get("/state")
def state_export() -> Response:
    return jsonify(_state().export())


@blueprint.post("/reset")
def reset() -> Response:
    reset_state(current_app)
    return jsonify({"reset": True})


@blueprint.post("/companies/<int:company_id>/projects")
def create_project(company_id: int) -> tuple[Response, int]:
    body: Any = request.get_json(silent=True) or {}
    name = body.get("name") if isinstance(body, dict) else None
    if not isinstance(name, str) or not name.strip():
        return jsonify({"error": 'expected JSON {"name": "...", "active": true}'}), 400
    active = body.get("active", True)
    if not isinstance(active, bool):
        return jsonify({"error": "active must be true or false"}), 400
    state = _state()
    with state.lock:
        company = state.companies.get(company_id)
        if company is None:
            return jsonify({"error": f"no company {company_id}"}), 404
        project = state.new_project(company, name.strip(), active)
        members = sorted(uid for uid, pids in company.memberships.items() if project.id in pids)
    return jsonify(
        {
            "id": project.id,
            "name": project.name,
            "company_id": company_id,
            "active": project.active,
            "member_user_ids": members,
        }
    ), 201


@blueprint.get("/faults")
def faults_show() -> Response:
    return jsonify({"faults": current_faults().describe()})


@blueprint.post("/faults")
def faults_set() -> tuple[Response, int]:
    body: Any = request.get_json(silent=True)
    spec = body.get("spec", "") if isinstance(body, dict) else request.get_data(as_text=True)
    try:
        faults = Faults.parse(str(spec))
    except ValueError as exc:
        return jsonify({"error": str(exc)}), 400
    set_faults(current_app, faults)
    return jsonify({"faults": faults.describe()}), 200
