"""A runbook as one test item: a whole run, its own mock (target ``mock``), browser and run
directory; a failure reads as the runbook's own location, not a Python traceback."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from automation.testing.pytest_plugin.options import RunbookOptions
from automation.testing.pytest_plugin.outcome import RunOutcome

__all__ = ["RunbookFailed", "RunbookItem"]


class RunbookFailed(Exception):
    """The run ended without success; ``outcome`` says where and why."""

    def __init__(self, runbook: Path, outcome: RunOutcome) -> None:
        super().__init__(f"{runbook}: the run failed (exit code {outcome.exit_code})")
        self.runbook, self.outcome = runbook, outcome


class RunbookItem(pytest.Item):
    def __init__(self, *, includes: frozenset[Path] = frozenset(),
                 member: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: The files this runbook includes: run through it, not on their own.
        self.includes = includes
        #: A fleet member's inputs (``--runbook-members``): this item runs for that member.
        self.member = member

    def runtest(self) -> None:
        from automation.testing.pytest_plugin.runner import run_runbook

        options = RunbookOptions.from_config(self.config)
        outcome = run_runbook(self.path, options, self.member)
        self._attach(outcome, options)
        if not outcome.succeeded:
            raise RunbookFailed(self.path, outcome)

    def _attach(self, outcome: RunOutcome, options: RunbookOptions) -> None:
        """The run's records as the test's properties (``--junitxml`` writes them)."""
        if outcome.run_dir is not None:
            self.user_properties.append(("run_dir", self._shown(outcome.run_dir)))
        if outcome.report is not None:
            self.user_properties.append(("report", self._shown(outcome.report)))
        shot = outcome.failed.screenshot if outcome.failed else None
        if shot is None and options.screenshot == "on" and outcome.run_dir is not None:
            shot = _last_picture(outcome.run_dir)
        if shot is not None and (options.screenshot != "off" or not outcome.succeeded):
            self.user_properties.append(("screenshot", self._shown(shot)))

    def _shown(self, path: Path) -> str:
        """Relative to where pytest was started, when it lies there (as pytest-playwright
        shows its artifacts), so a CI's report links stay valid on another machine."""
        base = self.config.invocation_params.dir
        return str(path.relative_to(base)) if path.is_relative_to(base) else str(path)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str | Any:
        from automation.errors import RunbookToolError

        error = excinfo.value
        if isinstance(error, RunbookFailed):
            return self._failure_text(error.outcome)
        if isinstance(error, RunbookToolError):  # bad input: file:line:col: message lines
            return str(error)
        return super().repr_failure(excinfo, style=style)

    def _failure_text(self, outcome: RunOutcome) -> str:
        failed = outcome.failed
        lines: list[str] = []
        if failed is None:
            lines.append(f"{self.path}: the run failed (exit code {outcome.exit_code}); "
                         "its log is below")
        else:
            lines.append(f"{failed.location}: {failed.title} (step '{failed.key}', "
                         f"{failed.action})")
            lines += [f"  included from {where}" for where in reversed(failed.included_from)]
            reason = _first_line(failed.reason).removeprefix(f"{failed.location}: ")
            if reason:
                lines.append(f"  {reason}")
            if failed.locator:
                lines.append(f"  locator: {failed.locator}")
            if failed.screenshot is not None:
                lines.append(f"  screenshot: {self._shown(failed.screenshot)}")
        if outcome.report is not None:
            lines.append(f"  report: {self._shown(outcome.report)}")
        return "\n".join(lines)

    def reportinfo(self) -> tuple[os.PathLike[str] | str, int | None, str]:
        return self.path, None, f"runbook {self.name}"


def _first_line(reason: str) -> str:
    """The failure's own words: the first line of the step's error (the following lines
    repeat the page, the locator and the screenshot, shown on lines of their own)."""
    return reason.strip().splitlines()[0] if reason.strip() else ""


def _last_picture(run_dir: Path) -> Path | None:
    from automation.artifacts.record import load_record

    record = load_record(run_dir)
    pictures = [p for row in record.steps for _, p, _ in row.pictures]
    return run_dir / pictures[-1] if pictures else None
