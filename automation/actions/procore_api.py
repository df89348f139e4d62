"""Proof by the API: the captured credentials get a token and see every project."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from automation.action_spec import action
from automation.errors import StepError
from automation.execute.context import StepRun
from automation.procore_api import ProcoreApi
from automation.secret import Secret, plain

__all__ = ["verify_credentials"]


@dataclass(frozen=True)
class Verified:
    visible: int
    expected: int
    company_id: int


@action("procore_api.verify_credentials", changes=False, retry_safe=True)
def verify_credentials(
    run: StepRun, *, client_id: Annotated[str | Secret, "the production Client ID"],
    client_secret: Annotated[Secret, "from the vault"],
    company: Annotated[str, "the company's name"],
    expected_projects: Annotated[int, "active projects the company has"],
) -> Verified:
    """Get a token with the credentials and list the company's projects through REST."""
    api = ProcoreApi(run.target.url("login"), run.target.url("api"))
    client_id = plain(client_id)  # not secret, but kept beside the secret in the vault
    token = api.token(client_id, client_secret)
    companies = list(api.get_all("/rest/v1.0/companies", token))
    match = next((c for c in companies if c.get("name") == company), None)
    if match is None:
        names = ", ".join(str(c.get("name")) for c in companies) or "none"
        raise StepError(f"the app's service account has no access to company '{company}' "
                        f"(it sees: {names})")
    company_id = int(match["id"])
    projects = list(api.get_all("/rest/v1.1/projects", token, company_id=company_id,
                                params={"company_id": company_id}))
    visible = sum(1 for p in projects if p.get("active", True))
    line = f"{visible}/{expected_projects} projects visible to the service account"
    if visible != expected_projects:
        raise StepError(line)
    run.note(line, headline=True)
    return Verified(visible, expected_projects, company_id)
