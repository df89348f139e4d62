"""What the screenshot tests of the mock share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def screens(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Where a screenshot test saves its pictures: a temporary folder, or with
    ``RUNBOOK_UPDATE_SCREENS=1`` the docs folder its module names as ``SCREENS``."""
    if os.environ.get("RUNBOOK_UPDATE_SCREENS") != "1":
        return tmp_path
    folder: Path = request.module.SCREENS
    folder.mkdir(parents=True, exist_ok=True)
    return folder
