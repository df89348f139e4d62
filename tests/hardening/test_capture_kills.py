"""SIGKILL at each instant of the capture leaves the secret in the vault or in a sealed rescue
file, and the next run recovers it without a reset.

``RUNBOOK_KILL_AT=capture:POINT`` (test-only) kills the run at a named checkpoint;
``RUNBOOK_VAULT_TEST_PAUSE=partial:MARKER`` pauses the file vault half-way through its write,
where the test kills it. The one instant no write-ahead can cover is between reading the dialog
and the rescue file reaching the disk (milliseconds, in memory): ``capture:read`` is just after
the read, so it is not among these points.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from hardening_world import assert_no_secret, start, wait_for, world_on
from world import World

from automation.mock_portal.server import MockPortal

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KILLED = -signal.SIGKILL


def rescue_files(world: World) -> list[Path]:
    return sorted((world.folder / ".runbook" / "rescue").glob("*.rescue"))


def recover(world: World) -> None:
    """The next run finishes (exit 0) with the secret the portal issued: no reset."""
    done = world.run(runbook=Path(__file__).parents[2] / "runbooks/procore/developer-portal.yaml")
    assert done.returncode == 0, done.stderr
    assert "reset" not in done.stderr.lower()
    assert world.token_works()
    assert rescue_files(world) == []
    secret = world.stored_credentials()[1].reveal()
    assert_no_secret(secret, done.stdout, done.stderr, folders=(world.folder / "runs",))


class TestKilledInsideTheCapture:
    """Killed at each checkpoint of the capture; the next run recovers the secret."""

    @pytest.mark.parametrize(("point", "left_in"), [
        ("capture:sealed", "rescue file"),         # dialog read, rescue file on disk
        ("capture:stored", "vault and rescue"),    # after the vault write, before read-back
        ("capture:before-close", "vault"),         # checked, rescue gone, dialog still open
    ])
    def test_kill_at_checkpoint(self, point: str, left_in: str, portal: MockPortal,
                                tmp_path: Path) -> None:
        world = world_on(portal, tmp_path)
        run = start(world, env={"RUNBOOK_KILL_AT": point})
        run.communicate(timeout=300)
        assert run.returncode == KILLED
        assert bool(rescue_files(world)) == ("rescue" in left_in)
        recover(world)

    def test_kill_during_the_vault_write(self, portal: MockPortal, tmp_path: Path) -> None:
        world = world_on(portal, tmp_path)
        marker = tmp_path / "writing"
        run = start(world, env={"RUNBOOK_VAULT_TEST_PAUSE": f"partial:{marker}"})
        wait_for(marker, run)
        run.kill()
        run.communicate(timeout=60)
        assert len(rescue_files(world)) == 1
        recover(world)
