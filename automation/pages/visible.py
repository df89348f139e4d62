"""Finding things the way a person does: by the text Procore's screens show.

A person finds a panel by its heading, a field by the caption above it, a value by its column
header, an action by the words on it (whether it is drawn as a button or a link). These
helpers say that to Playwright without ids, classes, data-* attributes or an accessible name the
screen does not show (``docs/fidelity.md`` lists, per screen, the text each locator relies on
and where Procore shows it).
"""

from __future__ import annotations

import re
from typing import Literal

from playwright.sync_api import Locator, Page

__all__ = [
    "FieldKind",
    "action",
    "column_index",
    "column_values",
    "field",
    "holding",
    "tab",
    "words",
]

Scope = Page | Locator
Text = str | re.Pattern[str]
#: The kinds of field a person tells apart: a text box, a drop-down, a masked (password) box.
FieldKind = Literal["textbox", "combobox", "password"]


def words(*wordings: str) -> re.Pattern[str]:
    """Any one of ``wordings``, whole (``words("Create", "Create App")``): where Procore's
    documents disagree on a wording, a locator accepts each."""
    return re.compile(r"^\s*(?:" + "|".join(re.escape(w) for w in wordings) + r")\s*$")


def _exact(text: Text) -> Text:
    return words(text) if isinstance(text, str) else text


def holding(scope: Scope, *parts: Locator, among: str = "*") -> Locator:
    """The smallest block in ``scope`` (of the elements ``among`` selects) that holds every
    one of ``parts``: "the panel with the Manage Manifests heading and the Sandbox tab", "the
    box with Data Connection and its Copy Code Snippet button". Give a part that only one
    block has (a heading) first; build the parts from the page (``page.get_by_text(...)``)."""
    # The blocks around every part: each part is looked for once in the page, and its
    # ancestors taken. (Asking each block around the first part whether it holds the others
    # looked for them once per block, up to the whole page: twice the time.)
    found = scope.locator(among)
    for part in parts:
        found = found.and_(part.locator("xpath=ancestor::*"))
    # Every match holds the first part, so they nest: the last in document order is the
    # innermost.
    return found.last


def action(scope: Scope, name: Text, *, include_hidden: bool = False) -> Locator:
    """What a person clicks by its words, drawn as a button, a link or an entry of an open
    drop-down menu."""
    name = _exact(name)
    return (
        scope.get_by_role("button", name=name, include_hidden=include_hidden)
        .or_(scope.get_by_role("link", name=name, include_hidden=include_hidden))
        .or_(scope.get_by_role("menuitem", name=name, include_hidden=include_hidden))
    )


def tab(scope: Scope, name: Text) -> Locator:
    """A tab by its words: a tab role where the page has one, otherwise the button (Procore's
    design system draws tabs as buttons with ``aria-current``) or the link (the company web
    app's tabs load another page)."""
    name = _exact(name)
    return (
        scope.get_by_role("tab", name=name)
        .or_(scope.get_by_role("button", name=name))
        .or_(scope.get_by_role("link", name=name))
    )


def _caption(text: Text) -> Text:
    """A field's caption, whole, with or without the required-field star ("App Name *")."""
    if not isinstance(text, str):
        return text
    return re.compile(r"^\s*" + re.escape(text) + r"\s*\*?\s*$")


#: The first field of each kind after a caption, in reading order (XPath's ``following``).
_NEXT_FIELD: dict[FieldKind, str] = {
    "textbox": (
        "xpath=following::*[self::textarea or (self::input and not(@type='hidden' or "
        "@type='checkbox' or @type='radio' or @type='submit' or @type='button' or "
        "@type='password'))][1]"
    ),
    "combobox": "xpath=following::select[1]",
    # A masked box has no ARIA role; its type is what masks what a person types.
    "password": "xpath=following::input[@type='password'][1]",
}


def field(scope: Scope, caption: Text, *, kind: FieldKind = "textbox") -> Locator:
    """The field of ``kind`` under ``caption``: the one its caption labels, or else the first
    such field after the caption, as a person reads a form (caption, then its box).

    Both ways name the same box where the caption is a label, so the result is one element
    (never "the first box of the block", which may be another field's)."""
    caption = _caption(caption)
    labelled = scope.get_by_label(caption)
    if kind != "password":
        labelled = labelled.and_(scope.get_by_role(kind))
    return labelled.or_(scope.get_by_text(caption).first.locator(_NEXT_FIELD[kind])).first


#: A table as a person reads it: each body row's value under the wanted column headers (the
#: header row read once; a cell's field shows its value, any other cell its text).
_COLUMN_VALUES_JS = """(table, wanted) => {
  const norm = (text) => text.toLowerCase().replace(/[^a-z0-9]/g, "");
  const rows = Array.from(table.rows);
  const head = rows.find((row) => Array.from(row.cells).every((cell) => cell.tagName === "TH"));
  if (!head) return [];
  const names = Array.from(head.cells, (cell) => norm(cell.textContent));
  const at = wanted.map((w) => names.indexOf(norm(w)));
  const shown = (cell) => {
    const box = cell && cell.querySelector("input, textarea, select");
    return ((box ? box.value : cell ? cell.textContent : "") || "").trim();
  };
  return rows.filter((row) => row !== head).map((row) => at.map((i) => shown(row.cells[i])));
}"""


def column_values(table: Locator, *headers: str) -> list[list[str]]:
    """Each row of ``table`` as the values under ``headers`` (``"App Version Key"``), in one
    read; a column the table does not have reads as empty."""
    rows: list[list[str]] = table.evaluate(_COLUMN_VALUES_JS, list(headers))
    return rows


def column_index(headers: list[str], wanted: str) -> int:
    """Where ``wanted`` is among the header texts a person reads (any case, any spacing or
    punctuation: "Read-Only" is "Read-only")."""
    norm = [re.sub(r"[^a-z0-9]", "", text.lower()) for text in headers]
    return norm.index(re.sub(r"[^a-z0-9]", "", wanted.lower()))
