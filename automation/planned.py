"""Check mode's vocabulary: what a step would do, and the values only a change would produce.

In check mode (``runbook run --check``) an action that changes something does not act: its
``check`` looks at the current state through the same page-object reads the action makes
before acting, and returns a :class:`Planned` ("would create app 'Procore DMSA App'",
"nothing to do: already installed") with the outputs a real run would give. An output that
only the change would produce (the id of an app not yet created) is an :class:`Unknown`; a
secret a real run would capture is an :class:`UnknownSecret`, never an invented value. A step
whose arguments hold either does not look at all: it says what it would do "(after ...)".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from automation.secret import Secret

__all__ = [
    "Planned",
    "Unknown",
    "UnknownSecret",
    "installed_version_in",
    "memberships_in",
    "permitted_projects_in",
    "waiting_for",
]

#: How an unknown value reads once a template has turned it into (part of) a text.
_MARK = re.compile(r"<unknown until ([A-Za-z0-9_.\-]+)>", re.IGNORECASE)


class Unknown(str):
    """A value a real run would produce by a change check mode does not make (``after``:
    the key of that step). A ``str``, so templates and type checks carry it along."""

    after: str

    def __new__(cls, after: str) -> Unknown:
        value = super().__new__(cls, f"<unknown until {after}>")
        value.after = after
        return value

    def __getnewargs__(self) -> tuple[str]:  # copies keep ``after``
        return (self.after,)


class UnknownSecret(Secret):
    """A secret a real run would capture at step ``after``: no value, nothing registered
    for scrubbing. A template that mixes it with text keeps the mark, so the argument is
    still known to wait."""

    __slots__ = ("after",)

    def __init__(self, after: str) -> None:  # no Secret.__init__: nothing to scrub
        self._value = f"<unknown until {after}>"
        self.source = f"would be captured by {after}"
        self.after = after

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnknownSecret) and other.after == self.after

    def __hash__(self) -> int:
        return hash(("UnknownSecret", self.after))


@dataclass(frozen=True)
class Planned:
    """What a step would do in a real run, found by looking (nothing changed).

    ``outputs`` is the action's result as a real run would give it, with :class:`Unknown`
    where only the change would tell; ``changes`` says each change ("would permit 12
    projects"); none means nothing to do, and ``unchanged`` says why. Two steps that touch
    the same thing (permitting projects adds the service account to them) say so through
    ``touches`` and ``looks_at``.
    """

    outputs: Any
    changes: tuple[str, ...] = ()
    unchanged: str = "nothing to do"
    #: What the look read ("memberships of HingePoint"): if an earlier step would change
    #: it, this look is stale, and the step says it waits for that step instead.
    looks_at: tuple[str, ...] = ()
    #: What the changes would change, in the same words.
    touches: tuple[str, ...] = ()
    #: A read-only look that failed (the REST proof before the change it proves): raised
    #: unless an earlier step's change makes the look stale, when the step waits instead.
    failed: Exception | None = None


def permitted_projects_in(company: str) -> str:
    """The words for a company's permitted projects, in ``looks_at`` and ``touches``."""
    return f"projects permitted to the app in {company}"


def memberships_in(company: str) -> str:
    return f"project memberships in {company}"


def installed_version_in(company: str) -> str:
    return f"the app version installed in {company}"


def waiting_for(value: Any) -> tuple[str, ...]:
    """The steps whose changes ``value`` (rendered arguments) waits for, in order."""
    found: dict[str, None] = {}

    def visit(item: Any) -> None:
        if isinstance(item, Unknown | UnknownSecret):
            found[item.after] = None
        elif isinstance(item, Secret):
            for match in _MARK.finditer(item.reveal()):
                found[match.group(1)] = None
        elif isinstance(item, str):
            for match in _MARK.finditer(item):
                found[match.group(1)] = None
        elif isinstance(item, Mapping):
            for inner in item.values():
                visit(inner)
        elif isinstance(item, list | tuple):
            for inner in item:
                visit(inner)

    visit(value)
    return tuple(found)
