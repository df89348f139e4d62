"""Page objects of the Procore Developer Portal (``site: developer_portal``), both generations:
the classic manifest editor (:class:`AppPage`) and the form-based builder Procore serves now
(:class:`BuilderAppPage`); :func:`open_app_page` tells them apart from the page.

Locators are what a person sees (roles, accessible names, labels) as documented in
``reference/procore-portal.md``; intents end in a known state and look first, so a re-run
reuses the app, the version and the promotion instead of making new ones.
"""

from __future__ import annotations

from automation.pages.developer_portal.app_page import AppPage, VersionRow
from automation.pages.developer_portal.app_pages import AnyAppPage, open_app_page
from automation.pages.developer_portal.builder_app_page import BuilderAppPage
from automation.pages.developer_portal.components_editor import (
    EditComponentsModal,
    SaveVersionModal,
    VersionBuilderPage,
)
from automation.pages.developer_portal.create_version_dialog import (
    CreateVersionDialog,
    client_credentials_instance,
    next_version,
)
from automation.pages.developer_portal.errors import (
    DeveloperNotVerified,
    DeveloperPortalError,
    PromotionRefused,
    SecondFactorRequired,
    SignInRefused,
    VersionRefused,
)
from automation.pages.developer_portal.my_apps import CreateAppDialog, MyAppsPage
from automation.pages.developer_portal.permission_builder import (
    PermissionBuilderDialog,
    manifest_permissions,
)
from automation.pages.developer_portal.permissions_grid import PermissionsGrid
from automation.pages.developer_portal.production_credentials_dialog import (
    ProductionCredentialsDialog,
    ResetClientSecretDialog,
)
from automation.pages.developer_portal.promote_dialog import PromoteDialog
from automation.pages.developer_portal.sign_in import SignInPage, developer_portal_site

__all__ = [
    "AnyAppPage",
    "AppPage",
    "BuilderAppPage",
    "CreateAppDialog",
    "CreateVersionDialog",
    "DeveloperNotVerified",
    "DeveloperPortalError",
    "EditComponentsModal",
    "MyAppsPage",
    "PermissionBuilderDialog",
    "PermissionsGrid",
    "ProductionCredentialsDialog",
    "PromoteDialog",
    "PromotionRefused",
    "ResetClientSecretDialog",
    "SaveVersionModal",
    "SecondFactorRequired",
    "SignInPage",
    "SignInRefused",
    "VersionBuilderPage",
    "VersionRefused",
    "VersionRow",
    "client_credentials_instance",
    "developer_portal_site",
    "manifest_permissions",
    "next_version",
    "open_app_page",
]
