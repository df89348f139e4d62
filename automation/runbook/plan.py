"""From a validated runbook and its inputs to the ordered steps that would run.

Included runbooks are flattened: their steps get keys under the include's id
(``install.add_projects``) and read their own ``inputs`` and ``steps``, which are rendered
from the include's ``with`` in the including runbook's scope, at the moment they are needed
(they may read outputs of steps that ran just before).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from automation.action_spec import ActionSpec, Registry, accepts
from automation.errors import VaultError
from automation.planned import Unknown
from automation.runbook.limits import excerpt
from automation.runbook.model import Include, Runbook, Step
from automation.runbook.templating import TemplateError, compile_all, evaluate, render
from automation.secret import Secret
from automation.targets import Target
from automation.vault.base import VaultRef

__all__ = ["Pending", "Plan", "PlannedStep", "Scope", "build_plan"]

_REQUIRED = object()

#: Reads a vault value; in a dry run it returns a placeholder instead.
VaultReader = Callable[[VaultRef], Any]


class Pending:
    """The value of an output that does not exist yet (shown by ``runbook plan``)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Pending:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return Pending(f"{self._name}.{attr}")

    def __getitem__(self, key: Any) -> Pending:
        return Pending(f"{self._name}.{key}")

    def __str__(self) -> str:
        return f"<{self._name}>"

    __repr__ = __str__


class VaultPlaceholder(Secret):
    """A vault value in a dry run: never read, shown as ``<secret vault:path#field>``."""

    def __init__(self, ref: VaultRef) -> None:
        super().__init__("", source=str(ref))

    def __str__(self) -> str:
        return self.describe()

    __format__ = lambda self, spec: self.describe()  # noqa: E731


def _holds_secret(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_holds_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_secret(v) for v in value)
    return isinstance(value, Secret)


@dataclass
class Scope:
    """One runbook instance: its inputs and the outputs of its steps so far."""

    runbook: Runbook
    key_prefix: str
    raw_inputs: dict[str, Any]
    parent: Scope | None = None
    include: Include | None = None
    outputs: dict[str, Any] = field(default_factory=dict)
    _inputs: dict[str, Any] | None = None

    def inputs(self, env: RenderEnv) -> dict[str, Any]:
        if self._inputs is None:
            if self.include is not None and self.parent is not None:
                given = render(self.include.args, self.parent.context(env))
                values = {
                    name: given.get(name, spec.default)
                    for name, spec in self.runbook.inputs.items()
                }
            else:
                values = dict(self.raw_inputs)
            own = {"inputs": values}
            self._inputs = {
                name: self._input_value(self.runbook.inputs[name].secret, value, env, own)
                for name, value in values.items()
            }
        return self._inputs

    def _input_value(self, secret: bool, value: Any, env: RenderEnv, own: Mapping[str, Any]) -> Any:
        if isinstance(value, str) and value.startswith("vault:") and secret:
            value = VaultRef.parse(value.removeprefix("vault:"))
        if isinstance(value, VaultRef):
            return env.read_vault(value)
        # A default may be a template over other inputs ("{{ inputs.app_name }} Service").
        return render(value, {**env.globals(self.runbook), **own})

    def context(self, env: RenderEnv) -> dict[str, Any]:
        return {**env.globals(self.runbook), "inputs": self.inputs(env), "steps": self.outputs}


@dataclass
class RenderEnv:
    """What every template sees besides inputs and steps."""

    target: Target
    read_vault: VaultReader
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    def globals(self, runbook: Runbook) -> dict[str, Any]:
        def vault(ref: str, default: Any = _REQUIRED) -> Any:
            """``vault('path#field')``; with ``default=``, a missing path or field gives it."""
            try:
                return self.read_vault(VaultRef.parse(ref))
            except VaultError:
                if default is _REQUIRED:
                    raise
                return default

        return {
            "target": {"name": self.target.name, **self.target.sites},
            "env": {k: self.environ[k] for k in runbook.env if k in self.environ},
            "vault": vault,
        }


@dataclass
class PlannedStep:
    index: int
    key: str
    step: Step
    spec: ActionSpec
    scope: Scope
    tags: frozenset[str]
    #: ``when`` of enclosing includes, each with the scope it is evaluated in.
    conditions: tuple[tuple[str, Scope], ...]

    def title(self, env: RenderEnv) -> str:
        try:
            return str(render(self.step.title, self.scope.context(env)))
        except Exception:  # a title must never stop a run; show it as written
            return self.step.title

    def arguments(self, env: RenderEnv) -> dict[str, Any]:
        """The rendered arguments, checked against the action's declared types."""
        rendered: dict[str, Any] = render(self.step.args, self.scope.context(env))
        for param in self.spec.params:
            if param.name not in rendered:
                if not param.required:
                    rendered[param.name] = param.default
                continue
            value = rendered[param.name]
            if _holds_secret(value) and param.refuses_secret:
                # Validation refuses it where it can see it; an include's input can hide it.
                raise TemplateError(f"argument '{param.name}' of '{self.spec.name}' cannot "
                                    "hold a secret")
            if isinstance(value, Pending | Secret | Unknown):
                continue  # a placeholder (dry run, check mode), or a secret (the action checks)
            if not accepts(param.type, value):
                raise TemplateError(
                    f"argument '{param.name}' of '{self.spec.name}' must be "
                    f"{param.type_name}, got {excerpt(value)}"
                )
        return rendered

    def should_run(self, env: RenderEnv) -> bool:
        for expression, scope in self.conditions:
            if not evaluate(expression, scope.context(env)):
                return False
        return self.step.when is None or bool(evaluate(self.step.when, self.scope.context(env)))

    def vault_path(self, env: RenderEnv) -> str | None:
        if self.step.vault is None:
            return None
        return str(render(self.step.vault.path, self.scope.context(env))).strip("/")


@dataclass
class Plan:
    runbook: Runbook
    steps: list[PlannedStep]
    root: Scope

    def __iter__(self) -> Iterator[PlannedStep]:
        return iter(self.steps)

    def find(self, key: str) -> PlannedStep | None:
        return next((s for s in self.steps if s.key == key), None)


def build_plan(runbook: Runbook, inputs: dict[str, Any], registry: Registry) -> Plan:
    """Flattens a *validated* runbook into planned steps."""
    root = Scope(runbook, "", inputs)
    steps: list[PlannedStep] = []
    _flatten(root, registry, steps, frozenset(), ())
    return Plan(runbook, steps, root)


def _flatten(
    scope: Scope,
    registry: Registry,
    out: list[PlannedStep],
    tags: frozenset[str],
    conditions: tuple[tuple[str, Scope], ...],
) -> None:
    for item in scope.runbook.items:
        # Compiled now, once, so that a step's templates only run while the browser waits.
        compile_all(item.args)
        if item.when:
            compile_all(item.when, expression=True)
        if isinstance(item, Include):
            child = Scope(
                scope.runbook.includes[item.key],
                f"{scope.key_prefix}{item.key}.",
                {},
                parent=scope,
                include=item,
            )
            scope.outputs[item.id or item.key] = child.outputs
            inner = (*conditions, (item.when, scope)) if item.when else conditions
            _flatten(child, registry, out, tags | set(item.tags), inner)
            continue
        compile_all([item.title, item.vault.path if item.vault else ""])
        spec = registry.get(item.do)
        assert spec is not None, "plan of an unvalidated runbook"
        out.append(
            PlannedStep(
                len(out) + 1,
                scope.key_prefix + item.key,
                item,
                spec,
                scope,
                tags | set(item.tags),
                conditions,
            )
        )
