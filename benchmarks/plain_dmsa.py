"""The DMSA procedure as a plain, hand-written Playwright script: the baseline of dmsa_bench.

No executor, no runbook, no page objects: the same clicks, fills and checks as the runbook
``runbooks/dmsa-credentials.yaml`` makes through the page objects, in the same order, located
as the page objects locate them (by what a person reads: headings, captions, the words on a
button or link, column headers; composed with the small helpers of
``automation/pages/visible.py`` and ``developer_portal/boxes.py``, not with accessible names
the screens do not show), waiting only on web-first ``expect`` and on the navigations that
clicks start (``expect_navigation``, which also waits for the page's scripts: dialogs and tabs
need them). Where the page objects look first so that a re-run duplicates nothing (an app, a
version, a promotion, an installation, an integration or a connection that exists is reused),
this script looks too: those checks are marked "look first". Like the runbook, it stores the
production client id and secret in the vault, reads them back and compares before pressing
Close. It does not sign in again where the runbook's separately runnable parts do, and it does
not reload a page it is already on.

``mark(name)`` is called as each part starts, with the executor's step key for the same work,
so that the benchmark can put both side by side.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from automation.pages.developer_portal.boxes import box_holding, heading
from automation.pages.visible import (
    action,
    column_index,
    column_values,
    field,
    holding,
    tab,
    words,
)
from automation.procore_api import ProcoreApi
from automation.secret import Secret
from automation.targets import Target
from automation.vault.base import Vault

__all__ = ["PlainResult", "run_plain"]

APP = "Procore DMSA App"
COMPANY = "HingePoint"
INTEGRATION = "Procore DMSA"
CREDENTIALS = f"procore/apps/{APP}/production"
RELEASE_NOTES = "First production version"
#: Permission Builder choices, company and project level alike (the runbook's defaults).
TOOLS = {"Admin": "Admin", "Directory": "Admin", "Documents": "Admin", "Home": "Read-Only"}
_MANIFEST_LEVEL = {"Admin": "admin", "Read-Only": "readonly", "Standard": "standard"}
WANTED = {level: {tool.lower(): _MANIFEST_LEVEL[value] for tool, value in TOOLS.items()}
          for level in ("company", "project")}

Mark = Callable[[str], None]


@dataclass(frozen=True)
class PlainResult:
    visible_projects: int
    expected_projects: int
    synced_projects: int


def run_plain(target: Target, vault: Vault, launch: dict[str, Any], mark: Mark,
              ui: str = "current") -> PlainResult:
    """Runs the whole procedure; ``mark("done")`` after the last check, before closing.

    ``ui``: the Developer Portal generation the target serves (the form-based one's clicks
    are in plain_dmsa_current.py)."""
    mark("developer.step1")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(**launch)
    try:
        # One context per site, opened when its first part starts, as the executor does.
        developer = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        key, client_id, secret = developer_portal(developer.new_page(),
                                                  target.url("developer_portal"), vault, mark, ui)
        expected = company_side(browser, target.url("procore"), key, vault, mark)
        mark("company.verify")
        visible = verify(target, client_id, secret)
        if visible != expected:
            raise AssertionError(f"{visible}/{expected} projects visible to the service account")
        synced = sync_tool(browser, target.url("sync_tool"), client_id, secret, vault, mark)
        if synced != expected:
            raise AssertionError(f"the sync tool reads {synced} projects, expected {expected}")
        mark("done")
        return PlainResult(visible, expected, synced)
    finally:
        browser.close()
        playwright.stop()


def _login(vault: Vault, path: str) -> tuple[str, str]:
    fields = vault.get(path)
    user = fields.get("email") or fields["login"]
    return user.reveal(), fields["password"].reveal()


def _procore_login(page: Page, email: str, password: str) -> None:
    """Procore's login, as the page object walks it: email > Continue, password > Continue."""
    continue_button = page.get_by_role("button", name=re.compile(r"^(Continue|Log In)$"))
    if not (continue_button.count() and page.get_by_label("Email", exact=True).count()):
        return  # look first: a signed-in browser is back on the site already
    page.get_by_label("Email", exact=True).fill(email)
    with page.expect_navigation():
        continue_button.click()
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        continue_button.click()


