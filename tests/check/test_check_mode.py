"""Check mode's own logic (executor, forecasts, vault, CLI), with actions needing no browser."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from check_actions import READS, REGISTRY, WORLD

from automation.action_spec import NoOutputs, action, check_of
from automation.actions import REGISTRY as BUILT_IN
from automation.errors import Problem
from automation.execute.executor import Executor, RunResult, RunSettings
from automation.execute.journal import Journal
from automation.execute.session import BrowserSession
from automation.planned import Planned, Unknown, UnknownSecret, waiting_for
from automation.runbook.parse import parse_file
from automation.runbook.plan import build_plan
from automation.runbook.validate import validate
from automation.secret import REDACTOR, Secret
from automation.targets import Target
from automation.vault.memory import MemoryVault

TARGET = Target("test", {"developer_portal": "http://127.0.0.1:9/dev"})
ROOT = Path(__file__).parents[2]

PROCEDURE = """
runbook: demo
title: Make a thing, issue its credentials, use them
steps:
  - id: thing
    title: Make {{ 'box' }}
    do: demo.make
    with: {name: box}
  - id: other
    title: Make the other one
    do: demo.make
    with: {name: "other-{{ steps.thing.id }}"}
  - id: creds
    title: Issue credentials
    do: demo.issue
    with: {thing: "{{ steps.thing.id }}"}
    vault: {path: demo/creds, fields: [client_id, client_secret]}
  - id: use
    title: Read with the token
    do: demo.read
    with: {token: "{{ vault('demo/creds#client_secret') }}", what: "{{ steps.thing.id }}"}
  - id: plain
    title: Make a plain thing
    do: demo.make
    with: {name: plain}
"""


def execute(tmp_path: Path, vault: MemoryVault, *, check: bool, text: str = PROCEDURE
            ) -> tuple[RunResult, Path]:
    path = tmp_path / "runbook.yaml"
    path.write_text(text)
    problems: list[Problem] = []
    runbook = parse_file(path, problems)
    assert runbook is not None
    problems += validate(runbook, REGISTRY)
    assert not problems, problems
    run_dir = tmp_path / ("check" if check else "run") / str(len(list(tmp_path.iterdir())))
    journal = Journal(run_dir)
    executor = Executor(build_plan(runbook, {}, REGISTRY), target=TARGET, vault=vault,
                        browser=BrowserSession(TARGET, {}),
                        settings=RunSettings(run_dir=run_dir, check=check),
                        subscribers=[journal])
    result = executor.run()
    journal.close()
    return result, run_dir


def changes(result: RunResult) -> dict[str, tuple[str, ...]]:
    assert result.forecasts is not None
    return {f.step: f.changes for f in result.forecasts if f.changes}


def snapshot(vault: MemoryVault) -> dict[str, Any]:
    return {path: [(v.version, v.deleted) for v in vault.history(path)]
            for path in vault.list("")}


class TestCheckOfAFreshWorld:
    """A check changes nothing, and says what a real run would change, "(after ...)" where
    it can only look once an earlier change is made."""

    def test_nothing_changes_and_each_change_is_said(self, tmp_path: Path) -> None:
        vault = MemoryVault()
        result, _ = execute(tmp_path, vault, check=True)
        assert result.succeeded
        assert WORLD == {"things": {}, "issued": {}} and READS == []
        assert snapshot(vault) == {}
        assert changes(result) == {
            "thing": ("would make 'box'",),
            "other": ("would do: Make the other one (after thing)",),
            "creds": ("would do: Issue credentials (after thing)",),
            "plain": ("would make 'plain'",),
        }

    def test_a_read_only_step_needing_a_secret_not_yet_captured_is_not_run(
            self, tmp_path: Path) -> None:
        result, _ = execute(tmp_path, MemoryVault(), check=True)
        assert result.forecasts is not None
        (use,) = [f for f in result.forecasts if f.step == "use"]
        assert use.changes == () and use.after == ("creds", "thing")
        assert use.unchanged.startswith("not checked: would do: Read with the token")

    def test_a_real_run_then_makes_exactly_those_changes(self, tmp_path: Path) -> None:
        vault = MemoryVault()
        checked, _ = execute(tmp_path, vault, check=True)
        forecast = changes(checked)
        done, _ = execute(tmp_path, vault, check=False)
        assert done.succeeded
        assert set(WORLD["things"]) == {"box", "other-box-1", "plain"}
        assert set(WORLD["issued"]) == {"box-1"}
        assert set(forecast) == {"thing", "other", "creds", "plain"}

    def test_a_check_after_a_real_run_predicts_no_change(self, tmp_path: Path) -> None:
        vault = MemoryVault()
        execute(tmp_path, vault, check=False)
        world = json.dumps(WORLD, sort_keys=True)
        result, _ = execute(tmp_path, vault, check=True)
        assert result.succeeded and changes(result) == {}
        assert json.dumps(WORLD, sort_keys=True) == world
        assert READS == ["box-1", "box-1"]  # the read-only step ran, with the stored secret


class TestSecrets:
    """A check stores nothing, invents no secret and journals none."""

    def test_vault_untouched_and_no_secret_in_the_journal(self, tmp_path: Path) -> None:
        vault = MemoryVault()
        execute(tmp_path, vault, check=False)
        before = snapshot(vault)
        _, run_dir = execute(tmp_path, vault, check=True)
        assert snapshot(vault) == before
        journal = (run_dir / "journal.jsonl").read_bytes()
        assert b"s3cr3t-value" not in journal
        finished = json.loads(journal.splitlines()[-1])
        assert finished["event"] == "run_finished" and finished["check"]["changes"] == 0

    def test_would_capture_is_said_and_never_invented(self, tmp_path: Path) -> None:
        _, run_dir = execute(tmp_path, MemoryVault(), check=True, text="""
