"""Which steps ``--start-at`` and ``--tags`` leave out, and what the others need from them.

``run`` and ``plan`` share it: an unknown step or a tag no step carries is refused before
anything starts (exit 2), and the outputs the remaining steps read from a left-out step are
found by reading their templates (``steps.X.Y``), so a run can take them from an earlier run
or say which step produces them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from automation.errors import Pos, RunbookError
from automation.runbook.limits import clip
from automation.runbook.model import Include, Step
from automation.runbook.plan import Plan, PlannedStep, Scope
from automation.runbook.templating import TemplateError, has_template, references

__all__ = ["ALWAYS", "Need", "Selection", "outputs_needed"]

#: A step tagged ``always`` runs whatever ``--tags`` says.
ALWAYS = "always"


@dataclass(frozen=True)
class Selection:
    """``--start-at STEP`` (a step key such as ``company.verify``, or a step id) and
    ``--tags a,b``; each step either runs or is skipped for a reason."""

    start_at: str | None = None
    tags: frozenset[str] | None = None

    @classmethod
    def from_options(cls, start_at: str | None, tags: str | None) -> Selection:
        chosen = frozenset(t.strip() for t in tags.split(",") if t.strip()) if tags else None
        return cls(start_at or None, chosen or None)

    def check(self, plan: Plan) -> None:
        """Refuses a ``--start-at`` naming no step and a tag that no step carries."""
        if self.start_at is not None and self._first(plan) is None:
            keys = ", ".join(s.key for s in plan)
            raise RunbookError(f"--start-at {clip(self.start_at, 60)}: no such step in "
                               f"{plan.runbook.path} (its steps: {clip(keys, 400)})")
        if self.tags is None:
            return
        carried = sorted({tag for step in plan for tag in step.tags})
        unknown = sorted(self.tags - set(carried))
        if unknown:
            listing = ", ".join(carried) if carried else "none (no step has tags)"
            raise RunbookError(f"--tags {','.join(clip(t, 40) for t in unknown)}: no step of "
                               f"runbook '{plan.runbook.name}' has "
                               f"{'this tag' if len(unknown) == 1 else 'these tags'}; "
                               f"its tags: {listing}")

    def skipped(self, plan: Plan) -> dict[str, str]:
        """The steps left out, by key, each with why (``before --start-at``, ``not tagged…``)."""
        reasons: dict[str, str] = {}
        first = self._first(plan)
        for planned in plan:
            if first is not None and planned.index < first.index:
                reasons[planned.key] = "before --start-at"
            elif self.tags is not None and not (planned.tags & self.tags
                                                or ALWAYS in planned.tags):
                reasons[planned.key] = "not tagged " + ", ".join(sorted(self.tags))
        return reasons

    def _first(self, plan: Plan) -> PlannedStep | None:
        if self.start_at is None:
            return None
        return plan.find(self.start_at) or next(
            (s for s in plan if s.step.id == self.start_at), None)


@dataclass(frozen=True)
class Need:
    """A step that runs reads an output of a step that does not: ``steps.X.Y`` at ``pos``."""

    consumer: str
    reference: str
    producer: str
    output: str
    pos: Pos


def outputs_needed(plan: Plan, skipped: Mapping[str, str]) -> list[Need]:
    """What the steps that run read from the ``skipped`` ones, once per place it is written.

    A step reads what its own templates read (title, ``when``, arguments, vault path) and
    what the ``with`` and ``when`` of each include around it read: an include's inputs are
    rendered when its first step needs them.
    """
    needs: dict[tuple[Pos, str, str], Need] = {}
    for planned in plan:
        if planned.key in skipped:
            continue
        for text, pos, scope, expression in _templates(planned):
            try:
                found = references(text, expression=expression)
            except TemplateError:
                continue  # validation reported it
            for ref in found:
                if ref.root != "steps":
                    continue
                produced = _producer(scope, ref.path)
                if produced is None or produced[0] not in skipped:
                    continue
                producer, output = produced
                needs.setdefault((pos, producer, output), Need(
                    planned.key, str(ref), producer, output, pos))
    return list(needs.values())


def _templates(planned: PlannedStep) -> Iterator[tuple[str, Pos, Scope, bool]]:
    step: Step = planned.step
    yield step.title, step.title_pos, planned.scope, False
    if step.when:
        yield step.when, step.when_pos or step.pos, planned.scope, True
    yield from _values(step.args, step.arg_pos, step.pos, planned.scope)
    if step.vault is not None:
        yield step.vault.path, step.vault.pos, planned.scope, False
    scope = planned.scope
    while scope.include is not None and scope.parent is not None:
        include: Include = scope.include
        yield from _values(include.args, include.arg_pos, include.pos, scope.parent)
        if include.when:
            yield include.when, include.when_pos or include.pos, scope.parent, True
        scope = scope.parent


def _values(args: Mapping[str, Any], positions: Mapping[str, Pos], fallback: Pos, scope: Scope
            ) -> Iterator[tuple[str, Pos, Scope, bool]]:
    def strings(value: Any) -> Iterator[str]:
        if isinstance(value, Mapping):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)
        elif isinstance(value, str) and has_template(value):
            yield value

    for name, value in args.items():
        for text in strings(value):
            yield text, positions.get(name, fallback), scope, False


def _producer(scope: Scope, path: tuple[str, ...]) -> tuple[str, str] | None:
    """The key of the step that ``steps.<path>`` names, read in ``scope``, and its output."""
    runbook, prefix = scope.runbook, scope.key_prefix
    while path:
        item = runbook.steps_with_ids().get(path[0])
        if item is None:
            return None
        if isinstance(item, Step):
            return (prefix + item.key, path[1]) if len(path) > 1 else None
        child = runbook.includes.get(item.key)
        if child is None:
            return None
        runbook, prefix, path = child, f"{prefix}{item.key}.", path[1:]
    return None
