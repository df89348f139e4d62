"""``runbook plan``: the steps that would run, with arguments resolved as far as they can be.

Each step also shows its worst case: how long it takes when it keeps failing transiently,
``attempts x waits x step timeout + backoff``, computed by the executor's own
:class:`~automation.retry.RetryPolicy`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from automation.execute.events import StepEvent
from automation.retry import RetryPolicy
from automation.runbook.plan import Pending, Plan, RenderEnv, VaultPlaceholder
from automation.runbook.templating import TemplateError
from automation.secret import Secret
from automation.targets import Target
from automation.vault.base import VaultRef

__all__ = ["render_plan"]


def _placeholders(plan: Plan) -> None:
    for planned in plan:
        if planned.step.id:
            prefix = planned.key.rsplit(".", 1)[0] + "." if "." in planned.key else ""
            planned.scope.outputs.setdefault(planned.step.id, Pending(
                f"steps.{prefix}{planned.step.id}"))


def _show(value: Any) -> Any:
    if isinstance(value, Secret):
        return value.describe()
    if isinstance(value, dict):
        return {k: _show(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_show(v) for v in value]
    return str(value) if isinstance(value, Pending) else value


def _earlier(plan: Plan, earlier: Mapping[str, StepEvent]) -> None:
    """Outputs an earlier run journaled for skipped steps (secrets as their vault places)."""
    for planned in plan:
        done = earlier.get(planned.key)
        if done is not None and planned.step.id:
            planned.scope.outputs[planned.step.id] = {
                **done.outputs, **{name: VaultPlaceholder(VaultRef.parse(
                    ref.removeprefix("vault:"))) for name, ref in done.vault_refs.items()}}


def render_plan(plan: Plan, target: Target, policy: RetryPolicy | None = None, *,
                skipped: Mapping[str, str] | None = None,
                earlier: Mapping[str, StepEvent] | None = None) -> list[dict[str, Any]]:
    """One entry per step: key, title, action, arguments (secrets as ``<secret vault:…>``),
    and the worst case of ``policy`` (the run's default one if not given); a step that
    ``skipped`` names gets only its key, title and why (``skipped``)."""
    policy = policy or RetryPolicy()
    env = RenderEnv(target, lambda ref: VaultPlaceholder(ref))
    _earlier(plan, earlier or {})
    _placeholders(plan)
    rows: list[dict[str, Any]] = []
    for planned in plan:
        if skipped and planned.key in skipped:
            rows.append({"key": planned.key, "title": planned.title(env),
                         "action": planned.spec.name, "skipped": skipped[planned.key]})
            continue
        row: dict[str, Any] = {"key": planned.key, "title": planned.title(env),
                               "action": planned.spec.name,
                               "changes": planned.spec.changes}
        try:
            row["with"] = _show(planned.arguments(env))
            if planned.step.vault:
                row["vault"] = planned.vault_path(env)
        except TemplateError as exc:
            row["with"] = f"<cannot resolve yet: {exc}>"
        if planned.step.when:
            row["when"] = planned.step.when
        if planned.tags:
            row["tags"] = sorted(planned.tags)
        worst = policy.worst_case(planned)
        row["worst_case"] = {"attempts": worst.attempts,
                             "waits_per_attempt": worst.waits_per_attempt,
                             "timeout_s": worst.timeout_s, "backoff_s": worst.backoff_s,
                             "seconds": worst.seconds, "text": str(worst)}
        rows.append(row)
    return rows
