"""The production secret survives every failure to store it: a read-only or full vault disk,
SIGINT or SIGTERM during the vault write, a vault server that dies. Each run stops (non-zero),
names a sealed rescue file, and ``runbook vault rescue`` restores credentials that get a token.

The tests change the world at a known instant of the capture with the test-only hook
``RUNBOOK_PAUSE_AT=capture:read:MARKER`` (the run touches MARKER and waits for SIGUSR1) or
``RUNBOOK_VAULT_TEST_PAUSE=partial:MARKER`` (the file vault pauses half-way through its write).
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest
from hardening_world import (
    assert_no_secret,
    finish,
    rescue_named_in,
    start,
    vault_rescue,
    wait_for,
    world_on,
)
from world import World

from automation.mock_portal.server import MockPortal
from automation.testing.vault_servers import start_openbao, stop

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def check_rescued(world: World, code: int, output: str, expected_code: int) -> Path:
    """Stopped with ``expected_code``, rescue file named; restored, the secret gets a token."""
    assert code == expected_code, output
    assert "internal error" not in output and "Traceback" not in output
    rescue = rescue_named_in(output)
    assert rescue.is_file()
    restored = vault_rescue(world, rescue)
    assert world.token_works()
    secret = world.stored_credentials()[1].reveal()
    assert_no_secret(secret, output, restored, folders=(world.folder / "runs",))
    return rescue


class TestVaultDiskFails:
    """The vault's disk turns read-only, or fills up, right before the capture."""

    @pytest.mark.parametrize("fault", ["read-only", "full"])
    def test_rescued(self, fault: str, portal: MockPortal, tmp_path: Path,
                     make_tmpfs: Any) -> None:
        disk = make_tmpfs("vault-disk")
        world = world_on(portal, tmp_path, vault_url=f"file:{disk.path}/vault.enc")
        marker = tmp_path / "read"
        run = start(world, env={"RUNBOOK_PAUSE_AT": f"capture:read:{marker}"})
        wait_for(marker, run)
        disk.read_only() if fault == "read-only" else disk.fill()
        run.send_signal(signal.SIGUSR1)
        code, output = finish(run)
        assert "Read-only file system" in output or "No space left" in output
        disk.read_write() if fault == "read-only" else disk.free()
        rescue = check_rescued(world, code, output, 1)
        assert rescue.parent == tmp_path / ".runbook" / "rescue"  # fell through to the next


class TestSignalDuringVaultWrite:
    """SIGINT or SIGTERM while the file vault writes: the write stops, the rescue stays."""

    @pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
    def test_rescued(self, signum: int, code: int, portal: MockPortal, tmp_path: Path) -> None:
        world = world_on(portal, tmp_path)
        marker = tmp_path / "writing"
        run = start(world, env={"RUNBOOK_VAULT_TEST_PAUSE": f"partial:{marker}"})
        wait_for(marker, run)
        run.send_signal(signum)
        exit_code, output = finish(run)
        assert f"{signal.Signals(signum).name} during the vault write" in output
        (run_dir,) = world.run_dirs()
        assert world.journal(run_dir)[-1]["event"] == "run_finished"
        check_rescued(world, exit_code, output, code)


class TestVaultServerDies:
    """The OpenBao server is killed while the capture is under way."""

    def test_rescued(self, portal: MockPortal, tmp_path: Path) -> None:
        first, process = start_openbao(_mkdir(tmp_path / "bao-1"))
        try:
            world = world_on(portal, tmp_path, vault_url=first.url(first.new_mount()),
                             vault_env={"VAULT_TOKEN": first.token})
            marker = tmp_path / "read"
            run = start(world, env={"RUNBOOK_PAUSE_AT": f"capture:read:{marker}"})
            wait_for(marker, run)
        finally:
            process.kill()
            process.wait()
        run.send_signal(signal.SIGUSR1)
        code, output = finish(run)
        assert "unreachable" in output
        second, process = start_openbao(_mkdir(tmp_path / "bao-2"))
        try:
            restored = World(portal, tmp_path, second.url(second.new_mount()),
                             {"VAULT_TOKEN": second.token})
            rescue = check_rescued(restored, code, output, 1)
            assert rescue.parent == tmp_path / ".runbook" / "rescue"
        finally:
            stop(process)


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path
