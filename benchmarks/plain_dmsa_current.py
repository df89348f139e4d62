"""The Developer Portal part of plain_dmsa.py on the form-based portal (Procore's current one).

The same clicks, fills and looks as the page objects of ``automation/pages/developer_portal/``
make for the form-based screens, written out by hand: App Details & Versions | Credentials
tabs, Create Version > Edit Components > Permissions for Service Account > Save > Save Version,
Promote Version. Boxes (modals, cards) are found by what they hold, as the page objects do.
"""

from __future__ import annotations

import re

from plain_dmsa import APP, CREDENTIALS, RELEASE_NOTES, TOOLS, WANTED, Mark, store_credentials
from playwright.sync_api import Locator, Page, expect

from automation.secret import Secret
from automation.vault.base import Vault

__all__ = ["app_versions_and_promotion"]

_BOXES = "div, section, article, aside, dialog, form, li"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_COLUMN = {"admin": "admin", "readonly": "read-only", "standard": "standard", None: "none"}


def _box(page: Page, *parts: Locator) -> Locator:
    found = page.locator(_BOXES)
    for part in parts:
        found = found.filter(has=part)
    return found.last


def _heading(page: Page, name: str) -> Locator:
    return page.get_by_role("heading", name=name, exact=True)


def app_versions_and_promotion(page: Page, vault: Vault, mark: Mark) -> tuple[str, str, Secret]:
    """From My Apps, signed in: the app, both versions, the promotion and the capture."""
    mark("developer.app")
    apps = page.get_by_role("table").filter(
        has=page.get_by_role("columnheader", name="App Name", exact=True))
    existing = apps.get_by_role("link", name=APP, exact=True)
    with page.expect_navigation():
        if existing.count():  # look first: the app of that name is reused
            existing.first.click()
        else:
            page.get_by_role("button", name="Create a New App").click()
            name = page.get_by_label("App Name")
            modal = _box(page, page.get_by_role("heading", name=re.compile(
                r"^Create (a )?New App$")), name)
            modal.get_by_label("App Name").fill(APP)
            modal.get_by_role("button", name=re.compile(r"^Create( App)?$")).click()
    expect(page.get_by_role("heading", name=APP, exact=True)).to_be_visible()

    mark("developer.oauth")
    version, has_account, current = _latest(page)
    if not has_account:  # look first: the latest version has the service account
        version = _make_version(page, version, current, current)
    mark("developer.permissions")
    version, _has_account, current = _latest(page)
    if current != WANTED:  # look first: exactly these permissions already
        version = _make_version(page, version, current, WANTED)
    mark("developer.promote")
    return _promote(page, version, vault)


def _latest(page: Page) -> tuple[str | None, bool, dict[str, dict[str, str]]]:
    expect(page.get_by_role("button", name="App Details & Versions")).to_be_visible()
    title = page.get_by_role("heading", name=re.compile(r"^Version \d"))
    empty: dict[str, dict[str, str]] = {"company": {}, "project": {}}
    if title.count() == 0:
        return None, False, empty
    version = title.inner_text().split()[1]
    components = _box(page, _heading(page, "Components"))
    items = [i.strip() for i in components.get_by_role("listitem").all_inner_texts()]
    if "Service Account Authentication" not in items:
        return version, False, empty
    found = empty
    for row in components.get_by_role("table").get_by_role("row").all_inner_texts()[1:]:
        cells = [cell.strip() for cell in row.split("\t")]
        if len(cells) != 3:  # "No tool permissions"
            continue
        for level, text in (("company", cells[1]), ("project", cells[2])):
            if text != "None":
                found[level][cells[0].lower()] = text.lower().replace("-", "")
    return version, True, found


def _next(version: str | None) -> str:
    if version is None:
        return "1.0.0"
    major, minor, _patch = (int(part) for part in version.split("."))
    return f"{major}.{minor + 1}.0"


