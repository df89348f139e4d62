"""Step events and the subscribers that hang off them (log, journal, later artifacts).

Progress is not a step event: an action reports a long piece of work through
``StepRun.progress(done, total, what)`` and only the run's display hears of it (the journal
and the records keep what a step did, not how it got there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from playwright.sync_api import Locator

    from automation.pages.base import Site

__all__ = ["Camera", "ProgressEvent", "RunEvent", "StepEvent", "Subscriber"]

StepStatus = Literal["started", "succeeded", "failed", "skipped", "done_before"]


@dataclass(frozen=True)
class StepEvent:
    status: StepStatus
    key: str
    title: str
    index: int
    total: int
    action: str
    #: What the action does, in a line (its docstring's first): the procedure shows it.
    summary: str = ""
    duration_s: float = 0.0
    attempt: int = 1
    #: Non-secret outputs; secret outputs appear only as vault references.
    outputs: dict[str, Any] = field(default_factory=dict)
    vault_refs: dict[str, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    headlines: tuple[str, ...] = ()
    reason: str = ""
    #: Whether the action established a site's session (replayed on resume when needed).
    establishes_session: str | None = None
    #: The step types or reads a secret: traces and videos leave it out.
    sensitive: bool = False
    #: The site the step used last (where its screen is).
    site: str | None = None
    #: On failure: the element that was not found, and the picture of the screen that failed.
    locator: str | None = None
    failed_screen: str | None = None


@dataclass(frozen=True)
class ProgressEvent:
    """How far the running step ``key`` is in a long piece of work (``what``)."""

    key: str
    done: int
    total: int
    what: str


@dataclass(frozen=True)
class RunEvent:
    status: Literal["started", "resumed", "finished"]
    runbook: str
    name: str
    #: How the run ended: only a "finished" event knows (None before).
    succeeded: bool | None = None
    details: dict[str, Any] = field(default_factory=dict)


class Subscriber(Protocol):
    def on_step(self, event: StepEvent) -> None: ...

    def on_run(self, event: RunEvent) -> None: ...


class Camera(Protocol):
    """Takes the executor's masked pictures: a failed screen, a secret being captured."""

    def picture(self, site: Site, step: str, attempt: int, moment: str,
                hidden: Sequence[Locator] = ()) -> str | None: ...
