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
import re
from dataclasses import dataclass

from automation.pages.screen_read import FIELDS, Shown
from automation.probe._atoms import Atom

__all__ = ["Candidate", "closest"]

#: Below these scores a thing is not offered (first tier, second tier).
_FLOOR = (0.3, 0.5)  # (same role, other roles)
_MOST = 3


@dataclass(frozen=True)
class Candidate:
    role: str
    text: str
    score: float

    def __str__(self) -> str:
        return f'{self.role} "{self.text}"'


def closest(missing: list[Atom], shown: list[Shown], nearby: list[Shown] | None = None
            ) -> list[Candidate]:
    """The things shown closest to what ``missing`` wanted (one role group, one wording set).

    ``nearby``: what the box the locator looks in shows (a dialog's buttons), offered before
    the same role elsewhere on the page (the button behind the dialog that opened it).
    """
    roles = {atom.kind for atom in missing}
    if "label" in roles:
        roles |= FIELDS | {"text"}
    if "text" in roles:
        roles = {s.role for s in shown}  # a text may be anything's words
    wordings = [w for atom in missing for w in atom.wanted.wordings()]
    close = set(nearby or ())
    tiers: tuple[list[Candidate], ...] = ([], [], [])
    for thing in dict.fromkeys([*(nearby or ()), *shown]):
        score = max(_similarity(w, thing.text) for w in wordings)
        tier = (0 if thing in close else 1) if thing.role in roles else 2
        if score >= _FLOOR[min(tier, 1)]:
            tiers[tier].append(Candidate(thing.role, thing.text, round(score, 3)))
    ranked = [c for tier_ in tiers for c in sorted(tier_, key=lambda c: -c.score)]
    return ranked[:_MOST]


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[*:▾›‹]", " ", text).lower().split())


def _similarity(wanted: str, shown: str) -> float:
    a, b = _normal(wanted), _normal(shown)
    if not a or not b:
        return 0.0
    words_a, words_b = set(a.split()), set(b.split())
    common = len(words_a & words_b) / len(words_a | words_b)
    return 0.6 * difflib.SequenceMatcher(None, a, b).ratio() + 0.4 * common
