"""Sync tool actions: an integration with the DMSA credentials, a connection, a sync."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, cast

from automation.action_spec import NoOutputs, action, check_of
from automation.errors import StepError
from automation.execute.context import StepRun
from automation.pages.sync_tool import SyncSignIn, SyncTool
from automation.planned import Planned, Unknown
from automation.secret import Secret, plain

__all__ = ["create_connection", "create_integration", "sign_in", "start_sync"]

SITE = "sync_tool"


@action("sync_tool.sign_in", changes=False, retry_safe=True, establishes_session=SITE,
        signed_out=SyncSignIn.is_sign_in_page)
def sign_in(run: StepRun, *, login: Annotated[str | Secret, "Email"],
            password: Annotated[Secret, "from the vault"]) -> NoOutputs:
    """Log in to the sync tool."""
    SyncTool(run.site(SITE)).sign_in(plain(login), password)
    return NoOutputs()


@dataclass(frozen=True)
class Created:
    created: bool


@action("sync_tool.create_integration", changes=True, retry_safe=True)
def create_integration(
    run: StepRun, *, name: str,
    environment: Annotated[str, "Production, Sandbox or Monthly Sandbox"],
    client_id: Annotated[str | Secret, "the production Client ID"],
    client_secret: Annotated[Secret, "from the vault"],
) -> Created:
    """New Procore Integration with the DMSA credentials (checked by the tool on Save)."""
    try:
        created = SyncTool(run.site(SITE)).create_integration(
            name, environment, plain(client_id), client_secret)
    except ValueError as exc:
        raise StepError(str(exc)) from None
    return Created(created)


@action("sync_tool.create_connection", changes=True, retry_safe=True)
def create_connection(run: StepRun, *, integration: str, company: str) -> Created:
    """New Connection of the integration to the company."""
    return Created(SyncTool(run.site(SITE)).create_connection(integration, company))


@dataclass(frozen=True)
class Synced:
    projects: int


@action("sync_tool.start_sync", changes=True, retry_safe=True)
def start_sync(run: StepRun, *, integration: str, company: str,
               client_secret: Annotated[Secret | None, "to reconnect if the tool asks"] = None,
               expected_projects: Annotated[int | None, "fail unless it reads this many"]
               = None) -> Synced:
    """Start Sync: the tool reports how many projects it can read."""
    count = SyncTool(run.site(SITE)).start_sync(integration, company, client_secret)
    run.note(f"the sync tool reads {count} projects")
    if expected_projects is not None and count != expected_projects:
        raise StepError(f"the sync tool reads {count} projects, expected {expected_projects}")
    return Synced(count)


# -- check mode: each looks as its action does before acting, and changes nothing -----------


@check_of(create_integration)
def check_create_integration(run: StepRun, *, name: str, environment: str,
                             client_id: str | Secret, client_secret: Secret) -> Planned:
    existing = SyncTool(run.site(SITE)).integration_client_id(name)
    if existing is None:
        return Planned(Created(True), (f"would create the integration '{name}' "
                                       f"({environment})",))
    if existing != plain(client_id):
        raise StepError(f"an integration named {name!r} exists with another client id")
    return Planned(Created(False), unchanged=f"nothing to do: integration '{name}' exists")


@check_of(create_connection)
def check_create_connection(run: StepRun, *, integration: str, company: str) -> Planned:
    if SyncTool(run.site(SITE)).has_connection(integration, company):
        return Planned(Created(False), unchanged=f"nothing to do: '{integration}' is "
                       f"connected to {company}")
    return Planned(Created(True), (f"would connect '{integration}' to {company}",))


@check_of(start_sync)
def check_start_sync(run: StepRun, *, integration: str, company: str,
                     client_secret: Secret | None = None,
                     expected_projects: int | None = None) -> Planned:
    # Every run starts a sync (it is the proof that the tool reads the projects): looking
    # cannot make it unnecessary, only say it would happen.
    return Planned(Synced(cast(int, Unknown(run.key))),
                   (f"would start a sync of '{integration}' with {company}",))
