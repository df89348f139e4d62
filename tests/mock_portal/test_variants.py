"""The DOM variants (automation/mock_portal/variants.py): each keeps everything a person sees on
the key screens of the three sites (a wording variant swaps only the synonyms Procore's
documents use), and takes away what it says it takes away.

One portal serves every case: the variants it serves are read per request.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from automation.mock_portal.procore.apps import install_app
from automation.mock_portal.server import MockPortal
from automation.mock_portal.state import SyncConnection, SyncIntegration, seed_promoted_app
from automation.mock_portal.variants import ALL, VARIANTS, parse_variants
from automation.pages.base import Site
from automation.pages.sync_tool import SyncSignIn
from automation.secret import Secret
from automation.testing.procore_login import log_in_by_hand

pytestmark = pytest.mark.browser

DEVELOPER = ("consultant@example.com", "Portal-Pass-2026!")
ADMIN = ("admin@example.com", "Procore-Pass-2026!")
SYNC_USER = ("consultant@example.com", Secret("Sync-Pass-2026!", source="test:sync"))

#: The synonyms `other_wording` uses, each from one of Procore's documents (variants.js);
#: "Create" becomes "Create App" on the Developer Portal only.
SYNONYMS = {
    "Sandbox OAuth Credentials": "Sandbox Credentials",
    "Production OAuth Credentials": "Production Credentials",
    "Read-Only": "Read-only",
}
DEVELOPER_SYNONYMS = {**SYNONYMS, "Create": "Create App"}

#: What each variant takes away, counted on a screen (all zero once it has acted).
_HELP_JS = """() => {
  const plain = ["region", "group", "tabpanel", "tablist", "tab", "search", "banner", "form",
                 "navigation", "menu", "menuitem"];
  const all = (selector) => Array.from(document.querySelectorAll(selector));
  return {
    no_aria_label: all("[aria-label]").length,
    no_labelledby: all("[aria-labelledby]").length,
    plain_roles: all("[role]").filter((el) => plain.includes(el.getAttribute("role"))).length,
    captions_not_labels: all("label[for]").length,
    // links styled as buttons, and plain (text-styled) buttons ("button plain")
    swapped_elements: all("a[href].btn:not(.plain), a[href].button:not(.plain), "
                          + "button.plain[type=button]").length,
    wrapped_controls: all("button, a[href]").filter((control) => {
      const outer = control.parentElement && control.parentElement.parentElement;
      return !(outer && outer.classList.contains("variant-wrap"));
    }).length,
  };
}"""
_HEADERS_JS = """() => Array.from(document.querySelectorAll("table"))
  .filter((table) => table.rows.length > 0)
  .map((table) => Array.from(table.rows[0].cells, (cell) => cell.textContent.trim()))"""


def signed_in(browser: Browser, portal: MockPortal, who: str) -> Any:
    """A session's storage: the developer (Developer Portal and sync tool) or the company
    administrator (company web app), each through Procore's login (one login per browser)."""
    target = portal.target()
    context = browser.new_context()
    page = context.new_page()
    if who == "developer":
        page.goto(target.url("developer_portal") + "/apps")
        log_in_by_hand(page, *DEVELOPER)
        SyncSignIn(Site(page, target.url("sync_tool"))).sign_in(*SYNC_USER)
    else:
        page.goto(target.url("procore") + "/")
        log_in_by_hand(page, *ADMIN)
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture(scope="module")
def portal() -> Iterator[MockPortal]:
    with MockPortal(ui="classic") as running:  # the classic generation: its toast is known
        yield running


@pytest.fixture(scope="module")
def screens(portal: MockPortal) -> dict[str, str]:
    """The key screens of each site, by name -> address, with something on each to read."""
    state = portal.state
    with state.lock:
        app, version, _secret = seed_promoted_app(
            state, "Variant App", permissions={"company": {"home": "readonly"}}
        )
        installation = install_app(state, state.companies[8089], version.production_key or "")
        integration = SyncIntegration(1, "Variant Sync", "Production", "c" * 64, DEVELOPER[0])
        state.sync_integrations[integration.id] = integration
        state.sync_connections[1] = SyncConnection(1, integration.id, 8089, 37)
    account = installation.service_account_id
    base = portal.base_url
    return {
        "developer my apps": f"{base}/developers/apps",
        "developer app page": f"{base}/developers/apps/{app.id}",
        "app management": f"{base}/app/8089/company/admin/app_management",
        "app permissions": (
            f"{base}/app/8089/company/admin/app_management/{installation.id}?tab=permissions"
        ),
        "directory": f"{base}/app/8089/company/directory",
        "user edit": f"{base}/app/8089/company/directory/users/{account}/edit",
        "sync dashboard": f"{base}/sync/",
        "new integration": f"{base}/sync/integrations/new",
    }


@pytest.fixture(scope="module")
def storage(browser: Browser, portal: MockPortal) -> dict[str, Any]:
    """Signed-in sessions to open each variant's pages with, by who may see the screen."""
    return {who: signed_in(browser, portal, who) for who in ("developer", "admin")}


