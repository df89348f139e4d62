"""The Permission Builder dialog: None / Read-Only / Standard / Admin per tool, per level."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playwright.sync_api import Locator, expect

from automation.pages.base import Site
from automation.pages.developer_portal.errors import VersionRefused

__all__ = ["LEVELS", "PermissionBuilderDialog", "manifest_permissions", "tool_label"]

#: What a person picks (any case) -> what the manifest says; None is "no access" (omitted).
LEVELS: dict[str, str | None] = {
    "none": None,
    "read-only": "readonly",
    "read only": "readonly",
    "readonly": "readonly",
    "standard": "standard",
    "admin": "admin",
}
_LABELS = {None: "None", "readonly": "Read-Only", "standard": "Standard", "admin": "Admin"}
_TABS = {"company": "Company", "project": "Project"}

Permissions = dict[str, dict[str, str]]


def tool_key(tool: str) -> str:
    """``Daily Log`` or ``daily_log`` -> ``daily_log``, the manifest's key for the tool."""
    return tool.strip().lower().replace("-", "_").replace(" ", "_")


def tool_label(key: str) -> str:
    """``daily_log`` -> ``Daily Log``, the tool's row in the builder."""
    return " ".join(word.capitalize() for word in key.split("_"))


def manifest_permissions(company: Mapping[str, str], project: Mapping[str, str]) -> Permissions:
    """``{"Home": "Read-Only"}`` per level -> ``{"company": {"home": "readonly"}, ...}``."""
    result: Permissions = {"company": {}, "project": {}}
    for level, chosen in (("company", company), ("project", project)):
        for tool, wanted in chosen.items():
            try:
                value = LEVELS[wanted.strip().lower()]
            except KeyError:
                raise ValueError(
                    f"{level} tool {tool!r}: {wanted!r} is not None, Read-Only, Standard or Admin"
                ) from None
            key = tool_key(tool)
            if key == "admin" and value not in (None, "admin"):
                raise ValueError(f"{level} tool 'Admin' offers only None or Admin, not {wanted!r}")
            if value is not None:
                result[level][key] = value
    return result


def permissions_of(instance: Mapping[str, Any] | None) -> Permissions:
    """An oauth instance's permissions in the same shape (missing levels are empty)."""
    found = (instance or {}).get("permissions") or {}
    return {level: dict(found.get(level) or {}) for level in ("company", "project")}


class PermissionBuilderDialog:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.root = site.page.get_by_role("dialog", name="Permission Builder")
        self.update_button = self.root.get_by_role("button", name="Update Manifest", exact=True)
        self.cancel_button = self.root.get_by_role("button", name="Cancel", exact=True)
        self.refusal = self.root.get_by_role("alert")

    def wait_open(self) -> PermissionBuilderDialog:
        expect(self.root).to_be_visible()
        return self

    def panel(self, level: str) -> Locator:
        """Shows the Company or Project tab (unless it is shown) and returns its grid."""
        name = _TABS[level]
        panel = self.root.get_by_role("tabpanel", name=name)
        if not panel.is_visible():
            self.root.get_by_role("tab", name=name, exact=True).click()
            expect(panel).to_be_visible()
        return panel

    def choose(self, level: str, tool: str, value: str | None) -> None:
        """Checks the radio "<Tool> <Level>", e.g. "Documents Admin" on the Company tab."""
        radio = f"{tool_label(tool_key(tool))} {_LABELS[value]}"
        self.panel(level).get_by_role("radio", name=radio, exact=True).check()

    def apply(self, current: Permissions, wanted: Permissions) -> None:
        """Changes only the rows whose level differs: the grid opens showing ``current``."""
        for level in ("company", "project"):
            changed = [
                tool
                for tool in sorted(set(current[level]) | set(wanted[level]))
                if current[level].get(tool) != wanted[level].get(tool)
            ]
            if not changed:
                continue
            panel = self.panel(level)
            for tool in changed:
                radio = f"{tool_label(tool)} {_LABELS[wanted[level].get(tool)]}"
                panel.get_by_role("radio", name=radio, exact=True).check()

    def update_manifest(self) -> None:
        self.update_button.click()
        # The builder edits the JSON in the page: by the time the click returns it has either
        # closed or said why not.
        if self.refusal.count() > 0:
            raise VersionRefused(self.refusal.inner_text().strip())
        expect(self.root).to_be_hidden()

    def cancel(self) -> None:
        self.cancel_button.click()
        expect(self.root).to_be_hidden()
