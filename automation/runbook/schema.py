"""The runbook JSON Schema, generated from the parser's keys and patterns (``parse.py``) and
the action registry, so that editors and the parser agree on what a runbook may say
(``tests/runbook/test_schema.py`` checks both against the shipped and the broken runbooks).

Editors use it through yaml-language-server: put
``# yaml-language-server: $schema=runbook.schema.json`` at the top of a runbook.
"""

from __future__ import annotations

from typing import Any

from automation.action_spec import Param, Registry
from automation.runbook.model import INPUT_TYPES
from automation.runbook.parse import (
    DURATION,
    IDENT,
    INCLUDE,
    INPUT,
    NAME,
    RUNBOOK,
    STEP,
    VAULT,
    Keys,
)

__all__ = ["runbook_schema"]

_JSON_TYPES = {"text": "string", "integer": "integer", "number": "number",
               "boolean": "boolean", "mapping": "object", "list": "array", "null": "null"}
_TEMPLATE = {"type": "string", "pattern": r"\{\{.*\}\}"}


def _param_schema(param: Param) -> dict[str, Any]:
    kinds = [k.strip() for k in param.type_name.split(" or ")]
    if all(k.startswith("'") for k in kinds):
        return {"enum": [k.strip("'") for k in kinds], "description": param.help}
    types = sorted({_JSON_TYPES.get(k, "string") for k in kinds if k != "secret"})
    if param.secret or not types:
        return {**_TEMPLATE, "description": param.help or "a secret: {{ vault('PATH#FIELD') }}"}
    return {"anyOf": [{"type": types}, _TEMPLATE], "description": param.help}


def _object(keys: Keys, properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The schema of a mapping with the parser's ``keys``: each one's schema from
    ``properties`` (a key the parser knows and ``properties`` does not is a KeyError)."""
    return {"type": "object", "required": list(keys.required),
            "properties": {key: properties[key] for key in keys.allowed},
            "additionalProperties": False, **extra}


def runbook_schema(registry: Registry) -> dict[str, Any]:
    """The JSON Schema of a runbook: the parser's keys (``parse.py``), the action registry's
    arguments, the input types of the model."""
    step_variants = []
    for spec in registry:
        required = [p.name for p in spec.params if p.required]
        step_variants.append({
            "if": {"properties": {"do": {"const": spec.name}}, "required": ["do"]},
            "then": {"required": ["with"] if required else [], "properties": {"with": {
                "type": "object",
                "properties": {p.name: _param_schema(p) for p in spec.params},
                "required": required,
                "additionalProperties": False,
            }}},
        })
    ident = {"type": "string", "pattern": IDENT.pattern}
    tags = {"type": "array", "items": {"type": "string"}}
    when = {"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": r"^(?!\s*\{\{)"}],
            "description": "a Jinja expression, without {{ }}"}
    vault = _object(VAULT, {"path": {"type": "string"},
                            "fields": {"type": "array", "items": {"type": "string"}}})
    step = _object(STEP, {
        "id": ident,
        "title": {"type": "string"},
        "do": {"enum": [spec.name for spec in registry],
               "description": "the action to run (runbook actions lists them)"},
        "with": {"type": "object"},
        "when": when,
        "retries": {"type": "integer", "minimum": 0},
        "timeout": {"anyOf": [{"type": "number", "exclusiveMinimum": 0},
                              {"type": "string", "pattern": DURATION.pattern}],
                    "description": "30, '30s', '500ms', '2m'"},
        "vault": vault,
        "tags": tags,
    }, allOf=step_variants)
    include = _object(INCLUDE, {
        "include": {"type": "string", "description": "a runbook file, relative to this one"},
        "id": ident,
        "title": {"type": "string"},
        "with": {"type": "object"},
        "when": when,
        "tags": tags,
    })
    input_spec = _object(INPUT, {
        "type": {"enum": list(INPUT_TYPES)},
        "default": {},
        "required": {"type": "boolean"},
        "help": {"type": "string"},
        "choices": {"type": "array"},
        "secret": {"type": "boolean",
                   "description": "the value is a vault reference: vault:PATH#FIELD"},
    })
    input_spec["type"] = ["object", "null"]
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://procore-runbooks.invalid/runbook.schema.json",
        "title": "procore-runbooks runbook",
        **_object(RUNBOOK, {
            "runbook": {"type": "string", "pattern": NAME.pattern},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "inputs": {"type": "object", "additionalProperties": input_spec,
                       "propertyNames": {"pattern": IDENT.pattern}},
            "env": {"type": "array", "items": {"type": "string"},
                    "description": "environment variables templates may read as env.NAME"},
            "steps": {"type": "array", "minItems": 1,
                      "items": {"oneOf": [include, step]}},
        }),
    }
