"""Finding a box on screen by what it holds, as a person does ("the card headed Installation
Keys", "the modal with the Release Notes field").

Procore's design system renders modals and cards as plain containers: no dialog or region
role, no accessible name (reference: "Procore's design system"). What a person sees is a
heading and the fields and buttons under it, so the box is the innermost container that holds
all of them. Containers are block elements; which ones, and their classes, are the page's
business: only what they hold is looked at.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from automation.pages.visible import holding

__all__ = ["box_holding", "heading", "named"]

_CONTAINERS = "div, section, article, aside, dialog, form, li"


def box_holding(scope: Page | Locator, *parts: Locator) -> Locator:
    """The innermost container in ``scope`` that holds every one of ``parts`` (shown).

    Containers that hold a part are nested one in another, and the document lists an outer
    one before the ones inside it: the last match is the innermost. Build ``parts`` from
    the page, not from ``scope``.
    """
    return holding(scope, *parts, among=_CONTAINERS)


def heading(scope: Page | Locator, name: str | re.Pattern[str]) -> Locator:
    return scope.get_by_role("heading", name=name, exact=isinstance(name, str) or None)


def named(scope: Page | Locator, name: str | re.Pattern[str]) -> Locator:
    """A button, or a link drawn as a button: Procore's pages use either for one action."""
    exact = isinstance(name, str) or None
    return scope.get_by_role("button", name=name, exact=exact).or_(
        scope.get_by_role("link", name=name, exact=exact)
    )
