"""What a runbook item's run left behind, read back for pytest: the run directory, and where
and why it failed (from ``record.json`` and the runbook's own positions)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FailedStep", "RunOutcome", "failed_step", "find_run_dir", "run_dirs"]

RECORD_NAME = "record.json"  # automation.artifacts.record.RECORD_NAME, without its imports
REPORT_NAME = "report.html"  # automation.artifacts.report.REPORT_NAME


@dataclass(frozen=True)
class FailedStep:
    """The step that failed: where it is written, what it is called, what it did not find."""

    location: str  # file:line:col of the step in its runbook (an included file's own)
    included_from: tuple[str, ...]  # file:line:col of each include on the way, outermost first
    key: str  # its key in the plan: ``developer.promote``
    title: str
    action: str
    reason: str
    locator: str | None
    screenshot: Path | None


@dataclass(frozen=True)
class RunOutcome:
    exit_code: int
    run_dir: Path | None
    failed: FailedStep | None = None

    @property
    def succeeded(self) -> bool:
        return self.exit_code == 0

    @property
    def report(self) -> Path | None:
        path = self.run_dir / REPORT_NAME if self.run_dir else None
        return path if path is not None and path.is_file() else None


def run_dirs(out: Path) -> set[Path]:
    return {p for p in out.iterdir() if p.is_dir()} if out.is_dir() else set()


def find_run_dir(out: Path, runbook: Path, before: set[Path]) -> Path | None:
    """The run directory this run made under ``out``: a new one whose record names the
    runbook (other workers may be adding theirs beside it at the same moment)."""
    for candidate in sorted(run_dirs(out) - before, reverse=True):
        try:
            record = json.loads((candidate / RECORD_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if Path(str(record.get("runbook", ""))).resolve() == runbook.resolve():
            return candidate
    return None


def failed_step(run_dir: Path, runbook: Path) -> FailedStep | None:
    """The failed step of the run in ``run_dir``, placed in its runbook's file."""
    from automation.artifacts.record import load_record

    record = load_record(run_dir)
    row = next((r for r in reversed(record.steps) if r.status == "failed"), None)
    if row is None:
        return None
    location, included_from = _step_location(runbook, row.key)
    failed_pictures = [p for moment, p, _ in row.pictures if moment == "failed"]
    picture = row.failed_screen or (failed_pictures[-1] if failed_pictures else None) or (
        row.pictures[-1][1] if row.pictures else None)
    return FailedStep(location=location, included_from=included_from, key=row.key,
                      title=row.title,
                      action=row.action, reason=row.reason, locator=row.locator,
                      screenshot=run_dir / picture if picture else None)


def _step_location(runbook: Path, key: str) -> tuple[str, tuple[str, ...]]:
    """The step's ``file:line:col``, following the include keys its plan key is made of
    (``developer.promote``: the include ``developer``, then its step ``promote``)."""
    from automation.actions import REGISTRY
    from automation.runbook import Include, load_runbook

    current = load_runbook(runbook, REGISTRY)
    included_from: list[str] = []
    parts = key.split(".")
    for depth, part in enumerate(parts):
        item = next((i for i in current.items if i.key == part), None)
        if item is None:
            break
        if isinstance(item, Include):
            if depth == len(parts) - 1:
                return str(item.pos), tuple(included_from)
            included_from.append(str(item.pos))
            current = current.includes[item.key]
            continue
        return str(item.pos), tuple(included_from)
    return str(current.pos), tuple(included_from)
