"""An app's page: credentials sections and the Manage Manifests panel, with the intents the
DMSA procedure needs (each looks at the page first, so running it again does no harm).

Each intent runs again, from the app page, when the portal dropped the session or answered a
passing server error in the middle of it (:func:`~automation.pages.recovery.
again_after_sign_in`): looking first is what makes that safe.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar

from playwright.sync_api import Locator, expect

from automation.pages.base import Site
from automation.pages.developer_portal.create_version_dialog import (
    CreateVersionDialog,
    client_credentials_instance,
    next_version,
)
from automation.pages.developer_portal.errors import VersionRefused
from automation.pages.developer_portal.permission_builder import (
    Permissions,
    manifest_permissions,
    permissions_of,
)
from automation.pages.developer_portal.production_credentials_dialog import (
    PRODUCTION_HEADING,
    ProductionCredentialsDialog,
    ResetClientSecretDialog,
)
from automation.pages.developer_portal.promote_dialog import PromoteDialog
from automation.pages.recovery import again_after_sign_in
from automation.pages.visible import action, column_values, field, holding, tab, words

__all__ = ["AppPage", "VersionRow"]

Environment = Literal["Sandbox", "Production"]
T = TypeVar("T")
#: The Manage Manifests tabs, in the order their tables follow on the page.
_TABS: tuple[Environment, ...] = ("Sandbox", "Production")
#: Section headings: the classic page says "Sandbox OAuth Credentials"; Procore's newer pages
#: say "Developer Sandbox OAuth Credentials" (2026) and call the tab "Credentials"; the
#: screenshot app-credentials-ui-section.png titles the production one "App Credentials"
#: (PRODUCTION_HEADING, beside the dialog that reloads the section).
_SANDBOX_HEADING = words(
    "Sandbox OAuth Credentials", "Developer Sandbox OAuth Credentials", "Sandbox Credentials"
)
#: The Manage Manifests columns the intents read (create-new-manifest-v4.1.png).
_VERSION_COLUMN, _KEY_COLUMN = "Version", "App Version Key"


@dataclass(frozen=True)
class VersionRow:
    """A row of Manage Manifests: the version and its App Version Key (36-character UUID)."""

    version: str
    app_version_key: str


class AppPage:
    def __init__(self, site: Site) -> None:
        self.site = site
        page = site.page
        # Each panel: the block holding its heading and a caption or tab only it has
        # (create-new-manifest-v4.1.png, app-credentials-ui-section.png).
        self.sandbox = holding(
            page, page.get_by_role("heading", name=_SANDBOX_HEADING), page.get_by_text("Client ID")
        )
        self.production = holding(
            page,
            page.get_by_role("heading", name=PRODUCTION_HEADING),
            page.get_by_text("Client ID"),
        )
        self.manifests = holding(
            page,
            page.get_by_role("heading", name="Manage Manifests", exact=True),
            tab(page, "Sandbox"),
        )
        self.reset_secret_button = action(page, "Reset client secret")
        self.create_new_version = action(self.manifests, "Create New Version")
        self.app_ref: str | None = None
        # The address at which _show() last found the page shown, until an intent runs: the
        # first intent after open() need not look again.
        self._shown_at: str | None = None

    def locators(self) -> dict[str, Locator]:
        """What the intents find in Manage Manifests, by name (for the drift probe): the
        panel, its tabs and the shown tab's key column."""
        shown_table = self.manifests.get_by_role("table")
        return {
            "Manage Manifests": self.manifests,
            "Create New Version": self.create_new_version,
            **{f"{environment} tab": self._tab_of(environment) for environment in _TABS},
            f"{_KEY_COLUMN} column": shown_table.get_by_role(
                "columnheader", name=_KEY_COLUMN, exact=True),
        }

    def credential_locators(self) -> dict[str, Locator]:
        """What the intents find in the credentials sections of a promoted app (probe)."""
        return {
            "sandbox credentials": self.sandbox,
            "production credentials": self.production,
            "Reset client secret": self.reset_secret_button,
        }

    def open(self, app_ref: str) -> AppPage:
        """Opens the app from the reference :meth:`MyAppsPage.open_or_create_app` returned."""
        self.app_ref = app_ref
        return again_after_sign_in(self.site, self._show)

    def shown(self, app_ref: str) -> AppPage:
        """The app page that the caller just saw shown (Manage Manifests visible)."""
        self.app_ref = app_ref
        self._shown_at = self.site.page.url
        return self

    def _show(self) -> AppPage:
        """Back on the app page, whatever the last attempt left on the screen.

        Already there (the usual case between two intents) costs one look, not a reload.
        """
        here = self.site.page.url.split("#")[0].split("?")[0]
        already_here = self.app_ref is None or here == self.site.url(self.app_ref)
        if not (already_here and self.manifests.is_visible()):
            if self.app_ref is not None:
                # Elsewhere, signed out, or an error page: load the app page afresh.
                self.site.goto(self.app_ref)  # (signs in again first, reloads a 5xx)
            expect(self.manifests).to_be_visible()
        self._shown_at = self.site.page.url
        return self

    def _ensure_shown(self) -> None:
        """_show(), unless it just found the page shown and nothing has acted since."""
        if self._shown_at != self.site.page.url:
            self._show()

    def _again(self, intent: Callable[[], T]) -> T:
        def attempt() -> T:
            self._ensure_shown()
            self._shown_at = None  # the intent acts on the page
            return intent()

        return again_after_sign_in(self.site, attempt)

    # -- what the page shows ---------------------------------------------------------------

    def name(self) -> str:
        return self.site.page.get_by_role("heading", level=1).inner_text().strip()

    def sandbox_client_id(self) -> str:
        return field(self.sandbox, "Client ID").input_value().strip()

    def is_promoted(self) -> bool:
        """True once the app has production credentials (its first promotion is done)."""
        self._ensure_shown()
        return self.reset_secret_button.count() > 0

    def production_client_id(self) -> str | None:
        if not self.is_promoted():
            return None
        return field(self.production, "Client ID").input_value().strip()

    def versions(self, environment: Environment) -> list[VersionRow]:
        """Every version of the Sandbox or Production tab, newest first."""
        return self._again(lambda: self._rows_anywhere(environment))

    def _show_all_versions(self, environment: Environment) -> None:
        """Selects the tab and presses Show Old Versions (before clicking an old row)."""
        self._panel(environment)
        show_old = action(self.manifests, "Show Old Versions")
        if show_old.count() > 0:
            show_old.click()
            expect(action(self.manifests, "Hide Old Versions")).to_be_visible()

    def latest_sandbox_version(self) -> VersionRow | None:
        return next(iter(self._rows_anywhere("Sandbox")), None)

    def production_app_version_key(self, version: str | None = None) -> str | None:
        """The production App Version Key of ``version`` (default: the newest promoted)."""
        self._ensure_shown()
        if version is not None:
            return self._key_anywhere("Production", version)
        newest = next(iter(self._rows_anywhere("Production")), None)
        return newest.app_version_key if newest is not None else None

    def latest_service_account(self) -> tuple[str | None, Permissions | None]:
        """Looks without acting (check mode): the latest sandbox version and the permissions
        of its client_credentials component (None: it has none). Create New Version shows
        both; the dialog is cancelled, nothing is created."""

        def look() -> tuple[str | None, Permissions | None]:
            dialog = self.open_create_version()
            manifest, last = dialog.manifest(), dialog.last_version()
            dialog.cancel()
            instance = client_credentials_instance(manifest)
            return last, None if instance is None else permissions_of(instance)

        return self._again(look)

    # -- manifest versions -----------------------------------------------------------------

    def open_create_version(self) -> CreateVersionDialog:
        self._panel("Sandbox")
        self.create_new_version.click()
        return CreateVersionDialog(self.site).wait_open()

    def create_version_with_client_credentials(self, version: str | None = None) -> VersionRow:
        """A sandbox version whose oauth component has grant type client_credentials.

        Skipped when the latest sandbox version already has one; returns that version (or the
        new one) with its sandbox App Version Key.
        """
        return self._again(lambda: self._create_version_with_client_credentials(version))

    def _create_version_with_client_credentials(self, version: str | None) -> VersionRow:
        dialog = self.open_create_version()
        manifest = dialog.manifest()
        last = dialog.last_version()
        if last is not None and client_credentials_instance(manifest) is not None:
            dialog.cancel()
            return self._sandbox_row(last)
        dialog.use_client_credentials(manifest)
        new = version or next_version(last)
        dialog.create(new)
        return self._sandbox_row(new)

    def set_tool_permissions(
        self,
        company: Mapping[str, str],
        project: Mapping[str, str],
        *,
        version: str | None = None,
    ) -> VersionRow:
        """A new sandbox version whose tool permissions are exactly these, set with Open
        Builder (``{"Documents": "Admin", "Home": "Read-Only"}``; tools not named: None).

        Skipped when the latest sandbox version already has exactly these permissions;
        returns the version that has them, with its sandbox App Version Key.
        """
        wanted = manifest_permissions(company, project)  # a wrong level fails before any click
        return self._again(lambda: self._set_tool_permissions(wanted, version))

    def _set_tool_permissions(
        self, wanted: dict[str, dict[str, str]], version: str | None
    ) -> VersionRow:
        dialog = self.open_create_version()
        manifest = dialog.manifest()
        last = dialog.last_version()
        instance = client_credentials_instance(manifest)
        if last is not None and instance is not None and permissions_of(instance) == wanted:
            dialog.cancel()
            return self._sandbox_row(last)
        if instance is None:
            manifest = dialog.use_client_credentials(manifest)
            instance = client_credentials_instance(manifest)
        builder = dialog.permission_builder()
        builder.apply(permissions_of(instance), wanted)
        builder.update_manifest()
        written = permissions_of(client_credentials_instance(dialog.manifest()))
        if written != wanted:
            raise VersionRefused(
                f"Update Manifest wrote permissions {written}, not the {wanted} chosen"
            )
        new = version or next_version(last)
        dialog.create(new)
        return self._sandbox_row(new)

    # -- production ------------------------------------------------------------------------

    def promote(self, version: str | None, release_notes: str) -> bool:
        """Promotes ``version`` (default: the latest sandbox version) to production.

        Returns True when "Your Production Credentials" appeared (the app's first promotion):
        read it with :meth:`credentials_dialog`, store, then close it. A version already in
        the Production tab is left alone (False).
        """
        return self._again(lambda: self._promote(version, release_notes))

    def _promote(self, version: str | None, release_notes: str) -> bool:
        if version is None:
            latest = self.latest_sandbox_version()
            if latest is None:
                raise VersionRefused("the app has no sandbox version to promote")
            version = latest.version
        promoted = self._row_anywhere("Production", version)
        if promoted.count() > 0:
            return False
        row = self._table("Sandbox").get_by_role("row").filter(has=action(self.site.page, version))
        button = action(row, "Promote")
        if not button.is_visible():  # another tab, an older version, or no such version
            if self._row_anywhere("Sandbox", version).count() == 0:
                raise VersionRefused(f"the app has no sandbox version {version}")
            self._show_all_versions("Sandbox")
        button.click()
        return PromoteDialog(self.site).promote(release_notes, promoted=promoted)

    def credentials_dialog(self) -> ProductionCredentialsDialog:
        return ProductionCredentialsDialog(self.site)

    def reset_client_secret(self) -> ProductionCredentialsDialog:
        """Reset client secret, confirmed: the old secret stops working. Returns the open
        dialog that shows the new secret once (read, store, then close it).

        Not run again on a failure: a second reset would void the secret the first one
        showed. Only the opening of the page is retried.
        """
        self._again(lambda: None)
        self.reset_secret_button.click()
        return ResetClientSecretDialog(self.site).confirm()

    # -- helpers ---------------------------------------------------------------------------

    def _table(self, environment: Environment) -> Locator:
        """The versions table of that tab, shown or not: the tabs' tables follow the tabs'
        order (a hidden tab's table is still on the page, so one read needs no clicks)."""
        tables = self.manifests.get_by_role("table", include_hidden=True)
        return tables.nth(_TABS.index(environment))

    def _panel(self, environment: Environment) -> Locator:
        """Shows that tab (a click on a shown tab changes nothing) and returns its table."""
        table = self._table(environment)
        if not table.is_visible():
            self._tab_of(environment).click()
            expect(table).to_be_visible()
        return table

    def _tab_of(self, environment: Environment) -> Locator:
        return tab(self.manifests, environment)

    def _row_anywhere(self, environment: Environment, version: str) -> Locator:
        """The version's row in that tab, shown or not (old versions and the other tab are
        hidden): a cheap "is it there?" without clicking through the tabs."""
        return (
            self._table(environment)
            .get_by_role("row", include_hidden=True)
            .filter(has=action(self.site.page, version, include_hidden=True))
        )

    def _rows_anywhere(self, environment: Environment) -> list[VersionRow]:
        """Every version of that tab with its key, newest first, shown or not: one read of
        the page (the values under the Version and App Version Key headers) instead of
        clicking through the tab and Show Old Versions."""
        rows = column_values(self._table(environment), _VERSION_COLUMN, _KEY_COLUMN)
        return [VersionRow(version, key) for version, key in rows if version]

    def _key_anywhere(self, environment: Environment, version: str) -> str | None:
        """The App Version Key of that version in that tab, shown or not (one read)."""
        rows = self._rows_anywhere(environment)
        return next((row.app_version_key for row in rows if row.version == version), None)

    def _sandbox_row(self, version: str) -> VersionRow:
        key = self._key_anywhere("Sandbox", version)
        if key is None:
            raise VersionRefused(f"the app has no sandbox version {version}")
        return VersionRow(version, key)
