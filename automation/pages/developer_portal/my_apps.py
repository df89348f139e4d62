"""My Apps: the developer's apps, and "Create a New App".

Wording: the modal's button is **Create** on the classic portal and Procore's 2025 "Create an
App" page, **Create App** on the late-2026 "Create an App" and "Quick Start Guide" pages.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from automation.pages.base import Site
from automation.pages.developer_portal.boxes import box_holding, heading, named
from automation.pages.developer_portal.sign_in import MY_APPS_PATH
from automation.pages.recovery import again_after_sign_in, follow
from automation.pages.visible import field

__all__ = ["CreateAppDialog", "MyAppsPage"]


CREATE = re.compile(r"^Create( App)?$")
#: The modal's field caption, with or without the required-field star.
_APP_NAME = re.compile(r"^\s*App Name\s*\*?\s*$")
#: What an organization that is not a verified developer sees instead of production options.
BECOME_VERIFIED = "Become a Verified Developer"


class CreateAppDialog:
    """The "Create New App" modal (App Name, Cancel / Create or Create App)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        page = site.page
        # A dialog element (classic) or a plain container (design system): its heading and
        # its field find it either way.
        title = heading(page, re.compile(r"^Create (a )?New App$"))
        self.root = box_holding(page, title, page.get_by_text(_APP_NAME))
        self.app_name = field(self.root, "App Name")
        self.create_button = self.root.get_by_role("button", name=CREATE)

    def locators(self) -> dict[str, Locator]:
        """What the intents find on the open dialog, by name (for the drift probe)."""
        return {"dialog": self.root, "App Name": self.app_name, "Create": self.create_button}

    def create(self, name: str) -> None:
        """Creates the app; ends on the new app's page."""
        self.app_name.fill(name)
        # The form posts, then shows the app; follow() waits for its load (its dialogs need
        # the page's scripts).
        follow(self.site.page, self.create_button)
        expect(self.site.page.get_by_role("heading", name=name, exact=True)).to_be_visible()


class MyAppsPage:
    """Intents run again after a lost session or a passing server error (they look first)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        page = site.page
        self.heading = page.get_by_role("heading", name="My Apps", exact=True)
        self.create_new_app = page.get_by_role("button", name="Create a New App")
        # The list a person reads: the table whose column "App Name" holds the apps' links.
        self.apps = page.get_by_role("table").filter(
            has=page.get_by_role("columnheader", name="App Name", exact=True)
        )
        self.become_verified = named(page, BECOME_VERIFIED)

    def locators(self) -> dict[str, Locator]:
        """What the intents find on My Apps, by name (for the drift probe)."""
        return {"heading": self.heading, "Create a New App": self.create_new_app,
                "apps table": self.apps}

    def open(self) -> MyAppsPage:
        """My Apps: kept when shown (one look), loaded otherwise (an error page included)."""
        if not self.heading.is_visible():
            self.site.goto(MY_APPS_PATH)  # (signs in again first, reloads a 5xx)
            expect(self.heading).to_be_visible()
        return self

    def is_verified_developer(self) -> bool:
        """False when My Apps offers "Become a Verified Developer": the organization cannot
        promote anything to production (the form-based portal says so; the classic one
        never does)."""
        return again_after_sign_in(
            self.site, lambda: self.open().become_verified.count() == 0
        )

    def app_names(self) -> list[str]:
        return again_after_sign_in(self.site, self._app_names)

    def _app_names(self) -> list[str]:
        self.open()
        links = self.apps.get_by_role("link")
        return [name.strip() for name in links.all_inner_texts()]

    def open_app(self, name: str) -> str | None:
        """Opens the app named ``name`` (the first, if several share it); None if none does."""
        return again_after_sign_in(self.site, lambda: self._open_app(name))

    def create_app(self, name: str) -> str:
        """Creates an app named ``name``; returns its reference.

        After a failed attempt it looks for an app of that name before creating again: the
        portal may have created it before the failure.
        """
        attempts = 0

        def attempt() -> str:
            nonlocal attempts
            attempts += 1
            if attempts > 1:
                existing = self._open_app(name)
                if existing is not None:
                    return existing
            return self._create_app(name)

        return again_after_sign_in(self.site, attempt)

    def open_or_create_app(self, name: str) -> str:
        """The app named ``name``, created when there is none: no duplicate on a re-run.

        Returns the app's reference: its page address relative to the portal's base URL,
        which :meth:`AppPage.open <automation.pages.developer_portal.AppPage.open>` takes.
        """
        return again_after_sign_in(
            self.site, lambda: self._open_app(name) or self._create_app(name)
        )

    def app_ref(self) -> str:
        url = self.site.page.url.split("#")[0].split("?")[0]
        base = self.site.base_url + "/"
        return url[len(base) :] if url.startswith(base) else url

    def _open_app(self, name: str) -> str | None:
        self.open()
        link = self._link(name)
        if link.count() == 0:
            return None
        follow(self.site.page, link)  # waits for the app page's load
        expect(self.site.page.get_by_role("heading", name=name, exact=True)).to_be_visible()
        return self.app_ref()

    def _create_app(self, name: str) -> str:
        self.open()
        self.create_new_app.click()
        CreateAppDialog(self.site).create(name)
        return self.app_ref()

    def _link(self, name: str) -> Locator:
        return self.apps.get_by_role("link", name=name, exact=True).first
