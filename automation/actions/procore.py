"""Procore web app actions, as the customer's company administrator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from automation.action_spec import NoOutputs, action, check_of
from automation.actions.login import sign_in_with_a_person_if_needed
from automation.execute.context import StepRun
from automation.pages.procore import CompanyAdmin, ProcoreSignIn
from automation.pages.procore_login import totp_codes
from automation.planned import (
    Planned,
    Unknown,
    installed_version_in,
    memberships_in,
    permitted_projects_in,
)
from automation.secret import Secret, plain

__all__ = [
    "add_to_all_existing_projects",
    "add_to_all_new_projects",
    "find_service_account",
    "install_custom_app",
    "permit_projects",
    "sign_in",
    "update_app",
]

SITE = "procore"
Company = Annotated[str, "the company, as the company picker names it"]


def _admin(run: StepRun, company: str) -> CompanyAdmin:
    admin = CompanyAdmin(run.site(SITE), progress=run.progress)
    admin.open_company(company)
    return admin


@action("procore.sign_in", changes=False, retry_safe=True, establishes_session=SITE,
        signed_out=ProcoreSignIn.is_sign_in_page)
def sign_in(
    run: StepRun, *, login: Annotated[str | Secret, "Email"],
    password: Annotated[Secret, "from the vault"],
    totp_seed: Annotated[Secret | None, "base32 TOTP seed, for headless second factors"] = None,
    company: Annotated[str | None, "the company to pick, when the login asks for one"] = None,
) -> NoOutputs:
    """Sign in to Procore, through its login, as a company administrator."""
    page = ProcoreSignIn(run.site(SITE))
    sign_in_with_a_person_if_needed(run, lambda: page.sign_in(
        plain(login), password, totp_code=totp_codes(totp_seed), company=company))
    return NoOutputs()


@dataclass(frozen=True)
class Installed:
    app_name: str
    service_account: str
    installed_now: bool


@action("procore.install_custom_app", changes=True, retry_safe=True)
def install_custom_app(
    run: StepRun, *, company: Company,
    app_version_id: Annotated[str, "the 36-character production App Version Key"],
    app_name: Annotated[str | None, "the app's name, to recognise it installed"] = None,
) -> Installed:
    """Install the custom app by its App Version ID (reused when it is installed already)."""
    installed = _admin(run, company).install_custom_app(app_version_id, app_name=app_name)
    if not installed.installed_now:
        run.note(f"'{installed.app_name}' is installed already: reused")
    return Installed(installed.app_name, installed.service_account, installed.installed_now)


@dataclass(frozen=True)
class ServiceAccount:
    service_account: str


@action("procore.find_service_account", changes=False, retry_safe=True)
def find_service_account(run: StepRun, *, company: Company, app_name: str) -> ServiceAccount:
    """Directory: the user the installed app's service account appears as."""
    return ServiceAccount(_admin(run, company).service_account_of(app_name))


@dataclass(frozen=True)
class Updated:
    updated_now: bool
    version: str


@action("procore.update_app", changes=True, retry_safe=True)
def update_app(run: StepRun, *, company: Company, app_name: str) -> Updated:
    """App Management > View > Update App > Update: the newest promoted version. Its
    permitted projects do not carry over: permit them again right after."""
    outcome = _admin(run, company).update_app(app_name)
    if outcome.updated_now:
        run.note(f"'{app_name}' updated to version {outcome.version}")
    else:
        run.note(f"no update waiting: '{app_name}' is at version {outcome.version}")
    return Updated(outcome.updated_now, outcome.version)


@dataclass(frozen=True)
class Permitted:
    permitted: int


@action("procore.permit_projects", changes=True, retry_safe=True)
def permit_projects(
    run: StepRun, *, company: Company, app_name: str,
    projects: Annotated[Literal["all"] | list[str], "'all' or project names"] = "all",
) -> Permitted:
    """View > Permissions > Permitted Projects: add the projects the app may access."""
    count = _admin(run, company).permit_projects(app_name, projects)
    run.note(f"{count} projects permitted to '{app_name}'")
    return Permitted(count)


@dataclass(frozen=True)
class NewProjects:
    changed: bool


@action("procore.add_to_all_new_projects", changes=True, retry_safe=True)
def add_to_all_new_projects(run: StepRun, *, company: Company,
                            user: Annotated[str, "the service account's name"]) -> NewProjects:
    """Directory > Edit > tick 'Add [user] to all new projects in [company]' and Save."""
    changed = _admin(run, company).add_to_all_new_projects(user)
    if not changed:
        run.note("already set to join all new projects")
    return NewProjects(changed)


