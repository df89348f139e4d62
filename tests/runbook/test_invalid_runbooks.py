"""Every broken runbook in fixtures/runbooks/invalid/ is refused with the message it expects.

Each fixture holds one problem and ends with comments saying what ``runbook`` must print::

    # expect: LINE:COL: message
    # args: --var count=many        (optional: then it is checked by `runbook plan`)
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from automation.cli.main import main

INVALID = Path(__file__).parents[2] / "fixtures" / "runbooks" / "invalid"
FIXTURES = sorted(INVALID.glob("*.yaml"))


def expectation(path: Path) -> tuple[str, list[str] | None]:
    text = path.read_text()
    expected = re.search(r"^# expect: (.+)$", text, re.MULTILINE)
    assert expected, f"{path.name} has no '# expect:' line"
    args = re.search(r"^# args:(.*)$", text, re.MULTILINE)
    return expected.group(1), args.group(1).split() if args else None


def test_there_are_enough_broken_runbooks() -> None:
    assert len(FIXTURES) >= 25


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_broken_runbook_is_refused_with_its_message(
    path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(INVALID.parents[2])
    relative = path.relative_to(INVALID.parents[2])
    expected, args = expectation(path)
    argv = ["plan", str(relative), *args] if args is not None else ["validate", str(relative)]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2
    assert f"{relative}:{expected}" in err.splitlines(), err
    assert "Traceback" not in out + err


class TestNoBrowserForInvalidInput:
    """`runbook run` of an invalid runbook exits 2 before any browser starts."""

    def test_run_refuses_before_starting_playwright(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import automation.execute.session as session

        def no_browser() -> None:
            raise AssertionError("a browser was started for an invalid runbook")

        monkeypatch.setattr(session, "sync_playwright", no_browser)
        monkeypatch.chdir(INVALID.parents[2])
        code = main(["run", "fixtures/runbooks/invalid/04-unknown-action.yaml",
                     "--vault", "memory:", "--target", "production"])
        assert code == 2
        assert "unknown action 'clik'" in capsys.readouterr().err

    def test_the_installed_command_exits_2_without_traceback(self) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "automation.cli.main", "validate", *map(str, FIXTURES[:5])],
            capture_output=True, text=True, check=False,
        )
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert "5 problems found" in result.stderr
