"""Page objects of the Procore web app, as a company administrator (``site: procore``)."""

from __future__ import annotations

from automation.pages.procore.add_permitted_projects_dialog import (
    ALL,
    AddPermittedProjectsDialog,
    AppSetupDialog,
    ProjectSelect,
)
from automation.pages.procore.app_management import AppManagement, InstallOutcome
from automation.pages.procore.app_permissions import AppPermissions
from automation.pages.procore.company_admin import CompanyAdmin, InstalledApp
from automation.pages.procore.company_picker import CompanyPicker, OpenCompany
from automation.pages.procore.directory import Directory
from automation.pages.procore.install_custom_app_dialog import (
    ConfirmInstallDialog,
    InstallCustomAppDialog,
    InstallRefused,
)
from automation.pages.procore.project_settings import AddToProjectsResult, ProjectSettings
from automation.pages.procore.sign_in import ProcoreSignIn

__all__ = [
    "ALL",
    "AddPermittedProjectsDialog",
    "AddToProjectsResult",
    "AppManagement",
    "AppPermissions",
    "AppSetupDialog",
    "CompanyAdmin",
    "CompanyPicker",
    "ConfirmInstallDialog",
    "Directory",
    "InstallCustomAppDialog",
    "InstallOutcome",
    "InstallRefused",
    "InstalledApp",
    "OpenCompany",
    "ProcoreSignIn",
    "ProjectSelect",
    "ProjectSettings",
]
