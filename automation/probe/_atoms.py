"""What a locator asks the screen for: the role, label and text parts of its selector.

A page object's locator is built from visible words ("the button Create a New App inside the
box headed Create New App"). When it finds nothing, a person wants to know which of those
words the screen no longer shows. Playwright keeps a locator as a selector string; its
``internal:role``, ``internal:text``, ``internal:label`` and ``internal:has-text`` parts are
the words, nested ones (``filter(has=...)``, ``or_()``, ``and_()``) quoted inside it. Each part
is itself a selector, so whether the screen shows it is one count.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from typing import Literal

from playwright.sync_api import Locator

__all__ = ["Atom", "Wanted", "atoms_of", "chain_of", "selector_of"]

#: Nested selectors a part quotes: filter(has=), and_(), or_(), filter(has_not=).
_NESTED = ("internal:has=", "internal:and=", "internal:or=", "internal:has-not=")
#: A quoted value ("Create"s, exact; "Create"i, a part) or a pattern (/^Create( App)?$/).
_VALUE = r'"(?:[^"\\]|\\.)*"[si]?|/(?:[^/\\]|\\.)*/[a-z]*'
_ATTR = rf"\[[^\]=]+=(?:{_VALUE}|[^\]]*)\]"
_ROLE = re.compile(rf"^internal:role=(?P<role>[a-z]+)(?P<attrs>(?:{_ATTR})*)$")
_NAME_ATTR = re.compile(rf"\[name=(?P<value>{_VALUE})\]")


@dataclass(frozen=True)
class Wanted:
    """A text as the locator matches it: whole (``exact``), as a part, or by a pattern."""

    how: Literal["exact", "part", "pattern"]
    value: str

    def wordings(self) -> list[str]:
        """The wordings a person would read: a pattern's alternatives, spelled out."""
        if self.how != "pattern":
            return [self.value]
        text = re.sub(r"\(\?<?[!=][^)]*\)", "", self.value)  # a look-ahead says what is not
        text = re.sub(r"\\[sbdwSBDW][*+?]?", " ", text)  # \s*, \d+, \b
        text = re.sub(r"(\\.|[^\\()|])\?", "", text)  # an optional character (\*?, :?)
        text = re.sub(r"\\(.)", r"\1", text.replace("(?:", "("))
        text = re.sub(r"[\^$()?*+]", "", text)
        spelled = (" ".join(w.split()) for w in text.split("|"))
        return [w for w in spelled if w] or [self.value]

    def __str__(self) -> str:
        if self.how == "pattern":
            return " or ".join(f'"{w}"' for w in self.wordings())
        return f'"{self.value}"'


@dataclass(frozen=True)
class Atom:
    """One visible thing a locator needs: ``kind`` is a role, or ``text``/``label``."""

    kind: str
    wanted: Wanted
    #: The part as a selector of its own (``page.locator(selector)``).
    selector: str


def selector_of(locator: Locator) -> str:
    """The locator's selector string (Playwright shows it in the locator's repr)."""
    found = re.search(r" selector=('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")>$", repr(locator))
    if found is None:
        raise ValueError(f"not a Playwright locator: {locator!r}")
    selector: str = ast.literal_eval(found.group(1))
    return selector


def atoms_of(selector: str) -> list[Atom]:
    """The role, text and label parts of ``selector``, nested ones included, each once."""
    found: dict[str, Atom] = {}
    for part in _parts(selector):
        nested = next((p for p in _NESTED if part.startswith(p)), None)
        if nested is not None:
            for inner in atoms_of(json.loads(part[len(nested):])):
                found.setdefault(inner.selector, inner)
            continue
        atom = _atom(part)
        if atom is not None:
            found.setdefault(atom.selector, atom)
    return list(found.values())


def chain_of(selector: str) -> list[str]:
    """The selector's steps, outermost first: ``a >> b >> c`` -> ``[a, b, c]``."""
    return _parts(selector)


def _parts(selector: str) -> list[str]:
    """``a >> b >> c`` split where ``>>`` is not inside a quoted string or a /pattern/."""
    parts: list[str] = []
    start = i = 0
    while i < len(selector):
        char = selector[i]
        if char == '"':
            i = _end_of_quoted(selector, i, '"')
        elif char == "/" and i > 0 and selector[i - 1] == "=":
            i = _end_of_quoted(selector, i, "/")
        elif selector.startswith(" >> ", i):
            parts.append(selector[start:i])
            i += 4
            start = i
            continue
        i += 1
    parts.append(selector[start:])
    return [p.strip() for p in parts if p.strip()]


def _end_of_quoted(text: str, start: int, quote: str) -> int:
    i = start + 1
    while i < len(text) and text[i] != quote:
        i += 2 if text[i] == "\\" else 1
    return i


def _atom(part: str) -> Atom | None:
    role = _ROLE.match(part)
    if role is not None:
        name = _NAME_ATTR.search(role.group("attrs"))
        if name is None:
            return None  # a bare role (any table) names no words
        return Atom(role.group("role"), _wanted(name.group("value")), part)
    for prefix, kind in (("internal:text=", "text"), ("internal:has-text=", "text"),
                         ("internal:label=", "label")):
        if part.startswith(prefix):
            selector = part if kind != "text" else "internal:text=" + part[len(prefix):]
            return Atom(kind, _wanted(part[len(prefix):]), selector)
    return None


def _wanted(value: str) -> Wanted:
    if value.startswith("/"):
        return Wanted("pattern", value[1 : value.rindex("/")])
    text: str = json.loads(value[: value.rindex('"') + 1])
    return Wanted("exact" if value.endswith('"s') else "part", text)
