"""Points pytest-playwright at the Chromium the product itself would use, and gives each test
module a mock portal of its own.

The other shared fixtures (``mock_portal``...) come from the package's pytest plugin,
``automation/testing/pytest_plugin/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from automation.mock_portal.mock_admin import reset_state
from automation.mock_portal.server import MockPortal

# The pytest plugin's own tests (tests/plugin/) run pytest in a scratch project.
pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def browser_type_launch_args(runbook_launch_args: dict[str, Any]) -> dict[str, Any]:
    return runbook_launch_args


@pytest.fixture(scope="module")
def developer_ui() -> str:
    """The Developer Portal generation the module's portal serves: the current, form-based
    one; a module about the classic manifest editor overrides this fixture."""
    return "current"


@pytest.fixture(scope="module")
def portal(developer_ui: str) -> Iterator[MockPortal]:
    """A mock portal of the module's own: a module's tests see only each other's changes.
    (A module that needs other seeds or faults defines its own ``portal``.)"""
    with MockPortal(ui=developer_ui) as running:
        yield running


@pytest.fixture
def fresh_portal(portal: MockPortal) -> None:
    """The module's portal back to its seed before the test (``usefixtures``)."""
    reset_state(portal.app)
