"""The whole procedure passes while the portal misbehaves: slow, failing, forgetful.

Faults (deterministic under their seed): a random delay of up to 2 s on 20% of requests, a
server error on 5% of idempotent requests, and one session that expires mid-run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from world import World, make_world

from automation.mock_portal.faults import Faults

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FAULTS = "latency=2.0@0.2,errors=0.05,expire_session_after=40,seed=7"


@pytest.fixture
def faulty_world(tmp_path: Path) -> Iterator[World]:
    world = make_world(tmp_path, faults=Faults.parse(FAULTS))
    yield world
    world.portal.stop()


def test_whole_procedure_survives_the_faults(faulty_world: World) -> None:
    result = faulty_world.run()
    assert result.returncode == 0, result.stderr
    assert result.stderr.rstrip().splitlines()[-1] == (
        "37/37 projects visible to the service account")
    assert len(faulty_world.apps()) == 1
    assert len(faulty_world.installations("HingePoint")) == 1
    assert faulty_world.token_works()
    runtime = faulty_world.portal.app.config["PORTAL_FAULT_RUNTIME"]
    assert runtime.session_expired  # the expiry really happened mid-run
    assert runtime.requests > 40  # and the run went on past it
