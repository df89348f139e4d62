"""Every Developer Portal flow of the seed, with plain Playwright, checked through
``/__mock__/state`` and through the OAuth/REST API (no page objects here)."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from automation.mock_portal.procore.apps import install_app
from automation.mock_portal.server import MockPortal
from automation.pages.visible import column_index, column_values, holding
from automation.testing.procore_login import log_in_by_hand

PASSWORD = "Portal-Pass-2026!"  # the seed accounts' test password (the mock seed default.json)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_portal")]


def grid_radio(grid: Locator, tool: str, level: str) -> Locator:
    """The radio in the ``level`` column of the row whose first cell reads ``tool``."""
    expect(grid.get_by_role("columnheader").first).to_be_visible()  # the builder is open
    headers = grid.get_by_role("columnheader").all_inner_texts()
    row = grid.get_by_role("row").filter(
        has=grid.page.get_by_role("rowheader", name=tool, exact=True)
    )
    return row.get_by_role("cell").nth(column_index(headers, level) - 1).get_by_role("radio")


def data_connection(page: Page, dialog: Locator) -> Locator:
    """The Copy Code Snippet button under the "Data Connection" caption."""
    copy = page.get_by_role("button", name="Copy Code Snippet")
    box = holding(dialog, page.get_by_text("Data Connection", exact=True), copy)
    return box.get_by_role("button", name="Copy Code Snippet")


@pytest.fixture(scope="module")
def developer_ui() -> str:
    return "classic"  # this module is about the classic manifest editor


def mock_state(portal: MockPortal) -> dict[str, Any]:
    request = urllib.request.Request(
        portal.base_url + "/__mock__/state", headers=portal.admin_headers()
    )
    with urllib.request.urlopen(request) as reply:
        state: dict[str, Any] = json.load(reply)
    return state


def token_reply(portal: MockPortal, client_id: str, secret: str) -> tuple[int, dict[str, Any]]:
    body = urllib.parse.urlencode(
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    ).encode()
    try:
        with urllib.request.urlopen(portal.base_url + "/oauth/token", body) as reply:
            return reply.status, json.load(reply)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def signed_in(page: Page, portal: MockPortal) -> Page:
    page.goto(portal.base_url + "/developers/sign_in")
    log_in_by_hand(page, "consultant@example.com", PASSWORD)
    expect(page.get_by_role("heading", name="My Apps")).to_be_visible()
    return page


def create_app(page: Page, name: str) -> None:
    page.get_by_role("button", name="Create a New App").click()
    dialog = page.get_by_role("dialog", name="Create New App")
    dialog.get_by_label("App Name").fill(name)
    dialog.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def open_new_version(page: Page) -> Locator:
    page.get_by_role("button", name="Create New Version").click()
    dialog = page.get_by_role("dialog", name="Create New Version")
    expect(dialog).to_be_visible()
    return dialog


def paste_client_credentials_snippet(page: Page, dialog: Locator) -> None:
    """What the seed says a person does: copy the snippet, paste it into the components."""
    editor = dialog.get_by_label("App Manifest")
    manifest = json.loads(editor.input_value())
    data_connection(page, dialog).click()
    expect(page.get_by_role("status").filter(has_text="copied")).to_be_visible()
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Control+V")
    snippet = json.loads("{" + editor.input_value() + "}")
    snippet["oauth"]["instances"][0]["grant_type"] = "client_credentials"
    manifest["components"] = snippet
    editor.fill(json.dumps(manifest, indent=2))


def create_version(page: Page, version: str, permissions: dict[str, str] | None = None) -> None:
    dialog = open_new_version(page)
    dialog.get_by_label("Enter Version Number").fill(version)
    editor_text = dialog.get_by_label("App Manifest").input_value()
    if "client_credentials" not in editor_text:
        paste_client_credentials_snippet(page, dialog)
    if permissions:
        dialog.get_by_role("button", name="Open Builder").click()
        builder = page.get_by_role("dialog", name="Permission Builder")
        for tab in ("Company", "Project"):
            builder.get_by_role("button", name=tab, exact=True).click()
            panel = builder.get_by_role("table")
            for tool, level in permissions.items():
                grid_radio(panel, tool, level).check()
        builder.get_by_role("button", name="Update Manifest").click()
        expect(builder).to_be_hidden()
    dialog.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("link", name=version, exact=True)).to_be_visible()


def promote(page: Page, version: str, notes: str = "First production version") -> None:
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=version, exact=True))
    row.get_by_role("button", name="Promote").click()
    dialog = page.get_by_role("dialog", name="Promote Manifest?")
    dialog.get_by_label("Release Notes").fill(notes)
    dialog.get_by_role("button", name="Promote", exact=True).click()
    expect(dialog).to_be_hidden()


def read_credentials(page: Page) -> tuple[str, str]:
    dialog = page.get_by_role("dialog", name="Your Production Credentials")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_text("only shown here")).to_be_visible()
    return (
        dialog.get_by_label("Client ID").input_value(),
        dialog.get_by_label("Client Secret").input_value(),
    )


def close_credentials(page: Page) -> None:
    dialog = page.get_by_role("dialog", name="Your Production Credentials")
    dialog.get_by_role("button", name="Close", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Reset client secret")).to_be_visible()


class TestCreateApp:
    """Create a New App asks for a name, creates the app and opens its page."""

    def test_create(self, page: Page, portal: MockPortal) -> None:
        signed_in(page, portal)
        expect(page.get_by_text("You have no apps yet")).to_be_visible()
        create_app(page, "Procore DMSA App")
        sandbox = holding(
            page,
            page.get_by_role("heading", name="Sandbox OAuth Credentials"),
            page.get_by_text("Client ID"),
        )
        client_id = sandbox.get_by_label("Client ID").input_value()
        assert re.fullmatch(r"[0-9a-f]{64}", client_id)
        assert set(sandbox.get_by_label("Client Secret").input_value()) == {"•"}
        expect(sandbox.get_by_label("Sandbox URL")).to_have_value(re.compile(r"/company/home$"))
        state = mock_state(portal)
        assert [(a["name"], a["sandbox_client_id"]) for a in state["apps"]] == [
            ("Procore DMSA App", client_id)
        ]
        page.get_by_role("link", name="My Apps").first.click()
        expect(page.get_by_role("link", name="Procore DMSA App")).to_be_visible()

    def test_cancel_and_required_name(self, page: Page, portal: MockPortal) -> None:
        signed_in(page, portal)
        page.get_by_role("button", name="Create a New App").click()
        dialog = page.get_by_role("dialog", name="Create New App")
        dialog.get_by_role("button", name="Cancel").click()
        expect(dialog).to_be_hidden()
        page.get_by_role("button", name="Create a New App").click()
        dialog.get_by_role("button", name="Create", exact=True).click()  # empty: browser refuses
        expect(dialog).to_be_visible()
        assert mock_state(portal)["apps"] == []


class TestCreateVersion:
    """Create New Version validates semver and JSON as you type; snippets reach the editor."""

    def test_snippet_by_clipboard_and_paste(self, page: Page, portal: MockPortal) -> None:
        signed_in(page, portal)
        create_app(page, "Snippet App")
        expect(page.get_by_role("row")).to_have_count(1)  # header only: no versions yet
        dialog = open_new_version(page)
        expect(dialog.get_by_text("Last Version: None")).to_be_visible()
        dialog.get_by_label("Enter Version Number").fill("1.0.0")
        paste_client_credentials_snippet(page, dialog)
        dialog.get_by_role("button", name="Create", exact=True).click()
        expect(page.get_by_role("link", name="1.0.0", exact=True)).to_be_visible()
        ((key,),) = column_values(page.get_by_role("table"), "App Version Key")
        assert UUID.match(key)
        (app,) = mock_state(portal)["apps"]
        (version,) = app["versions"]
        assert version["semver"] == "1.0.0" and version["sandbox_key"] == key
        (instance,) = version["manifest"]["components"]["oauth"]["instances"]
        assert instance["grant_type"] == "client_credentials"
        assert UUID.match(instance["uuid"]) and re.fullmatch(r"[0-9a-f]{64}", instance["uid"])

    def test_clipboard_api_when_permitted(
        self, context: BrowserContext, portal: MockPortal
    ) -> None:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=portal.base_url)
        page = signed_in(context.new_page(), portal)
        create_app(page, "Clipboard App")
        dialog = open_new_version(page)
        holding(
            dialog,
            page.get_by_text("Embedded", exact=True),
            page.get_by_role("button", name="Copy Code Snippet"),
        ).get_by_role("button", name="Copy Code Snippet").click()
        expect(page.get_by_role("status").filter(has_text="copied")).to_be_visible()
        pasted = page.evaluate("navigator.clipboard.readText()")
        (instance,) = json.loads("{" + pasted + "}")["iframe"]["instances"]
        assert UUID.match(instance["uuid"])

    def test_validation_as_you_type(self, page: Page, portal: MockPortal) -> None:
        signed_in(page, portal)
        create_app(page, "Validation App")
        dialog = open_new_version(page)
        status = dialog.get_by_role("status")
        expect(status).to_have_text("Manifest is valid.")
        editor = dialog.get_by_label("App Manifest")
        editor.press("End")
        editor.press_sequentially("oops")
        expect(status).to_contain_text("Invalid JSON")
        expect(editor).to_have_attribute("aria-invalid", "true")
        editor.fill('{"schema_version": "2"}')
        expect(status).to_have_text('schema_version must be "3".')
        version = dialog.get_by_label("Enter Version Number")
        version.fill("1.0")
        expect(dialog.get_by_text("Use semantic format major.minor.patch, e.g.")).to_be_visible()
        dialog.get_by_role("button", name="Create", exact=True).click()
        expect(dialog.get_by_role("alert")).to_contain_text("schema_version")
        assert mock_state(portal)["apps"][0]["versions"] == []

    def test_server_checks_too(self, page: Page, portal: MockPortal) -> None:
        signed_in(page, portal)
        create_app(page, "Server Check App")
        create_version(page, "1.2.0")
        dialog = open_new_version(page)
        expect(dialog.get_by_text("Last Version: 1.2.0")).to_be_visible()
        assert "client_credentials" in dialog.get_by_label("App Manifest").input_value()
        url = page.url + "/versions"
        result = page.evaluate(
            """async ([url, manifest]) => {
                const r = await fetch(url, {method: "POST",
                    headers: {"Content-Type": "application/json", "X-CSRF-Token":
                        document.querySelector('meta[name="csrf-token"]').content},
                    body: JSON.stringify({version: "1.1.9", manifest: manifest})});
                return [r.status, await r.json()];
            }""",
            [url, '{"schema_version": "3", "components": {"oauth": {"instances": [{}]}}}'],
        )
        assert result[0] == 422
        problems = " ".join(result[1]["errors"])
        assert "greater than the last version, 1.2.0" in problems
        assert "uuid and uid" in problems and "grant_type" in problems


class TestPermissionBuilder:
    """The builder's radio grid writes readonly/standard/admin into the oauth instance."""

    def test_grid_and_injection(self, page: Page, portal: MockPortal) -> None:
        signed_in(page, portal)
        create_app(page, "Builder App")
        dialog = open_new_version(page)
        dialog.get_by_label("Enter Version Number").fill("1.0.0")
        paste_client_credentials_snippet(page, dialog)
        dialog.get_by_role("button", name="Open Builder").click()
        builder = page.get_by_role("dialog", name="Permission Builder")
        intro = "Select the level of permission for the tools your app needs."
        expect(builder.get_by_text(intro)).to_be_visible()
        company = builder.get_by_role("table")
        expect(grid_radio(company, "Admin", "Read-Only")).to_be_disabled()
        expect(grid_radio(company, "Admin", "Standard")).to_be_disabled()
        expect(company.get_by_role("rowheader")).to_have_count(17)
        for tool, level in {"Admin": "Admin", "Documents": "Read-Only", "Home": "Standard"}.items():
            grid_radio(company, tool, level).check()
        builder.get_by_role("button", name="Project", exact=True).click()
        project = builder.get_by_role("table")
        expect(project.get_by_role("rowheader")).to_have_count(8)
        grid_radio(project, "Daily Log", "Standard").check()
        builder.get_by_role("button", name="Update Manifest").click()
        expect(builder).to_be_hidden()
        manifest = json.loads(dialog.get_by_label("App Manifest").input_value())
        (instance,) = manifest["components"]["oauth"]["instances"]
        assert instance["permissions"] == {
            "company": {"admin": "admin", "documents": "readonly", "home": "standard"},
            "project": {"daily_log": "standard"},
        }
        dialog.get_by_role("button", name="Open Builder").click()  # reopens with those choices
        builder.get_by_role("button", name="Company", exact=True).click()
        expect(grid_radio(builder.get_by_role("table"), "Documents", "Read-Only")).to_be_checked()
        builder.get_by_role("button", name="Cancel").click()
        dialog.get_by_role("button", name="Create", exact=True).click()
        expect(page.get_by_role("link", name="1.0.0", exact=True)).to_be_visible()
        stored = mock_state(portal)["apps"][0]["versions"][0]["manifest"]
        assert stored["components"]["oauth"]["instances"][0]["permissions"]["project"] == {
            "daily_log": "standard"
        }

    def test_needs_an_oauth_component(self, page: Page, portal: MockPortal) -> None:
        signed_in(page, portal)
        create_app(page, "No OAuth App")
        dialog = open_new_version(page)
        dialog.get_by_role("button", name="Open Builder").click()
        builder = page.get_by_role("dialog", name="Permission Builder")
        builder.get_by_role("button", name="Update Manifest").click()
        expect(builder.get_by_role("alert")).to_contain_text("Add an OAuth component first")


