"""The runbook format, by example: what a runbook may say and what it means.

Read these tests with ``runbooks/`` open: each class is one feature of the format.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.actions import REGISTRY
from automation.cli.plan_view import render_plan
from automation.errors import Pos, RunbookError
from automation.runbook import build_plan, check_runbook, load_runbook
from automation.runbook.inputs import resolve_inputs
from automation.runbook.model import Include, Step
from automation.runbook.yaml_loader import load_yaml
from automation.targets import Target

TARGET = Target("test", {"developer_portal": "https://dev.example", "procore": "https://app"})


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


EXAMPLE = """\
runbook: open-portal
title: Open the Developer Portal and look at My Apps
description: A short example of every part of a step.
inputs:
  app_name: {default: Procore DMSA App, help: the app to look for}
  attempts: {type: integer, default: 2}
  password: {secret: true, default: "vault:procore/portal#password"}
env: [CI]
steps:
  - id: open
    title: Open My Apps
    do: goto
    with: {url: /apps, site: developer_portal}
    timeout: 15s
    tags: [portal]
  - title: Look for {{ inputs.app_name }} on {{ steps.open.url }}
    do: expect_text
    with:
      target: {role: table, name: My Apps}
      text: "{{ inputs.app_name }}"
      site: developer_portal
    retries: "{{ 0 }}"
"""


class TestSteps:
    """A step has a title, an action (`do`), arguments (`with`) and optional controls."""

    def test_every_node_knows_where_it_came_from(self, tmp_path: Path) -> None:
        path = write(tmp_path, "open.yaml", EXAMPLE.replace('retries: "{{ 0 }}"', "retries: 1"))
        runbook = load_runbook(path, REGISTRY)
        first, second = runbook.items
        assert isinstance(first, Step) and isinstance(second, Step)
        assert first.key == "open" and second.key == "step2"  # unnamed steps: their place
        assert first.do_pos == Pos(str(path), 12, 9)
        assert first.timeout_s == 15.0 and first.tags == ("portal",)
        assert second.arg_pos["text"].line == 20
        assert second.retries == 1
        assert runbook.inputs["attempts"].type == "integer"
        assert runbook.inputs["password"].secret

    def test_retries_must_be_a_number(self, tmp_path: Path) -> None:
        _, problems = check_runbook(write(tmp_path, "r.yaml", EXAMPLE), REGISTRY)
        assert [p.message for p in problems] == [
            "'retries' must be a whole number >= 0, got '{{ 0 }}'"]


class TestDuplicateKeys:
    """PyYAML keeps the last of two equal keys; the loader reports the second instead."""

    def test_duplicate_key_is_reported_with_both_lines(self) -> None:
        data, problems = load_yaml("a: 1\nb: 2\na: 3\n", "x.yaml")
        assert data == {"a": 1, "b": 2}
        assert [str(p) for p in problems] == ["x.yaml:3:1: duplicate key 'a' (first at line 1)"]


class TestIncludes:
    """`include` runs another runbook's steps here, with its own inputs and step namespace."""

    PART = """\
runbook: open-page
title: Open a page
inputs:
  address: {required: true}
steps:
  - id: open
    title: Open {{ inputs.address }}
    do: goto
    with: {url: "{{ inputs.address }}"}
"""
    MAIN = """\
runbook: main
title: Main
steps:
  - id: first
    title: Open the first page
    do: goto
    with: {url: "https://a.example/"}
  - include: part.yaml
    id: second
    with: {address: "{{ steps.first.url }}next"}
  - title: Show where the include went
    do: goto
    with: {url: "{{ steps.second.open.url }}"}
"""

    def test_included_steps_are_keyed_under_the_include(self, tmp_path: Path) -> None:
        write(tmp_path, "part.yaml", self.PART)
        runbook = load_runbook(write(tmp_path, "main.yaml", self.MAIN), REGISTRY)
        assert isinstance(runbook.items[1], Include)
        plan = build_plan(runbook, {}, REGISTRY)
        assert [s.key for s in plan] == ["first", "second.open", "step3"]

    def test_plan_shows_pending_outputs(self, tmp_path: Path) -> None:
        write(tmp_path, "part.yaml", self.PART)
        runbook = load_runbook(write(tmp_path, "main.yaml", self.MAIN), REGISTRY)
        rows = render_plan(build_plan(runbook, {}, REGISTRY), TARGET)
        assert rows[1]["with"] == {"url": "<steps.first.url>next", "site": "web"}
        assert rows[2]["with"]["url"] == "<steps.second.open.url>"

    def test_longer_include_cycles_are_found(self, tmp_path: Path) -> None:
        write(tmp_path, "a.yaml", "runbook: a\ntitle: A\nsteps:\n  - include: b.yaml\n")
        write(tmp_path, "b.yaml", "runbook: b\ntitle: B\nsteps:\n  - include: a.yaml\n")
        _, problems = check_runbook(tmp_path / "a.yaml", REGISTRY)
        a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
        assert [str(p) for p in problems] == [f"{b}:4:14: include cycle: {a} -> {b} -> {a}"]


class TestInputs:
    """Inputs have types, defaults, choices; secret inputs are vault references."""

    def test_var_values_are_typed_by_the_input(self, tmp_path: Path) -> None:
        runbook = load_runbook(write(tmp_path, "open.yaml", EXAMPLE.replace(
            'retries: "{{ 0 }}"', "retries: 0")), REGISTRY)
        values = resolve_inputs(runbook, {"attempts": "5", "app_name": "007"})
        assert values["attempts"] == 5 and values["app_name"] == "007"

    def test_plan_never_reads_the_vault_and_names_the_secret(self, tmp_path: Path) -> None:
        text = EXAMPLE.replace('retries: "{{ 0 }}"', "retries: 0") + (
            "  - title: Type the password\n    do: fill\n"
            "    with: {target: {label: Password}, value: \"{{ inputs.password }}\"}\n")
        runbook = load_runbook(write(tmp_path, "open.yaml", text), REGISTRY)
        plan = build_plan(runbook, resolve_inputs(runbook, {}), REGISTRY)
        rows = render_plan(plan, TARGET)
        assert rows[2]["with"]["value"] == "<secret vault:procore/portal#password>"

    def test_all_input_problems_come_at_once(self, tmp_path: Path) -> None:
        runbook = load_runbook(write(tmp_path, "open.yaml", EXAMPLE.replace(
            'retries: "{{ 0 }}"', "retries: 0")), REGISTRY)
        with pytest.raises(RunbookError) as raised:
            resolve_inputs(runbook, {"attempts": "many", "password": "plain", "nope": "1"})
        assert len(raised.value.problems) == 3
