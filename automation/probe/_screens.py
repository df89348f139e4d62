"""The screens the page objects know, and how the probe reaches each one without changing
anything: it signs in, follows links, switches tabs and opens dialogs, and never submits one.

A visit yields the screen's locators (by name) each time the screen is in a state worth a look
(a page, then the dialog it opens); the probe counts them at that moment. A screen it cannot
reach raises :class:`NotVisited` with the reason ("no app named ...").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

from playwright.sync_api import Locator, expect

from automation.pages.base import Site
from automation.pages.developer_portal import (
    AppPage,
    BuilderAppPage,
    CreateVersionDialog,
    EditComponentsModal,
    MyAppsPage,
    VersionBuilderPage,
    open_app_page,
)
from automation.pages.developer_portal.my_apps import CreateAppDialog
from automation.pages.procore.app_management import AppManagement
from automation.pages.procore.app_permissions import AppPermissions
from automation.pages.procore.company_picker import CompanyPicker, OpenCompany
from automation.pages.procore.install_custom_app_dialog import InstallCustomAppDialog
from automation.pages.recovery import follow
from automation.pages.sync_tool.dashboard import SyncDashboard
from automation.pages.sync_tool.integration_form import NewIntegrationForm

__all__ = ["SCREENS", "NotVisited", "Screen", "Visit"]

Looks = Iterator[Mapping[str, Locator]]


class NotVisited(Exception):
    """The probe could not reach the screen without changing something (or at all)."""


class Visit(Protocol):
    """What a visit gets from the probe: signed-in sites and what to look for."""

    app_name: str
    company: str

    def site(self, name: str) -> Site: ...

    def note_generation(self, generation: str) -> None: ...


@dataclass(frozen=True)
class Screen:
    name: str
    site: str
    #: Yields the screen's locators each time it is worth a look.
    visit: Callable[[Visit], Looks]
    #: What a person would call it.
    title: str


# -- Developer Portal ------------------------------------------------------------------------


def _my_apps(visit: Visit) -> Looks:
    my_apps = MyAppsPage(visit.site("developer_portal")).open()
    locators = my_apps.locators()
    if my_apps.site.page.get_by_role("table").count() == 0:
        del locators["apps table"]  # an account without apps has no list to look at
    yield locators


def _create_app_dialog(visit: Visit) -> Looks:
    site = visit.site("developer_portal")
    my_apps = MyAppsPage(site).open()
    my_apps.create_new_app.click()  # opens the modal; it is never submitted
    yield _settled(CreateAppDialog(site).locators())


def _app_page(visit: Visit) -> AppPage | BuilderAppPage:
    site = visit.site("developer_portal")
    ref = MyAppsPage(site).open_app(visit.app_name)
    if ref is None:
        raise NotVisited(f"no app named {visit.app_name!r} in My Apps")
    page = open_app_page(site, ref)
    visit.note_generation("classic" if isinstance(page, AppPage) else "current")
    return page


def _app_details(visit: Visit) -> Looks:
    yield _app_page(visit).locators()


def _credentials(visit: Visit) -> Looks:
    page = _app_page(visit)
    if isinstance(page, BuilderAppPage):
        page.credentials_tab.click()  # a tab drawn on the page (the classic page has none)
    yield page.credential_locators()


def _create_version(visit: Visit) -> Looks:
    page = _app_page(visit)
    site = visit.site("developer_portal")
    if isinstance(page, AppPage):
        page.create_new_version.click()  # opens the dialog; it is cancelled, not submitted
        yield _settled(CreateVersionDialog(site).locators())
        return
    follow(site.page, page.create_version)  # the builder page: nothing is saved until Save
    builder = VersionBuilderPage(site)
    yield _settled(builder.locators())
    builder.edit_components_button.click()
    yield _settled(EditComponentsModal(site).locators())


# -- the company web app -----------------------------------------------------------------------


def _company(visit: Visit) -> OpenCompany:
    site = visit.site("procore")
    return CompanyPicker(site).open_company(visit.company)


def _app_management(visit: Visit) -> Looks:
    screen = AppManagement(_company(visit))
    screen.open()
    yield screen.locators()


def _install_dialog(visit: Visit) -> Looks:
    screen = AppManagement(_company(visit))
    screen.open()
    dialog = InstallCustomAppDialog(screen.page)
    dialog.install_app_menu.click()
    dialog.install_custom_app.click()  # opens the dialog; it is never submitted
    yield _settled(dialog.locators())


def _app_permissions(visit: Visit) -> Looks:
    screen = AppManagement(_company(visit))
    screen.open()
    if not screen.is_installed(visit.app_name):
        raise NotVisited(f"no app named {visit.app_name!r} installed in {visit.company}")
    screen.view(visit.app_name)
    permissions = AppPermissions(screen.company)
    follow(screen.page, permissions.permissions_tab)
    yield permissions.locators()


# -- the sync tool ------------------------------------------------------------------------------


def _sync_dashboard(visit: Visit) -> Looks:
    dashboard = SyncDashboard(visit.site("sync_tool"))
    dashboard.open()
    yield dashboard.locators()


def _new_integration(visit: Visit) -> Looks:
    form = NewIntegrationForm(visit.site("sync_tool"))
    form.open()  # opens the form; it is never saved
    yield _settled(form.locators())


def _settled(locators: Mapping[str, Locator]) -> Mapping[str, Locator]:
    """Waits until any of the locators shows (a dialog opens after the click), so that what
    was renamed is told apart from what had not been drawn yet."""
    shown: Locator | None = None
    for locator in locators.values():
        shown = locator if shown is None else shown.or_(locator)
    if shown is not None:
        expect(shown.first).to_be_visible()
    return locators


SCREENS: tuple[Screen, ...] = (
    Screen("developer_portal.my_apps", "developer_portal", _my_apps, "My Apps"),
    Screen("developer_portal.create_app", "developer_portal", _create_app_dialog,
           "My Apps > Create a New App (dialog, not submitted)"),
    Screen("developer_portal.app", "developer_portal", _app_details,
           "the app's page (Manage Manifests; App Details & Versions)"),
    Screen("developer_portal.credentials", "developer_portal", _credentials,
           "the app's credentials"),
    Screen("developer_portal.create_version", "developer_portal", _create_version,
           "Create New Version (dialog, cancelled) or Create Version (builder, not saved)"),
    Screen("procore.app_management", "procore", _app_management,
           "Company Admin > App Management"),
    Screen("procore.install_custom_app", "procore", _install_dialog,
           "App Management > Install App > Install Custom App (dialog, not submitted)"),
    Screen("procore.app_permissions", "procore", _app_permissions,
           "App Management > View > Permissions"),
    Screen("sync_tool.dashboard", "sync_tool", _sync_dashboard,
           "the sync tool's dashboard (Procore Integrations, Connections)"),
    Screen("sync_tool.new_integration", "sync_tool", _new_integration,
           "New Procore Integration (form, not saved)"),
)
