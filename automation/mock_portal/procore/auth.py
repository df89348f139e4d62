"""Sign in (through Procore's login, ``/login``), the company picker, the company home (its
projects) and New Project."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from automation.mock_portal.login import (
    forget_sign_in,
    login_url,
    signed_in_company,
    signed_in_email,
)
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


@blueprint.get("/login")
def sign_in() -> Response:
    """Through Procore's login and back: to ``next``, else the company picked at login, else
    the company picker."""
    email = signed_in_email()
    if email is None:
        back = url_for("company.sign_in", next=request.args.get("next"))
        return redirect(login_url(back))
    session[SESSION_KEY] = email
    target = safe_next(request.args.get("next"), url_for("company.picker"))
    picked = signed_in_company()
    if picked is not None and target == url_for("company.picker"):
        target = url_for("company.home", company_id=picked)
    return redirect(target)


@blueprint.route("/logout")
def sign_out() -> Response:
    session.pop(SESSION_KEY, None)
    forget_sign_in()
    return redirect_to("company.picker")


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
