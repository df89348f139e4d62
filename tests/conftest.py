"""Points pytest-playwright at the Chromium the product itself would use.

The other shared fixtures (``mock_portal``...) come from the package's pytest plugin,
``automation/testing/pytest_plugin.py``.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def browser_type_launch_args(runbook_launch_args: dict[str, Any]) -> dict[str, Any]:
    return runbook_launch_args
