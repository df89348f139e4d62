"""Checks a parsed runbook against the action registry, without a browser.

Each check appends a :class:`~automation.errors.Problem`; :func:`validate` returns them all, so
one run of ``runbook validate`` shows everything wrong with a file.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from automation.actions.locators import check_target
from automation.actions.registry import ActionSpec, Registry, accepts
from automation.errors import Pos, Problem
from automation.runbook.model import Include, Runbook, Step
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


def _hint(word: str, choices: Any) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


class _Validator:
    def __init__(self, registry: Registry, problems: list[Problem]) -> None:
        self.registry = registry
        self.problems = problems

    def problem(self, pos: Pos, message: str) -> None:
        self.problems.append(Problem(pos, message))

    def runbook(self, runbook: Runbook) -> None:
        for index, item in enumerate(runbook.items):
            visible = {i.id: i for i in runbook.items[:index] if i.id}
            later = {i.id: i for i in runbook.items[index:] if i.id}
            scope = _Scope(runbook, self.registry, visible, later)
            if isinstance(item, Include):
                self.include(item, runbook, scope)
            else:
                self.step(item, scope)
        for child in runbook.includes.values():
            self.runbook(child)

    def include(self, item: Include, runbook: Runbook, scope: _Scope) -> None:
        self.templates(item.when, item.when_pos or item.pos, scope, expression=True)
        child = runbook.includes.get(item.key)
        for name, value in item.args.items():
            self.templates(value, item.arg_pos.get(name, item.pos), scope)
        if child is None:
            return  # the file is missing or unreadable: already reported
        for name in item.args:
            if name not in child.inputs:
                self.problem(item.arg_key_pos.get(name, item.pos), f"'{child.name}' has no input "
                             f"'{name}'{_hint(name, child.inputs)}")
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
        for name, value in step.args.items():
            self.templates(value, step.arg_pos.get(name, step.pos), scope)
        if step.vault is not None:
            self.templates(step.vault.path, step.vault.pos, scope)
        if spec is not None:
            self.arguments(step, spec)
            self.secrets(step, spec)
            if step.retries and not spec.retry_safe:
                self.problem(step.pos, f"'retries' is not allowed: action '{spec.name}' is not "
                             "safe to repeat after a failure")

    def arguments(self, step: Step, spec: ActionSpec) -> None:
        for name, value in step.args.items():
            param = spec.param(name)
            pos = step.arg_pos.get(name, step.pos)
            if param is None:
                known = ", ".join(p.name for p in spec.params) or "none"
                hint = _hint(name, [p.name for p in spec.params])
                self.problem(step.arg_key_pos.get(name, pos), f"action '{spec.name}' has no "
                             f"argument '{name}'{hint}; it takes: {known}")
            elif param.secret and not has_template(value) and value is not None:
                self.problem(pos, f"argument '{name}' of '{spec.name}' is secret: take it "
                             "from the vault, e.g. \"{{ vault('PATH#FIELD') }}\"")
            elif not has_template(value) and not accepts(param.type, value):
                self.problem(pos, f"argument '{name}' of '{spec.name}' must be "
                             f"{param.type_name}, got {value!r}")
            elif param.is_target and not has_template(value):
                message = check_target(value)
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
                self.problem(step.vault.pos, f"'vault' field '{name}' is not an output of "
                             f"'{spec.name}'{_hint(name, [o.name for o in spec.outputs])}")
        missing = [n for n in secret_outputs if n not in step.vault.fields]
        if missing:
            self.problem(step.vault.pos, f"secret output(s) {', '.join(missing)} of "
                         f"'{spec.name}' must be listed in 'vault' fields")

    # -- templates ------------------------------------------------------------------------

    def templates(self, value: Any, pos: Pos, scope: _Scope, *, expression: bool = False
                  ) -> None:
        if isinstance(value, dict):
            for item in value.values():
                self.templates(item, pos, scope)
            return
        if isinstance(value, list):
            for item in value:
                self.templates(item, pos, scope)
            return
        if value is None or not (expression or has_template(value)):
            return
        text = str(value)
        try:
            refs = references(text, expression=expression)
        except TemplateError as exc:
            self.problem(pos, str(exc))
            return
        for match in _VAULT_CALL.finditer(text):
            try:
                VaultRef.parse(match.group("ref"))
            except ValueError:
                self.problem(pos, f"vault('{match.group('ref')}'): expected 'path#field'")
        for ref in refs:
            message = scope.check(ref)
            if message:
                self.problem(pos, message)


class _Scope:
    """What templates of one step may read."""

    def __init__(self, runbook: Runbook, registry: Registry, visible: dict[str, Step | Include],
                 later: dict[str, Step | Include]) -> None:
        self.runbook, self.registry, self.visible, self.later = runbook, registry, visible, later

    def check(self, ref: Reference) -> str | None:
        if ref.root not in TEMPLATE_ROOTS:
            return (f"undefined template variable '{ref.root}'{_hint(ref.root, TEMPLATE_ROOTS)};"
                    f" templates can read: {', '.join(TEMPLATE_ROOTS)}")
        if not ref.path:
            return None
        first = ref.path[0]
        if ref.root == "inputs" and first not in self.runbook.inputs:
            return (f"unknown input '{first}'{_hint(first, self.runbook.inputs)} "
                    f"(declared: {', '.join(self.runbook.inputs) or 'none'})")
        if ref.root == "env" and first not in self.runbook.env:
            return (f"environment variable '{first}' is not allow-listed: add it to the "
                    "runbook's 'env' list")
        if ref.root == "steps":
            return self.check_step(first, ref.path[1:])
        return None

    def check_step(self, step_id: str, rest: tuple[str, ...]) -> str | None:
        item = self.visible.get(step_id)
        if item is None and step_id in self.later:
            line = self.later[step_id].pos.line
            return f"step '{step_id}' runs later (line {line}): its outputs do not exist yet"
        if item is None:
            return f"unknown step '{step_id}'{_hint(step_id, self.visible)}"
        if not rest:
            return None
        if isinstance(item, Include):
            child = self.runbook.includes.get(item.key)
            if child is None:
                return None
            inner = child.steps_with_ids()
            if rest[0] not in inner:
                return f"included runbook '{child.name}' has no step '{rest[0]}'"
            return None
        spec = self.registry.get(item.do)
        if spec is not None and spec.output(rest[0]) is None:
            outputs = ", ".join(o.name for o in spec.outputs) or "none"
            return (f"step '{step_id}' ({spec.name}) has no output '{rest[0]}'"
                    f"{_hint(rest[0], [o.name for o in spec.outputs])}; its outputs: {outputs}")
        return None


def validate(runbook: Runbook, registry: Registry) -> list[Problem]:
    problems: list[Problem] = []
    _Validator(registry, problems).runbook(runbook)
    return problems
