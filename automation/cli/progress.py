"""What a person sees while a run goes: a line per step, and what the running step is doing.

Three displays, chosen by :func:`open_display` from where the output goes:

- a terminal: the finished steps' lines scroll as before, and under them one live status line
  (rich's ``Live``) with the running step, its elapsed time and, for long work, its count and
  an estimate: ``adding projects 1,200/2,500, about 40 s left``;
- anything else (a pipe, a CI log): plain lines, one when a step starts and one when it ends,
  the count of long work at most every ``PLAIN_EVERY_S``, and the elapsed time of a step that
  said nothing for ``QUIET_STEP_S``;
- ``--quiet``: no line while a step runs (the console then shows only problems and results).

Every text shown passes through the redactor, as the log's lines do.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from loguru import logger

from automation.execute.events import ProgressEvent, StepEvent
from automation.log import StepLog
from automation.secret import REDACTOR

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.live import Live
    from rich.spinner import Spinner

__all__ = ["PLAIN_EVERY_S", "QUIET_STEP_S", "PlainDisplay", "RunDisplay", "TerminalDisplay", "Work",
           "open_display"]

#: Plain output repeats a count at most this often: a CI log stays readable.
PLAIN_EVERY_S = 5.0
#: A step that has said nothing this long gets a line with its elapsed time (a CI job that
#: waits for output knows the run is alive).
QUIET_STEP_S = 30.0
#: An estimate needs this much measured work behind it before it is shown.
_ESTIMATE_AFTER_S = 1.0


@dataclass
class Work:
    """A long piece of work of the running step, as far as its reports tell."""

    what: str
    total: int
    done: int
    #: When the first report came, and how much was done then (the rate is measured from it).
    first_at: float
    first_done: int
    last_at: float

    @classmethod
    def first(cls, event: ProgressEvent, now: float) -> Work:
        return cls(event.what, event.total, event.done, now, event.done, now)

    def update(self, event: ProgressEvent, now: float) -> Work:
        """This work moved on, or a new piece of work started (another ``what``, or fewer done)."""
        if event.what != self.what or event.done < self.done or event.total != self.total:
            return Work.first(event, now)
        self.done, self.last_at = event.done, now
        return self

    def seconds_left(self) -> float | None:
        made, spent = self.done - self.first_done, self.last_at - self.first_at
        if made <= 0 or spent < _ESTIMATE_AFTER_S or self.done >= self.total:
            return None
        return (self.total - self.done) * spent / made

    def describe(self) -> str:
        """``adding projects 1,200/2,500, about 40 s left``."""
        text = f"{self.what} {self.done:,}/{self.total:,}"
        left = self.seconds_left()
        return f"{text}, about {_duration(left)} left" if left is not None else text


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    return f"{round(seconds / 60)} min"


def _where(event: StepEvent) -> str:
    return f"[{event.index:>{len(str(event.total))}}/{event.total}]"


def _attempt(event: StepEvent) -> str:
    return f", attempt {event.attempt}" if event.attempt > 1 else ""


class RunDisplay(StepLog):
    """A line per finished step, nothing while a step runs (``--quiet``: the console shows
    only the failed steps' lines and the results, see ``configure_logging``)."""

    def on_progress(self, event: ProgressEvent) -> None:
        pass

    def __enter__(self) -> RunDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class PlainDisplay(RunDisplay):
    """Output that is not a terminal: plain lines, counts at most every ``PLAIN_EVERY_S``."""

    def __init__(self) -> None:
        self.work: Work | None = None
        self.said_at = 0.0
        self.started_at: float | None = None
        self.stop = threading.Event()

    def __enter__(self) -> PlainDisplay:
        def watch() -> None:
            while not self.stop.wait(1.0):
                self.tick()

        self.stop.clear()
        threading.Thread(target=watch, name="plain-display", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()

    def on_step(self, event: StepEvent) -> None:
        if event.status == "started":
            self.work, self.said_at = None, time.monotonic()
            self.started_at = self.said_at
            logger.info("→ {} {}{}", _where(event), event.title, _attempt(event))
            return
        self.started_at = None
        super().on_step(event)

    def tick(self) -> None:
        """Says how long the running step has taken, when it has said nothing for a while."""
        started, now = self.started_at, time.monotonic()
        if started is not None and now - self.said_at >= QUIET_STEP_S:
            self.said_at = now
            logger.info("    still running after {}", _duration(now - started))

    def on_progress(self, event: ProgressEvent) -> None:
        now = time.monotonic()
        self.work = self.work.update(event, now) if self.work else Work.first(event, now)
        if now - self.said_at >= PLAIN_EVERY_S:
            self.said_at = now
            logger.info("    {}", self.work.describe())


class TerminalDisplay(RunDisplay):
    """A terminal: step lines scroll above one live status line of the running step.

    Built on rich's ``Live``: it redraws the status a few times a second (the elapsed time
    moves on its own) and, standing in for ``sys.stderr`` while it runs, prints every log line
    above the status instead of through it.
    """

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.step: StepEvent | None = None
        self.started_at = 0.0
        self.work: Work | None = None
        self.live: Live | None = None
        self.spinner: Spinner | None = None

    def __enter__(self) -> TerminalDisplay:
        from rich.console import Console
        from rich.live import Live
        from rich.spinner import Spinner

        self.spinner = Spinner("dots")
        console = Console(file=self.stream, highlight=False, emoji=False, markup=False)
        self.live = Live(console=console, get_renderable=self.status, refresh_per_second=8,
                         transient=True, redirect_stdout=False, redirect_stderr=True)
        self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None

    def on_step(self, event: StepEvent) -> None:
        if event.status == "started":
            self.step, self.started_at, self.work = event, time.monotonic(), None
            logger.debug("→ {} {}{}", _where(event), event.title, _attempt(event))
            return
        self.step = None
        super().on_step(event)

    def on_progress(self, event: ProgressEvent) -> None:
        now = time.monotonic()
        self.work = self.work.update(event, now) if self.work else Work.first(event, now)

    def status(self) -> RenderableType:
        """The live line: ``⠋ [7/16] Add ... to every project  12 s  adding projects ...``."""
        from rich.text import Text

        step, work, spinner = self.step, self.work, self.spinner
        if step is None or spinner is None:
            return Text("")
        line = f"{_where(step)} {step.title}  {time.monotonic() - self.started_at:.0f} s"
        if work is not None:
            line += f"  {work.describe()}"
        spinner.update(text=Text(REDACTOR.scrub(line), no_wrap=True, overflow="ellipsis"))
        return spinner


def open_display(stream: IO[str], *, quiet: bool) -> RunDisplay:
    """The display for output going to ``stream``."""
    if quiet:
        return RunDisplay()
    if _is_terminal(stream):
        return TerminalDisplay(stream)
    return PlainDisplay()


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty()) and os.environ.get("TERM", "") != "dumb"
    except (AttributeError, ValueError):  # replaced or closed streams
        return False
