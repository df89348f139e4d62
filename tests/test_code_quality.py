"""The code stays as the style guide asks: ruff clean everywhere, mypy strict on automation/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True,
                          text=True, check=False, timeout=600)


def test_ruff() -> None:
    result = run("ruff", "check", "automation", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_strict() -> None:
    result = run("mypy", "automation")
    assert result.returncode == 0, result.stdout + result.stderr


def test_public_api_is_pinned() -> None:
    import automation

    assert sorted(automation.__all__) == [
        "RunbookError", "RunbookToolError", "Secret", "SecretUnsafe", "StepError",
        "VaultError", "__version__",
    ]
