"""What to do after a failed run, said only where it is true.

"Run it again" is safe advice only when every step left to run looks at the screen's state
first (the page-object actions do: they reuse an app that exists, skip a box already ticked).
The plain primitives that press or type on whatever the screen shows (``click``, ``fill``,
``select``) do not: a second run presses the button again. Then the advice says so and names
those steps.
"""

from __future__ import annotations

from pathlib import Path

from automation.action_spec import ActionSpec
from automation.runbook.plan import Plan, PlannedStep

__all__ = ["after_failure", "looks_first"]

#: Primitives that act on the screen as it is, without looking at the state first.
_ACTS_ON_THE_SCREEN_AS_IS = frozenset({"click", "fill", "select"})


def looks_first(spec: ActionSpec) -> bool:
    """Whether running the action again is harmless: it checks the state before acting."""
    if spec.name in _ACTS_ON_THE_SCREEN_AS_IS:
        return False
    return spec.retry_safe or not spec.changes


def after_failure(plan: Plan, failed_step: str | None, *, resumable: Path | None) -> list[str]:
    """The advice after a run failed at ``failed_step``; ``resumable`` is the run directory
    when the target outlives the run (``--resume`` works), None for the built-in mock."""
    keys = [s.key for s in plan]
    start = keys.index(failed_step) if failed_step in keys else 0
    blind = [s for s in plan.steps[start:] if not looks_first(s.spec)]
    if not blind:
        if resumable is not None:
            return [f"Resume with: runbook run --resume {resumable}"]
        return ["Run it again: every step looks first, nothing is done twice"]
    how = (f"resume with: runbook run --resume {resumable}" if resumable is not None else
           f"run again from the failed step with --start-at {failed_step or keys[0]}")
    return [f"{_steps(blind)} {_kinds(blind)}: check the screen before running again, or {how}"]


def _steps(steps: list[PlannedStep]) -> str:
    keys = [f"'{s.key}'" for s in steps]
    if len(keys) == 1:
        return f"Step {keys[0]} is"
    shown = ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
    return f"Steps {shown} are"


def _kinds(steps: list[PlannedStep]) -> str:
    """``plain clicks/fills, which act ...`` (``a plain click, which acts ...`` for one)."""
    one = len(steps) == 1
    names = sorted({s.spec.name for s in steps})
    if not set(names) <= _ACTS_ON_THE_SCREEN_AS_IS:
        return ("an action that does not" if one else "actions that do not") + (
            " look at the state first")
    kinds = "/".join(n if one else f"{n}s" for n in names)
    return (f"{'a ' if one else ''}plain {kinds}, which act{'s' if one else ''} on the screen "
            "as it is without looking first")