def who_sees(screen: str) -> str:
    company = ("app management", "app permissions", "directory", "user edit")
    return "admin" if screen in company else "developer"


def cells(text: str) -> list[str]:
    """What a person reads, line by line and cell by cell (a table's cells are tab-separated
    in ``innerText``), whitespace aside."""
    found = []
    for line in text.splitlines():
        found += [" ".join(cell.split()) for cell in line.split("\t") if cell.strip()]
    return found


class Seen:
    """What one screen shows: its texts, what help it carries, its tables' headers."""

    def __init__(self, page: Page, address: str) -> None:
        page.goto(address)
        expect(page.get_by_role("heading").first).to_be_visible()
        self.texts = cells(page.evaluate("document.body.innerText"))
        self.help: dict[str, int] = page.evaluate(_HELP_JS)
        self.headers: list[list[str]] = page.evaluate(_HEADERS_JS)


def seen(browser: Browser, portal: MockPortal, storage: dict[str, Any],
         screens: dict[str, str], variants: tuple[str, ...]) -> dict[str, Seen]:
    portal.app.config["PORTAL_VARIANTS"] = variants
    found: dict[str, Seen] = {}
    try:
        for who, state in storage.items():
            context = browser.new_context(storage_state=state)
            page = context.new_page()
            for name, address in screens.items():
                if who_sees(name) == who:
                    found[name] = Seen(page, address)
            context.close()
    finally:
        portal.app.config["PORTAL_VARIANTS"] = ()
    return {name: found[name] for name in screens}


@pytest.fixture(scope="module")
def plain(browser: Browser, portal: MockPortal, storage: dict[str, Any],
          screens: dict[str, str]) -> dict[str, Seen]:
    """The screens without any variant."""
    return seen(browser, portal, storage, screens, ())


@pytest.fixture(params=[*VARIANTS, ALL])
def variant(request: pytest.FixtureRequest) -> tuple[str, ...]:
    return parse_variants(str(request.param))


@pytest.fixture
def varied(browser: Browser, portal: MockPortal, storage: dict[str, Any], screens: dict[str, str],
           variant: tuple[str, ...]) -> dict[str, Seen]:
    return seen(browser, portal, storage, screens, variant)


def reworded(texts: list[str], synonyms: dict[str, str]) -> list[str]:
    return [synonyms.get(text, text) for text in texts]


class TestEachVariantKeepsWhatAPersonSees:
    """Every variant shows the same texts on every key screen; other_wording swaps only the
    documented synonyms; reordered_columns only reorders cells within their rows."""

    def test_same_texts(self, plain: dict[str, Seen], varied: dict[str, Seen],
                        variant: tuple[str, ...]) -> None:
        # The screens are the signed-in ones, showing what was seeded.
        for name in ("developer app page", "app management", "app permissions"):
            assert "Variant App" in plain[name].texts, name
        assert "Variant Sync" in plain["sync dashboard"].texts
        swapped = 0
        for name, before in plain.items():
            expected = before.texts
            if "other_wording" in variant:
                synonyms = DEVELOPER_SYNONYMS if name.startswith("developer") else SYNONYMS
                expected = reworded(expected, synonyms)
                swapped += expected != before.texts
            after = varied[name].texts
            if "reordered_columns" in variant:
                assert Counter(after) == Counter(expected), name
            else:
                assert after == expected, name
        if "other_wording" in variant:
            assert swapped, "no screen showed a wording the variant swaps"


class TestEachVariantTakesAwayWhatItSays:
    """Each variant's help is present without it and gone with it, on every key screen."""

    def test_help_removed(self, plain: dict[str, Seen], varied: dict[str, Seen],
                         variant: tuple[str, ...]) -> None:
        for kind in set(variant) & set(plain["directory"].help):
            assert sum(s.help[kind] for s in plain.values()) > 0, kind
            assert {n: s.help[kind] for n, s in varied.items()} == dict.fromkeys(plain, 0), kind

    def test_columns_reordered(self, plain: dict[str, Seen], varied: dict[str, Seen],
                               variant: tuple[str, ...]) -> None:
        for name, before in plain.items():
            if "reordered_columns" in variant:
                expected = [h[:1] + h[:0:-1] for h in before.headers]
            else:
                expected = before.headers
            if "other_wording" in variant:
                expected = [reworded(h, SYNONYMS) for h in expected]
            assert varied[name].headers == expected, name
        assert any(len(h) > 2 for s in plain.values() for h in s.headers)

    def test_toast(self, browser: Browser, portal: MockPortal, storage: dict[str, Any],
                   screens: dict[str, str], variant: tuple[str, ...]) -> None:
        portal.app.config["PORTAL_VARIANTS"] = variant
        context = browser.new_context(storage_state=storage["developer"])
        try:
            page = context.new_page()
            page.goto(screens["developer app page"])
            page.evaluate("window.portal.toast('Code snippet copied')")
            toast = page.get_by_text("Code snippet copied")
            if "no_toast" in variant:
                expect(toast).to_be_hidden()
            else:
                expect(toast).to_be_visible()
        finally:
            context.close()
            portal.app.config["PORTAL_VARIANTS"] = ()
