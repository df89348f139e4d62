"""Sign in, the company picker, the company home (its projects) and New Project."""

from __future__ import annotations

import hmac
from typing import Any

from flask import abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from automation.mock_portal.procore.common import (
    SESSION_KEY,
    Pager,
    admin_company,
    blueprint,
    current_login,
    matches,
    portal_state,
    redirect_to,
    safe_next,
    signed_in,
)

__all__: list[str] = []


def page_context(**values: Any) -> dict[str, Any]:
    """What ``procore/base.html`` needs on every page."""
    return {"login": current_login(), "company": None, **values}


@blueprint.route("/login", methods=["GET", "POST"])
def sign_in() -> str | Response:
    state = portal_state()
    error = None
    email = ""
    if request.method == "POST":
        email = request.form.get("email", "").strip()
        password = request.form.get("password", "")
        expected = state.procore_logins.get(email)
        if expected is not None and hmac.compare_digest(expected.encode(), password.encode()):
            session[SESSION_KEY] = email
            return redirect(safe_next(request.args.get("next"), url_for("company.picker")))
        error = "Invalid email or password."
    return render_template(
        "procore/sign_in.html", **page_context(login=None, error=error, email=email)
    )


@blueprint.route("/logout")
def sign_out() -> Response:
    session.pop(SESSION_KEY, None)
    return redirect_to("company.sign_in")


@blueprint.route("/")
@signed_in
def picker() -> str:
    state = portal_state()
    login = current_login()
    with state.lock:
        companies = sorted(
            (c for c in state.companies.values() if login in c.admins), key=lambda c: c.name
        )
        rows = [(c, len(c.active_projects())) for c in companies]
    return render_template("procore/picker.html", **page_context(rows=rows))


@blueprint.route("/<int:company_id>/company/home")
@signed_in
def home(company_id: int) -> str:
    state = portal_state()
    query = request.args.get("q", "").strip()
    with state.lock:
        company = admin_company(company_id)
        projects = sorted(
            (p for p in company.projects.values() if matches(p.name, query)), key=lambda p: p.name
        )
        pager = Pager.from_request(len(projects), per_page=50)
        shown = list(pager.slice(projects))
    return render_template(
        "procore/home.html",
        **page_context(company=company, projects=shown, pager=pager, query=query),
    )


@blueprint.route("/<int:company_id>/company/admin")
@signed_in
def admin(company_id: int) -> str:
    company = admin_company(company_id)
    return render_template(
        "procore/admin_general.html", **page_context(company=company, admin_section="general")
    )


@blueprint.route("/<int:company_id>/company/projects/new", methods=["GET", "POST"])
@signed_in
def new_project(company_id: int) -> str | Response:
    state = portal_state()
    error = None
    name = ""
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        with state.lock:
            company = admin_company(company_id)
            if not name:
                error = "Name is required."
            elif any(p.name == name for p in company.projects.values()):
                error = f"A project named {name} already exists."
            else:
                project = state.new_project(company, name)
                return redirect_to(
                    "company.home", company_id=company_id, created=project.id, q=name
                )
    company = admin_company(company_id)
    return render_template(
        "procore/new_project.html", **page_context(company=company, error=error, name=name)
    )


@blueprint.route("/<int:project_id>/project/home")
@signed_in
def project_home(project_id: int) -> str:
    """A project's home (Procore's URL shape: ``/<project id>/project/home``)."""
    state = portal_state()
    with state.lock:
        company = next((c for c in state.companies.values() if project_id in c.projects), None)
        if company is None:
            abort(404)
        admin_company(company.id)
        project = company.projects[project_id]
    return render_template(
        "procore/project_home.html", **page_context(company=company, project=project)
    )