class TestPromotion:
    """First promotion shows the production credentials once; they work at /oauth/token."""

    def test_first_promotion(self, page: Page, portal: MockPortal) -> None:
        signed_in(page, portal)
        create_app(page, "Promoted App")
        create_version(page, "1.0.0", {"Directory": "Admin"})
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name="1.0.0"))
        row.get_by_role("button", name="Promote").click()
        dialog = page.get_by_role("dialog", name="Promote Manifest?")
        expect(dialog).to_contain_text("enable it to be installed to Procore production accounts")
        dialog.get_by_role("button", name="Promote", exact=True).click()
        expect(dialog.get_by_role("alert")).to_have_text("Release Notes is required.")
        dialog.get_by_label("Release Notes").fill("First production version")
        dialog.get_by_role("button", name="Promote", exact=True).click()
        client_id, secret = read_credentials(page)
        assert re.fullmatch(r"[0-9a-f]{64}", client_id) and len(secret) == 64
        (app,) = mock_state(portal)["apps"]
        assert app["production_client_id"] == client_id and secret not in json.dumps(app)
        status, body = token_reply(portal, client_id, secret)
        assert status == 200 and body["token_type"] == "bearer"
        close_credentials(page)
        production = holding(
            page,
            page.get_by_role("heading", name="Production OAuth Credentials"),
            page.get_by_text("Client ID"),
        )
        expect(production.get_by_label("Client ID")).to_have_value(client_id)
        assert secret not in page.content()
        page.get_by_role("button", name="Production", exact=True).click()
        ((key,),) = column_values(page.get_by_role("table"), "App Version Key")
        assert UUID.match(key)
        assert key == mock_state(portal)["apps"][0]["versions"][0]["production_key"]

    def test_second_promotion_shows_no_credentials(self, page: Page, portal: MockPortal) -> None:
        signed_in(page, portal)
        create_app(page, "Twice Promoted App")
        create_version(page, "1.0.0")
        promote(page, "1.0.0")
        read_credentials(page)
        close_credentials(page)
        create_version(page, "1.1.0")
        promote(page, "1.1.0", "Second")
        page.get_by_role("button", name="Production", exact=True).click()
        panel = holding(
            page,
            page.get_by_role("heading", name="Manage Manifests"),
            page.get_by_role("table"),
        )
        expect(panel.get_by_role("link", name="1.1.0")).to_be_visible()
        expect(page.get_by_role("dialog", name="Your Production Credentials")).to_be_hidden()
        panel.get_by_role("button", name="Show Old Versions").click()
        expect(panel.get_by_role("link", name="1.0.0")).to_be_visible()
        expect(panel.get_by_role("button", name="Hide Old Versions")).to_be_visible()
        versions = mock_state(portal)["apps"][0]["versions"]
        assert [v["release_notes"] for v in versions] == ["First production version", "Second"]

    def test_secret_cannot_be_seen_again(self, page: Page, portal: MockPortal) -> None:
        signed_in(page, portal)
        create_app(page, "One Look App")
        create_version(page, "1.0.0")
        app_url = page.url
        promote(page, "1.0.0")
        _, secret = read_credentials(page)
        page.goto(portal.base_url + "/developers/apps")  # leave with the dialog still open
        page.go_back()
        expect(page.get_by_role("heading", name="One Look App")).to_be_visible()
        assert secret not in page.content()
        page.reload()
        assert secret not in page.content()
        page.goto(app_url)
        assert secret not in page.content()
        serializer = portal.app.session_interface.get_signing_serializer(portal.app)  # type: ignore[attr-defined]
        for cookie in page.context.cookies():
            assert secret not in json.dumps(serializer.loads(cookie["value"]))
        assert secret not in json.dumps(mock_state(portal))


