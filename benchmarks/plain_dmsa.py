"""The DMSA procedure as a plain, hand-written Playwright script: the baseline of dmsa_bench.

No executor, no runbook, no page objects: the same clicks, fills and checks as the runbook
``runbooks/dmsa-credentials.yaml`` makes through the page objects, in the same order, located
by the same roles and labels, waiting only on web-first ``expect`` and on the navigations that
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
    existing = page.get_by_role("main").get_by_role("link", name=APP, exact=True)
    with page.expect_navigation():
        if existing.count():  # look first: the app of that name is reused, never doubled
            existing.first.click()
        else:
            page.get_by_role("button", name="Create a New App").click()
            dialog = page.get_by_role("dialog", name="Create New App")
            dialog.get_by_label("App Name").fill(APP)
            dialog.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("heading", name=APP, exact=True)).to_be_visible()

    mark("developer.oauth")
    version = _client_credentials_version(page)
    mark("developer.permissions")
    version = _permissions_version(page) or version
    mark("developer.promote")
    return _promote(page, version, vault)


def _open_create_version(page: Page) -> tuple[Locator, dict[str, Any], str | None]:
    manifests = page.get_by_role("region", name="Manage Manifests")
    manifests.get_by_role("button", name="Create New Version").click()
    dialog = page.get_by_role("dialog", name="Create New Version")
    editor = dialog.get_by_label("App Manifest", exact=True)
    expect(editor).not_to_have_value("")  # it opens with the last version's manifest
    last = dialog.get_by_text(re.compile(r"^\s*Last Version:")).inner_text()
    last_version = last.split(":", 1)[1].strip()
    manifest: dict[str, Any] = json.loads(editor.input_value())
    return dialog, manifest, None if last_version in {"", "None"} else last_version


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
    dialog.get_by_label(re.compile(r"^Enter Version Number")).fill(version)
    with page.expect_navigation():  # the new version's app page
        dialog.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("tabpanel", name="Sandbox")
           .get_by_role("link", name=version, exact=True)).to_be_visible()


def _cancel(dialog: Locator) -> None:
    dialog.get_by_role("button", name="Cancel", exact=True).click()
    expect(dialog).to_be_hidden()


def _client_credentials_version(page: Page) -> str | None:
    dialog, manifest, last = _open_create_version(page)
    if _client_credentials(manifest) is not None:  # look first: the last version has one
        _cancel(dialog)
        return last
    dialog.get_by_role("group", name="Data Connection", exact=True).get_by_role(
        "button", name="Copy Code Snippet").click()
    expect(page.get_by_role("status").filter(has_text=re.compile("copied", re.I))).to_be_visible()
    editor = dialog.get_by_label("App Manifest", exact=True)
    editor.click()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("ControlOrMeta+V")
    snippet = json.loads("{" + editor.input_value().strip().rstrip(",") + "}")
    for instance in snippet["oauth"]["instances"]:
        instance["grant_type"] = "client_credentials"
    manifest["components"] = {**(manifest.get("components") or {}), "oauth": snippet["oauth"]}
    editor.fill(json.dumps(manifest, indent=2))
    version = _next_version(last)
    _create(page, dialog, version)
    return version


def _permissions_version(page: Page) -> str | None:
    dialog, manifest, last = _open_create_version(page)
    instance = _client_credentials(manifest) or {}
    current = {level: dict((instance.get("permissions") or {}).get(level) or {})
               for level in ("company", "project")}
    if current == WANTED:  # look first: the last version has exactly these permissions
        _cancel(dialog)
        return last
    dialog.get_by_role("button", name="Open Builder", exact=True).click()
    builder = page.get_by_role("dialog", name="Permission Builder")
    for level, tab in (("company", "Company"), ("project", "Project")):
        if tab != "Company":  # the builder opens on the Company tab
            builder.get_by_role("tab", name=tab, exact=True).click()
        panel = builder.get_by_role("tabpanel", name=tab)
        for tool, value in TOOLS.items():
            if current[level].get(tool.lower()) != WANTED[level][tool.lower()]:
                panel.get_by_role("radio", name=f"{tool} {value}", exact=True).check()
    builder.get_by_role("button", name="Update Manifest", exact=True).click()
    expect(builder).to_be_hidden()
    written = _client_credentials(json.loads(
        dialog.get_by_label("App Manifest", exact=True).input_value())) or {}
    if written.get("permissions") != WANTED:
        raise AssertionError(f"Update Manifest wrote {written.get('permissions')}")
    version = _next_version(last)
    _create(page, dialog, version)
    return version


def _promote(page: Page, version: str | None, vault: Vault) -> tuple[str, str, Secret]:
    if version is None:
        raise AssertionError("the app has no sandbox version to promote")
    manifests = page.get_by_role("region", name="Manage Manifests")
    production = page.get_by_role("region", name="Production OAuth Credentials")
    if production.get_by_role("button", name="Reset client secret").count() == 0:
        # look first: not promoted yet, so this promotion shows the credentials, once
        row = manifests.get_by_role("tabpanel", name="Sandbox").get_by_role("row").filter(
            has=page.get_by_role("link", name=version, exact=True))
        row.get_by_role("button", name="Promote", exact=True).click()
        promote = page.get_by_role("dialog", name="Promote Manifest?")
        promote.get_by_label(re.compile(r"^Release Notes")).fill(RELEASE_NOTES)
        promote.get_by_role("button", name="Promote", exact=True).click()
        shown = page.get_by_role("dialog", name="Your Production Credentials")
        secret_box = shown.get_by_label("Client Secret", exact=True)
        expect(secret_box).not_to_have_value("")
        client_id = shown.get_by_label("Client ID", exact=True).input_value().strip()
        secret = Secret(secret_box.input_value().strip())
        store_credentials(vault, client_id, secret)  # before Close: it is never shown again
        with page.expect_navigation():  # Close reloads the app page after a first promotion
            shown.get_by_role("button", name="Close", exact=True).click()
    else:
        stored = vault.get(CREDENTIALS)  # the runbook stops when it is not there
        client_id, secret = stored["client_id"].reveal(), stored["client_secret"]
    manifests.get_by_role("tab", name="Production", exact=True).click()
    row = manifests.get_by_role("tabpanel", name="Production").get_by_role("row").filter(
        has=page.get_by_role("link", name=version, exact=True))
    key = row.get_by_role("textbox", name="App Version Key").input_value().strip()
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
    """Company Tools > tool (the menu is in every company page's header)."""
    page.get_by_role("button", name="Company Tools").click()
    with page.expect_navigation():
        page.get_by_role("menu", name="Company Tools").get_by_role(
            "menuitem", name=tool, exact=True).click()


def _app_management(page: Page) -> Locator:
    _tool(page, "Admin")
    with page.expect_navigation():
        page.get_by_role("navigation", name="Company Settings").get_by_role(
            "link", name="App Management").click()
    installed = page.get_by_role("table", name="Installed Apps")
    expect(installed).to_be_visible()
    return installed.get_by_role("row").filter(has=page.get_by_text(APP, exact=True))


def _directory_rows(page: Page, text: str) -> Locator:
    _tool(page, "Directory")
    page.get_by_role("searchbox", name="Search users").fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()
    return page.get_by_role("table", name="Users").get_by_role("row").filter(has_text=text)


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
        page.get_by_role("link", name=COMPANY, exact=True).click()
    expect(page.get_by_role("banner")).to_contain_text(COMPANY)
    row = _app_management(page)
    if row.count() == 0:  # look first: never a second installation
        page.get_by_role("button", name="Install App").click()
        page.get_by_role("menuitem", name="Install Custom App").click()
        dialog = page.get_by_role("dialog", name="Install Custom App")
        dialog.get_by_label("App Version ID").fill(app_version_key)
        dialog.get_by_role("button", name="Install", exact=True).click()
        confirm = page.get_by_role("dialog", name="Confirm App Installation")
        expect(confirm).to_contain_text(f"You are about to install {APP} (")
        confirm.get_by_role("button", name="Install", exact=True).click()
        setup = page.get_by_role("dialog", name="App Setup")
        permit = page.get_by_role("dialog", name="Add Permitted Projects")
        expect(setup.or_(permit)).to_be_visible()
        if setup.is_visible():  # only apps with setup instructions have this step
            setup.get_by_role("button", name="Skip").click()
        with page.expect_navigation():  # permitted in the next part, as the runbook does
            permit.get_by_role("button", name="Skip", exact=True).click()
        expect(row).to_be_visible()
    texts = _directory_rows(page, APP).all_inner_texts()
    found = (re.match(rf"^{re.escape(APP)} \([^)]+\)", t.strip()) for t in texts)
    account = next(m.group(0) for m in found if m)

    mark("company.permitted")
    row = _app_management(page)
    with page.expect_navigation():
        row.get_by_role("link", name=re.compile(r"^View")).click()
    with page.expect_navigation():
        page.get_by_role("tab", name="Permissions").click()
    section = page.get_by_role("region", name="Permitted Projects")
    count = section.get_by_role("status")
    expect(count).to_contain_text("permitted projects")
    before = count.inner_text().split(" ")[0]
    section.get_by_role("combobox", name="Select Projects").click()
    listbox = section.get_by_role("listbox")
    select_all = listbox.get_by_role("option", name=re.compile(r"^Select All"))
    expect(select_all.or_(listbox.get_by_text("No projects found"))).to_be_visible()
    if select_all.is_visible():  # look first: "No projects found" when all are permitted
        select_all.click()
        with page.expect_navigation():
            section.get_by_role("button", name="Add", exact=True).click()
        expect(count).not_to_have_text(re.compile(rf"^{re.escape(before)} permitted"))

    mark("company.projects.new_projects")
    rows = _directory_rows(page, account)
    with page.expect_navigation():
        rows.filter(has_text=re.compile(rf"^\s*{re.escape(account)}(\s|$)")).first.get_by_role(
            "link", name=re.compile(r"^Edit")).click()
    new_projects = page.get_by_role(
        "checkbox", name=f"Add {account} to all new projects in {COMPANY}", exact=True)
    if not new_projects.is_checked():  # look first
        new_projects.check()
        with page.expect_navigation():
            page.get_by_role("button", name="Save", exact=True).click()
        expect(new_projects).to_be_checked()

    mark("company.projects.existing")
    missing = _missing(page, account)
    if missing:  # look first: permitting the projects made the account a member of them
        absent = page.get_by_role("region", name=f"Projects {account} Does Not Belong To")
        absent.get_by_role("button", name="Add All", exact=True).click()
        with page.expect_navigation():  # OK reloads the page with the final tables
            page.get_by_role("status", name="Add All", exact=True).get_by_role(
                "button", name="OK", exact=True).click()
        with page.expect_navigation():
            page.get_by_role("button", name="Save", exact=True).click()
        if _missing(page, account):
            raise AssertionError("Add All left projects out")
    current = page.get_by_role("region", name="Current Project Settings").get_by_text(
        re.compile(r"^[\d,]+ projects")).inner_text()
    return int(re.sub(r"\D", "", current.split(" ")[0]) or 0) + missing


def _missing(page: Page, account: str) -> int:
    text = page.get_by_role("region", name=f"Projects {account} Does Not Belong To").get_by_text(
        re.compile(r"^[\d,]+ projects"))
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
    integrations = page.get_by_role("table", name="Procore Integrations")
    expect(integrations).to_be_visible()
    row = integrations.get_by_role("row").filter(
        has=page.get_by_role("cell", name=INTEGRATION, exact=True))
    if row.count() == 0:  # look first: the integration of that name is reused
        with page.expect_navigation():
            page.get_by_role("link", name="New Procore Integration").click()
        form = page.get_by_role("form", name="New Procore Integration")
        form.get_by_label("Name", exact=True).fill(INTEGRATION)
        form.get_by_label("Environment").select_option("Production")
        form.get_by_label("Client ID").fill(client_id)
        form.get_by_label("Client Secret").fill(secret.reveal())
        with page.expect_navigation():
            form.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_role("status").filter(has_text="Integration saved")).to_be_visible()

    mark("sync.step3")
    connection = page.get_by_role("table", name="Connections").get_by_role("row").filter(
        has=page.get_by_role("cell", name=INTEGRATION, exact=True)).filter(
        has=page.get_by_role("cell", name=COMPANY, exact=True))
    if connection.count():  # look first: the connection is reused
        with page.expect_navigation():
            connection.get_by_role("link", name=re.compile(r"^Open")).click()
    else:
        with page.expect_navigation():
            page.get_by_role("link", name="New Connection").click()
        form = page.get_by_role("form", name="New Connection")
        chosen = form.get_by_label("Procore Integration")
        if chosen.locator("option:checked").inner_text() != INTEGRATION:
            with page.expect_navigation():  # the form reloads with that integration's companies
                chosen.select_option(label=INTEGRATION)
        form.get_by_label("Company").select_option(label=COMPANY)
        with page.expect_navigation():
            form.get_by_role("button", name="Save", exact=True).click()
    start = page.get_by_role("button", name="Start Sync", exact=True)
    expect(start).to_be_visible()

    mark("sync.step4")
    with page.expect_navigation():
        start.click()
    result = page.get_by_role("status").filter(has_text="Sync complete")
    expect(result).to_be_visible()
    found = re.search(r"([\d,]+) projects readable", result.inner_text())
    return int(found.group(1).replace(",", "")) if found else -1
