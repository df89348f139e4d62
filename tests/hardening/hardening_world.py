"""Helpers for the hardening tests: small real filesystems, and runs of ``runbook`` to signal.

(A module of its own, not the conftest, so that test modules can import it by name.)

Full and read-only disks are real: a tmpfs of a few pages mounted for the test (``mount -t
tmpfs``, then ``remount,ro`` or a file that fills it), unmounted afterwards. That needs root,
which these machines and CI have; without it the tests that need a disk skip and say why. A
real filesystem was chosen over an injected fault because it exercises every layer (Python's
I/O, the kernel's short writes and ENOSPC/EROFS) as an operator would meet them.

End-to-end runs reuse ``tests/dmsa/world.py`` (the mock portal in the test process, the real
command in a subprocess).
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "dmsa"))  # world.py, shared with the DMSA tests

from world import World

from automation.cli.targets import store_demo_logins
from automation.mock_portal.mock_admin import reset_state
from automation.mock_portal.server import MockPortal

PAGE = 4096
DEVELOPER_PART = Path(__file__).parents[2] / "runbooks" / "procore" / "developer-portal.yaml"


class Tmpfs:
    """A mounted tmpfs of ``size`` bytes that a test can fill or turn read-only."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)

    def read_write(self) -> None:
        subprocess.run(["mount", "-o", "remount,rw", str(self.path)], check=True)

    def fill(self, leave_pages: int = 0) -> None:
        """Takes every free page but ``leave_pages`` (ENOSPC once those are used)."""
        filler = self.path / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as out:
            while True:
                out.write(b"\0" * PAGE)
                out.flush()
        size = filler.stat().st_size // PAGE * PAGE  # drop a partly written page
        os.truncate(filler, max(0, size - leave_pages * PAGE))

    def free(self) -> None:
        (self.path / "filler").unlink(missing_ok=True)


def wait_for(marker: Path, process: subprocess.Popen[str], timeout_s: float = 120) -> None:
    """Until ``marker`` exists (a test hook touched it); fails early if the run ended."""
    deadline = time.monotonic() + timeout_s
    while not marker.exists():
        if process.poll() is not None:
            _out, err = process.communicate()
            raise AssertionError(f"the run ended ({process.returncode}) first:\n{err}")
        assert time.monotonic() < deadline, f"no {marker.name} after {timeout_s} s"
        time.sleep(0.02)


def world_on(portal: MockPortal, folder: Path, vault_url: str = "",
             vault_env: dict[str, str] | None = None) -> World:
    """A fresh world on the module's portal: its state back to the seed, logins in the vault."""
    reset_state(portal.app)
    world = World(portal, folder, vault_url, dict(vault_env or {}))
    with world.vault() as vault:
        store_demo_logins(portal.state, vault)
    return world


def start(world: World, *args: str, env: dict[str, str] | None = None,
          runbook: Path = DEVELOPER_PART, resume: Path | None = None) -> subprocess.Popen[str]:
    """``runbook run`` as World.run makes it, but started, not waited for (to signal it)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
    environment.update(world.vault_env)
    environment.update(env or {})
    environment.setdefault("XDG_STATE_HOME", str(world.folder / "state"))
    command = [sys.executable, "-m", "automation.cli.main", "run"]
    command += ["--resume", str(resume)] if resume else [str(runbook)]
    command += ["--target", str(world.profile()), "--vault", world.vault_url, *args]
    return subprocess.Popen(command, cwd=world.folder, env=environment, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    """Waits for the run: (exit code, stdout + stderr)."""
    out, err = process.communicate(timeout=300)
    return process.returncode, out + err


def rescue_named_in(output: str) -> Path:
    found = re.search(r"sealed in (\S+\.rescue)", output)
    assert found, f"no rescue file named in:\n{output}"
    return Path(found.group(1))


def vault_rescue(world: World, rescue: Path) -> str:
    """``runbook vault rescue FILE --delete`` into the world's vault; its output."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
    environment.update(world.vault_env)
    done = subprocess.run([sys.executable, "-m", "automation.cli.main", "vault", "--vault",
                           world.vault_url, "rescue", str(rescue), "--delete"], cwd=world.folder,
                          env=environment, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def assert_no_secret(secret: str, *outputs: str, folders: tuple[Path, ...] = ()) -> None:
    """The secret's bytes are in no output and no file of ``folders`` (run dirs, logs)."""
    for text in outputs:
        assert secret not in text
    for folder in folders:
        for file in folder.rglob("*"):
            if file.is_file():
                assert secret.encode() not in file.read_bytes(), file
