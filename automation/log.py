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

__all__ = ["StepLog", "configure_logging"]

_SYMBOLS = {"succeeded": "✓", "failed": "✗", "skipped": "-", "done_before": "↷"}


class _RedactingSink:
    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, message: str) -> None:
        self.stream.write(REDACTOR.scrub(message))
        self.stream.flush()


def configure_logging(*, verbose: int = 0, json_path: Path | None = None,
                      stream: IO[str] | None = None) -> None:
    """Console at INFO (``-v``: DEBUG), optional JSON lines file; both scrubbed."""
    logger.remove()
    logger.add(
        _RedactingSink(stream or sys.stderr),
        level="DEBUG" if verbose else "INFO",
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
