"""Fixtures for the check-mode tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from check_actions import READS, WORLD


@pytest.fixture(autouse=True)
def empty_world() -> Iterator[None]:
    for part in WORLD.values():
        part.clear()
    READS.clear()
    yield
