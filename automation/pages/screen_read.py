"""Reading a screen once, as a person's assistive technology reads it.

Playwright's ARIA snapshot of the page gives each visible element's role and accessible name,
and the texts between them, in one round trip: a page object that must tell several things
apart (which of a login's screens is shown) reads it once instead of asking per thing.
Fields' values are never read: a field may hold a secret.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from playwright.sync_api import Page

__all__ = ["FIELDS", "Shown", "parse_snapshot", "read_screen"]

#: A line of an ARIA snapshot: ``- button "Create a New App" [disabled]`` or ``- text: Client ID``.
_LINE = re.compile(r'^\s*- (?P<role>[a-z]+)(?: (?P<name>"(?:[^"\\]|\\.)*"))?(?: \[[^\]]*\])*:?'
                   r"(?: (?P<text>.+))?$")
#: Roles that a field's caption names (``get_by_label``).
FIELDS = {"textbox", "combobox", "searchbox", "spinbutton", "checkbox", "radio", "listbox"}


@dataclass(frozen=True)
class Shown:
    role: str
    text: str


def read_screen(page: Page) -> list[Shown]:
    """Every visible role with its name, and every visible text, once each."""
    return parse_snapshot(page.locator("body").aria_snapshot())


def parse_snapshot(snapshot: str) -> list[Shown]:
    """The roles with names (and fields without), and the texts, of an ARIA snapshot, once
    each."""
    seen: dict[Shown, None] = {}
    for line in snapshot.splitlines():
        found = _LINE.match(line)
        if found is None:
            continue
        role, name, text = found.group("role", "name", "text")
        if name:
            seen.setdefault(Shown(role, json.loads(name)), None)
        elif role in FIELDS:
            seen.setdefault(Shown(role, ""), None)  # a field with no name: its caption is text
        if text and role not in FIELDS and not text.startswith(("/", "[")):
            # ``- paragraph: words`` or ``- text: words``: words a person reads. (After a
            # field it is the field's value, which may be a secret: never a candidate.)
            seen.setdefault(Shown("text", text.strip().strip('"')), None)
    return list(seen)
