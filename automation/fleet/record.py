"""What a fleet is (``fleet.json``) and where each member stands (its own journal).

The fleet directory holds ``fleet.json`` (the runbook, the members, the shared settings:
what ``--resume`` needs) and one run directory per member. A member's status, duration and
result line are read back from that member's ``journal.jsonl`` alone, so a fleet that was
killed, or ran in several goes, reports the same as one that ran straight through.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from automation.errors import Pos, RunbookError
from automation.execute.journal import JOURNAL_NAME
from automation.fleet.members import Member

__all__ = ["FLEET_ERROR", "FLEET_FILE", "FleetSpec", "MemberSummary", "member_summary"]

FLEET_FILE = "fleet.json"
#: Why a member could not start a run at all (so it has no journal).
FLEET_ERROR = "fleet-error.txt"
MemberStatus = Literal["succeeded", "failed", "not run"]


@dataclass
class FleetSpec:
    runbook: str
    members: list[Member]
    #: ``--var`` values every member shares (a member's own value wins).
    variables: dict[str, str] = field(default_factory=dict)
    target: str = "mock"
    mock_ui: str | None = None
    vault: str | None = None
    parallel: int = 1
    endpoints: list[str] = field(default_factory=list)
    first_alone: bool = False
    timeout_s: float = 30.0

    def save(self, fleet_dir: Path) -> None:
        fleet_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = asdict(self)
        data["members"] = [{"name": m.name, "variables": m.variables, "pos": str(m.pos)}
                           for m in self.members]
        partial = fleet_dir / (FLEET_FILE + ".partial")
        partial.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        partial.replace(fleet_dir / FLEET_FILE)

    @classmethod
    def load(cls, fleet_dir: Path) -> FleetSpec:
        path = fleet_dir / FLEET_FILE
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            members = [Member(m["name"], m["variables"], _pos(m["pos"]), {}, {})
                       for m in data.pop("members")]
            return cls(members=members, **data)
        except FileNotFoundError:
            raise RunbookError(f"--resume {fleet_dir}: no {FLEET_FILE} there (not a fleet "
                               "directory)") from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise RunbookError(f"{path}: not a fleet file ({exc})") from None


def _pos(text: str) -> Pos:
    file, line, col = text.rsplit(":", 2)
    return Pos(file, int(line), int(col))


@dataclass(frozen=True)
class MemberSummary:
    name: str
    status: MemberStatus
    duration_s: float
    #: The run's conclusion (``37/37 projects visible ...``) or its failing step and why.
    line: str
    run_dir: Path
    #: How many times the member ran (1, or more after a resume or a lost browser).
    runs: int = 0


def member_summary(name: str, run_dir: Path) -> MemberSummary:
    """Where the member stands, from its journal (``not run`` without one)."""
    path = run_dir / JOURNAL_NAME
    if not path.is_file():
        error = run_dir / FLEET_ERROR
        if error.is_file():  # it could not start: no browser left, say
            return MemberSummary(name, "failed", 0.0, error.read_text().strip(), run_dir)
        return MemberSummary(name, "not run", 0.0, "", run_dir)
    succeeded, runs, duration, line = False, 0, 0.0, ""
    started: datetime | None = None
    headlines: list[str] = []
    last: datetime | None = None
    for record in _records(path):
        event = record.get("event")
        when = _time(record)
        if event in ("run_started", "run_resumed"):
            if started is not None and last is not None:  # a run killed: up to its last event
                duration += (last - started).total_seconds()
            runs, started, succeeded = runs + 1, when, False
        elif event == "run_finished":
            succeeded = bool(record.get("succeeded"))
            if started is not None and when is not None:
                duration += (when - started).total_seconds()
            started = None
            if not succeeded:
                line = f"failed at {record.get('failed_step')}" + line
        elif event == "step_succeeded":
            headlines.extend(record.get("headlines") or ())
        elif event == "step_failed":
            reason = str(record.get("reason", "")).strip().splitlines()
            line = f": {reason[0]}" if reason else ""
        last = when or last
    if started is not None:  # killed mid-run: count up to its last event
        succeeded, line = False, "did not finish (interrupted)"
        if last is not None:
            duration += (last - started).total_seconds()
    if succeeded:
        visible = [h for h in headlines if "projects visible" in h]
        line = (visible or headlines or ["succeeded"])[-1]
    return MemberSummary(name, "succeeded" if succeeded else "failed", duration, line,
                         run_dir, runs)


def _records(path: Path) -> list[dict[str, Any]]:
    records = []
    for raw in path.read_bytes().splitlines():
        try:
            records.append(json.loads(raw))
        except ValueError:
            continue  # a torn last line (a killed run)
    return records


def _time(record: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(str(record["time"]))
    except (KeyError, ValueError):
        return None
