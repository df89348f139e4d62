"""The file vault on disk: keys, permissions, integrity checks, crashes and concurrent writers."""

from __future__ import annotations

import base64
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from automation.errors import VaultError
from automation.secret import Secret
from automation.vault import FileVault, open_vault
from automation.vault._files import TEST_PAUSE_ENV

VALUE = "cs-9c8b7a6f5e4d3c2b1a0f"
WRITER = Path(__file__).with_name("vault_writer.py")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def vault_file(tmp_path: Path) -> Path:
    return tmp_path / ".runbook" / "vault.enc"


@pytest.fixture
def filled(vault_file: Path) -> FileVault:
    """A vault holding one version of ``app`` (value VALUE)."""
    vault = FileVault(vault_file)
    vault.put("app", {"client_secret": VALUE})
    return vault


def assert_refuses_and_keeps(vault: FileVault, *words: str) -> str:
    """Reads and writes both fail with a message holding ``words``; the file is untouched."""
    before = vault.file.read_bytes()
    with pytest.raises(VaultError) as read_error:
        vault.get("app")
    with pytest.raises(VaultError) as write_error:
        vault.put("app", {"client_secret": "cs-would-overwrite"})
    for error, doing in ((read_error, "cannot read app"), (write_error, "cannot write app")):
        text = str(error.value)
        assert text.startswith(f"{vault.url}: {doing}: ")  # names the vault and the path
        assert VALUE not in text and "cs-would-overwrite" not in text
        for word in words:
            assert word in text
    assert vault.file.read_bytes() == before
    return str(read_error.value)


class TestKeyFile:
    """A key file is created 0600 on the first write, beside the vault, and never replaced."""

    def test_first_write_creates_private_files(self, vault_file: Path) -> None:
        vault = open_vault(f"file:{vault_file}", env={})
        assert vault.list() == []  # reading an absent vault creates nothing
        assert not vault_file.parent.exists()
        vault.put("app", {"client_secret": VALUE})
        key_file = vault_file.with_name("vault.key")
        assert mode(vault_file.parent) == 0o700
        assert mode(vault_file) == 0o600
        assert mode(key_file) == 0o600
        assert len(base64.b64decode(key_file.read_bytes())) == 32
        assert VALUE.encode() not in vault_file.read_bytes()

    def test_key_option_puts_the_key_elsewhere(self, tmp_path: Path) -> None:
        key = tmp_path / "keys" / "team.key"
        vault = open_vault(f"file:{tmp_path / 'v.enc'}?key={key}", env={})
        vault.put("app", {"client_secret": VALUE})
        assert key.exists() and not (tmp_path / "v.key").exists()
        again = open_vault(f"file:{tmp_path / 'v.enc'}?key={key}", env={})
        assert again.get("app")["client_secret"].reveal() == VALUE

    def test_missing_key_for_an_existing_vault_is_not_regenerated(self, filled: FileVault) -> None:
        filled.key_file.unlink()
        assert_refuses_and_keeps(filled, "missing", str(filled.key_file))
        assert not filled.key_file.exists()

    def test_key_file_that_is_not_a_key(self, filled: FileVault) -> None:
        filled.key_file.write_text("not base64 at all\n")
        assert_refuses_and_keeps(filled, "not a vault key")


class TestWrongKey:
    """Another key or passphrase is told apart from damage, and nothing is overwritten."""

    def test_wrong_key_file(self, filled: FileVault) -> None:
        filled.key_file.write_bytes(base64.b64encode(os.urandom(32)) + b"\n")
        assert_refuses_and_keeps(filled, "wrong key", str(filled.key_file))

    def test_passphrase_vault(self, vault_file: Path) -> None:
        vault = open_vault(f"file:{vault_file}", env={"RUNBOOK_VAULT_PASSPHRASE": "correct horse"})
        vault.put("app", {"client_secret": VALUE})
        assert not vault_file.with_name("vault.key").exists()  # nothing cached on disk
        reopened = open_vault(
            f"file:{vault_file}", env={"RUNBOOK_VAULT_PASSPHRASE": "correct horse"}
        )
        assert reopened.get("app")["client_secret"].reveal() == VALUE
        wrong = open_vault(f"file:{vault_file}", env={"RUNBOOK_VAULT_PASSPHRASE": "wrong horse"})
        assert isinstance(wrong, FileVault)
        text = assert_refuses_and_keeps(wrong, "wrong key", "RUNBOOK_VAULT_PASSPHRASE")
        assert "horse" not in text
        without = open_vault(f"file:{vault_file}", env={})
        assert isinstance(without, FileVault)
        assert_refuses_and_keeps(without, "sealed with a passphrase")

    def test_empty_passphrase_is_refused(self, vault_file: Path) -> None:
        with pytest.raises(VaultError, match="empty"):
            FileVault(vault_file, passphrase=Secret(""))


