"""Which Developer Portal an app page is, told from the page itself.

Procore serves the form-based portal now; an account may still meet the classic manifest
editor (and the mock serves either). The page says which: the classic one has the "Manage
Manifests" panel, the form-based one an "App Details & Versions" (2025: "Configuration
Builder") tab. Both page objects offer the same intents.
"""

from __future__ import annotations

from playwright.sync_api import expect

from automation.pages.base import Site
from automation.pages.developer_portal.app_page import AppPage
from automation.pages.developer_portal.boxes import heading, named
from automation.pages.developer_portal.builder_app_page import DETAILS_TAB, BuilderAppPage
from automation.pages.recovery import again_after_sign_in

__all__ = ["AnyAppPage", "open_app_page"]

#: ``Site.memo`` key: which generation the portal's app pages are.
_GENERATION = "developer_portal_generation"

AnyAppPage = AppPage | BuilderAppPage


def open_app_page(site: Site, app_ref: str) -> AnyAppPage:
    """Opens the app page (unless it is shown) and returns the page object that drives it."""

    if site.memo.get(_GENERATION) == "form-based":
        return BuilderAppPage(site).open(app_ref)  # (its first look waits for the page)

    def look() -> AnyAppPage:
        page = site.page
        if page.url.split("#")[0].split("?")[0] != site.url(app_ref):
            site.goto(app_ref)  # (signs in again first, reloads a 5xx)
        classic = heading(page, "Manage Manifests")
        form_based = named(page, DETAILS_TAB)
        expect(classic.or_(form_based).first).to_be_visible()
        # A portal does not change generations in the middle of a run: told once per site.
        generation = site.memo.get(_GENERATION)
        if generation is None:
            generation = site.memo[_GENERATION] = (
                "form-based" if form_based.count() > 0 else "classic")
        if generation == "form-based":
            return BuilderAppPage(site).open(app_ref)
        return AppPage(site).shown(app_ref)  # the look above found its panel

    return again_after_sign_in(site, look)
