"""How much a runbook may ask for, and how much of a value a message may show.

Hostile input must cost little: a few hundred bytes of YAML aliases, includes or template
arithmetic must not become gigabytes or minutes. Every limit here is far above what a real
runbook needs (the DMSA runbook: 4 files, 60 steps, no alias, templates of one line).
"""

from __future__ import annotations

import reprlib
from typing import Any

__all__ = [
    "MAX_ALIASES",
    "MAX_ALIAS_NODES",
    "MAX_FILE_BYTES",
    "MAX_INCLUDE_DEPTH",
    "MAX_INT_BITS",
    "MAX_NESTING",
    "MAX_PLANNED_STEPS",
    "MAX_RANGE",
    "MAX_TEMPLATE_CHARS",
    "MAX_TEXT",
    "TEMPLATE_SECONDS",
    "clip",
    "excerpt",
]

#: Bytes of one runbook or vars file (a 50,000-step runbook is about 5 MB).
MAX_FILE_BYTES = 16 * 2**20
#: ``*alias`` uses in one file, and the nodes they add when expanded (the billion laughs is
#: 81 aliases adding 387 million nodes).
MAX_ALIASES = 100
MAX_ALIAS_NODES = 10_000
#: Mappings and lists inside each other, in one file (runbooks use about 6).
MAX_NESTING = 64
#: Includes inside includes (the DMSA runbook: 2).
MAX_INCLUDE_DEPTH = 32
#: Steps of a runbook once its includes are expanded.
MAX_PLANNED_STEPS = 100_000
#: Characters of one template in a runbook.
MAX_TEMPLATE_CHARS = 10_000
#: Length of any text, list or mapping a template builds; width of a padding or format.
MAX_TEXT = 100_000
#: Size of an integer a template computes (2**4096 has 1,234 digits).
MAX_INT_BITS = 4096
#: Items of a ``range()`` in a template.
MAX_RANGE = 10_000
#: Wall-clock time of one template evaluation.
TEMPLATE_SECONDS = 1.0

_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 60
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6
_REPR.maxlevel = 3
_REPR.maxlong = 40


def excerpt(value: Any, limit: int = 80) -> str:
    """``repr(value)`` cut to a short excerpt, for messages: never more than ``limit`` chars.

    reprlib looks at no more of a value than it shows, so a 300 MB list (or one that aliases
    itself a billion times over) costs no more to describe than a short one.
    """
    text = repr(value[: limit + 1]) if isinstance(value, str) else _REPR.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def clip(text: str, limit: int = 200) -> str:
    """A message (not a value) cut to ``limit`` characters: for texts quoted from elsewhere."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
