"""``--start-at`` and ``--tags``: what the steps that run need from the steps left out.

Their outputs come from the newest earlier run of the same runbook against the same target
(its journal under ``--out``); secret outputs only as vault references, read from the vault
when a step needs them. When no earlier run has one, nothing starts: the message names the
value, the step that produces it and where it is read.
"""

from __future__ import annotations

from pathlib import Path

from loguru import logger

from automation.errors import Problem, RunbookError
from automation.execute.events import StepEvent
from automation.execute.journal import latest_outputs
from automation.runbook.plan import Plan
from automation.runbook.selection import Selection, outputs_needed

__all__ = ["journaled_target_name", "outputs_from_earlier_run"]


def journaled_target_name(spec: str | None) -> str | None:
    """The target's name as a run's journal records it; None for the built-in mock, whose
    portal ends with each run (an earlier run's app, version or project means nothing to
    the next one, as for ``--resume``)."""
    from automation.targets import load_target

    return None if spec in (None, "mock") else load_target(spec).name


def outputs_from_earlier_run(plan: Plan, selection: Selection, runs_dir: Path,
                             target_spec: str | None) -> dict[str, StepEvent]:
    """By step key, the journaled outputs of each left-out step whose outputs a step that
    runs reads; RunbookError (exit 2, nothing started) naming each value no run has."""
    skipped = selection.skipped(plan)
    needs = outputs_needed(plan, skipped)
    if not needs:
        return {}
    target = journaled_target_name(target_spec)
    found = latest_outputs(runs_dir, plan.runbook.name, target) if target is not None else {}
    why_none = (f"no earlier run of {plan.runbook.name} against target {target_spec} under "
                f"{runs_dir}/ has it" if target is not None else
                "the built-in mock starts afresh for every run, so no earlier run's outputs "
                "apply (to start anywhere, serve one that outlives its runs: `runbook "
                "mock-portal --profile-out mock.yaml`, then --target mock.yaml)")
    problems = []
    for need in needs:
        event = found.get(need.producer, (None, None))[0]
        if event is not None and (need.output in event.outputs
                                  or need.output in event.vault_refs):
            continue
        by_start = skipped[need.producer] == "before --start-at"
        advice = (f"start at {need.producer} or earlier" if by_start else
                  f"run step {need.producer} too (add one of its tags to --tags)")
        problems.append(Problem(need.pos, (
            f"step {need.consumer} needs {need.reference} (output '{need.output}' of step "
            f"{need.producer}), which {'--start-at' if by_start else '--tags'} skips; "
            f"{why_none}: {advice}")))
    if problems:
        raise RunbookError(problems)
    producers = sorted({need.producer for need in needs})
    for run_dir in sorted({found[key][1] for key in producers}):
        keys = ", ".join(k for k in producers if found[k][1] == run_dir)
        logger.info("Outputs of skipped step(s) {} from the earlier run {}", keys, run_dir)
    return {key: found[key][0] for key in producers}
