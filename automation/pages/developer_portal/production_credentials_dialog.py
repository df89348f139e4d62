""" "Your Production Credentials": the one time the production client secret is shown."""

from __future__ import annotations

from playwright.sync_api import Locator, expect

from automation.pages.base import Site
from automation.pages.developer_portal.boxes import box_holding, heading
from automation.pages.recovery import click_and_await_navigation, settle
from automation.pages.visible import field, holding, words
from automation.secret import Secret

__all__ = ["PRODUCTION_HEADING", "ProductionCredentialsDialog", "ResetClientSecretDialog"]


#: The app page's production section: "Production OAuth Credentials" (classic page, 2025
#: form-based docs), "Production Credentials" (late-2026 Credentials tab wording), "App
#: Credentials" (app-credentials-ui-section.png).
PRODUCTION_HEADING = words(
    "Production OAuth Credentials", "Production Credentials", "App Credentials"
)
#: How long Close may take to start reloading the page before the page is looked at in place.
_RELOAD_GRACE_MS = 1_500


class ProductionCredentialsDialog:
    """Read the credentials, store them, and only then close: two separate calls on purpose.

    Closing loses the secret forever, so :meth:`read` never closes and :meth:`close` is the
    caller's decision, made after the vault has confirmed the write.
    """

    SECRET_SOURCE = "developer_portal:Your Production Credentials#Client Secret"

    def __init__(self, site: Site, *, shown_after_close: Locator | None = None) -> None:
        """``shown_after_close``: what the app page shows once this dialog has closed and
        the page is current again (default: the classic page's production Client ID)."""
        self.site = site
        page = site.page
        # Found by its heading and its secret field: the classic portal's is a dialog element,
        # the form-based one's a plain container (Procore's design system).
        secret = page.get_by_text("Client Secret", exact=True)
        self.root = box_holding(page, heading(page, "Your Production Credentials"), secret)
        self.client_id = field(self.root, "Client ID")
        self.client_secret = field(self.root, "Client Secret")
        # The footer's Close (the design system also names the X "Close").
        self.close_button = self.root.get_by_role("button", name="Close", exact=True).last
        self._shown_after_close = shown_after_close

    def is_open(self) -> bool:
        return self.root.is_visible()

    def wait_open(self) -> ProductionCredentialsDialog:
        expect(self.client_secret).not_to_have_value("")  # the dialog is open and filled in
        return self

    def read(self) -> tuple[str, Secret]:
        """The production client id and secret, as shown; the dialog stays open."""
        self.wait_open()
        client_id = self.client_id.input_value().strip()
        return client_id, Secret(self.client_secret.input_value().strip(), self.SECRET_SOURCE)

    def close(self) -> None:
        """Closes the dialog: the secret cannot be shown again after this.

        Ends on the app page showing the production Client ID (after a first promotion the
        page reloads; a passing server error or a lost session on the way is repaired).
        """
        page = self.site.page
        # Close reloads the page after a first promotion: waiting for that load beats looking
        # for the page's new content, which a look finds only at its next polling interval. A
        # portal that updates in place instead costs the grace, once.
        if click_and_await_navigation(page, self.close_button, within_ms=_RELOAD_GRACE_MS) is None:
            expect(self.root).to_be_hidden()
        shown = self._shown_after_close
        if shown is None:
            production = holding(
                page,
                page.get_by_role("heading", name=PRODUCTION_HEADING),
                page.get_by_text("Client ID", exact=True),
            )
            shown = field(production, "Client ID")
        for attempt in (1, 2, 3):
            try:
                expect(shown.first).to_be_visible()
                break
            except AssertionError:
                if attempt == 3:
                    raise
                settle(page)
                if self.site.on_sign_in_page() and self.site.sign_in is not None:
                    self.site.sign_in(self.site)  # back to the app page afterwards
        page.wait_for_load_state()


class ResetClientSecretDialog:
    """The confirmation before Reset client secret voids the current secret."""

    def __init__(self, site: Site, *, shown_after_close: Locator | None = None) -> None:
        self.site = site
        page = site.page
        self.root = box_holding(
            page,
            heading(page, "Reset Client Secret?"),
            page.get_by_role("button", name="Reset", exact=True),
        )
        self.reset_button = self.root.get_by_role("button", name="Reset", exact=True)
        self._shown_after_close = shown_after_close
        self.cancel_button = self.root.get_by_role("button", name="Cancel", exact=True)

    def confirm(self) -> ProductionCredentialsDialog:
        """Resets; the old secret stops working now. Returns the dialog with the new one."""
        expect(self.root).to_be_visible()
        self.reset_button.click()
        dialog = ProductionCredentialsDialog(self.site, shown_after_close=self._shown_after_close)
        return dialog.wait_open()

    def cancel(self) -> None:
        self.cancel_button.click()
        expect(self.root).to_be_hidden()
