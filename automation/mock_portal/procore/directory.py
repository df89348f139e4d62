"""Company Directory: the users list and a user's Edit page with its Project Settings.

The Edit page of a user in the 10,000-project company must render in well under a second, so
both project tables are paginated and filtered on the server, and a row Add moves one row in
the browser instead of reloading the page.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from werkzeug.wrappers import Response

from automation.mock_portal.procore.add_all import add_all_availability, job_for
from automation.mock_portal.procore.auth import page_context
from automation.mock_portal.procore.common import (
    PERMISSION_TEMPLATES,
    Pager,
    add_memberships,
    admin_company,
    blueprint,
    installation_for_user,
    json_error,
    matches,
    portal_state,
    redirect_to,
    signed_in,
)
from automation.mock_portal.state import Company, User

__all__: list[str] = []

COMPANY_TEMPLATES = ("Admin", "Standard", "Read Only", "Service Account")


def _user(company: Company, user_id: int) -> User:
    user = company.users.get(user_id)
    if user is None:
        abort(404)
    return user


@blueprint.route("/<int:company_id>/company/directory")
@signed_in
def directory(company_id: int) -> str:
    state = portal_state()
    query = request.args.get("q", "").strip()
    with state.lock:
        company = admin_company(company_id)
        users = sorted(
            (
                u
                for u in company.users.values()
                if matches(u.name, query) or matches(u.login, query)
            ),
            key=lambda u: u.name.casefold(),
        )
        pager = Pager.from_request(len(users))
        shown = list(pager.slice(users))
    return render_template(
        "procore/directory.html",
        **page_context(company=company, users=shown, pager=pager, query=query),
    )


def edit_context(company: Company, user: User) -> dict[str, Any]:
    """Everything the Edit page and its table fragment show; call under the lock."""
    state = portal_state()
    query = request.args.get("q", "").strip()
    member_ids = company.memberships.get(user.id, set())
    current = sorted(
        (company.projects[pid] for pid in member_ids if pid in company.projects),
        key=lambda p: p.name,
    )
    absent = sorted(
        (p for p in company.active_projects() if p.id not in member_ids and matches(p.name, query)),
        key=lambda p: p.name,
    )
    current_pager = Pager.from_request(len(current), arg="cpage")
    absent_pager = Pager.from_request(len(absent), arg="npage")
    job = job_for(company.id, user.id)
    return {
        "company": company,
        "user": user,
        "query": query,
        "current": list(current_pager.slice(current)),
        "current_pager": current_pager,
        "absent": list(absent_pager.slice(absent)),
        "absent_pager": absent_pager,
        "absent_total": len(company.active_projects()) - len(member_ids & company.projects.keys()),
        "add_all": add_all_availability(state, company),
        "job": job.snapshot() if job else None,
        "templates": PERMISSION_TEMPLATES,
        "company_templates": COMPANY_TEMPLATES,
        "is_service_account": installation_for_user(state, user) is not None,
    }


@blueprint.route("/<int:company_id>/company/directory/users/<int:user_id>/edit", methods=["GET"])
@signed_in
def edit_user(company_id: int, user_id: int) -> str:
    state = portal_state()
    with state.lock:
        company = admin_company(company_id)
        context = edit_context(company, _user(company, user_id))
    if request.args.get("partial") == "tables":
        return render_template("procore/_project_tables.html", **page_context(**context))
    return render_template("procore/user_edit.html", **page_context(**context))


@blueprint.route("/<int:company_id>/company/directory/users/<int:user_id>/edit", methods=["POST"])
@signed_in
def save_user(company_id: int, user_id: int) -> Response:
    state = portal_state()
    with state.lock:
        company = admin_company(company_id)
        user = _user(company, user_id)
        user.add_to_new_projects = request.form.get("add_to_new_projects") == "on"
        template = request.form.get("default_template", "")
        user.default_template = template if template in PERMISSION_TEMPLATES else None
        company_template = request.form.get("permission_template", "")
        if company_template in COMPANY_TEMPLATES:
            user.permission_template = company_template
    return redirect_to("company.edit_user", company_id=company_id, user_id=user_id, saved=1)


@blueprint.route(
    "/<int:company_id>/company/directory/users/<int:user_id>/projects/<int:project_id>/add",
    methods=["POST"],
)
@signed_in
def add_user_to_project(company_id: int, user_id: int, project_id: int) -> Any:
    state = portal_state()
    with state.lock:
        company = admin_company(company_id)
        user = _user(company, user_id)
        project = company.projects.get(project_id)
        if project is None:
            return json_error("This project no longer exists.", 404)
        add_memberships(state, company, user, [project_id])
        return {
            "project": {"id": project.id, "name": project.name},
            "template": user.project_templates.get(project.id, user.default_template or "Standard"),
            "current_total": len(company.memberships[user.id]),
        }


@blueprint.route(
    "/<int:company_id>/company/directory/users/<int:user_id>/projects/<int:project_id>/template",
    methods=["POST"],
)
@signed_in
def change_project_template(company_id: int, user_id: int, project_id: int) -> Any:
    state = portal_state()
    template = str((request.get_json(silent=True) or {}).get("template", ""))
    if template not in PERMISSION_TEMPLATES:
        return json_error("Choose a permission template.")
    with state.lock:
        company = admin_company(company_id)
        user = _user(company, user_id)
        if project_id not in company.memberships.get(user.id, set()):
            return json_error("The user does not belong to this project.", 409)
        user.project_templates[project_id] = template
    return {"template": template}
