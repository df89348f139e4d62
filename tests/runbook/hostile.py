"""Shared by the hostile-runbook tests: the real command in a subprocess under a memory limit."""

from __future__ import annotations

import contextlib
import io
import os
import re
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: What one `runbook validate` or `plan` of a hostile input may use (the issue: 1.3 GB).
MEMORY_LIMIT = 400 * 2**20
TIME_LIMIT_S = 15.0
#: ``file:line:col: message``, as every input error must read.
PROBLEM = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$", re.M)


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str

    def problems(self) -> list[str]:
        return [m.group("message") for m in PROBLEM.finditer(self.err)]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def runbook_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Outcome:
    """``runbook ARGS`` under MEMORY_LIMIT; a hang fails the test after TIME_LIMIT_S."""
    result = subprocess.run(
        [sys.executable, "-m", "automation.cli.main", *args], cwd=cwd, capture_output=True,
        text=True, timeout=TIME_LIMIT_S, preexec_fn=_limit_memory, check=False, env=env,
    )
    return Outcome(result.returncode, result.stdout, result.stderr)


def runbook_main(*args: str, cwd: Path) -> Outcome:
    """``runbook ARGS`` in this process: for inputs that are wrong but not costly."""
    from automation.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    before = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(before)
    return Outcome(code, out.getvalue(), err.getvalue())


def assert_refused(outcome: Outcome, *fragments: str, longest_line: int = 400) -> None:
    """Exit 2, file:line:col messages containing each fragment, no traceback, short lines."""
    assert outcome.code == 2, (outcome.code, outcome.err[-2000:])
    assert "Traceback" not in outcome.err + outcome.out
    messages = outcome.problems()
    for fragment in fragments:
        assert any(fragment in m for m in messages), (fragment, outcome.err[-2000:])
    assert max(map(len, outcome.err.splitlines()), default=0) <= longest_line, (
        outcome.err[:2000])


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
