"""Proof by the API: the captured credentials get a token and see every project."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from automation.action_spec import action, check_of
from automation.errors import StepError
from automation.execute.context import StepRun
from automation.planned import (
    Planned,
    installed_version_in,
    memberships_in,
    permitted_projects_in,
)
from automation.procore_api import ProcoreApi, Token
from automation.secret import Secret, plain

__all__ = ["verify_credentials", "verify_tool_access"]


@dataclass(frozen=True)
class Verified:
    visible: int
    expected: int
    company_id: int


def _company_session(run: StepRun, client_id: str | Secret, client_secret: Secret,
                     company: str) -> tuple[ProcoreApi, Token, int]:
    """A token of the credentials and the id of ``company`` among those it reaches."""
    api = ProcoreApi(run.target.url("login"), run.target.url("api"))
    token = api.token(plain(client_id), client_secret)  # the id: not secret, kept beside it
    companies = list(api.get_all("/rest/v1.0/companies", token))
    match = next((c for c in companies if c.get("name") == company), None)
    if match is None:
        names = ", ".join(str(c.get("name")) for c in companies) or "none"
        raise StepError(f"the app's service account has no access to company '{company}' "
                        f"(it sees: {names})")
    return api, token, int(match["id"])


def _visible_projects(run: StepRun, api: ProcoreApi, token: Token, company_id: int,
                      expected: int = 0) -> list[dict[str, Any]]:
    projects = []
    for project in api.get_all("/rest/v1.1/projects", token, company_id=company_id,
                               params={"company_id": company_id}):
        projects.append(project)
        run.progress(len(projects), max(expected, len(projects)),
                     "reading projects through the REST API")
    return [p for p in projects if p.get("active", True)]


@action("procore_api.verify_credentials", changes=False, retry_safe=True)
def verify_credentials(
    run: StepRun, *, client_id: Annotated[str | Secret, "the production Client ID"],
    client_secret: Annotated[Secret, "from the vault"],
    company: Annotated[str, "the company's name"],
    expected_projects: Annotated[int, "active projects the company has"],
) -> Verified:
    """Get a token with the credentials and list the company's projects through REST."""
    api, token, company_id = _company_session(run, client_id, client_secret, company)
    visible = len(_visible_projects(run, api, token, company_id, expected_projects))
    line = f"{visible}/{expected_projects} projects visible to the service account"
    if visible != expected_projects:
        raise StepError(line)
    run.note(line, headline=True)
    return Verified(visible, expected_projects, company_id)


@dataclass(frozen=True)
class ToolAccess:
    projects: int


@action("procore_api.verify_tool_access", changes=False, retry_safe=True)
def verify_tool_access(
    run: StepRun, *, client_id: Annotated[str | Secret, "the production Client ID"],
    client_secret: Annotated[Secret, "from the vault"],
    company: Annotated[str, "the company's name"],
    tool: Annotated[str, "the tool the endpoint belongs to, for messages"],
    path: Annotated[str, "a project-level REST path with {project_id}"],
) -> ToolAccess:
    """Call a tool's REST endpoint on every project the service account sees: each must
    answer 200 (a 403 means the installed version lacks the tool permission, or the project
    is not permitted)."""
    if "{project_id}" not in path:
        raise StepError(f"path {path!r} must hold {{project_id}}")
    api, token, company_id = _company_session(run, client_id, client_secret, company)
    projects = _visible_projects(run, api, token, company_id)
    if not projects:
        raise StepError(f"the service account sees no project in '{company}' to call {tool} on")
    for called, project in enumerate(projects):
        run.progress(called, len(projects), f"calling {tool} on projects")
        status, payload = api.status_of(path.replace("{project_id}", str(project["id"])),
                                        token, company_id=company_id)
        if status != 200:
            reason = payload.get("errors", "") if isinstance(payload, dict) else ""
            raise StepError(f"{tool}: GET {path} answered {status} on project "
                            f"'{project.get('name')}' {reason}".rstrip())
    run.note(f"{tool} answers 200 on {len(projects)}/{len(projects)} projects", headline=True)
    return ToolAccess(len(projects))


# -- check mode: the proofs run, unless an earlier step would change what they prove ----------


def _proof(run: StepRun, prove: Callable[[], Any], looks_at: tuple[str, ...]) -> Planned:
    try:
        outputs = prove()
    except StepError as failed:  # raised by the check unless an earlier change explains it
        return Planned(None, looks_at=looks_at, failed=failed)
    return Planned(outputs, unchanged="nothing to change: the proof passed", looks_at=looks_at)


@check_of(verify_credentials)
def check_verify_credentials(run: StepRun, *, client_id: str | Secret, client_secret: Secret,
                             company: str, expected_projects: int) -> Planned:
    return _proof(run, lambda: verify_credentials(
        run, client_id=client_id, client_secret=client_secret, company=company,
        expected_projects=expected_projects),
        (permitted_projects_in(company), memberships_in(company)))


@check_of(verify_tool_access)
def check_verify_tool_access(run: StepRun, *, client_id: str | Secret, client_secret: Secret,
                             company: str, tool: str, path: str) -> Planned:
    return _proof(run, lambda: verify_tool_access(
        run, client_id=client_id, client_secret=client_secret, company=company, tool=tool,
        path=path),
        (permitted_projects_in(company), memberships_in(company),
         installed_version_in(company)))