def _make_version(page: Page, last: str | None, current: dict[str, dict[str, str]],
                  wanted: dict[str, dict[str, str]]) -> str:
    """A version with both Data Connector components and ``wanted``; the grid opens on
    ``current``."""
    with page.expect_navigation():
        page.get_by_role("link", name="Create Version").click()
    page.get_by_role("button", name="Edit Components").click()
    save = page.get_by_role("button", name="Save", exact=True)
    modal = _box(page, _heading(page, "Edit Components"), save)
    modal.get_by_role("checkbox", name="User Level Authentication").check()
    modal.get_by_role("checkbox", name="Service Account Authentication").check()
    grid = _box(page, _heading(page, "Permissions for Service Account"))
    for level, tab in (("company", "Company Level"), ("project", "Project Level")):
        changed = [t for t in TOOLS
                   if current[level].get(t.lower()) != wanted[level].get(t.lower())]
        if not changed:
            continue
        button = grid.get_by_role("button", name=tab, exact=True)
        if button.get_attribute("aria-current") is None:
            button.click()
            expect(button).to_have_attribute("aria-current", re.compile(".+"))
        table = grid.get_by_role("table")
        columns = [c.strip().lower() for c in table.get_by_role("columnheader").all_inner_texts()]
        for tool in changed:
            row = table.get_by_role("row").filter(
                has=page.get_by_role("cell", name=tool, exact=True))
            column = columns.index(_COLUMN[wanted[level].get(tool.lower())])
            cell = row.get_by_role("cell").nth(column)
            cell.get_by_role("radio").check()
    modal.get_by_role("button", name="Save", exact=True).click()
    expect(modal.get_by_role("checkbox", name="User Level Authentication")).to_be_hidden()
    page.get_by_role("button", name="Save Version").click()
    number = page.get_by_label(re.compile(r"^Version Number"))
    dialog = _box(page, number, page.get_by_role("button", name="Save Version"))
    version = _next(last)
    dialog.get_by_label(re.compile(r"^Version Number")).fill(version)
    with page.expect_navigation():
        dialog.get_by_role("button", name="Save Version").click()
    expect(page.get_by_role("heading", name=re.compile(rf"^Version {re.escape(version)}\b"))
           ).to_be_visible()
    return version


def _promote(page: Page, version: str | None, vault: Vault) -> tuple[str, str, Secret]:
    if version is None:
        raise AssertionError("the app has no version to promote")
    production = _box(page, _heading(page, "Production OAuth Credentials"))
    page.get_by_role("button", name="Credentials", exact=True).click()
    promoted = production.get_by_role("button", name="Reset client secret").count() > 0
    page.get_by_role("button", name="App Details & Versions").click()
    key_caption = page.get_by_text(re.compile(r"^Production App Version Key:?$"))
    if not promoted:  # look first: this promotion shows the credentials, once
        page.get_by_role("button", name="Promote Version").click()
        notes = page.get_by_label(re.compile(r"^Release Notes"))
        modal = _box(page, _heading(page, "Promote Version"), notes)
        modal.get_by_label(re.compile(r"^Release Notes")).fill(RELEASE_NOTES)
        modal.get_by_role("button", name="Promote", exact=True).click()
        secret_box = page.get_by_label("Client Secret", exact=True)
        shown = _box(page, _heading(page, "Your Production Credentials"), secret_box)
        secret_field = shown.get_by_label("Client Secret", exact=True)
        expect(secret_field).not_to_have_value("")
        client_id = shown.get_by_label("Client ID", exact=True).input_value().strip()
        secret = Secret(secret_field.input_value().strip())
        store_credentials(vault, client_id, secret)  # before Close: it is never shown again
        with page.expect_navigation():  # Close reloads the app page after a first promotion
            shown.get_by_role("button", name="Close", exact=True).last.click()
        expect(key_caption).to_be_visible()
    else:
        stored = vault.get(CREDENTIALS)
        client_id, secret = stored["client_id"].reveal(), stored["client_secret"]
    keys = _box(page, _heading(page, "Installation Keys"))
    found = _UUID.search(_box(page, key_caption).inner_text()) if keys.count() else None
    if found is None:
        raise AssertionError("no Production App Version Key shown")
    return found.group(0), client_id, secret