# -- Developer Portal --------------------------------------------------------------------------


def developer_portal(page: Page, base: str, vault: Vault, mark: Mark, ui: str
                     ) -> tuple[str, str, Secret]:
    """Sign in, app, client_credentials version, permissions version, promotion, capture."""
    email, password = _login(vault, "procore/developer-portal")
    page.goto(f"{base}/apps")  # signed out: Procore's login, and back to My Apps afterwards
    _procore_login(page, email, password)
    expect(page.get_by_role("button", name="Sign Out", exact=True)).to_be_visible()
    if ui == "current":
        from plain_dmsa_current import app_versions_and_promotion  # (it imports this module)

        return app_versions_and_promotion(page, vault, mark)

    mark("developer.app")
    apps = page.get_by_role("table").filter(
        has=page.get_by_role("columnheader", name="App Name", exact=True))
    existing = apps.get_by_role("link", name=APP, exact=True)
    with page.expect_navigation():
        if existing.count():  # look first: the app of that name is reused, never doubled
            existing.first.click()
        else:
            page.get_by_role("button", name="Create a New App").click()
            dialog = box_holding(page, heading(page, re.compile(r"^Create (a )?New App$")),
                                 page.get_by_text(re.compile(r"^\s*App Name\s*\*?\s*$")))
            field(dialog, "App Name").fill(APP)
            dialog.get_by_role("button", name=re.compile(r"^Create( App)?$")).click()
    expect(page.get_by_role("heading", name=APP, exact=True)).to_be_visible()

    mark("developer.oauth")
    manifests = holding(page, heading(page, "Manage Manifests"), tab(page, "Sandbox"))
    expect(manifests).to_be_visible()
    version = _client_credentials_version(page, manifests)
    mark("developer.permissions")
    version = _permissions_version(page, manifests) or version
    mark("developer.promote")
    return _promote(page, manifests, version, vault)


_CREATE = words("Create", "Create App")


def _open_create_version(page: Page, manifests: Locator
                         ) -> tuple[Locator, Locator, dict[str, Any], str | None]:
    """Create New Version (the Sandbox tab is the one shown on the app page)."""
    action(manifests, "Create New Version").click()
    dialog = holding(page, heading(page, "Create New Version"), action(page, _CREATE))
    editor = field(dialog, "App Manifest")
    expect(editor).not_to_have_value("")  # it opens with the last version's manifest
    last = dialog.get_by_text(re.compile(r"^\s*Last Version:")).inner_text()
    last_version = last.split(":", 1)[1].strip()
    manifest: dict[str, Any] = json.loads(editor.input_value())
    return dialog, editor, manifest, None if last_version in {"", "None"} else last_version


def _client_credentials(manifest: dict[str, Any]) -> dict[str, Any] | None:
    oauth = (manifest.get("components") or {}).get("oauth") or {}
    for instance in oauth.get("instances") or []:
        if instance.get("grant_type") == "client_credentials":
            return dict(instance)
    return None


def _next_version(last: str | None) -> str:
    if last is None:
        return "1.0.0"
    major, minor, _patch = (int(part) for part in last.split("."))
    return f"{major}.{minor + 1}.0"


def _create(page: Page, dialog: Locator, version: str) -> None:
    field(dialog, re.compile(r"^\s*Enter Version Number")).fill(version)
    with page.expect_navigation():  # the new version's app page
        action(dialog, _CREATE).click()
    expect(action(page, version)).to_be_visible()  # in the Sandbox tab's first row


def _cancel(dialog: Locator) -> None:
    action(dialog, "Cancel").click()
    expect(dialog).to_be_hidden()


