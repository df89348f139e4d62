"""Files that hold secrets: created 0600, replaced atomically, refused when others can read them.

Shared by the file vault and the rescue files. Every function here names files in its errors,
never their content.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from automation.errors import VaultError

__all__ = [
    "TEST_PAUSE_ENV",
    "atomic_write",
    "check_private",
    "create_private",
    "exclusive_lock",
    "make_private_dir",
    "remove_stale_temp_files",
]

#: Test-only hook: ``partial:MARKER`` pauses a writer after half of the temporary file is
#: written, ``written:MARKER`` after all of it (before the rename); the writer touches MARKER
#: and waits to be killed. It lets the crash test kill a writer at a known point instead of
#: racing it with timers.
TEST_PAUSE_ENV = "RUNBOOK_VAULT_TEST_PAUSE"

_PRIVATE_FILE = 0o600
_PRIVATE_DIR = 0o700


def check_private(path: Path, what: str) -> None:
    """VaultError if ``path`` is open to group or others (as ssh refuses a private key)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & 0o077:
        raise VaultError(
            f"{what} {path} is accessible by group or others (mode {mode:04o}); "
            f"refusing to use it. Fix with: chmod 600 {path}"
        )


def make_private_dir(directory: Path) -> None:
    """Creates ``directory`` (and parents) as 0700 if missing; leaves an existing one alone."""
    if not directory.exists():
        directory.mkdir(mode=_PRIVATE_DIR, parents=True, exist_ok=True)


def create_private(path: Path, data: bytes) -> bool:
    """Writes a new 0600 file holding ``data``; False if it already exists (never replaces).

    The file appears whole or not at all: written to a temporary name, then hard-linked into
    place, which fails if another process created it first.
    """
    make_private_dir(path.parent)
    tmp = _write_temp(path, data)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        tmp.unlink()
    _fsync_dir(path.parent)
    return True


def atomic_write(path: Path, data: bytes) -> None:
    """Replaces ``path`` with ``data``: temp file in the same directory, fsync, rename, fsync dir.

    A crash at any point leaves either the old file or the new one, never a mix.
    """
    make_private_dir(path.parent)
    tmp = _write_temp(path, data, pausable=True)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def remove_stale_temp_files(path: Path) -> None:
    """Deletes temp files left by writers that died; call only while holding the write lock."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        stale.unlink(missing_ok=True)


@contextlib.contextmanager
def exclusive_lock(lock_file: Path) -> Iterator[None]:
    """Holds an exclusive ``flock`` on ``lock_file``; the kernel drops it if the holder dies."""
    make_private_dir(lock_file.parent)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, _PRIVATE_FILE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _write_temp(path: Path, data: bytes, *, pausable: bool = False) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:  # mkstemp creates it 0600
            half = len(data) // 2
            out.write(data[:half])
            if pausable:
                out.flush()
                _test_pause("partial")
            out.write(data[half:])
            out.flush()
            os.fsync(out.fileno())
        if pausable:
            _test_pause("written")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _fsync_dir(directory: Path) -> None:
    # The rename is durable only once the directory entry itself reaches the disk.
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _test_pause(stage: str) -> None:
    hook = os.environ.get(TEST_PAUSE_ENV, "")
    wanted, _, marker = hook.partition(":")
    if wanted == stage and marker:
        Path(marker).touch()
        while True:  # until the test kills this process
            signal.pause()
