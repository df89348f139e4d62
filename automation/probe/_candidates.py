"""The closest things a screen shows to a label it no longer shows.

The screen is read once, as a person's assistive technology reads it (Playwright's ARIA
snapshot of the page: each visible element's role and accessible name, and the texts between
them). Candidates of the role the locator wanted come first, then the rest; within each tier the
most similar wording first. Similarity is cheap: difflib's ratio on the normalised text, with the
share of words in common, so that "Permitted Projects" -> "Allowed Projects" beats
"Permissions Requested".
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass

from playwright.sync_api import Page

from automation.probe._atoms import Atom

__all__ = ["Candidate", "Shown", "closest", "read_screen"]

#: A line of an ARIA snapshot: ``- button "Create a New App" [disabled]`` or ``- text: Client ID``.
_LINE = re.compile(r'^\s*- (?P<role>[a-z]+)(?: (?P<name>"(?:[^"\\]|\\.)*"))?(?: \[[^\]]*\])*:?'
                   r"(?: (?P<text>.+))?$")
#: Roles that a field's caption names (``get_by_label``).
_FIELDS = {"textbox", "combobox", "searchbox", "spinbutton", "checkbox", "radio", "listbox"}
#: Below these scores a thing is not offered (first tier, second tier).
_FLOOR = (0.3, 0.5)
_MOST = 3


@dataclass(frozen=True)
class Shown:
    role: str
    text: str


@dataclass(frozen=True)
class Candidate:
    role: str
    text: str
    score: float

    def __str__(self) -> str:
        return f'{self.role} "{self.text}"'


def read_screen(page: Page) -> list[Shown]:
    """Every visible role with its name, and every visible text, once each."""
    seen: dict[Shown, None] = {}
    for line in page.locator("body").aria_snapshot().splitlines():
        found = _LINE.match(line)
        if found is None:
            continue
        role, name, text = found.group("role", "name", "text")
        if name:
            seen.setdefault(Shown(role, json.loads(name)), None)
        if text and not text.startswith(("/", "[")):
            # ``- paragraph: words`` or ``- text: words``: words a person reads.
            seen.setdefault(Shown("text", text.strip().strip('"')), None)
    return list(seen)


def closest(missing: list[Atom], shown: list[Shown]) -> list[Candidate]:
    """The things shown closest to what ``missing`` wanted (one role group, one wording set)."""
    roles = {atom.kind for atom in missing}
    if "label" in roles:
        roles |= _FIELDS | {"text"}
    if "text" in roles:
        roles = {s.role for s in shown}  # a text may be anything's words
    wordings = [w for atom in missing for w in atom.wanted.wordings()]
    tiers: tuple[list[Candidate], list[Candidate]] = ([], [])
    for thing in shown:
        score = max(_similarity(w, thing.text) for w in wordings)
        tier = 0 if thing.role in roles else 1
        if score >= _FLOOR[tier]:
            tiers[tier].append(Candidate(thing.role, thing.text, round(score, 3)))
    ranked = [sorted(t, key=lambda c: -c.score) for t in tiers]
    return (ranked[0] + ranked[1])[:_MOST]


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[*:▾›‹]", " ", text).lower().split())


def _similarity(wanted: str, shown: str) -> float:
    a, b = _normal(wanted), _normal(shown)
    if not a or not b:
        return 0.0
    words_a, words_b = set(a.split()), set(b.split())
    common = len(words_a & words_b) / len(words_a | words_b)
    return 0.6 * difflib.SequenceMatcher(None, a, b).ratio() + 0.4 * common