def _client_credentials_version(page: Page, manifests: Locator) -> str | None:
    dialog, editor, manifest, last = _open_create_version(page, manifests)
    if _client_credentials(manifest) is not None:  # look first: the last version has one
        _cancel(dialog)
        return last
    copy = action(page, "Copy Code Snippet")
    action(holding(dialog, page.get_by_text("Data Connection", exact=True), copy),
           "Copy Code Snippet").click()
    for _paste in range(5):  # the copy reaches the clipboard a moment after the click
        editor.click()
        page.keyboard.press("ControlOrMeta+A")
        page.keyboard.press("ControlOrMeta+V")
        pasted = editor.input_value().strip().rstrip(",")
        if '"instances"' in pasted:
            break
    else:
        raise AssertionError("Copy Code Snippet put no snippet on the clipboard")
    snippet = json.loads("{" + pasted + "}")
    for instance in snippet["oauth"]["instances"]:
        instance["grant_type"] = "client_credentials"
    manifest["components"] = {**(manifest.get("components") or {}), "oauth": snippet["oauth"]}
    editor.fill(json.dumps(manifest, indent=2))
    version = _next_version(last)
    _create(page, dialog, version)
    return version


def _permissions_version(page: Page, manifests: Locator) -> str | None:
    dialog, editor, manifest, last = _open_create_version(page, manifests)
    instance = _client_credentials(manifest) or {}
    current = {level: dict((instance.get("permissions") or {}).get(level) or {})
               for level in ("company", "project")}
    if current == WANTED:  # look first: the last version has exactly these permissions
        _cancel(dialog)
        return last
    action(dialog, "Open Builder").click()
    builder = holding(page, heading(page, "Permission Builder"), action(page, "Update Manifest"))
    grid = builder.get_by_role("table")  # the shown tab's grid (the other one is hidden)
    for level, name in (("company", "Company"), ("project", "Project")):
        changed = [tool for tool in TOOLS
                   if current[level].get(tool.lower()) != WANTED[level][tool.lower()]]
        if not changed:
            continue
        tab(builder, name).click()
        headers = grid.get_by_role("columnheader").all_inner_texts()
        for tool in changed:
            first_cell = page.get_by_role("rowheader", name=tool, exact=True).or_(
                page.get_by_role("cell", name=tool, exact=True))
            row = grid.get_by_role("row").filter(has=first_cell)
            cells = row.get_by_role("rowheader").or_(row.get_by_role("cell"))
            cells.nth(column_index(headers, TOOLS[tool])).get_by_role("radio").check()
    action(builder, "Update Manifest").click()
    expect(builder).to_be_hidden()
    written = _client_credentials(json.loads(editor.input_value())) or {}
    if written.get("permissions") != WANTED:
        raise AssertionError(f"Update Manifest wrote {written.get('permissions')}")
    version = _next_version(last)
    _create(page, dialog, version)
    return version


def _promote(page: Page, manifests: Locator, version: str | None, vault: Vault
             ) -> tuple[str, str, Secret]:
    if version is None:
        raise AssertionError("the app has no sandbox version to promote")
    # The tabs' tables follow the tabs (Sandbox, Production); a hidden one is still read.
    tables = manifests.get_by_role("table", include_hidden=True)
    if action(page, "Reset client secret").count() == 0:
        # look first: not promoted yet, so this promotion shows the credentials, once
        row = tables.nth(0).get_by_role("row").filter(has=action(page, version))
        action(row, "Promote").click()
        notes = re.compile(r"^\s*Release Notes\s*\*?\s*$")
        promote = box_holding(page, heading(page, re.compile(r"^Promote (Manifest\?|Version)$")),
                              page.get_by_text(notes))
        field(promote, notes).fill(RELEASE_NOTES)
        promote.get_by_role("button", name="Promote", exact=True).click()
        shown = box_holding(page, heading(page, "Your Production Credentials"),
                            page.get_by_text("Client Secret", exact=True))
        secret_box = field(shown, "Client Secret")
        expect(secret_box).not_to_have_value("")
        client_id = field(shown, "Client ID").input_value().strip()
        secret = Secret(secret_box.input_value().strip())
        store_credentials(vault, client_id, secret)  # before Close: it is never shown again
        with page.expect_navigation():  # Close reloads the app page after a first promotion
            shown.get_by_role("button", name="Close", exact=True).last.click()
    else:
        stored = vault.get(CREDENTIALS)  # the runbook stops when it is not there
        client_id, secret = stored["client_id"].reveal(), stored["client_secret"]
    rows = column_values(tables.nth(1), "Version", "App Version Key")
    key = next((k for v, k in rows if v == version), None)
    if key is None:
        raise AssertionError(f"version {version} is not in the Production tab")
    return key, client_id, secret


