"""The JSON Schema editors use is generated from the parser's keys and the registry, committed
up to date, and agrees with the parser on the shipped and the broken runbooks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from automation.actions import REGISTRY
from automation.runbook import check_runbook
from automation.runbook.parse import INCLUDE, INPUT, RUNBOOK, STEP, VAULT, Keys
from automation.runbook.schema import runbook_schema

ROOT = Path(__file__).parents[2]
COMMITTED = ROOT / "runbooks" / "runbook.schema.json"
SHIPPED = sorted((ROOT / "runbooks").rglob("*.yaml"))
BROKEN = sorted((ROOT / "fixtures" / "runbooks" / "invalid").glob("*.yaml"))
#: The broken fixtures whose one problem is one of shape (a key, a type, a pattern, an
#: action's arguments): the schema refuses them too. The others break rules only the parser
#: knows (templates, includes, ids used twice, a target's form, --var values...).
SHAPE_PROBLEMS = {
    "04-unknown-action", "05-unknown-argument", "06-missing-argument",
    "07-wrong-argument-type", "08-unknown-site", "22-unknown-step-key", "23-missing-do",
    "26-bad-timeout", "27-when-with-braces", "28-unknown-input-type", "30-bad-runbook-name",
    "31-no-steps", "32-step-id-not-a-name",
}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = runbook_schema(REGISTRY)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def loaded(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class TestGenerated:
    """The committed schema is what `runbook schema` prints; its keys are the parser's."""

    def test_committed_schema_matches(self) -> None:
        assert json.loads(COMMITTED.read_text()) == runbook_schema(REGISTRY), (
            "regenerate it: runbook schema > runbooks/runbook.schema.json")

    def test_schema_names_every_action(self) -> None:
        schema = runbook_schema(REGISTRY)
        step = schema["properties"]["steps"]["items"]["oneOf"][1]
        assert step["properties"]["do"]["enum"] == [spec.name for spec in REGISTRY]

    def test_keys_are_the_parsers(self) -> None:
        schema = runbook_schema(REGISTRY)
        include, step = schema["properties"]["steps"]["items"]["oneOf"]
        objects: list[tuple[Keys, dict[str, Any]]] = [
            (RUNBOOK, schema), (STEP, step), (INCLUDE, include),
            (INPUT, schema["properties"]["inputs"]["additionalProperties"]),
            (VAULT, step["properties"]["vault"])]
        for keys, node in objects:
            assert list(node["properties"]) == list(keys.allowed)
            assert node["required"] == list(keys.required)
            assert node["additionalProperties"] is False


class TestAgreesWithTheParser:
    """Shipped runbooks pass both; broken ones with a problem of shape fail both."""

    @pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
    def test_shipped_runbook_is_valid(self, path: Path,
                                      validator: jsonschema.Draft7Validator) -> None:
        assert check_runbook(path, REGISTRY)[1] == []
        errors = [e.message for e in validator.iter_errors(loaded(path))]
        assert errors == []

    @pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
    def test_broken_runbook(self, path: Path, validator: jsonschema.Draft7Validator) -> None:
        assert check_runbook(path, REGISTRY)[1] or "# args:" in path.read_text()
        try:
            data = loaded(path)
        except yaml.YAMLError:
            assert path.stem not in SHAPE_PROBLEMS
            return  # not YAML: nothing for a schema to say
        schema_refuses = not validator.is_valid(data)
        assert schema_refuses == (path.stem in SHAPE_PROBLEMS), (
            "the schema " + ("refuses" if schema_refuses else "accepts") + f" {path.name}")

    def test_every_shape_problem_is_a_fixture(self) -> None:
        assert {p.stem for p in BROKEN} >= SHAPE_PROBLEMS
