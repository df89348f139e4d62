"""Fixtures for the check-mode tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from check_actions import READS, WORLD


@pytest.fixture(autouse=True)
def empty_world() -> Iterator[None]:
    for part in WORLD.values():
        part.clear()
    READS.clear()
    yield


# The DMSA tests' world (a mock portal in this process, the real `runbook` command in a
# subprocess against it, a file vault in the test's folder) serves the browser tests here too.
sys.path.insert(0, str(Path(__file__).parents[1] / "dmsa"))