def store_credentials(vault: Vault, client_id: str, secret: Secret) -> None:
    """Write, read back, compare (as the executor's store_secrets does)."""
    fields: dict[str, str | Secret] = {"client_id": client_id, "client_secret": secret}
    history = vault.history(CREDENTIALS)
    if history and not history[-1].deleted:  # look first: the same values stored before
        existing = vault.get(CREDENTIALS)
        if existing.get("client_id") == Secret(client_id) and (
                existing.get("client_secret") == secret):
            return
    vault.put(CREDENTIALS, fields, cas=history[-1].version if history else 0)
    back = vault.get(CREDENTIALS)
    if back.get("client_id") != Secret(client_id) or back.get("client_secret") != secret:
        raise AssertionError("the vault's read-back differs")


# -- Procore, as the company administrator -----------------------------------------------------


def _tool(page: Page, tool: str) -> None:
    """Company Tools > tool: the entry in the smallest block holding the button and it (the
    admin pages' side menu has a Directory link too)."""
    tools = action(page, re.compile(r"^\s*Company Tools"))
    tools.click()
    with page.expect_navigation():
        action(holding(page, tools, action(page, tool)), tool).click()


def _app_management(page: Page) -> Locator:
    """Admin > Company Settings > App Management; returns the app's row (none yet: count 0)."""
    _tool(page, "Admin")
    settings = holding(page, page.get_by_text("Company Settings", exact=True),
                       action(page, "App Management"))
    with page.expect_navigation():
        action(settings, "App Management").click()
    expect(page.get_by_role("heading", name="App Management", exact=True)).to_be_visible()
    return page.get_by_role("row").filter(has=page.get_by_text(APP, exact=True))


def _search_directory(page: Page, text: str) -> Locator:
    """Directory, search ``text``; returns the users table."""
    _tool(page, "Directory")
    page.get_by_role("searchbox").fill(text)
    with page.expect_navigation():
        action(page, "Search").click()
    return page.get_by_role("table")