class TestIntegrity:
    """Truncation and tampering anywhere in the file are detected; nothing is overwritten."""

    @pytest.mark.parametrize("keep", [0, 5, 40, -1])
    def test_truncated(self, filled: FileVault, keep: int) -> None:
        data = filled.file.read_bytes()
        filled.file.write_bytes(data[:keep])
        assert_refuses_and_keeps(filled, "truncated")

    def test_tampered_ciphertext(self, filled: FileVault) -> None:
        data = bytearray(filled.file.read_bytes())
        data[-20] ^= 0x01
        filled.file.write_bytes(bytes(data))
        assert_refuses_and_keeps(filled, "tampered")

    def test_tampered_nonce_in_header(self, filled: FileVault) -> None:
        data = bytearray(filled.file.read_bytes())
        data[8 + 5 + 32 + 12] ^= 0x80  # first nonce byte: authenticated like the ciphertext
        filled.file.write_bytes(bytes(data))
        assert_refuses_and_keeps(filled, "tampered")

    def test_newer_format_version(self, filled: FileVault) -> None:
        data = bytearray(filled.file.read_bytes())
        data[8] = 9
        filled.file.write_bytes(bytes(data))
        assert_refuses_and_keeps(filled, "newer", "upgrade")

    def test_trailing_garbage(self, filled: FileVault) -> None:
        filled.file.write_bytes(filled.file.read_bytes() + b"x")
        assert_refuses_and_keeps(filled, "trailing")

    def test_not_a_vault(self, filled: FileVault) -> None:
        filled.file.write_text('{"client_secret": "plain"}')
        assert_refuses_and_keeps(filled, "not a procore-runbooks")


class TestPermissions:
    """A vault or key file open to group or others is refused with the chmod that fixes it."""

    @pytest.mark.parametrize("which", ["vault", "key"])
    @pytest.mark.parametrize("loose", [0o644, 0o640, 0o604, 0o660])
    def test_loose_modes_are_refused(self, filled: FileVault, which: str, loose: int) -> None:
        target = filled.file if which == "vault" else filled.key_file
        target.chmod(loose)
        text = assert_refuses_and_keeps(filled, f"chmod 600 {target}", f"{loose:04o}")
        assert "group or others" in text
        target.chmod(0o600)
        assert filled.get("app")["client_secret"].reveal() == VALUE


def start_writer(url: str, path: str, writer: str, count: int, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), url, path, writer, str(count)],
        stdin=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


class TestKilledWriter:
    """A writer killed mid-write (SIGKILL) leaves a vault that opens with the previous content."""

    @pytest.mark.parametrize("stage", ["partial", "written"])
    def test_sigkill_mid_write(self, filled: FileVault, tmp_path: Path, stage: str) -> None:
        marker = tmp_path / "paused"
        writer = start_writer(
            filled.url, "app", "killed", 1, **{TEST_PAUSE_ENV: f"{stage}:{marker}"}
        )
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
        deadline = time.monotonic() + 20
        while not marker.exists():  # readiness: the writer reached the pause point
            assert writer.poll() is None, "the writer ended before its pause point"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        leftovers = list(filled.file.parent.glob(".vault.enc.*.tmp"))
        assert len(leftovers) == 1  # the temp file was being written, the vault was not
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()

        assert filled.history("app")[-1].version == 1
        assert filled.get("app")["client_secret"].reveal() == VALUE
        assert filled.put("app", {"client_secret": "after"}) == 2  # the lock died with it
        assert not list(filled.file.parent.glob(".vault.enc.*.tmp"))


class TestConcurrentWriters:
    """8 processes on different paths and 8 on one path at once: no lost update, no corruption."""

    def test_sixteen_writers(self, tmp_path: Path) -> None:
        url = f"file:{tmp_path / 'vault.enc'}"  # absent: the writers also race to create the key
        count = 5
        writers = [start_writer(url, f"own/{i}", f"own-{i}", count) for i in range(8)]
        writers += [start_writer(url, "shared", f"shared-{i}", count) for i in range(8)]
        for writer in writers:  # every process is up and waiting: release them together
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
        for writer in writers:
            assert writer.stdin is not None
            writer.stdin.close()
        assert [writer.wait(timeout=60) for writer in writers] == [0] * 16

        vault = open_vault(url, env={})
        assert vault.list() == sorted([*(f"own/{i}" for i in range(8)), "shared"])
        for i in range(8):
            assert [v.version for v in vault.history(f"own/{i}")] == list(range(1, count + 1))
            ns = [vault.get(f"own/{i}", v)["n"].reveal() for v in range(1, count + 1)]
            assert ns == [str(n) for n in range(count)]
        shared = vault.history("shared")
        assert [v.version for v in shared] == list(range(1, 8 * count + 1))
        seen: dict[str, list[int]] = {}
        for v in shared:
            fields = vault.get("shared", v.version)
            seen.setdefault(fields["writer"].reveal(), []).append(int(fields["n"].reveal()))
        assert seen == {f"shared-{i}": list(range(count)) for i in range(8)}
        assert not list(tmp_path.glob(".vault.enc.*.tmp"))
        assert mode(tmp_path / "vault.key") == 0o600
