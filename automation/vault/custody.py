"""Custody of a secret shown once: sealed to disk before the vault write, found again after.

The capture is write-ahead. The secret is sealed in a rescue file (``rescue.py``: fsynced, its
directory fsynced) before the vault is asked to store it, and the file is removed only once the
vault's read-back matches. Whatever happens in between (a read-only or full disk, a vault that
refuses, a crashed vault server, a signal, SIGKILL, a power cut) the secret is in the vault or
in a rescue file, and the next run finds the rescue file (:func:`pending_rescues`).

Where rescue files go, first that works: beside a file vault (``<vault dir>/rescue``), the
configured rescue directory (``.runbook/rescue``), the run directory, then the user's state
directory (``$XDG_STATE_HOME/procore-runbooks/rescue``, else ``~/.local/state/...``). A full or
read-only location falls through to the next.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterable, Mapping
from pathlib import Path

from automation.errors import SecretUnsafe, VaultError
from automation.secret import Secret
from automation.vault.base import Vault
from automation.vault.rescue import (
    RESCUE_PASSPHRASE_ENV,
    key_file_for,
    read_rescue_file,
    rescue_info,
    write_rescue_file,
)

__all__ = [
    "KILL_AT_ENV",
    "PAUSE_AT_ENV",
    "SecretInterrupted",
    "checkpoint",
    "discard",
    "open_pending",
    "pending_rescues",
    "rescue_dirs",
    "seal_first",
    "state_dir",
]

#: Test-only hooks, read only when a test sets them. ``RUNBOOK_KILL_AT=capture:sealed`` makes
#: the process SIGKILL itself at that checkpoint (as a power cut would);
#: ``RUNBOOK_PAUSE_AT=capture:sealed:MARKER`` touches MARKER and waits for SIGUSR1, so that a
#: test can change the world (remount the disk read-only, kill the vault server, send SIGINT)
#: at a known instant instead of racing the run with timers.
KILL_AT_ENV = "RUNBOOK_KILL_AT"
PAUSE_AT_ENV = "RUNBOOK_PAUSE_AT"


class SecretInterrupted(SecretUnsafe):
    """A signal stopped the run while a captured secret was in custody (exit 128 + signal)."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def checkpoint(name: str) -> None:
    """A named instant of the capture, where the test hooks above can act."""
    if os.environ.get(KILL_AT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
    wanted, _, marker = os.environ.get(PAUSE_AT_ENV, "").rpartition(":")
    if wanted == name and marker:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
        try:
            Path(marker).touch()
            signal.sigwait({signal.SIGUSR1})
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1})


def state_dir(env: Mapping[str, str] | None = None) -> Path:
    """The user's state directory for this tool (XDG base directory specification)."""
    env = os.environ if env is None else env
    base = env.get("XDG_STATE_HOME") or str(Path(env.get("HOME") or Path.home()) / ".local/state")
    return Path(base) / "procore-runbooks"


def rescue_dirs(vault: Vault, configured: Path, run_dir: Path | None) -> list[Path]:
    """Where rescue files go (and are looked for), best first, without repeats."""
    from automation.vault.file import FileVault

    candidates = [vault.file.parent / "rescue"] if isinstance(vault, FileVault) else []
    candidates += [configured] + ([run_dir / "rescue"] if run_dir else []) + [
        state_dir() / "rescue"]
    unique: dict[Path, None] = {}  # absolute: the messages name files the user can find
    for directory in candidates:
        unique.setdefault(Path(os.path.abspath(directory)))
    return list(unique)


def seal_first(
    directories: Iterable[Path], path: str, fields: Mapping[str, str | Secret], vault_url: str
) -> tuple[Path | None, list[str]]:
    """Seals ``fields`` in the first directory that takes it: (the file, why others failed)."""
    failures: list[str] = []
    for directory in directories:
        try:
            return write_rescue_file(directory, path, fields, vault_url=vault_url), failures
        except VaultError as error:
            failures.append(str(error))
    return None, failures


def discard(rescue: Path) -> None:
    """Removes a rescue file whose secret the vault now holds (then its key, then fsyncs)."""
    rescue.unlink(missing_ok=True)
    key_file_for(rescue).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        fd = os.open(rescue.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def pending_rescues(directories: Iterable[Path], path: str) -> list[Path]:
    """Rescue files meant for vault ``path`` in ``directories``, newest first."""
    found: list[tuple[str, Path]] = []
    for directory in directories:
        with contextlib.suppress(OSError):
            for file in directory.glob("*.rescue"):
                try:
                    info = rescue_info(file)
                except VaultError:
                    continue  # unreadable or not private: `runbook vault rescue` says why
                if info.path == path.strip("/"):
                    found.append((info.created.isoformat(), file))
    return [file for _, file in sorted(found, reverse=True)]


def open_pending(rescue: Path) -> dict[str, Secret] | None:
    """The fields of a rescue file, if its key is at hand (key file, or the passphrase set)."""
    passphrase = os.environ.get(RESCUE_PASSPHRASE_ENV)
    key: Path | Secret = Secret(passphrase) if passphrase else key_file_for(rescue)
    try:
        if rescue_info(rescue).sealed_with == "key file":
            key = key_file_for(rescue)
        return read_rescue_file(rescue, key)
    except VaultError:
        return None
