"""A strict-mode violation, told as a person sees the page: each element the locator matched.

Playwright stops at ``get_by_role("button", name="Add") resolved to 2 elements`` and lists them
as HTML. A failed step instead lists each match by role and accessible name (Playwright's own
accessibility snapshot) and where it is: the row, the dialog or the heading it sits under.
This runs only after a failure, on the page as the failure left it: one evaluate over the
matches and one snapshot per listed element.
"""

from __future__ import annotations

import re
from types import TracebackType
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from automation.errors import strict_mode_message

__all__ = ["describe_strict_violation"]

#: Playwright has no type for it: its message is the only sign (used to describe, never to
#: decide what happens next).
_VIOLATION = re.compile(r"strict mode violation: (.+?) resolved to (\d+) elements")
#: ``- button "Add"``: the role and the name; what follows (a text box's value) is dropped.
_SNAPSHOT = re.compile(r'^- ([\w-]+)(?: "((?:[^"\\]|\\.)*)")?')
_LISTED = 5

_WHERE_JS = """
(elements) => elements.map((el) => {
  const norm = (text) => (text || "").replace(/\\s+/g, " ").trim().slice(0, 80);
  const nameOf = (box) => {
    const by = box.getAttribute("aria-labelledby");
    if (by) return norm(by.split(/\\s+/).map((id) => document.getElementById(id)?.textContent)
                          .join(" "));
    if (box.getAttribute("aria-label")) return norm(box.getAttribute("aria-label"));
    const heading = box.querySelector("h1, h2, h3, h4, h5, h6, [role=heading]");
    return heading ? norm(heading.textContent) : "";
  };
  const where = [];
  const row = el.closest("tr, [role=row]");
  if (row && row !== el) where.push(`in row "${norm(row.innerText)}"`);
  const dialog = el.closest("dialog, [role=dialog], [role=alertdialog]");
  if (dialog) {
    where.push(`in dialog "${nameOf(dialog)}"`);
  } else {
    const before = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading]")]
      .filter((h) => h !== el && !h.contains(el)
              && (h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING));
    if (before.length) where.push(`under heading "${norm(before.at(-1).textContent)}"`);
  }
  return where.join(", ");
})
"""


def describe_strict_violation(error: BaseException) -> str | None:
    """The matched elements of a strict-mode violation in ``error`` (or what caused it), one
    line each; None when it is no such violation or the page cannot be asked any more."""
    for failure in _chain(error):
        found = _VIOLATION.search(str(failure))
        if found is None:
            continue
        locator = _failed_locator(failure.__traceback__)
        if locator is None:
            return None
        try:
            matches = _describe(locator)
        except PlaywrightError:
            return None  # the page went away: Playwright's own first line stays
        return strict_mode_message(found.group(1), matches, int(found.group(2)))
    return None


def _describe(locator: Locator) -> list[str]:
    wheres: list[str] = locator.evaluate_all(_WHERE_JS)
    lines = []
    for index, where in enumerate(wheres[:_LISTED]):
        snapshot = locator.nth(index).aria_snapshot(timeout=2000)
        shown = _SNAPSHOT.match(snapshot.strip())
        role, name = (shown.group(1), shown.group(2)) if shown else ("element", None)
        text = f'{role} "{name}"' if name is not None else role
        lines.append(f"{text} {where}".rstrip())
    return lines


def _chain(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _failed_locator(trace: TracebackType | None) -> Locator | None:
    """The locator whose call failed: the ``self`` of Playwright's call in the traceback
    (a Locator method, or an ``expect(locator)`` assertion)."""
    found: Locator | None = None
    while trace is not None:
        owner: Any = trace.tb_frame.f_locals.get("self")
        if isinstance(owner, Locator):
            found = owner
        elif found is None and type(owner).__name__ == "LocatorAssertions":
            actual = getattr(getattr(owner, "_impl_obj", None), "_actual_locator", None)
            if actual is not None:
                found = Locator(actual)
        trace = trace.tb_next
    return found
