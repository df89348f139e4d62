"""What a run will read from the vault, found before it starts, and said as commands.

A target's first run (a fresh namespace) would otherwise stop at its first step with
``cannot render "{{ vault(inputs.developer_login ~ '#email') }}"``. Instead the runbook's
``vault(...)`` references are rendered with the run's inputs (outputs of earlier steps stay
placeholders), paths that a step of the run writes itself are left out, and what is missing
under the target's namespace is listed with the ``runbook vault put`` commands that store it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from automation.action_spec import Registry
from automation.errors import RunbookError, VaultError
from automation.runbook.model import Runbook
from automation.runbook.plan import Pending, Plan, PlannedStep, RenderEnv, VaultPlaceholder
from automation.runbook.plan import build_plan as _build_plan
from automation.runbook.templating import TemplateError
from automation.targets import Target
from automation.vault.base import Vault, VaultRef
from automation.vault.namespaced import NamespacedVault, scoped

__all__ = ["VaultNeed", "check_vault_needs", "missing_needs", "vault_needs"]

_NO_DEFAULT = object()


@dataclass
class VaultNeed:
    """A path the run reads: its fields, which of them may be absent, and who reads them."""

    path: str
    fields: dict[str, bool] = field(default_factory=dict)  # field -> optional
    steps: list[str] = field(default_factory=list)


class _RecordingEnv(RenderEnv):
    """Renders like a run, but every vault read is noted and answered with a placeholder."""

    def __init__(self, target: Target) -> None:
        super().__init__(target, self._required)
        self.seen: list[tuple[VaultRef, bool, str]] = []
        self.step = "inputs"

    def _required(self, ref: VaultRef) -> Any:
        self.seen.append((ref, False, self.step))
        return VaultPlaceholder(ref)

    def globals(self, runbook: Runbook) -> dict[str, Any]:
        names = super().globals(runbook)

        def vault(ref: str, default: Any = _NO_DEFAULT) -> Any:
            parsed = VaultRef.parse(ref)
            self.seen.append((parsed, default is not _NO_DEFAULT, self.step))
            return VaultPlaceholder(parsed)

        names["vault"] = vault
        return names


def vault_needs(runbook: Runbook, inputs: dict[str, Any], registry: Registry, target: Target,
                *, runs: Callable[[PlannedStep], bool] = lambda _: True) -> list[VaultNeed]:
    """Every vault path the run reads (relative, as runbooks name them) that no step of it
    writes; ``runs`` leaves out steps that will not run (resumed, before --start-at...)."""
    plan: Plan = _build_plan(runbook, dict(inputs), registry)  # its own: rendering caches
    env = _RecordingEnv(target)
    written: set[str] = set()
    for planned in plan:
        if planned.step.id:
            prefix = planned.key.rsplit(".", 1)[0] + "." if "." in planned.key else ""
            planned.scope.outputs.setdefault(planned.step.id,
                                             Pending(f"steps.{prefix}{planned.step.id}"))
    for planned in plan:
        env.step = planned.key
        try:
            path = planned.vault_path(env)
            if path and "<" not in path:
                written.add(path)
            if runs(planned):
                planned.arguments(env)
        except (TemplateError, RunbookError):
            continue  # depends on what earlier steps produce: the run itself will say
    needs: dict[str, VaultNeed] = {}
    for ref, optional, step in env.seen:
        if "<" in ref.path or ref.path in written:
            continue
        need = needs.setdefault(ref.path, VaultNeed(ref.path))
        need.fields[ref.field] = need.fields.get(ref.field, True) and optional
        if step not in need.steps:
            need.steps.append(step)
    return list(needs.values())


def missing_needs(needs: Iterable[VaultNeed], vault: NamespacedVault) -> list[VaultNeed]:
    """The needs (only their required fields) that ``vault`` cannot answer."""
    missing = []
    for need in needs:
        required = [name for name, optional in need.fields.items() if not optional]
        if not required:
            continue
        try:
            held = vault.base.get(vault.full_path(need.path))
        except VaultError as error:
            if "no secret at" not in str(error):
                raise
            held = {}
        absent = [name for name in required if name not in held]
        if absent:
            missing.append(VaultNeed(need.path, dict.fromkeys(absent, False), need.steps))
    return missing


def check_vault_needs(runbook: Runbook, inputs: dict[str, Any], registry: Registry,
                      target: Target, vault: Vault, *, target_option: str,
                      runs: Callable[[PlannedStep], bool] = lambda _: True) -> None:
    """RunbookError listing what the run would miss under the target's namespace, with the
    commands that store it; nothing when all is there."""
    view = scoped(vault, target.vault_namespace)
    missing = missing_needs(vault_needs(runbook, inputs, registry, target, runs=runs), view)
    if missing:
        raise RunbookError(describe_missing(missing, view, target_option))


def describe_missing(missing: list[VaultNeed], view: NamespacedVault, target_option: str
                     ) -> str:
    lines = [f"target {view.namespace!r}: the run reads these secrets, which are not in "
             f"{view.url} under {view.namespace}/ (nothing was started):"]
    for need in missing:
        lines.append(f"  {view.full_path(need.path)}: {', '.join(need.fields)} "
                     f"(read by {', '.join(need.steps)})")
    lines.append("Store them (each value from a file or stdin, never the command line), "
                 "then run again:")
    for need in missing:
        sources = " ".join(f"{name}=@{name.upper()}_FILE" for name in need.fields)
        lines.append(f"  runbook vault put '{need.path}' {sources} {target_option} "
                     f"--vault '{view.url}'")
        hint = view.legacy_hint(need.path)
        if hint:
            lines.append(f"    or: {hint}")
    return "\n".join(lines)


def check_before_run(plan: Plan, inputs: dict[str, Any], registry: Registry, target: Target,
                     vault: Vault, *, target_spec: str | None, completed: Iterable[str] = (),
                     tags: frozenset[str] | None = None, start_at: str | None = None) -> None:
    """:func:`check_vault_needs` for the steps this run will run (not those a resumed run
    finished, nor those --tags or --start-at skip)."""
    done = set(completed)
    started = start_at is None
    running: set[str] = set()
    for planned in plan:
        started = started or start_at in (planned.key, planned.step.id)
        tagged = tags is None or bool(planned.tags & tags) or "always" in planned.tags
        if started and tagged and planned.key not in done:
            running.add(planned.key)
    option = (f"--target {target_spec}" if target_spec else
              "--target mock" if target.is_mock else f"--namespace {target.vault_namespace}")
    check_vault_needs(plan.runbook, inputs, registry, target, vault, target_option=option,
                      runs=lambda planned: planned.key in running)
