"""Fixtures for the DMSA end-to-end tests: a fresh mock world per test (or per module)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from world import World, make_world


@pytest.fixture
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """A fresh world; the current (form-based) Developer Portal unless the test is
    parametrized with ``@pytest.mark.parametrize("world", UIS, indirect=True)``."""
    made = make_world(tmp_path, ui=getattr(request, "param", "current"))
    yield made
    made.portal.stop()
