"""SIGKILL at every step boundary, then --resume, or a re-run from scratch: nothing doubles.

The mock portal keeps serving (it lives in the test process). ``RUNBOOK_KILL_AFTER_STEPS=1``
makes the command kill itself with SIGKILL right after its next step is journaled, so each
continuation below dies exactly one step further on: one chain of resumes and one chain of
fresh re-runs together cross every boundary of the procedure, and each continuation starts
from a world left by a kill at that boundary. After every kill and at the end the world must
hold at most (finally exactly) one app and one installation, and once the promotion is done
the secret in the vault must get a token.

Both Developer Portal generations, at every boundary.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from world import UIS, World

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STEPS = 16  # runbooks/dmsa-credentials.yaml, includes flattened
KILLED = -signal.SIGKILL


def check_partial(world: World, done: int) -> None:
    assert len(world.apps()) <= 1, f"a second app after {done} steps"
    assert len(world.installations("HingePoint")) <= 1, f"a second installation after {done}"
    if world.apps() and world.apps()[0].production_client_id:
        assert world.token_works(), f"the vault's secret fails after {done} steps"


def check_complete(world: World) -> None:
    assert len(world.apps()) == 1
    assert len(world.installations("HingePoint")) == 1
    assert world.missing_projects("HingePoint") == 0
    assert world.token_works()


@pytest.mark.parametrize("world", UIS, indirect=True)
class TestKillAndResume:
    """Killed after each step in turn, --resume continues without repeating a step."""

    def test_resume_across_every_boundary(self, world: World) -> None:
        first = world.run(kill_after=1)
        assert first.returncode == KILLED, first.stderr
        (run_dir,) = world.run_dirs()
        for done in range(1, STEPS):
            check_partial(world, done)
            succeeded = [e["key"] for e in world.journal(run_dir)
                         if e["event"] == "step_succeeded"]
            assert len(succeeded) == done == len(set(succeeded)), succeeded
            last = done == STEPS - 1
            result = world.run(resume=run_dir, kill_after=None if last else 1)
            assert result.returncode == (0 if last else KILLED), result.stderr
        check_complete(world)
        assert world.run_dirs() == [run_dir]


@pytest.mark.parametrize("world", UIS, indirect=True)
class TestKillAndRunAgain:
    """Killed after step k, a fresh run from scratch finishes the job without duplicates."""

    def test_rerun_across_every_boundary(self, world: World) -> None:
        boundaries = range(1, STEPS)
        for done in boundaries:
            result = world.run(kill_after=done)
            assert result.returncode == KILLED, result.stderr
            check_partial(world, done)
        final = world.run()
        assert final.returncode == 0, final.stderr
        check_complete(world)
        assert len(world.run_dirs()) == len(boundaries) + 1


def test_step_count_matches_the_runbook() -> None:
    from automation.actions import REGISTRY
    from automation.runbook import build_plan, load_runbook
    from automation.runbook.inputs import resolve_inputs

    path = Path(__file__).parents[2] / "runbooks" / "dmsa-credentials.yaml"
    runbook = load_runbook(path, REGISTRY)
    assert len(build_plan(runbook, resolve_inputs(runbook, {}), REGISTRY).steps) == STEPS
