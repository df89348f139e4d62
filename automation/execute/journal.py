"""``journal.jsonl``: one JSON object per event, appended as the run goes.

It is what ``--resume`` reads back: which steps finished, their non-secret outputs, the
vault references of their secret outputs and the page each site was on. Secret values never
reach it: outputs holding a Secret are refused, and every line is scrubbed.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from automation.errors import RunbookError, RunbookToolError
from automation.execute.events import RunEvent, StepEvent
from automation.secret import REDACTOR, Secret

__all__ = [
    "JOURNAL_NAME",
    "Journal",
    "JournalState",
    "JournalUnwritable",
    "RunDirUnwritable",
    "latest_outputs",
    "read_journal",
    "unwritable_message",
]

JOURNAL_NAME = "journal.jsonl"


def _no_secrets(value: Any) -> Any:
    if isinstance(value, Secret):
        return value.describe()
    raise TypeError(f"cannot journal a {type(value).__name__}")


class RunDirUnwritable(RunbookToolError):
    """The run directory cannot be written (read-only, full, missing): exit 1."""


class JournalUnwritable(RunDirUnwritable):
    """The run's journal, in particular, cannot be written."""


class Journal:
    """Appends events to ``run_dir/journal.jsonl``, one whole line at a time.

    Each line goes out in one ``write`` on an ``O_APPEND`` descriptor and is synced, so a
    killed run keeps every event before the kill. A write the disk cuts short (full, turned
    read-only) is cut back off, so the journal never ends in a torn line that ``--resume``
    would stumble on; a torn line left by a power cut is cut off when the journal is reopened.
    """

    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / JOURNAL_NAME
        try:
            run_dir.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC,
                               0o644)
            self._cut_torn_tail()
        except OSError as error:
            raise _unwritable(self.path, error) from None

    def write(self, event: str, **fields: Any) -> None:
        record = {"event": event, "time": datetime.now(UTC).isoformat(), **fields}
        line = json.dumps(record, default=_no_secrets, ensure_ascii=False)
        data = (REDACTOR.scrub(line) + "\n").encode()
        size = os.fstat(self._fd).st_size
        try:
            written = os.write(self._fd, data)
            if written != len(data):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))
            os.fsync(self._fd)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, size)  # no torn line: the event is lost whole
            raise _unwritable(self.path, error) from None

    def on_run(self, event: RunEvent) -> None:
        # Only the end of a run knows how it went: a start claims nothing.
        outcome = {} if event.succeeded is None else {"succeeded": event.succeeded}
        self.write(f"run_{event.status}", runbook=event.runbook, name=event.name, **outcome,
                   **event.details)

    def on_step(self, event: StepEvent) -> None:
        fields = asdict(event)
        status = fields.pop("status")
        fields.pop("summary")  # the action's, not the run's: the registry has it
        if status == "done_before":
            return  # already journaled by the run that did it
        if status == "started":
            fields = {k: fields[k] for k in ("key", "title", "index", "action", "attempt")}
        self.write(f"step_{status}", **fields)

    def close(self) -> None:
        os.close(self._fd)

    def _cut_torn_tail(self) -> None:
        with self.path.open("rb") as existing:
            data = existing.read()
        if data and not data.endswith(b"\n"):
            os.ftruncate(self._fd, data.rfind(b"\n") + 1)


def _unwritable(path: Path, error: OSError) -> JournalUnwritable:
    return JournalUnwritable(unwritable_message("the run journal", path, error))


def unwritable_message(what: str, path: Path, error: OSError) -> str:
    """What to say when a file of the run directory cannot be written."""
    return (
        f"cannot write {what} {path}: {error.strerror}. Free some space or choose another "
        "--out; a journal already started can be resumed once it is writable again"
    )


@dataclass
class JournalState:
    """What a journal says about a run, for ``--resume``."""

    runbook: str
    inputs: dict[str, Any]
    target: dict[str, Any]
    vault: str
    name: str = ""
    completed: dict[str, StepEvent] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    finished: bool = False


def read_journal(run_dir: Path) -> JournalState:
    path = run_dir / JOURNAL_NAME
    if not path.is_file():
        raise RunbookError(f"--resume {run_dir}: no {JOURNAL_NAME} there")
    state: JournalState | None = None
    try:
        lines = path.read_bytes().splitlines()
    except OSError as error:
        raise RunbookError(f"--resume {run_dir}: cannot read {path}: {error.strerror}") from None
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)  # bytes: a line cut inside a character is torn too
        except ValueError:
            # A run killed mid-write leaves at most a torn last line: ignore only that one.
            if number == len(lines):
                break
            raise RunbookError(f"{path}:{number}:1: not a JSON line") from None
        event = record.pop("event")
        record.pop("time", None)
        if event == "run_started" and record.get("check"):
            raise RunbookError(f"--resume {run_dir}: that was a check (--check), which changed "
                               "nothing: run the runbook instead")
        if event == "run_started":
            state = JournalState(record["runbook"], record.get("inputs", {}),
                                 record.get("target", {}), record.get("vault", ""),
                                 record.get("name", ""))
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


def latest_outputs(runs_dir: Path, name: str, target: str) -> dict[str, tuple[StepEvent, Path]]:
    """Per step key, its outputs from the newest run under ``runs_dir`` of runbook ``name``
    against ``target`` that completed it, with that run's directory.

    Non-secret outputs as journaled; secret ones only as their vault references (the values
    stay in the vault). Run directories start with their UTC time, so names sort by age; a
    journal that cannot be read is passed over.
    """
    found: dict[str, tuple[StepEvent, Path]] = {}
    for journal in sorted(runs_dir.glob(f"*/{JOURNAL_NAME}"), reverse=True):
        try:
            state = read_journal(journal.parent)
        except RunbookError:
            continue
        if state.name != name or state.target.get("name") != target:
            continue
        for key, step in state.completed.items():
            found.setdefault(key, (step, journal.parent))
    return found
