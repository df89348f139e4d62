"""How a long piece of work says how far it got: ``progress(done, total, what)``.

A page object takes a reporter and calls it per item (``progress(1200, 2500, "adding
projects")``); a run hands it ``StepRun.progress``, which only the run's display hears. Below
both ``pages`` and ``execute``, so neither imports the other for it.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress", "no_progress"]

#: ``progress(done, total, what)``; cheap enough to call once per item.
Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, what: str) -> None:
    """The reporter of a page object used outside a run: nobody is watching."""
