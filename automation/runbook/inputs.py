"""Input values: from ``--var k=v``, ``--vars-file`` and defaults, checked against the spec."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from automation.errors import Pos, Problem, RunbookError
from automation.runbook.limits import clip, excerpt
from automation.runbook.model import INPUT_TYPES, InputSpec, Runbook
from automation.runbook.yaml_loader import load_yaml
from automation.vault.base import VaultRef

__all__ = ["check_input_value", "describe_inputs", "parse_var", "resolve_inputs"]


def check_input_value(spec: InputSpec, value: Any) -> str | None:
    """Why ``value`` does not suit ``spec`` (e.g. "must be an integer, got 'x'"), or None."""
    if spec.secret:
        if isinstance(value, str) and value.startswith("vault:"):
            try:
                VaultRef.parse(value.removeprefix("vault:"))
            except ValueError:
                pass
            else:
                return None
        if not isinstance(value, VaultRef):
            return "comes from the vault: give it as vault:PATH#FIELD"
        return None
    expected = INPUT_TYPES[spec.type]
    wrong_bool = isinstance(value, bool) and spec.type != "boolean"
    if not isinstance(value, expected) or wrong_bool:
        article = "an" if spec.type[0] in "aeiou" else "a"
        return f"must be {article} {spec.type}, got {excerpt(value)}"
    if spec.choices is not None and value not in spec.choices:
        choices = ", ".join(excerpt(c, 40) for c in spec.choices[:10])
        return f"must be one of {choices}, got {excerpt(value)}"
    return None


def parse_var(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise RunbookError(f"--var {excerpt(text)}: expected NAME=VALUE")
    return name.strip(), value


def _coerce(spec: InputSpec, raw: str) -> Any:
    """A ``--var`` value: text as is for strings, YAML for other types, vault refs for secrets."""
    if raw.startswith("vault:"):
        try:
            return VaultRef.parse(raw.removeprefix("vault:"))
        except ValueError as exc:
            return exc
    if spec.type == "string":
        return raw
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw


def resolve_inputs(
    runbook: Runbook,
    variables: dict[str, str],
    vars_file: dict[str, Any] | None = None,
    *,
    source: str = "--var",
) -> dict[str, Any]:
    """Every input's value (``--var`` over vars file over default); all problems at once.

    Values that are templates (defaults such as ``"{{ inputs.app_name }} Service"``) are
    returned as written and rendered by the plan.
    """
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    # Problems point at the input's declaration, and name the option that gave the value.
    where = runbook.pos
    given: dict[str, Any] = dict(vars_file or {})
    for name, raw in variables.items():
        spec = runbook.inputs.get(name)
        given[name] = _coerce(spec, raw) if spec else raw
    for name in given:
        if name not in runbook.inputs:
            known = ", ".join(runbook.inputs) or "none"
            problems.append(Problem(where, f"{source} {clip(name, 60)}: unknown input for "
                                    f"runbook '{runbook.name}' (inputs: {clip(known)})"))
    for name, spec in runbook.inputs.items():
        if name in given:
            value = given[name]
            if isinstance(value, ValueError):
                problems.append(Problem(spec.pos, f"{source} {name}: {value}"))
                continue
            if isinstance(value, str) and value.startswith("vault:") and spec.secret:
                value = VaultRef.parse(value.removeprefix("vault:"))
            message = check_input_value(spec, value)
            if message:
                problems.append(Problem(spec.pos, f"{source} {name}: input '{name}' {message}"))
            values[name] = value
        elif spec.default is not None:
            default = spec.default
            if spec.secret and isinstance(default, str) and default.startswith("vault:"):
                default = VaultRef.parse(default.removeprefix("vault:"))
            values[name] = default
        elif spec.required:
            hint = f" ({spec.help})" if spec.help else ""
            problems.append(Problem(spec.pos, f"missing required input '{name}'{hint}: "
                                    f"pass --var {name}=..."))
        else:
            values[name] = None
    if problems:
        raise RunbookError(problems)
    return values


def load_vars_file(path: Path) -> dict[str, Any]:
    """Input values from a YAML file, read as boundedly as a runbook (aliases, nesting)."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise RunbookError(f"--vars-file {file}: {reason}") from None
    data, problems = load_yaml(text, file)
    if problems:
        raise RunbookError(problems)
    if not isinstance(data, dict):
        raise RunbookError([Problem(Pos(file, 1, 1), "--vars-file: expected a mapping of "
                                    "input names to values")])
    return dict(data)


def describe_inputs(runbook: Runbook) -> list[str]:
    """The inputs as ``--help`` and ``runbook inputs`` show them: name, type, default or
    required, choices, and the ``help:`` the runbook gives."""
    head = f"inputs of {runbook.name} ({runbook.path}), given as --var NAME=VALUE:"
    if not runbook.inputs:
        return [f"{runbook.name} ({runbook.path}) takes no inputs"]
    width = min(max(len(name) for name in runbook.inputs), 24)
    lines = [head]
    for name, spec in runbook.inputs.items():
        kind = "secret (vault:PATH#FIELD)" if spec.secret else spec.type
        if spec.default is not None:
            need = f"default {_shown(spec.default)}"
        else:
            need = "required" if spec.required else "optional"
        about = [kind, need]
        if spec.choices is not None:
            about.append("one of " + ", ".join(_shown(c) for c in spec.choices))
        help_text = f": {spec.help}" if spec.help else ""
        lines.append(f"  {name:<{width}}  {'; '.join(about)}{help_text}")
    return lines


def _shown(value: Any) -> str:
    return clip(json.dumps(value, ensure_ascii=False, default=str), 120)
