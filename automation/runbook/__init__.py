"""Runbooks: parse, validate, plan. Nothing here starts a browser."""

from __future__ import annotations

from pathlib import Path

from automation.action_spec import Registry
from automation.errors import Problem, RunbookError
from automation.runbook.model import Include, InputSpec, Runbook, Step, StepVault
from automation.runbook.parse import parse_file
from automation.runbook.plan import Plan, PlannedStep, build_plan
from automation.runbook.validate import validate

__all__ = [
    "Include",
    "InputSpec",
    "Plan",
    "PlannedStep",
    "Runbook",
    "Step",
    "StepVault",
    "build_plan",
    "check_runbook",
    "load_runbook",
]


def check_runbook(path: Path, registry: Registry) -> tuple[Runbook | None, list[Problem]]:
    """Parses and validates ``path`` (and its includes); returns every problem found."""
    problems: list[Problem] = []
    runbook = parse_file(path, problems)
    if runbook is not None:
        problems.extend(validate(runbook, registry))
    return runbook, sorted(set(problems), key=lambda p: (p.pos, p.message))


def load_runbook(path: Path, registry: Registry) -> Runbook:
    """A valid runbook, or RunbookError listing every problem."""
    runbook, problems = check_runbook(path, registry)
    if problems or runbook is None:
        raise RunbookError(problems)
    return runbook
