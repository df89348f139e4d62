"""The Permission Builder dialog: None / Read-Only / Standard / Admin per tool, per level."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playwright.sync_api import Locator, expect

from automation.pages.base import Site
from automation.pages.developer_portal.errors import VersionRefused
from automation.pages.visible import action, column_index, holding, tab

__all__ = [
    "LEVELS",
    "PermissionBuilderDialog",
    "changed_tools",
    "manifest_permissions",
    "tool_label",
]

#: What a person picks (any case) -> what the manifest says; None is "no access" (omitted).
LEVELS: dict[str, str | None] = {
    "none": None,
    "read-only": "readonly",
    "read only": "readonly",
    "readonly": "readonly",
    "standard": "standard",
    "admin": "admin",
}
#: The grid's column headers. The classic builder says "Read-Only" (dmsa-perms-builder.png), the
#: form-based one "Read-only" (form-based-manifest-dmsa-perms-builder.png): column_index()
#: reads either.
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


def changed_tools(current: Permissions, wanted: Permissions) -> dict[str, list[str]]:
    """Per level (company, project), the tools whose level ``wanted`` changes."""
    return {
        level: [
            tool
            for tool in sorted(set(current[level]) | set(wanted[level]))
            if current[level].get(tool) != wanted[level].get(tool)
        ]
        for level in _TABS
    }


#: The grid as a person reads it: each row's first cell -> the header of its checked column.
_CHOSEN_JS = """(table) => {
  const rows = Array.from(table.rows);
  const head = rows.find((row) => Array.from(row.cells).every((cell) => cell.tagName === "TH"));
  if (!head) return {};
  const names = Array.from(head.cells, (cell) => cell.textContent.trim());
  const chosen = {};
  for (const row of rows) {
    if (row === head || !row.cells.length) continue;
    const at = Array.from(row.cells).findIndex((cell) => {
      const radio = cell.querySelector("input[type=radio]");
      return radio && radio.checked;
    });
    chosen[row.cells[0].textContent.trim()] = at >= 0 ? names[at] : "";
  }
  return chosen;
}"""


def _norm(text: str) -> str:
    """Header texts compared as a person would: "Read-Only" is "Read-only"."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


class PermissionBuilderDialog:
    """The grid a person reads: a tool's row (its first cell reads the tool), a level's column
    (its header reads the level); the radio where they cross (dmsa-perms-builder.png)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        page = site.page
        self.root = holding(
            page,
            page.get_by_role("heading", name="Permission Builder", exact=True),
            action(page, "Update Manifest"),
        )
        self.update_button = action(self.root, "Update Manifest")
        self.cancel_button = action(self.root, "Cancel")
        self.refusal = self.root.get_by_role("alert")
        #: The shown tab's grid (the other tab's grid is hidden).
        self.grid = self.root.get_by_role("table")

    def wait_open(self) -> PermissionBuilderDialog:
        expect(self.root).to_be_visible()
        return self

    def panel(self, level: str) -> Locator:
        """Shows the Company or Project tab and returns its grid (a click on the tab that is
        shown changes nothing, and costs what looking would)."""
        tab(self.root, _TABS[level]).click()
        return self.grid

    def choose(self, level: str, tool: str, value: str | None) -> None:
        """Checks the radio in the ``value`` column of the row of ``tool`` on that tab."""
        grid = self.panel(level)
        headers = grid.get_by_role("columnheader").all_inner_texts()
        self._radio(grid, headers, tool_label(tool_key(tool)), _LABELS[value]).check()

    def apply(self, current: Permissions, wanted: Permissions) -> None:
        """Changes only the rows whose level differs: the grid opens showing ``current``."""
        changed = changed_tools(current, wanted)
        for level, tools in changed.items():
            if tools:
                self._choose(level, tools, wanted)
        # As a person glances over the grids before saving (one read of both): a page that
        # re-rendered its rows or columns meanwhile may show a choice in another column;
        # choose it again there.
        shown = self._chosen()
        for level, tools in changed.items():
            seen = shown.get(level, {})
            again = [tool for tool in tools if _norm(seen.get(tool_label(tool), ""))
                     != _norm(_LABELS[wanted[level].get(tool)])]
            if again:
                self._choose(level, again, wanted)

    def _choose(self, level: str, tools: list[str], wanted: Permissions) -> None:
        grid = self.panel(level)
        headers = grid.get_by_role("columnheader").all_inner_texts()  # one read a tab
        for tool in tools:
            label = _LABELS[wanted[level].get(tool)]
            self._radio(grid, headers, tool_label(tool), label).check()

    def _chosen(self) -> dict[str, dict[str, str]]:
        """Each level's grid as a person reads it (tool -> the header of its chosen column).
        The tabs' grids follow the tabs (Company, Project); a hidden one is read too."""
        grids = self.root.get_by_role("table", include_hidden=True)
        read: list[dict[str, str]] = grids.evaluate_all(f"(grids) => grids.map({_CHOSEN_JS})")
        if len(read) != len(_TABS):  # only the shown tab's grid is on the page: none read
            return {}
        return dict(zip(_TABS, read, strict=True))

    def _radio(self, grid: Locator, headers: list[str], tool: str, level: str) -> Locator:
        """The radio in column ``level`` of the row whose first cell reads ``tool``."""
        page = self.site.page
        first_cell = page.get_by_role("rowheader", name=tool, exact=True).or_(
            page.get_by_role("cell", name=tool, exact=True)
        )
        row = grid.get_by_role("row").filter(has=first_cell)
        cells = row.get_by_role("rowheader").or_(row.get_by_role("cell"))
        return cells.nth(column_index(headers, level)).get_by_role("radio")

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
