"""Worlds for the drift probe: a mock portal after a real DMSA run, on each Developer Portal
generation (the probe needs the app, its versions and its installation to reach every screen)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "dmsa"))  # world.py, shared with the DMSA tests

from world import World, make_world


@pytest.fixture(scope="module", params=["current", "classic"])
def run_world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[World]:
    """A world in which the DMSA runbook ran to the end, on the generation of the param."""
    world = make_world(tmp_path_factory.mktemp(f"probe-{request.param}"), ui=request.param)
    try:
        done = world.run()
        assert done.returncode == 0, done.stderr[-3000:]
        yield world
    finally:
        world.portal.stop()
