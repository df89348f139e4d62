"""``journal.jsonl``: one JSON object per event, appended as the run goes.

It is what ``--resume`` reads back: which steps finished, their non-secret outputs, the
vault references of their secret outputs and the page each site was on. Secret values never
reach it: outputs holding a Secret are refused, and every line is scrubbed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from automation.errors import RunbookError
from automation.execute.events import RunEvent, StepEvent
from automation.secret import REDACTOR, Secret

__all__ = ["JOURNAL_NAME", "Journal", "JournalState", "read_journal"]

JOURNAL_NAME = "journal.jsonl"


def _no_secrets(value: Any) -> Any:
    if isinstance(value, Secret):
        return value.describe()
    raise TypeError(f"cannot journal a {type(value).__name__}")


class Journal:
    """Appends events to ``run_dir/journal.jsonl`` (flushed at once: a killed run keeps it)."""

    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / JOURNAL_NAME
        run_dir.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] = self.path.open("a", encoding="utf-8")

    def write(self, event: str, **fields: Any) -> None:
        record = {"event": event, "time": datetime.now(UTC).isoformat(), **fields}
        line = json.dumps(record, default=_no_secrets, ensure_ascii=False)
        self._file.write(REDACTOR.scrub(line) + "\n")
        self._file.flush()

    def on_run(self, event: RunEvent) -> None:
        self.write(f"run_{event.status}", runbook=event.runbook, name=event.name,
                   succeeded=event.succeeded, **event.details)

    def on_step(self, event: StepEvent) -> None:
        fields = asdict(event)
        status = fields.pop("status")
        if status == "done_before":
            return  # already journaled by the run that did it
        if status == "started":
            fields = {k: fields[k] for k in ("key", "title", "index", "action", "attempt")}
        self.write(f"step_{status}", **fields)

    def close(self) -> None:
        self._file.close()


@dataclass
class JournalState:
    """What a journal says about a run, for ``--resume``."""

    runbook: str
    inputs: dict[str, Any]
    target: dict[str, Any]
    vault: str
    completed: dict[str, StepEvent] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    finished: bool = False


def read_journal(run_dir: Path) -> JournalState:
    path = run_dir / JOURNAL_NAME
    if not path.is_file():
        raise RunbookError(f"--resume {run_dir}: no {JOURNAL_NAME} there")
    state: JournalState | None = None
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            # A run killed mid-write leaves at most a torn last line: ignore only that one.
            if number == len(lines):
                break
            raise RunbookError(f"{path}:{number}:1: not a JSON line") from None
        event = record.pop("event")
        record.pop("time", None)
        if event == "run_started":
            state = JournalState(record["runbook"], record.get("inputs", {}),
                                 record.get("target", {}), record.get("vault", ""))
        elif state is None:
            raise RunbookError(f"{path}:{number}:1: expected run_started first")
        elif event == "step_succeeded":
            step = StepEvent(status="succeeded", **record)
            state.completed[step.key] = step
            state.urls.update(step.urls)
        elif event == "run_finished":
            state.finished = bool(record.get("succeeded"))
    if state is None:
        raise RunbookError(f"{path}: empty journal")
    return state
