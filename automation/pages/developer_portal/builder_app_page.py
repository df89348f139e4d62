"""An app's page in the form-based Developer Portal, with the intents the DMSA procedure
needs, the same as the classic :class:`~automation.pages.developer_portal.AppPage`'s.

Late 2026 (Quick Start Guide): tabs **App Details & Versions** and **Credentials**. 2025: a
left nav whose **Configuration Builder** and **OAuth Credentials** show the same things. Either
wording is accepted. The page details one version (the latest, or the one whose link in the
Versions list was followed): its status, Installation Keys and Components.

Each intent looks first (the latest version's components, a version's production key, the
production credentials) and runs again from the app page after a lost session or a passing
server error (:func:`~automation.pages.recovery.again_after_sign_in`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TypeVar

from playwright.sync_api import Locator, expect

from automation.pages.base import Site
from automation.pages.developer_portal.app_page import VersionRow
from automation.pages.developer_portal.boxes import box_holding, heading, named
from automation.pages.developer_portal.components_editor import VersionBuilderPage
from automation.pages.developer_portal.create_version_dialog import next_version
from automation.pages.developer_portal.errors import DeveloperNotVerified, VersionRefused
from automation.pages.developer_portal.permission_builder import (
    Permissions,
    manifest_permissions,
)
from automation.pages.developer_portal.production_credentials_dialog import (
    PRODUCTION_HEADING,
    ProductionCredentialsDialog,
    ResetClientSecretDialog,
)
from automation.pages.developer_portal.promote_dialog import PromoteDialog
from automation.pages.recovery import again_after_sign_in, follow
from automation.pages.visible import field

__all__ = ["DETAILS_TAB", "VERIFY", "BuilderAppPage"]

T = TypeVar("T")
DETAILS_TAB = re.compile(r"^(App Details & Versions|Configuration Builder)$")  # 2026 | 2025
CREDENTIALS_TAB = re.compile(r"^(OAuth )?Credentials$")  # 2025 says OAuth Credentials
VERIFY = "Become a Verified Developer"
_VERSION_TITLE = re.compile(r"^Version (\d+\.\d+\.\d+)")
_SEMVER = re.compile(r"^\s*\d+\.\d+\.\d+\s*$")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


class BuilderAppPage:
    PRODUCTION_KEY = re.compile(r"^Production App Version Key:?$")

    def __init__(self, site: Site) -> None:
        self.site = site
        page = site.page
        self.details_tab = named(page, DETAILS_TAB)
        self.credentials_tab = named(page, CREDENTIALS_TAB)
        self.create_version = named(page, "Create Version")
        self.promote_version = named(page, "Promote Version")
        self.become_verified = named(page, VERIFY)
        self.version_title = page.get_by_role("heading", name=_VERSION_TITLE)
        self.installation_keys = box_holding(page, heading(page, "Installation Keys"))
        self.components = box_holding(page, heading(page, "Components"))
        self.versions_list = box_holding(page, heading(page, "Versions")).get_by_role("table")
        self.production = box_holding(page, heading(page, PRODUCTION_HEADING))
        self.reset_secret_button = self.production.get_by_role("button", name="Reset client secret")
        self.production_key_label = page.get_by_text(self.PRODUCTION_KEY)
        self.app_ref: str | None = None
        # The address at which _show() last found the page shown, until an intent runs: the
        # first intent after open() need not look again (as the classic AppPage does).
        self._shown_at: str | None = None

    def locators(self) -> dict[str, Locator]:
        """What the intents find on App Details & Versions, by name (for the drift probe).
        A promoted version shows its production key where an unpromoted one offers Promote
        Version: either will do."""
        return {
            "App Details & Versions tab": self.details_tab,
            "Credentials tab": self.credentials_tab,
            "Create Version": self.create_version,
            "version title": self.version_title,
            "Installation Keys": self.installation_keys,
            "Components": self.components,
            "Versions list": self.versions_list,
            "Promote Version or production key": self.promote_version.or_(
                self.production_key_label),
        }

    def credential_locators(self) -> dict[str, Locator]:
        """What the intents find on the Credentials tab of a promoted app (drift probe)."""
        return {
            "production credentials": self.production,
            "Reset client secret": self.reset_secret_button,
            "production Client ID": field(self.production, "Client ID"),
        }

    # -- showing the page ------------------------------------------------------------------

    def open(self, app_ref: str) -> BuilderAppPage:
        self.app_ref = app_ref
        return again_after_sign_in(self.site, self._show)

    def _show(self) -> BuilderAppPage:
        """The app page, App Details & Versions shown; one look when it already is."""
        here = self.site.page.url.split("#")[0]
        if self.app_ref is not None and here != self.site.url(self.app_ref):
            self.site.goto(self.app_ref)  # (signs in again first, reloads a 5xx)
        self._tab(self.details_tab)  # (its first read waits for the tab to be there)
        self._shown_at = self.site.page.url
        return self

    def _again(self, intent: Callable[[], T]) -> T:
        def attempt() -> T:
            if self._shown_at != self.site.page.url:
                self._show()
            self._shown_at = None  # the intent acts on the page
            return intent()

        return again_after_sign_in(self.site, attempt)

    def _tab(self, tab: Locator, *, shows: Locator | None = None) -> None:
        """Shows the tab (a click unless it is current); waits for ``shows`` (something of
        its panel) when given, else for the tab to be marked current."""
        if tab.get_attribute("aria-current") is None:
            tab.click()
            if shows is not None:
                expect(shows).to_be_visible()
            else:
                expect(tab).to_have_attribute("aria-current", re.compile(".+"))

    # -- what the page shows ---------------------------------------------------------------

    def name(self) -> str:
        return self.site.page.get_by_role("heading", level=1).inner_text().strip()

    def _shown_version(self) -> str | None:
        for title in self.version_title.all_inner_texts():  # (one read, none when absent)
            found = _VERSION_TITLE.match(title.strip())
            return found.group(1) if found else None
        return None

    def _versions(self) -> list[str]:
        """Every version in the Versions list, newest first (none without the list)."""
        links = self.versions_list.get_by_role("link", name=_SEMVER)
        return [text.strip() for text in links.all_inner_texts()]

    def _select(self, version: str) -> None:
        """Details ``version``: its link in the Versions list, unless it is shown."""
        if self._shown_version() == version:
            return
        link = self.versions_list.get_by_role("link", name=version, exact=True)
        if link.count() == 0:
            raise VersionRefused(f"the app has no version {version}")
        follow(self.site.page, link)
        expect(self.version_title).to_have_text(_VERSION_TITLE)
        self._tab(self.details_tab)

    def _key(self, label: str) -> str | None:
        """The key shown as text under ``label`` in Installation Keys."""
        # (What ``box_holding`` looks for is matched inside each box: built from the page.)
        caption = self.site.page.get_by_text(re.compile(rf"^{label}:?$"))
        shown = box_holding(self.installation_keys, caption).all_inner_texts()  # [] or [box]
        found = _UUID.search(shown[0]) if shown else None
        return found.group(0) if found else None

    def _components(self) -> tuple[bool, Permissions]:
        """Whether the shown version has Service Account Authentication, and its
        permissions (from the summary under it)."""
        listed = self.components.get_by_role("listitem").all_inner_texts()
        if "Service Account Authentication" not in (item.strip() for item in listed):
            return False, {"company": {}, "project": {}}
        rows = self.components.get_by_role("table").get_by_role("row").all_inner_texts()
        company: dict[str, str] = {}
        project: dict[str, str] = {}
        for row in rows[1:]:  # the header row first: Tool | Company Level | Project Level
            cells = [cell.strip() for cell in row.split("\t")]
            if len(cells) == 3:
                company[cells[0]], project[cells[0]] = cells[1], cells[2]
        return True, manifest_permissions(company, project)

    def _latest(self) -> tuple[str | None, bool, Permissions]:
        """The latest version, whether it has the service account, and its permissions."""
        versions = self._versions()
        if not versions:
            return None, False, {"company": {}, "project": {}}
        self._select(versions[0])
        return versions[0], *self._components()

    def _row(self, version: str) -> VersionRow:
        self._select(version)
        return self._shown_row(version)

    def _shown_row(self, version: str) -> VersionRow:
        """The row of ``version``, detailed on the page now."""
        key = self._key("Sandbox App Version Key")
        if key is None:
            raise VersionRefused(f"version {version} shows no Sandbox App Version Key")
        return VersionRow(version, key)

    def latest_sandbox_version(self) -> VersionRow | None:
        versions = self._again(self._versions)
        return self._row(versions[0]) if versions else None

    def versions(self) -> list[str]:
        return self._again(self._versions)

    def latest_service_account(self) -> tuple[str | None, Permissions | None]:
        """Looks without acting (check mode): the latest version and its service account's
        permissions (None: it has no Service Account Authentication)."""

        def look() -> tuple[str | None, Permissions | None]:
            last, has_account, permissions = self._latest()
            return last, permissions if has_account else None

        return self._again(look)

    # -- versions ----------------------------------------------------------------------------

    def create_version_with_client_credentials(self, version: str | None = None) -> VersionRow:
        """A version with Service Account Authentication (its grant type is
        client_credentials); the latest version when it already has one."""
        return self._again(lambda: self._with_service_account(None, version))

    def set_tool_permissions(
        self,
        company: Mapping[str, str],
        project: Mapping[str, str],
        *,
        version: str | None = None,
    ) -> VersionRow:
        """A version whose service account has exactly these permissions
        (``{"Documents": "Admin", "Home": "Read-Only"}``; tools not named: None); the
        latest version when it already has them."""
        wanted = manifest_permissions(company, project)  # a wrong level fails before any click
        return self._again(lambda: self._with_service_account(wanted, version))

    def _with_service_account(self, wanted: Permissions | None, version: str | None) -> VersionRow:
        last, has_account, current = self._latest()
        if last is not None and has_account and wanted in (None, current):
            return self._row(last)
        if not has_account:
            current = {"company": {}, "project": {}}
        follow(self.site.page, self.create_version)  # the builder's scripts run first
        new = version or next_version(last)
        # (Its first click waits for the builder page.)
        VersionBuilderPage(self.site).make(current, current if wanted is None else wanted, new)
        expect(self.version_title).to_have_text(re.compile(rf"^Version {re.escape(new)}\b"))
        return self._shown_row(new)

    # -- production --------------------------------------------------------------------------

    def is_promoted(self) -> bool:
        """True once the app has production credentials (its first promotion is done)."""

        def look() -> bool:
            self._tab(self.credentials_tab, shows=heading(self.site.page, PRODUCTION_HEADING))
            return self.reset_secret_button.count() > 0

        return self._again(look)

    def production_client_id(self) -> str | None:
        if not self.is_promoted():
            return None
        self._tab(self.credentials_tab)
        return field(self.production, "Client ID").input_value().strip()

    def promote(self, version: str | None, release_notes: str) -> bool:
        """Promotes ``version`` (default: the latest); True when "Your Production
        Credentials" appeared (the app's first promotion). A version already in production
        is left alone (False). An organization that is not verified is refused."""
        return self._again(lambda: self._promote(version, release_notes))

    def _promote(self, version: str | None, release_notes: str) -> bool:
        if version is None:
            versions = self._versions()
            if not versions:
                raise VersionRefused("the app has no version to promote")
            version = versions[0]
        self._select(version)
        # One wait and one read tell which of the three the version shows.
        offered = self.production_key_label.or_(self.promote_version).or_(self.become_verified)
        expect(offered.first).to_be_visible()
        shown = [" ".join(text.split()) for text in offered.all_inner_texts()]
        if any(self.PRODUCTION_KEY.match(text) for text in shown):
            return False  # promoted already
        if "Promote Version" not in shown:
            raise DeveloperNotVerified(_NOT_VERIFIED)
        self.promote_version.click()
        dialog = PromoteDialog(self.site, credentials=self.credentials_dialog())
        return dialog.promote(release_notes, promoted=self.production_key_label)

    def credentials_dialog(self) -> ProductionCredentialsDialog:
        # After the first promotion the page reloads on Close, then shows the production key.
        return ProductionCredentialsDialog(self.site, shown_after_close=self.production_key_label)

    def production_app_version_key(self, version: str | None = None) -> str | None:
        """The production App Version Key of ``version`` (default: the latest), shown in
        Installation Keys once it is promoted (where the form-based page shows it is
        inferred: Procore publishes only the sandbox key's place)."""

        def look() -> str | None:
            wanted = version
            if wanted is None:
                versions = self._versions()
                if not versions:
                    return None
                wanted = versions[0]
            try:
                self._select(wanted)
            except VersionRefused:  # no such version
                return None
            return self._key("Production App Version Key")

        return self._again(look)

    def reset_client_secret(self) -> ProductionCredentialsDialog:
        """Reset client secret, confirmed: the old secret stops working. Returns the open
        dialog showing the new secret once. Not run again on a failure (a second reset would
        void the secret the first one showed); only the opening of the page is."""
        self._again(lambda: None)
        self._tab(self.credentials_tab)
        self.reset_secret_button.click()
        client_id = field(self.production, "Client ID")
        return ResetClientSecretDialog(self.site, shown_after_close=client_id).confirm()


_NOT_VERIFIED = (
    "the Developer Portal shows 'Become a Verified Developer' instead of Promote Version: the "
    "account's organization is not a verified developer, so nothing can be promoted to "
    "production. Have the organization verified (Developer Portal > Become a Verified "
    "Developer), then run again"
)
