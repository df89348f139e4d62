"""Logging with loguru: one readable line per step, and no secret in any sink.

Every sink is wrapped so that the fully formatted text (message, extras and exception alike)
goes through :data:`~automation.secret.REDACTOR` before it is written.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Any

from loguru import logger

from automation.execute.events import RunEvent, StepEvent
from automation.secret import REDACTOR

__all__ = ["StepLog", "configure_logging", "log_result"]

_SYMBOLS = {"succeeded": "✓", "failed": "✗", "skipped": "-", "done_before": "↷"}


class _RedactingSink:
    """Writes scrubbed text to ``stream``, or to whatever ``sys.stderr`` is at the time (the
    live display on a terminal stands in for it, to print lines above its status)."""

    def __init__(self, stream: IO[str] | None) -> None:
        self.stream = stream

    def write(self, message: str) -> None:
        stream = self.stream or sys.stderr
        stream.write(REDACTOR.scrub(message))
        stream.flush()


def _results_and_problems(record: Any) -> bool:
    """``--quiet``: warnings, errors and the run's conclusions (:func:`log_result`)."""
    return bool(record["level"].no >= logger.level("WARNING").no
                or record["extra"].get("result"))


def log_result(line: str) -> None:
    """One of the run's conclusions ("37/37 projects visible ..."): shown even with --quiet."""
    logger.bind(result=True).info("{}", line)


def configure_logging(*, verbose: int = 0, json_path: Path | None = None,
                      stream: IO[str] | None = None, quiet: bool = False) -> None:
    """Console at INFO (``-v``: DEBUG; ``quiet``: only problems and results), optional JSON
    lines file; both scrubbed."""
    logger.remove()
    logger.add(
        _RedactingSink(stream),
        level="DEBUG" if verbose else "INFO",
        filter=_results_and_problems if quiet else None,
        format="{message}" if not verbose else "{time:HH:mm:ss.SSS} {level: <7} {message}",
        backtrace=False,
        diagnose=False,  # diagnose would print local variables: secrets among them
        colorize=False,
    )
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        logger.add(_RedactingSink(json_path.open("a", encoding="utf-8")), level="DEBUG",
                   serialize=True, backtrace=False, diagnose=False)


class StepLog:
    """The executor subscriber that writes one line per step."""

    def on_run(self, event: RunEvent) -> None:
        if event.status in ("started", "resumed"):
            logger.info("{} {} ({})", "Resuming" if event.status == "resumed" else "Running",
                        event.name, event.runbook)
        elif not event.succeeded:
            logger.error("Run failed at step {}", event.details.get("failed_step"))

    def on_step(self, event: StepEvent) -> None:
        width = len(str(event.total))
        where = f"[{event.index:>{width}}/{event.total}]"
        if event.status == "started":
            logger.debug("{} {} ({}){}", where, event.title, event.action,
                         f", attempt {event.attempt}" if event.attempt > 1 else "")
            return
        line = f"{_SYMBOLS[event.status]} {where} {event.title}"
        extra: dict[str, Any] = {}
        if event.status == "succeeded":
            logger.info("{}  {:.2f} s", line, event.duration_s, **extra)
            for note in event.notes:
                logger.info("    {}", note)
            for name, ref in event.vault_refs.items():
                logger.info("    {} stored in {}", name, ref)
        elif event.status == "failed":
            logger.error("{}\n    {}", line, event.reason.replace("\n", "\n    "))
        elif event.status == "skipped":
            logger.info("{}  (skipped: {})", line, event.reason)
        else:
            logger.info("{}  (done in an earlier run)", line)
