"""The runbook JSON Schema, generated from the parser's keys and the action registry.

Editors use it through yaml-language-server: put
``# yaml-language-server: $schema=runbook.schema.json`` at the top of a runbook.
"""

from __future__ import annotations

from typing import Any

from automation.action_spec import Param, Registry
from automation.runbook.model import INPUT_TYPES

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


def runbook_schema(registry: Registry) -> dict[str, Any]:
    step_variants = []
    for spec in registry:
        step_variants.append({
            "if": {"properties": {"do": {"const": spec.name}}, "required": ["do"]},
            "then": {"properties": {"with": {
                "type": "object",
                "properties": {p.name: _param_schema(p) for p in spec.params},
                "required": [p.name for p in spec.params if p.required],
                "additionalProperties": False,
            }}},
        })
    step = {
        "type": "object",
        "required": ["title", "do"],
        "properties": {
            "id": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
            "title": {"type": "string"},
            "do": {"enum": [spec.name for spec in registry],
                   "description": "the action to run (runbook actions lists them)"},
            "with": {"type": "object"},
            "when": {"type": "string", "description": "a Jinja expression, without {{ }}"},
            "retries": {"type": "integer", "minimum": 0},
            "timeout": {"type": ["number", "string"], "description": "30, '30s', '2m'"},
            "vault": {"type": "object", "required": ["path"], "additionalProperties": False,
                      "properties": {"path": {"type": "string"},
                                     "fields": {"type": "array", "items": {"type": "string"}}}},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": False,
        "allOf": step_variants,
    }
    include = {
        "type": "object",
        "required": ["include"],
        "properties": {
            "include": {"type": "string", "description": "a runbook file, relative to this one"},
            "id": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
            "title": {"type": "string"},
            "with": {"type": "object"},
            "when": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": False,
    }
    input_spec = {
        "type": ["object", "null"],
        "properties": {
            "type": {"enum": list(INPUT_TYPES)},
            "default": {},
            "required": {"type": "boolean"},
            "help": {"type": "string"},
            "choices": {"type": "array"},
            "secret": {"type": "boolean",
                       "description": "the value is a vault reference: vault:PATH#FIELD"},
        },
        "additionalProperties": False,
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://procore-runbooks.invalid/runbook.schema.json",
        "title": "procore-runbooks runbook",
        "type": "object",
        "required": ["runbook", "title", "steps"],
        "properties": {
            "runbook": {"type": "string", "pattern": "^[a-z][a-z0-9_-]*$"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "inputs": {"type": "object", "additionalProperties": input_spec},
            "env": {"type": "array", "items": {"type": "string"},
                    "description": "environment variables templates may read as env.NAME"},
            "steps": {"type": "array", "minItems": 1,
                      "items": {"oneOf": [include, step]}},
        },
        "additionalProperties": False,
    }
