"""The company administrator's intents, composed from the screens of the Procore web app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from automation.pages.base import Site
from automation.pages.procore.add_permitted_projects_dialog import Projects
from automation.pages.procore.app_management import AppManagement
from automation.pages.procore.app_permissions import AppPermissions
from automation.pages.procore.app_update import AppUpdate, UpdateOutcome
from automation.pages.procore.company_picker import CompanyPicker, OpenCompany
from automation.pages.procore.directory import Directory
from automation.pages.procore.project_settings import AddToProjectsResult, ProjectSettings
from automation.pages.procore.sign_in import ProcoreSignIn
from automation.pages.recovery import again_after_sign_in
from automation.progress import Progress, no_progress
from automation.secret import Secret

__all__ = ["CompanyAdmin", "InstalledApp"]


@dataclass(frozen=True)
class InstalledApp:
    app_name: str
    service_account: str
    installed_now: bool  # False: it was already installed, and was reused


class CompanyAdmin:
    """One company administrator in one company; every method may be repeated harmlessly."""

    def __init__(self, site: Site, *, progress: Progress = no_progress) -> None:
        self.site = site
        self.progress = progress
        self._company: OpenCompany | None = None

    @property
    def company(self) -> OpenCompany:
        if self._company is None:
            raise RuntimeError("open_company() first")
        return self._company

    def sign_in(self, login: str, password: Secret) -> None:
        ProcoreSignIn(self.site).sign_in(login, password)

    def open_company(self, name: str) -> OpenCompany:
        picker = CompanyPicker(self.site)
        self._company = again_after_sign_in(self.site, lambda: picker.open_company(name))
        return self._company

    def install_custom_app(
        self, app_version_id: str, *, app_name: str | None = None
    ) -> InstalledApp:
        screen = AppManagement(self.company)
        outcome = again_after_sign_in(
            self.site, lambda: screen.install_custom_app(app_version_id, app_name=app_name)
        )
        directory = Directory(self.company)
        account = again_after_sign_in(
            self.site, lambda: directory.service_account_of(outcome.app_name)
        )
        return InstalledApp(outcome.app_name, account, outcome.installed_now)

    def service_account_of(self, app_name: str) -> str:
        """The Directory name of the installed app's service account."""
        directory = Directory(self.company)
        return again_after_sign_in(self.site, lambda: directory.service_account_of(app_name))

    def update_waiting(self, app_name: str) -> str | None:
        """Looks only: the installed version when an update waits, else None."""
        screen = AppUpdate(self.company)
        return again_after_sign_in(self.site, lambda: screen.waiting(app_name))

    def update_app(self, app_name: str) -> UpdateOutcome:
        """Updates the installed app to its newest promoted version (when one is waiting)."""
        screen = AppUpdate(self.company)
        return again_after_sign_in(self.site, lambda: screen.update(app_name))

    def permit_projects(self, app_name: str, projects: Projects = "all") -> int:
        """Permits all (or the named) projects to the app; returns how many are permitted."""
        screen = AppPermissions(self.company, progress=self.progress)
        return again_after_sign_in(self.site, lambda: screen.permit_projects(app_name, projects))

    def add_to_all_new_projects(self, user: str) -> bool:
        screen = ProjectSettings(self.company, user)
        return again_after_sign_in(self.site, screen.add_to_all_new_projects)

    def add_to_all_existing_projects(
        self, user: str, *, way: Literal["auto", "rest", "row_add"] = "auto"
    ) -> AddToProjectsResult:
        screen = ProjectSettings(self.company, user, progress=self.progress)
        return again_after_sign_in(self.site, lambda: screen.add_to_all_existing_projects(way=way))

    # -- looking without acting (check mode) -------------------------------------------------

    def installed(self, app_name: str) -> InstalledApp | None:
        """The app as installed (with its service account), or None: looks only."""
        screen = AppManagement(self.company)

        def look() -> bool:
            screen.open()
            return screen.is_installed(app_name)

        if not again_after_sign_in(self.site, look):
            return None
        directory = Directory(self.company)
        account = again_after_sign_in(self.site, lambda: directory.service_account_of(app_name))
        return InstalledApp(app_name, account, installed_now=False)

    def projects_to_permit(self, app_name: str, projects: Projects = "all") -> tuple[int, int]:
        """(permitted now, how many Select Projects would add): looks only."""
        screen = AppPermissions(self.company)
        return again_after_sign_in(self.site, lambda: screen.projects_to_permit(app_name, projects))

    def joins_new_projects(self, user: str) -> bool:
        """Whether "Add [user] to all new projects" is ticked: looks only."""
        screen = ProjectSettings(self.company, user)
        return again_after_sign_in(self.site, screen.joins_new_projects)

    def projects_to_join(self, user: str) -> tuple[int, int, bool]:
        """(projects the user misses, active projects, whether Add All is offered): looks."""
        screen = ProjectSettings(self.company, user)
        return again_after_sign_in(self.site, screen.projects_to_join)
