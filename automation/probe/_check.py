"""One look at each locator of a screen: found once, not found, or found several times."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from playwright.sync_api import Locator, Page

from automation.pages.screen_read import Shown, parse_snapshot, read_screen
from automation.probe._atoms import Atom, atoms_of, chain_of, selector_of
from automation.probe._candidates import Candidate, closest

__all__ = ["Found", "LocatorReport", "Missing", "check_locators"]

Found = Literal["once", "not found", "several"]


@dataclass(frozen=True)
class Missing:
    """Words the locator wants that the screen does not show, and what it shows instead."""

    #: The roles wanted (``button``, ``link``...; ``text``, ``label``), one wording for all.
    roles: tuple[str, ...]
    wanted: str
    candidates: tuple[Candidate, ...]

    def __str__(self) -> str:
        said = f'{"/".join(self.roles)} {self.wanted} not found'
        if not self.candidates:
            return said + "; nothing similar shown"
        return said + "; closest: " + ", ".join(str(c) for c in self.candidates)


@dataclass(frozen=True)
class LocatorReport:
    name: str
    found: Found
    count: int
    missing: tuple[Missing, ...] = field(default=())
    #: An earlier locator of the screen that misses the same words (this one lies inside it).
    same_as: str | None = None

    @property
    def ok(self) -> bool:
        return self.found == "once"

    def describe(self) -> str:
        if self.found == "once":
            return f"{self.name}: found once"
        if self.found == "several":
            return f"{self.name}: found {self.count} times"
        if self.same_as is not None:
            words = ", ".join(f'{"/".join(m.roles)} {m.wanted}' for m in self.missing)
            return f"{self.name}: not found: {words} (as {self.same_as} above)"
        if not self.missing:
            return f"{self.name}: not found (each of its words is shown, but not together)"
        return f"{self.name}: " + "; ".join(str(m) for m in self.missing)


def check_locators(page: Page, locators: Mapping[str, Locator]) -> list[LocatorReport]:
    """Counts each locator; for one that finds nothing, says which of its words are not shown
    and the closest things that are (the screen is read once, and only if needed)."""
    reports: list[LocatorReport] = []
    screen: list[Shown] | None = None
    for name, locator in locators.items():
        count = locator.count()
        if count == 1:
            reports.append(LocatorReport(name, "once", 1))
        elif count > 1:
            reports.append(LocatorReport(name, "several", count))
        else:
            if screen is None:
                screen = read_screen(page)
            missing = _missing(page, locator, screen)
            same_as = next((r.name for r in reports if missing and r.missing == missing
                            and r.same_as is None), None)
            reports.append(LocatorReport(name, "not found", 0, missing, same_as))
    return reports


def _missing(page: Page, locator: Locator, screen: list[Shown]) -> tuple[Missing, ...]:
    selector = selector_of(locator)
    nearby = _nearby(page, selector)
    # One wording asked for as a button, a link or a menu entry is one thing: missing when
    # the screen shows it as none of them.
    groups: dict[str, list[Atom]] = {}
    for atom in atoms_of(selector):
        groups.setdefault(str(atom.wanted), []).append(atom)
    return tuple(
        Missing(tuple(dict.fromkeys(a.kind for a in atoms)), wanted,
                tuple(closest(atoms, screen, nearby)))
        for wanted, atoms in groups.items()
        if all(page.locator(a.selector).count() == 0 for a in atoms)
    )


def _nearby(page: Page, selector: str) -> list[Shown]:
    """What the innermost box the locator looks in shows (the dialog its button is in): the
    longest start of its chain that the page has."""
    chain = chain_of(selector)
    for end in range(len(chain) - 1, 0, -1):
        if not chain[end - 1].startswith(("internal:", "nth=")):
            continue  # "any container" (a CSS list of tags) is no box a person sees
        scope = page.locator(" >> ".join(chain[:end]))
        if scope.count() > 0:
            return parse_snapshot(scope.first.aria_snapshot())
    return []
