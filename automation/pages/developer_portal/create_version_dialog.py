"""The "Create New Version" dialog: version number, code snippets, builder, JSON editor."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, expect

from automation.pages.base import Site
from automation.pages.developer_portal.errors import VersionRefused
from automation.pages.developer_portal.permission_builder import PermissionBuilderDialog
from automation.pages.recovery import click_and_await_navigation
from automation.pages.visible import action, field, holding, words

__all__ = ["CreateVersionDialog", "client_credentials_instance", "next_version"]

Manifest = dict[str, Any]

#: How long Create waits for the page to reload before looking for a refusal instead.
_GRACE_MS = 5_000
#: Pastes tried before the copied snippet counts as missing (the copy reaches the clipboard
#: a moment after the click; the pasted text, not a toast, proves it arrived).
_PASTES = 5
#: The dialog's submit: "Create" in the classic dialog (procore-portal.md, 2025 docs); Procore's
#: late-2026 Quick Start Guide says "Create App" for the same step.
CREATE = words("Create", "Create App")


def client_credentials_instance(manifest: Manifest) -> dict[str, Any] | None:
    """The oauth instance whose grant type is client_credentials, if the manifest has one."""
    oauth = (manifest.get("components") or {}).get("oauth") or {}
    for instance in oauth.get("instances") or []:
        if isinstance(instance, dict) and instance.get("grant_type") == "client_credentials":
            return instance
    return None


def next_version(last: str | None) -> str:
    """1.0.0 first, then the next minor version: 1.3.2 -> 1.4.0."""
    if last is None:
        return "1.0.0"
    major, minor, _patch = (int(part) for part in last.split("."))
    return f"{major}.{minor + 1}.0"


def parse_snippet(text: str) -> dict[str, Any]:
    """A pasted snippet: ``"oauth": {...}`` (a fragment), or a whole JSON object."""
    text = text.strip().rstrip(",")
    for candidate in (text, "{" + text + "}"):
        try:
            value = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            components = value.get("components")
            return components if isinstance(components, dict) else value
    raise VersionRefused("the pasted code snippet is not JSON")


class CreateVersionDialog:
    def __init__(self, site: Site) -> None:
        self.site = site
        page = site.page
        # The modal: the block holding its heading and its Create button (dmsa-code-snippet.png).
        self.root = holding(
            page,
            page.get_by_role("heading", name="Create New Version", exact=True),
            action(page, CREATE),
        )
        self.version_number = field(self.root, re.compile(r"^\s*Enter Version Number"))
        self.last_version_text = self.root.get_by_text(re.compile(r"^\s*Last Version:"))
        self.editor = field(self.root, "App Manifest")
        self.open_builder = action(self.root, "Open Builder")
        self.create_button = action(self.root, CREATE)
        self.cancel_button = action(self.root, "Cancel")
        self.refusal = self.root.get_by_role("alert")

    def locators(self) -> dict[str, Locator]:
        """What the intents find on the open dialog, by name (for the drift probe)."""
        return {
            "dialog": self.root,
            "Enter Version Number": self.version_number,
            "Last Version": self.last_version_text,
            "App Manifest": self.editor,
            "Open Builder": self.open_builder,
            "Create": self.create_button,
            "Cancel": self.cancel_button,
        }

    def wait_open(self) -> CreateVersionDialog:
        expect(self.editor).not_to_have_value("")  # it opens with the last version's manifest
        return self

    def last_version(self) -> str | None:
        """The dialog's "Last Version: X" (None for an app without versions)."""
        text = self.last_version_text.inner_text().split(":", 1)[1].strip()
        return None if text in {"", "None"} else text

    def manifest(self) -> Manifest:
        value: Manifest = json.loads(self.editor.input_value())
        return value

    def set_manifest(self, manifest: Manifest) -> None:
        self.editor.fill(json.dumps(manifest, indent=2))

    def copy_snippet(self, component: str = "Data Connection") -> dict[str, Any]:
        """Copy Code Snippet, then paste it into the editor (as a person does) and read it.

        The editor's content is replaced by the snippet: read the manifest before and write
        the whole manifest back after (:meth:`use_client_credentials` does both).
        """
        page = self.site.page
        with contextlib.suppress(PlaywrightError):  # some browsers have no such permission
            page.context.grant_permissions(
                ["clipboard-read", "clipboard-write"], origin=self.site.base_url
            )
        # "Copy Code Snippet" under the component's caption (dmsa-code-snippet.png).
        copy = action(page, "Copy Code Snippet")
        box = holding(self.root, page.get_by_text(component, exact=True), copy)
        action(box, "Copy Code Snippet").click()
        for _attempt in range(_PASTES):
            self.editor.click()
            page.keyboard.press("ControlOrMeta+A")
            page.keyboard.press("ControlOrMeta+V")
            pasted = self.editor.input_value()
            if '"instances"' in pasted:
                return parse_snippet(pasted)
        raise VersionRefused(f"{component}: Copy Code Snippet put no snippet on the clipboard")

    def use_client_credentials(self, manifest: Manifest) -> Manifest:
        """The manifest with the Data Connection snippet as its oauth component, its grant
        type set to client_credentials (the seed's step), written into the editor."""
        snippet = self.copy_snippet("Data Connection")
        oauth = snippet.get("oauth")
        if not isinstance(oauth, dict) or not oauth.get("instances"):
            raise VersionRefused("the Data Connection snippet has no oauth instance")
        old = client_credentials_instance(manifest) or {}
        for instance in oauth["instances"]:
            instance["grant_type"] = "client_credentials"
            if old.get("permissions"):
                instance["permissions"] = old["permissions"]
        components = dict(manifest.get("components") or {})
        components["oauth"] = oauth
        updated = {**manifest, "components": components}
        self.set_manifest(updated)
        return updated

    def permission_builder(self) -> PermissionBuilderDialog:
        self.open_builder.click()
        return PermissionBuilderDialog(self.site).wait_open()

    def create(self, version: str) -> None:
        """Creates the version; ends on the reloaded app page listing it."""
        self.version_number.fill(version)
        # Created: the page reloads. Refused: the dialog says why, in place (the grace is
        # what a refusal costs; a slower creation falls through to the look below).
        click_and_await_navigation(self.site.page, self.create_button, within_ms=_GRACE_MS)
        # The reloaded page shows the Sandbox tab, the new version in its first row.
        listed = action(self.site.page, version)
        expect(self.refusal.or_(listed)).to_be_visible()
        if not listed.is_visible():
            raise VersionRefused(" ".join(self.refusal.all_inner_texts()).strip())
        self.site.page.wait_for_load_state()  # the page reloaded: its scripts run first

    def cancel(self) -> None:
        self.cancel_button.click()
        expect(self.root).to_be_hidden()
