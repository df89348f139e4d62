"""Checks a parsed runbook against the action registry, without a browser.

Each check appends a :class:`~automation.errors.Problem`; :func:`validate` returns them all, so
one run of ``runbook validate`` shows everything wrong with a file.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from automation.action_spec import ActionSpec, Registry, accepts
from automation.errors import Pos, Problem
from automation.runbook.limits import MAX_PLANNED_STEPS, excerpt
from automation.runbook.model import Include, Runbook, Step
from automation.runbook.template_checks import check_template
from automation.runbook.templating import (
    TEMPLATE_ROOTS,
    Reference,
    TemplateError,
    has_template,
    references,
)
from automation.vault.base import VaultRef

__all__ = ["validate"]

_VAULT_CALL = re.compile(r"vault\(\s*(['\"])(?P<ref>[^'\"]*)\1\s*\)")
#: Suggestions are looked for among this many names at most (each costs a string comparison).
_MAX_HINT_CHOICES = 200


def _hint(word: str, choices: Any) -> str:
    names = list(choices)
    if len(names) > _MAX_HINT_CHOICES or len(word) > 100:
        return ""
    match = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _listing(names: Any) -> str:
    shown = list(names)
    if len(shown) <= 10:
        return ", ".join(shown) or "none"
    return f"{', '.join(shown[:10])}, ... ({len(shown)} in all)"


class _Validator:
    def __init__(self, registry: Registry, problems: list[Problem]) -> None:
        self.registry = registry
        self.problems = problems
        self.done: set[int] = set()  # runbooks checked (an included file is checked once)
        self.expanded: dict[int, int] = {}  # runbook -> its steps with includes expanded

    def problem(self, pos: Pos, message: str) -> None:
        self.problems.append(Problem(pos, message))

    def runbook(self, runbook: Runbook) -> None:
        if id(runbook) in self.done:
            return
        self.done.add(id(runbook))
        # Where each id is: one pass, so that validation is linear in the number of steps.
        order: dict[str, int] = {}
        for index, item in enumerate(runbook.items):
            if item.id and item.id not in order:
                order[item.id] = index
        with_ids = runbook.steps_with_ids()
        for index, item in enumerate(runbook.items):
            scope = _Scope(runbook, self.registry, with_ids, order, index)
            if isinstance(item, Include):
                self.include(item, runbook, scope)
            else:
                self.step(item, scope)
        for child in runbook.includes.values():
            self.runbook(child)

    def step_count(self, runbook: Runbook) -> int:
        """Steps once includes are expanded (counted once per file: diamonds are cheap)."""
        if id(runbook) not in self.expanded:
            self.expanded[id(runbook)] = 0  # a cycle (already reported) counts nothing
            self.expanded[id(runbook)] = sum(
                self.step_count(runbook.includes[item.key]) if isinstance(item, Include)
                and item.key in runbook.includes else int(isinstance(item, Step))
                for item in runbook.items)
        return self.expanded[id(runbook)]

    def plan_size(self, runbook: Runbook) -> None:
        total = 0
        for item in runbook.items:
            child = runbook.includes.get(item.key) if isinstance(item, Include) else None
            total += self.step_count(child) if child is not None else 1
            if total > MAX_PLANNED_STEPS:
                self.problem(item.pos, f"with its includes the runbook has "
                             f"{self.step_count(runbook):,} steps, more than "
                             f"{MAX_PLANNED_STEPS:,}")
                return

    def include(self, item: Include, runbook: Runbook, scope: _Scope) -> None:
        self.templates(item.when, item.when_pos or item.pos, scope, expression=True)
        child = runbook.includes.get(item.key)
        secret_args = {name for name, value in item.args.items()
                       if self.templates(value, item.arg_pos.get(name, item.pos), scope)}
        if child is None:
            return  # the file is missing or unreadable: already reported
        for name in item.args:
            if name not in child.inputs:
                self.problem(item.arg_key_pos.get(name, item.pos), f"'{child.name}' has no input "
                             f"{excerpt(name)}{_hint(name, child.inputs)}")
            elif name in secret_args and not child.inputs[name].secret:
                self.problem(item.arg_pos.get(name, item.pos), f"input '{name}' of "
                             f"'{child.name}' is given a secret: declare it 'secret: true'")
        for name, spec in child.inputs.items():
            if spec.required and spec.default is None and name not in item.args:
                self.problem(item.pos, f"include of '{child.name}' misses its required "
                             f"input '{name}' (give it under 'with')")

    def step(self, step: Step, scope: _Scope) -> None:
        self.templates(step.title, step.title_pos, scope)
        self.templates(step.when, step.when_pos or step.pos, scope, expression=True)
        spec = self.registry.get(step.do) if step.do else None
        if step.do and spec is None:
            self.problem(step.do_pos, f"unknown action '{step.do}'"
                         f"{_hint(step.do, [s.name for s in self.registry])}")
        secret_args = {name for name, value in step.args.items()
                       if self.templates(value, step.arg_pos.get(name, step.pos), scope)}
        if step.vault is not None:
            self.templates(step.vault.path, step.vault.pos, scope)
        if spec is not None:
            self.arguments(step, spec, secret_args)
            self.secrets(step, spec)
            if step.retries and not spec.retry_safe:
                self.problem(step.pos, f"'retries' is not allowed: action '{spec.name}' is not "
                             "safe to repeat after a failure")

    def arguments(self, step: Step, spec: ActionSpec, secret_args: set[str]) -> None:
        for name, value in step.args.items():
            param = spec.param(name)
            pos = step.arg_pos.get(name, step.pos)
            if param is None:
                known = ", ".join(p.name for p in spec.params) or "none"
                hint = _hint(name, [p.name for p in spec.params])
                self.problem(step.arg_key_pos.get(name, pos), f"action '{spec.name}' has no "
                             f"argument {excerpt(name)}{hint}; it takes: {known}")
            elif name in secret_args and param.refuses_secret:
                self.problem(pos, f"argument '{name}' of '{spec.name}' cannot hold a secret "
                             "(it would show in addresses, locators and messages)")
            elif param.secret and not has_template(value) and value is not None:
                self.problem(pos, f"argument '{name}' of '{spec.name}' is secret: take it "
                             "from the vault, e.g. \"{{ vault('PATH#FIELD') }}\"")
            elif not has_template(value) and not accepts(param.type, value):
                self.problem(pos, f"argument '{name}' of '{spec.name}' must be "
                             f"{param.type_name}, got {excerpt(value)}")
            elif not has_template(value):
                message = next(filter(None, (check(value) for check in param.value_checks)), None)
                if message:
                    self.problem(pos, f"argument '{name}' of '{spec.name}': {message}")
        for param in spec.params:
            if param.required and param.name not in step.args:
                self.problem(step.pos, f"action '{spec.name}' needs argument '{param.name}'"
                             + (f" ({param.help})" if param.help else ""))

    def secrets(self, step: Step, spec: ActionSpec) -> None:
        secret_outputs = [o.name for o in spec.outputs if o.secret]
        if step.vault is None:
            if secret_outputs:
                self.problem(step.pos, f"action '{spec.name}' captures secret output(s) "
                             f"{', '.join(secret_outputs)}: add 'vault: {{path: ..., fields: "
                             f"[{', '.join(secret_outputs)}]}}' so they are stored")
            return
        for name in step.vault.fields:
            if spec.output(name) is None:
                self.problem(step.vault.pos, f"'vault' field {excerpt(name)} is not an output of "
                             f"'{spec.name}'{_hint(name, [o.name for o in spec.outputs])}")
        missing = [n for n in secret_outputs if n not in step.vault.fields]
        if missing:
            self.problem(step.vault.pos, f"secret output(s) {', '.join(missing)} of "
                         f"'{spec.name}' must be listed in 'vault' fields")

    # -- templates ------------------------------------------------------------------------

    def templates(self, value: Any, pos: Pos, scope: _Scope, *, expression: bool = False
                  ) -> bool:
        """Checks every template inside ``value``; whether any of them yields a secret."""
        if isinstance(value, dict):
            return any([self.templates(item, pos, scope) for item in value.values()])
        if isinstance(value, list):
            return any([self.templates(item, pos, scope) for item in value])
        if value is None or not (expression or has_template(value)):
            return False
        text = str(value)
        try:
            refs = references(text, expression=expression)
        except TemplateError as exc:
            self.problem(pos, str(exc))
            return False
        for match in _VAULT_CALL.finditer(text):
            try:
                VaultRef.parse(match.group("ref"))
            except ValueError:
                self.problem(pos, f"vault({excerpt(match.group('ref'))}): expected "
                             "'path#field'")
        for ref in refs:
            message = scope.check(ref)
            if message:
                self.problem(pos, message)
        findings = check_template(text, scope.is_secret, expression=expression)
        for message in findings.problems:
            self.problem(pos, message)
        return findings.secret


class _Scope:
    """What templates of one step (the runbook's item at ``index``) may read."""

    def __init__(self, runbook: Runbook, registry: Registry, with_ids: dict[str, Step | Include],
                 order: dict[str, int], index: int) -> None:
        self.runbook, self.registry, self.with_ids = runbook, registry, with_ids
        self.order, self.index = order, index

    def visible(self) -> list[str]:
        return [name for name, at in self.order.items() if at < self.index]

    def check(self, ref: Reference) -> str | None:
        if ref.root not in TEMPLATE_ROOTS:
            return (f"undefined template variable {excerpt(ref.root)}"
                    f"{_hint(ref.root, TEMPLATE_ROOTS)}; templates can read: "
                    f"{', '.join(TEMPLATE_ROOTS)}")
        if not ref.path:
            return None
        first = ref.path[0]
        if ref.root == "inputs" and first not in self.runbook.inputs:
            return (f"unknown input {excerpt(first)}{_hint(first, self.runbook.inputs)} "
                    f"(declared: {_listing(self.runbook.inputs)})")
        if ref.root == "env" and first not in self.runbook.env:
            return (f"environment variable {excerpt(first)} is not allow-listed: add it to "
                    "the runbook's 'env' list")
        if ref.root == "steps":
            return self.check_step(first, ref.path[1:])
        return None

    def check_step(self, step_id: str, rest: tuple[str, ...]) -> str | None:
        at = self.order.get(step_id)
        if at is not None and at >= self.index:
            line = self.with_ids[step_id].pos.line
            return f"step '{step_id}' runs later (line {line}): its outputs do not exist yet"
        if at is None:
            return f"unknown step {excerpt(step_id)}{_hint(step_id, self.visible())}"
        item = self.with_ids[step_id]
        if not rest:
            return None
        if isinstance(item, Include):
            child = self.runbook.includes.get(item.key)
            if child is None:
                return None
            inner = child.steps_with_ids()
            if rest[0] not in inner:
                return f"included runbook '{child.name}' has no step {excerpt(rest[0])}"
            return None
        spec = self.registry.get(item.do)
        if spec is not None and spec.output(rest[0]) is None:
            outputs = ", ".join(o.name for o in spec.outputs) or "none"
            return (f"step '{step_id}' ({spec.name}) has no output {excerpt(rest[0])}"
                    f"{_hint(rest[0], [o.name for o in spec.outputs])}; its outputs: {outputs}")
        return None

    def is_secret(self, ref: Reference) -> bool:
        """Whether the value ``ref`` names is a secret (read before the step runs)."""
        if ref.root == "inputs" and ref.path:
            declared = self.runbook.inputs.get(ref.path[0])
            return declared is not None and declared.secret
        if ref.root != "steps" or len(ref.path) < 2:
            return False
        at = self.order.get(ref.path[0])
        if at is None or at >= self.index:
            return False
        item, rest = self.with_ids[ref.path[0]], ref.path[1:]
        runbook = self.runbook
        while isinstance(item, Include) and len(rest) >= 2:
            child = runbook.includes.get(item.key)
            inner = child.steps_with_ids().get(rest[0]) if child is not None else None
            if child is None or inner is None:
                return False
            runbook, item, rest = child, inner, rest[1:]
        if not isinstance(item, Step):
            return False
        spec = self.registry.get(item.do)
        output = spec.output(rest[0]) if spec is not None else None
        return output is not None and output.secret


def validate(runbook: Runbook, registry: Registry) -> list[Problem]:
    problems: list[Problem] = []
    validator = _Validator(registry, problems)
    validator.runbook(runbook)
    validator.plan_size(runbook)
    return problems
