"""``record.json``: what the run did, step by step, for the report and the procedure.

It holds titles, statuses, durations, notes, the failing locator and the pictures' paths
(relative to the run directory), never an output value: the report can be rebuilt from it
after the fact (``runbook report``, ``runbook procedure RUN_DIR``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from automation.artifacts.screenshots import Screenshots
from automation.execute.events import RunEvent, StepEvent
from automation.secret import REDACTOR

__all__ = ["RECORD_NAME", "RunRecord", "StepRow", "load_record"]

RECORD_NAME = "record.json"


@dataclass
class StepRow:
    key: str
    index: int
    title: str
    action: str
    status: str = "started"
    attempts: int = 1
    duration_s: float = 0.0
    sensitive: bool = False
    notes: list[str] = field(default_factory=list)
    reason: str = ""
    locator: str | None = None
    failed_screen: str | None = None
    #: [moment, path relative to the run directory, attempt]
    pictures: list[tuple[str, str, int]] = field(default_factory=list)
    #: Seconds since the run started, for the captions.
    started_at: float = 0.0
    ended_at: float = 0.0
    #: What the action does, in a line (the procedure shows it under the step's title).
    summary: str = ""


@dataclass
class RunRecord:
    """Subscriber that collects the rows; :meth:`save` writes ``record.json``."""

    run_dir: Path
    screenshots: Screenshots | None = None
    runbook: str = ""
    name: str = ""
    started: str = ""
    succeeded: bool | None = None
    #: A check (``--check``): nothing was done, so there is no procedure to tell.
    check: bool = False
    steps: list[StepRow] = field(default_factory=list)
    #: Files the leak scan quarantined (names only).
    quarantined: list[str] = field(default_factory=list)
    _clock: datetime | None = None

    def _now(self) -> float:
        if self._clock is None:
            self._clock = datetime.now(UTC)
        return (datetime.now(UTC) - self._clock).total_seconds()

    def on_run(self, event: RunEvent) -> None:
        if event.status in ("started", "resumed"):
            self.runbook, self.name = event.runbook, event.name
            self.check = bool(event.details.get("check"))
            self.started = datetime.now(UTC).isoformat(timespec="seconds")
            self._now()
        else:
            self.succeeded = event.succeeded

    def on_step(self, event: StepEvent) -> None:
        row = self._row(event)
        row.status = event.status
        row.attempts, row.sensitive = event.attempt, row.sensitive or event.sensitive
        if event.status == "started":
            row.started_at = row.started_at or self._now()
            return
        row.ended_at = self._now()
        row.duration_s = event.duration_s
        row.notes = [REDACTOR.scrub(n) for n in event.notes]
        row.reason = REDACTOR.scrub(event.reason)
        row.locator = REDACTOR.scrub(event.locator) if event.locator else None
        if event.failed_screen:
            row.failed_screen = str(Path(event.failed_screen).relative_to(self.run_dir))
        if self.screenshots is not None:
            row.pictures = [(p.moment, str(p.path), p.attempt)
                            for p in self.screenshots.of(event.key)]

    def _row(self, event: StepEvent) -> StepRow:
        for row in self.steps:
            if row.key == event.key:
                return row
        row = StepRow(event.key, event.index, REDACTOR.scrub(event.title), event.action,
                      summary=event.summary)
        self.steps.append(row)
        return row

    def save(self) -> Path:
        path = self.run_dir / RECORD_NAME
        data = {"runbook": self.runbook, "name": self.name, "started": self.started,
                "succeeded": self.succeeded, "steps": [asdict(row) for row in self.steps],
                "quarantined": self.quarantined}
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        return path


def load_record(run_dir: Path) -> RunRecord:
    data: dict[str, Any] = json.loads((run_dir / RECORD_NAME).read_text(encoding="utf-8"))
    steps = [StepRow(**{**s, "pictures": [tuple(p) for p in s["pictures"]]})
             for s in data.pop("steps")]
    return RunRecord(run_dir, steps=steps, **data)