class TestResetClientSecret:
    """Reset shows a new secret once; the old one and its tokens stop working."""

    def test_reset(self, page: Page, portal: MockPortal) -> None:
        signed_in(page, portal)
        create_app(page, "Reset App")
        create_version(page, "1.0.0", {"Directory": "Admin"})
        promote(page, "1.0.0")
        client_id, old_secret = read_credentials(page)
        close_credentials(page)
        with portal.state.lock:
            app = next(iter(portal.state.apps.values()))
            install_app(
                portal.state, portal.state.companies[8089], str(app.versions[0].production_key)
            )
        _, old_token = token_reply(portal, client_id, old_secret)
        page.get_by_role("button", name="Reset client secret").click()
        confirm = page.get_by_role("dialog", name="Reset Client Secret?")
        confirm.get_by_role("button", name="Reset", exact=True).click()
        new_id, new_secret = read_credentials(page)
        assert new_id == client_id and new_secret != old_secret
        status, body = token_reply(portal, client_id, old_secret)
        assert (status, body["error"]) == (401, "invalid_client")
        status, _ = token_reply(portal, client_id, new_secret)
        assert status == 200
        request = urllib.request.Request(
            portal.base_url + "/rest/v1.0/me",
            headers={
                "Authorization": f"Bearer {old_token['access_token']}",
                "Procore-Company-Id": "8089",
            },
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)
        assert refused.value.code == 401
        close_credentials(page)
        assert new_secret not in page.content()


class TestSessionExpiredMidDialog:
    """A dialog action after the session ended goes to Sign In and back to the page."""

    def test_promote_after_sign_out(self, page: Page, portal: MockPortal) -> None:
        signed_in(page, portal)
        create_app(page, "Expired App")
        create_version(page, "1.0.0")
        app_path = urllib.parse.urlsplit(page.url).path
        page.context.clear_cookies()
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name="1.0.0"))
        row.get_by_role("button", name="Promote").click()
        dialog = page.get_by_role("dialog", name="Promote Manifest?")
        dialog.get_by_label("Release Notes").fill("Notes")
        dialog.get_by_role("button", name="Promote", exact=True).click()
        expect(page.get_by_role("button", name="Continue")).to_be_visible()  # Procore's login
        (back,) = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["return_to"]
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(back).query)["next"] == [app_path]
        assert mock_state(portal)["apps"][0]["versions"][0]["production_key"] is None
