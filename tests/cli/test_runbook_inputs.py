"""`runbook run RUNBOOK --help` and `runbook inputs RUNBOOK` list the runbook's inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.cli.main import main

ROOT = Path(__file__).parents[2]

INPUTS = """
runbook: with-inputs
title: Inputs of every kind
inputs:
  company: {default: HingePoint, help: the Procore company that installs the app}
  app_version_id: {required: true, help: the 36-character production App Version ID}
  count: {type: integer, default: 3}
  size: {choices: [small, large], default: small, help: how big}
  login: {secret: true, help: the administrator's password}
steps:
  - {title: Open, do: goto, with: {url: "https://example.test/{{ inputs.company }}"}}
"""
EXPECTED = [
    "  company         string; default \"HingePoint\": the Procore company that installs the app",
    "  app_version_id  string; required: the 36-character production App Version ID",
    "  count           integer; default 3",
    "  size            string; default \"small\"; one of \"small\", \"large\": how big",
    "  login           secret (vault:PATH#FIELD); optional: the administrator's password",
]


def exits(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    out, err = capsys.readouterr()
    return int(stop.value.code or 0), out, err


@pytest.fixture
def runbook(tmp_path: Path) -> str:
    path = tmp_path / "inputs.yaml"
    path.write_text(INPUTS)
    return str(path)


class TestHelpListsInputs:
    """After a RUNBOOK, --help ends with its inputs: type, default or required, help."""

    @pytest.mark.parametrize("command", ["run", "plan", "demo"])
    def test_help_after_runbook(self, command: str, runbook: str,
                                capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = exits([command, runbook, "--help"], capsys)
        assert code == 0
        assert out.startswith(f"usage: runbook {command}")
        assert f"inputs of with-inputs ({runbook}), given as --var NAME=VALUE:" in out
        assert out.splitlines()[-len(EXPECTED):] == EXPECTED

    def test_shipped_runbook(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = exits(["run", str(ROOT / "runbooks" / "dmsa-credentials.yaml"), "-h"],
                             capsys)
        assert code == 0
        assert ("  reset_client_secret  boolean; default false: only when an earlier run lost "
                "the secret") in out

    def test_help_without_runbook_is_plain(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = exits(["run", "--help"], capsys)
        assert code == 0 and "usage: runbook run" in out and "inputs of" not in out

    def test_invalid_runbook_gives_its_position(self, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(ROOT)
        code, out, err = exits(["run", "fixtures/runbooks/invalid/04-unknown-action.yaml",
                                "--help"], capsys)
        assert code == 2 and out == ""
        assert err.splitlines() == [
            "fixtures/runbooks/invalid/04-unknown-action.yaml:5:9: unknown action 'clik' "
            "(did you mean 'click'?)", "1 problem found"]


class TestInputsCommand:
    """`runbook inputs RUNBOOK` prints the same list; an invalid runbook exits 2."""

    def test_lists_inputs(self, runbook: str, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["inputs", runbook]) == 0
        out = capsys.readouterr().out
        assert out.splitlines() == [
            f"inputs of with-inputs ({runbook}), given as --var NAME=VALUE:", *EXPECTED]

    def test_no_inputs(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        path = tmp_path / "none.yaml"
        path.write_text("runbook: none\ntitle: None\nsteps:\n"
                        "  - {title: Open, do: goto, with: {url: 'https://example.test/'}}\n")
        assert main(["inputs", str(path)]) == 0
        assert capsys.readouterr().out == f"none ({path}) takes no inputs\n"

    def test_invalid(self, capsys: pytest.CaptureFixture[str],
                     monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(ROOT)
        assert main(["inputs", "fixtures/runbooks/invalid/28-unknown-input-type.yaml"]) == 2
        assert "fixtures/runbooks/invalid/28-unknown-input-type.yaml:" in capsys.readouterr().err