@dataclass(frozen=True)
class ExistingProjects:
    added: int
    total_projects: int
    way: str


@action("procore.add_to_all_existing_projects", changes=True, retry_safe=True)
def add_to_all_existing_projects(
    run: StepRun, *, company: Company, user: Annotated[str, "the service account's name"],
    way: Annotated[Literal["auto", "rest", "row_add"],
                   "auto: Add All when offered, else the REST API with the session"] = "auto",
) -> ExistingProjects:
    """Directory > Edit > 'Projects [user] Does Not Belong To': add the user to every one."""
    result = _admin(run, company).add_to_all_existing_projects(user, way=way)
    run.note(result.describe())
    return ExistingProjects(result.added, result.total_projects, result.way)


# -- check mode: each looks as its action does before acting, and changes nothing -----------


@check_of(install_custom_app)
def check_install_custom_app(run: StepRun, *, company: str, app_version_id: str,
                             app_name: str | None = None) -> Planned:
    installed = _admin(run, company).installed(app_name) if app_name else None
    if installed is not None:
        return Planned(Installed(installed.app_name, installed.service_account, False),
                       unchanged=f"nothing to do: '{installed.app_name}' is installed")
    would = f"would install app version {app_version_id}" + (f" ('{app_name}')" if app_name
                                                             else "")
    if not app_name:  # only the install dialog tells an installed app apart by its key
        would += " unless it is installed already (give app_name to look first)"
    return Planned(Installed(Unknown(run.key), Unknown(run.key), True), (would,))


@check_of(update_app)
def check_update_app(run: StepRun, *, company: str, app_name: str) -> Planned:
    installed = _admin(run, company).update_waiting(app_name)
    if installed is None:
        return Planned(Updated(False, Unknown(run.key)),
                       unchanged=f"nothing to do: no update of '{app_name}' waiting")
    # The update empties the app's permitted projects: a later look at them is stale.
    return Planned(Updated(True, Unknown(run.key)),
                   (f"would update '{app_name}' from version {installed} to the newest "
                    f"promoted version",),
                   touches=(permitted_projects_in(company), installed_version_in(company)))


@check_of(permit_projects)
def check_permit_projects(run: StepRun, *, company: str, app_name: str,
                          projects: Literal["all"] | list[str] = "all") -> Planned:
    permitted, offered = _admin(run, company).projects_to_permit(app_name, projects)
    permits = (permitted_projects_in(company),)
    if offered == 0:
        return Planned(Permitted(permitted), unchanged=f"nothing to do: {permitted} projects "
                       f"permitted to '{app_name}', none left to add", looks_at=permits)
    # Procore keeps the two in step: a permitted project gets the app's service account.
    return Planned(Permitted(permitted + offered),
                   (f"would permit {offered} project{'s' if offered != 1 else ''} "
                    f"to '{app_name}'",), looks_at=permits,
                   touches=(*permits, memberships_in(company)))


@check_of(add_to_all_new_projects)
def check_add_to_all_new_projects(run: StepRun, *, company: str, user: str) -> Planned:
    if _admin(run, company).joins_new_projects(user):
        return Planned(NewProjects(False),
                       unchanged="nothing to do: already set to join all new projects")
    return Planned(NewProjects(True), (f"would tick 'Add {user} to all new projects in "
                                       f"{company}' and Save",))


@check_of(add_to_all_existing_projects)
def check_add_to_all_existing_projects(
    run: StepRun, *, company: str, user: str,
    way: Literal["auto", "rest", "row_add"] = "auto",
) -> Planned:
    missing, total, add_all = _admin(run, company).projects_to_join(user)
    memberships = (memberships_in(company),)
    if missing == 0:
        return Planned(ExistingProjects(0, total, "none"), looks_at=memberships,
                       unchanged=f"nothing to do: {user} belongs to all {total} projects")
    chosen = "add_all" if way == "auto" and add_all else "row_add" if way == "row_add" else "rest"
    how = {"add_all": "Add All", "rest": "the REST API with the signed-in session",
           "row_add": "Add on each row"}[chosen]
    return Planned(ExistingProjects(missing, total, chosen),
                   (f"would add {user} to {missing} project{'s' if missing != 1 else ''} "
                    f"(by {how})",), looks_at=memberships, touches=memberships)