def company_side(browser: Browser, base: str, app_version_key: str, vault: Vault,
                 mark: Mark) -> int:
    """Sign in, install, permit, new and existing projects; returns the active projects."""
    mark("company.step1")
    page = browser.new_context().new_page()
    login, password = _login(vault, "procore/company-admin")
    page.goto(base)  # signed out: Procore's login, then the company picker
    _procore_login(page, login, password)
    expect(page.get_by_role("link", name="Sign Out", exact=True)).to_be_visible()

    mark("company.install")
    with page.expect_navigation():
        action(page, COMPANY).click()
    tools = action(page, re.compile(r"^\s*Company Tools"))
    expect(holding(page, tools, page.get_by_text(COMPANY, exact=True))).to_be_visible()
    row = _app_management(page)
    if row.count() == 0:  # look first: never a second installation
        action(page, re.compile(r"^\s*Install App\b(?! from)")).click()
        action(page, "Install Custom App").click()
        dialog = holding(page, page.get_by_role("heading", name="Install Custom App", exact=True),
                         action(page, "Install"))
        field(dialog, re.compile(r"^\s*App Version ID")).fill(app_version_key)
        action(dialog, "Install").click()
        confirm = holding(
            page, page.get_by_role("heading", name="Confirm App Installation", exact=True),
            action(page, "Install"))
        expect(confirm).to_contain_text(f"You are about to install {APP} (")
        action(confirm, "Install").click()
        setup = holding(page, page.get_by_role("heading", name="App Setup", exact=True),
                        action(page, "Skip"))
        permit = holding(
            page, page.get_by_role("heading", name="Add Permitted Projects", exact=True),
            action(page, "Add"))
        expect(setup.or_(permit)).to_be_visible()
        if setup.is_visible():  # only apps with setup instructions have this step
            action(setup, "Skip").click()
        with page.expect_navigation():  # permitted in the next part, as the runbook does
            action(permit, "Skip").click()
        expect(row).to_be_visible()
    pattern = re.compile(rf"^{re.escape(APP)} \([^)]+\)")
    names = (pattern.match(name) for (name,) in column_values(_search_directory(page, APP),
                                                             "Name"))
    account = next(m.group(0) for m in names if m)

    mark("company.permitted")
    row = _app_management(page)
    with page.expect_navigation():
        action(row, "View").click()
    with page.expect_navigation():
        tab(page, "Permissions").click()
    section = holding(page, page.get_by_role("heading", name="Permitted Projects", exact=True),
                      page.get_by_role("combobox"))
    count = section.get_by_text(re.compile(r"^\s*[\d,]+ permitted projects"))
    expect(count).to_be_visible()
    before = count.inner_text().strip().split(" ")[0]
    section.get_by_role("combobox").click()
    listbox = section.get_by_role("listbox")
    select_all = listbox.get_by_role("option", name=re.compile(r"^Select All"))
    expect(select_all.or_(listbox.get_by_text("No projects found"))).to_be_visible()
    if select_all.is_visible():  # look first: "No projects found" when all are permitted
        select_all.click()
        with page.expect_navigation():
            action(section, "Add").click()
        expect(count).not_to_have_text(re.compile(rf"^{re.escape(before)} permitted"))

    mark("company.projects.new_projects")
    users = _search_directory(page, account)
    name = page.get_by_role("cell", name=re.compile(rf"^\s*{re.escape(account)}(\s|$)"))
    with page.expect_navigation():
        action(users.get_by_role("row").filter(has=name).first, "Edit").click()
    expect(page.get_by_role("heading", name=f"Edit {account}", exact=True)).to_be_visible()
    new_projects = page.get_by_role(
        "checkbox", name=f"Add {account} to all new projects in {COMPANY}", exact=True)
    if not new_projects.is_checked():  # look first
        new_projects.check()
        with page.expect_navigation():
            action(page, "Save").click()
        expect(new_projects).to_be_checked()

    mark("company.projects.existing")
    absent = holding(
        page, page.get_by_role("heading", name=f"Projects {account} Does Not Belong To",
                               exact=True),
        page.get_by_role("table"))
    if _missing(absent):  # look first: permitting the projects made the account a member
        action(absent, "Add All").click()
        with page.expect_navigation():  # OK reloads the page with the final tables
            action(page, "OK").click()
        with page.expect_navigation():
            action(page, "Save").click()
        if _missing(absent):
            raise AssertionError("Add All left projects out")
    current = holding(
        page, page.get_by_role("heading", name="Current Project Settings", exact=True),
        page.get_by_role("table")).get_by_text(re.compile(r"^\s*[\d,]+ projects")).inner_text()
    return int(re.sub(r"\D", "", current.split(" ")[0]) or 0)


def _missing(absent: Locator) -> int:
    text = absent.get_by_text(re.compile(r"^\s*[\d,]+ projects"))
    expect(text).to_be_visible()
    return int(re.sub(r"\D", "", text.inner_text().split(" ")[0]) or 0)