runbook: capture
title: Issue
steps:
  - id: creds
    title: Issue credentials
    do: demo.issue
    with: {thing: box}
    vault: {path: demo/creds, fields: [client_id, client_secret]}
""")
        events = [json.loads(line) for line in (run_dir / "journal.jsonl").read_text()
                  .splitlines()]
        (done,) = [e for e in events if e["event"] == "step_succeeded"]
        assert done["notes"] == ["would issue credentials for box and capture them"]
        assert done["vault_refs"] == {} and "client_secret" not in done["outputs"]
        assert done["outputs"]["client_id"] == "<unknown until creds>"


class TestActionsWithoutACheck:
    """An action that changes something and cannot look is not run in check mode."""

    def test_it_is_reported_not_run(self, tmp_path: Path) -> None:
        result, _ = execute(tmp_path, MemoryVault(), check=True, text="""
runbook: blind
title: Blind
steps:
  - {title: Do it blind, do: demo.blind, with: {name: x}}
""")
        assert WORLD["things"] == {}
        assert changes(result) == {"step1": ("would do: Do it blind (the action cannot "
                                             "look first)",)}


class TestUnknownValues:
    """What only a change would produce is recognised wherever a template carried it."""

    def test_in_text_in_secrets_and_nested(self) -> None:
        assert waiting_for({"a": Unknown("x.app")}) == ("x.app",)
        assert waiting_for(["App " + Unknown("x.app") + " (1)"]) == ("x.app",)
        assert waiting_for({"t": UnknownSecret("dev.promote")}) == ("dev.promote",)
        assert waiting_for(Secret("Bearer " + UnknownSecret("dev.promote").reveal())) == (
            "dev.promote",)
        assert waiting_for({"a": "plain", "b": [1, 2], "c": Secret("zzzz")}) == ()

    def test_an_unknown_secret_registers_nothing_to_scrub(self) -> None:
        before = REDACTOR.values()
        UnknownSecret("some.step")
        assert REDACTOR.values() == before


class TestDeclarations:
    """Every built-in action that changes something has a check taking its arguments."""

    def test_every_changing_action_has_a_check(self) -> None:
        missing = [s.name for s in BUILT_IN if s.changes and s.check is None]
        assert missing == []
        assert {"click", "fill", "select"} <= {s.name for s in BUILT_IN if s.check}

    def test_a_check_with_other_arguments_is_refused(self) -> None:
        @action("demo.x", changes=True)
        def x(run: Any, *, name: str) -> NoOutputs:
            """X."""

        with pytest.raises(TypeError, match="differ from the action's"):
            @check_of(x)
            def check_x(run: Any, *, nom: str) -> Planned:
                raise AssertionError


class TestCommandLine:
    """--check is refused with --resume, and a check's run directory cannot be resumed."""

    def run_cli(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "automation.cli.main", "run", *args],
                              cwd=cwd, capture_output=True, text=True, timeout=60, check=False)

    def test_check_with_resume(self, tmp_path: Path) -> None:
        (tmp_path / "r").mkdir()
        done = self.run_cli("--check", "--resume", str(tmp_path / "r"), cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr

    def test_resuming_a_check(self, tmp_path: Path) -> None:
        vault = MemoryVault()
        _, run_dir = execute(tmp_path, vault, check=True)
        done = self.run_cli("--resume", str(run_dir), cwd=tmp_path)
        assert done.returncode == 2
        assert "that was a check (--check)" in done.stderr

    def test_the_option_is_listed(self, tmp_path: Path) -> None:
        done = subprocess.run([sys.executable, "-m", "automation.cli.main", "run", "--help"],
                              capture_output=True, text=True, cwd=ROOT, check=False)
        assert "--check" in done.stdout
