"""The "Permissions for Service Account" grid of the form-based portal.

Company Level | Project Level tabs (buttons); a table Tool | None | Read-only | Standard |
Admin whose cells hold unnamed radios (form-based-manifest-dmsa-perms-builder.png). A person
finds "the Admin column of the row whose first cell reads Directory": so does :meth:`choose`,
with the column's index read from the header row.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automation.pages.developer_portal.boxes import named
from automation.pages.developer_portal.permission_builder import (
    Permissions,
    changed_tools,
    tool_label,
)

__all__ = ["PermissionsGrid"]

#: 2025 and late-2026 pages say "Company Level"; the classic builder said "Company".
_TABS = {
    "company": re.compile(r"^Company( Level)?$"),
    "project": re.compile(r"^Project( Level)?$"),
}
#: The manifest's value -> the column a person picks ("Read-only" here, "Read-Only" classic).
#: How long a radio may take to become checkable: a disabled one (a level the row does not
#: offer) never does, and is then reported as such.
_CHECK_MS = 5_000
_COLUMNS = {None: "none", "readonly": "read-only", "standard": "standard", "admin": "admin"}


class PermissionsGrid:
    def __init__(self, root: Locator) -> None:
        self.root = root
        self.page = root.page
        # Only the shown level's table counts: the other one is hidden.
        self.table = root.get_by_role("table")
        self._columns: list[str] | None = None

    def show(self, level: str) -> Locator:
        """Shows the Company Level or Project Level grid (a click unless it is shown)."""
        tab = named(self.root, _TABS[level])
        if tab.get_attribute("aria-current") is None:
            tab.click()
            expect(tab).to_have_attribute("aria-current", re.compile(".+"))
            self._columns = None
        return self.table

    def choose(self, tool: str, value: str | None) -> None:
        """Checks the radio in the column ``value`` (None: "None") of the row ``tool``."""
        if self._columns is None:
            headers = self.table.get_by_role("columnheader").all_inner_texts()
            self._columns = [text.strip().lower() for text in headers]
        column = self._columns.index(_COLUMNS[value])
        label = tool_label(tool)
        row = self.table.get_by_role("row").filter(
            has=self.page.get_by_role("cell", name=label, exact=True)
        )
        radio = row.get_by_role("cell").nth(column).get_by_role("radio")
        try:
            radio.check(timeout=_CHECK_MS)
        except PlaywrightTimeoutError:
            # Asked only when the check did not go through: one round trip less per tool.
            if radio.is_disabled():
                offered = f"{label} offers no {value or 'None'} level in this grid"
                raise ValueError(offered) from None
            raise

    def apply(self, current: Permissions, wanted: Permissions) -> None:
        """Changes only the rows whose level differs: the grid opens showing ``current``."""
        changes = changed_tools(current, wanted)
        if not any(changes.values()):
            return  # (the grid is not even waited for)
        expect(self.table).to_be_visible()  # it appears once Service Account Authentication is on
        for level, changed in changes.items():
            if changed:
                self.show(level)
                for tool in changed:
                    self.choose(tool, wanted[level].get(tool))
