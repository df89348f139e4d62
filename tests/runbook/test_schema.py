"""The JSON Schema editors use is generated from the registry and committed up to date."""

from __future__ import annotations

import json
from pathlib import Path

from automation.actions import REGISTRY
from automation.runbook.schema import runbook_schema

COMMITTED = Path(__file__).parents[2] / "runbooks" / "runbook.schema.json"


def test_committed_schema_matches_the_registry() -> None:
    assert json.loads(COMMITTED.read_text()) == runbook_schema(REGISTRY), (
        "regenerate it: runbook schema > runbooks/runbook.schema.json")


def test_schema_names_every_action() -> None:
    schema = runbook_schema(REGISTRY)
    step = schema["properties"]["steps"]["items"]["oneOf"][1]
    assert step["properties"]["do"]["enum"] == [spec.name for spec in REGISTRY]