def verify(target: Target, client_id: str, secret: Secret) -> int:
    """A token with the captured credentials, then every project through REST."""
    api = ProcoreApi(target.url("login"), target.url("api"))
    token = api.token(client_id, secret)
    company = next(c for c in api.get_all("/rest/v1.0/companies", token)
                   if c.get("name") == COMPANY)
    company_id = int(company["id"])
    projects = api.get_all("/rest/v1.1/projects", token, company_id=company_id,
                           params={"company_id": company_id})
    return sum(1 for p in projects if p.get("active", True))


# -- the sync tool -----------------------------------------------------------------------------


def _listed(page: Page, heading: str) -> Locator:
    """The table in the block under ``heading`` (Procore Integrations, Connections)."""
    table = page.get_by_role("table")
    return holding(page, page.get_by_role("heading", name=heading, exact=True),
                   table).get_by_role("table")


def sync_tool(browser: Browser, base: str, client_id: str, secret: Secret, vault: Vault,
              mark: Mark) -> int:
    """Sign in, integration, connection, Start Sync; returns the projects it reads."""
    mark("sync.step1")
    page = browser.new_context().new_page()
    login, password = _login(vault, "sync-tool/login")
    page.goto(base)  # signed out: Sign In, then the dashboard
    sign_in = page.get_by_role("button", name="Sign In", exact=True)
    if sign_in.count():  # look first
        page.get_by_label("Email", exact=True).fill(login)
        page.get_by_label("Password", exact=True).fill(password)
        with page.expect_navigation():
            sign_in.click()
        expect(sign_in).to_have_count(0)

    mark("sync.step2")
    integrations = _listed(page, "Procore Integrations")
    expect(integrations).to_be_visible()
    row = integrations.get_by_role("row").filter(
        has=page.get_by_role("cell", name=INTEGRATION, exact=True))
    if row.count() == 0:  # look first: the integration of that name is reused
        with page.expect_navigation():
            action(page, "New Procore Integration").click()
        form = holding(
            page, page.get_by_role("heading", name="New Procore Integration", exact=True),
            action(page, "Save"))
        field(form, "Name").fill(INTEGRATION)
        field(form, "Environment", kind="combobox").select_option("Production")
        field(form, "Client ID").fill(client_id)
        field(form, "Client Secret", kind="password").fill(secret.reveal())
        with page.expect_navigation():
            action(form, "Save").click()
        expect(page.get_by_text(re.compile(r"^\s*Integration saved"))).to_be_visible()

    mark("sync.step3")
    connection = _listed(page, "Connections").get_by_role("row").filter(
        has=page.get_by_role("cell", name=INTEGRATION, exact=True)).filter(
        has=page.get_by_role("cell", name=COMPANY, exact=True))
    if connection.count():  # look first: the connection is reused
        with page.expect_navigation():
            action(connection, "Open").click()
    else:
        with page.expect_navigation():
            action(page, "New Connection").click()
        form = holding(page, page.get_by_role("heading", name="New Connection", exact=True),
                       action(page, "Save"))
        chosen = field(form, "Procore Integration", kind="combobox")
        if chosen.locator("option:checked").inner_text() != INTEGRATION:
            with page.expect_navigation():  # the form reloads with that integration's companies
                chosen.select_option(label=INTEGRATION)
        field(form, "Company", kind="combobox").select_option(label=COMPANY)
        with page.expect_navigation():
            action(form, "Save").click()
    start = action(page, "Start Sync")
    expect(start).to_be_visible()

    mark("sync.step4")
    with page.expect_navigation():
        start.click()
    result = page.get_by_text(re.compile(r"^\s*Sync complete"))
    expect(result).to_be_visible()
    found = re.search(r"([\d,]+) projects readable", result.inner_text())
    return int(found.group(1).replace(",", "")) if found else -1
