"""Rescue files keep a refused secret safe: sealed, key apart, and movable into a vault later."""

from __future__ import annotations

import argparse
import stat
from pathlib import Path

import pytest

from automation.errors import VaultError
from automation.secret import Secret
from automation.vault import open_vault, read_rescue_file, rescue_info, write_rescue_file
from automation.vault.cli import register
from automation.vault.rescue import RESCUE_PASSPHRASE_ENV, key_file_for

PATH = "procore/apps/Procore DMSA App/production"
VALUE = "cs-5e4d3c2b1a0f9e8d7c6b"
FIELDS: dict[str, str | Secret] = {"client_id": "cid-0a1b2c3d", "client_secret": Secret(VALUE)}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(*argv: str) -> int:
    root = argparse.ArgumentParser(prog="runbook")
    register(root.add_subparsers(dest="command", required=True))
    args = root.parse_args(list(argv))
    code: int = args.handler(args)
    return code


class TestSealing:
    """The rescue file alone reveals only the path and field names; with its key, the values."""

    def test_write_and_read(self, tmp_path: Path) -> None:
        rescue = write_rescue_file(tmp_path / "rescue", PATH, FIELDS, env={})
        key = key_file_for(rescue)
        assert rescue.exists() and key.exists() and rescue != key
        assert mode(rescue) == mode(key) == 0o600
        assert mode(rescue.parent) == 0o700
        assert VALUE.encode() not in rescue.read_bytes()
        assert b"cid-0a1b2c3d" not in rescue.read_bytes()
        info = rescue_info(rescue)  # no key needed to say what it holds
        assert (info.path, info.fields, info.sealed_with) == (
            PATH,
            ("client_id", "client_secret"),
            "key file",
        )
        opened = read_rescue_file(rescue, key)
        assert {k: v.reveal() for k, v in opened.items()} == {
            "client_id": "cid-0a1b2c3d",
            "client_secret": VALUE,
        }

    def test_each_rescue_has_its_own_key(self, tmp_path: Path) -> None:
        first = write_rescue_file(tmp_path, PATH, FIELDS, env={})
        second = write_rescue_file(tmp_path, PATH, FIELDS, env={})
        assert first != second
        assert key_file_for(first).read_bytes() != key_file_for(second).read_bytes()
        with pytest.raises(VaultError, match="wrong key") as error:
            read_rescue_file(first, key_file_for(second))
        assert VALUE not in str(error.value)

    def test_passphrase_writes_no_key_file(self, tmp_path: Path) -> None:
        env = {RESCUE_PASSPHRASE_ENV: "rescue me please"}
        rescue = write_rescue_file(tmp_path, PATH, FIELDS, env=env)
        assert not key_file_for(rescue).exists()
        assert rescue_info(rescue).sealed_with == "passphrase"
        assert read_rescue_file(rescue, Secret("rescue me please"))["client_secret"] == Secret(
            VALUE
        )
        with pytest.raises(VaultError, match="wrong key"):
            read_rescue_file(rescue, Secret("wrong"))
        with pytest.raises(VaultError, match="sealed with a passphrase"):
            read_rescue_file(rescue, tmp_path / "nokey")

    def test_tampered_and_loose_files_are_refused(self, tmp_path: Path) -> None:
        rescue = write_rescue_file(tmp_path, PATH, FIELDS, env={})
        data = bytearray(rescue.read_bytes())
        data[-1] ^= 1
        rescue.write_bytes(bytes(data))
        with pytest.raises(VaultError, match="tampered"):
            read_rescue_file(rescue, key_file_for(rescue))
        key_file_for(rescue).chmod(0o644)
        with pytest.raises(VaultError, match="chmod 600"):
            read_rescue_file(rescue, key_file_for(rescue))

    def test_unwritable_directory_is_a_vault_error(self, tmp_path: Path) -> None:
        blocker = tmp_path / "file"
        blocker.write_text("not a directory")
        with pytest.raises(VaultError, match="cannot write a rescue file") as error:
            write_rescue_file(blocker / "rescue", PATH, FIELDS, env={})
        assert VALUE not in str(error.value)


class TestRescueCommand:
    """runbook vault rescue stores the fields, reads them back, and only then lets go."""

    def test_moves_into_the_vault(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        url = f"file:{tmp_path / 'vault.enc'}"
        open_vault(url, env={}).put(PATH, {"client_secret": "cs-older-version"})
        rescue = write_rescue_file(tmp_path / "rescue", PATH, FIELDS, env={})
        key = key_file_for(rescue)
        assert run("vault", "rescue", str(rescue), "--key", str(key), "--vault", url) == 0
        out = capsys.readouterr().out
        assert "stored version 2" in out and "rm " in out and VALUE not in out
        vault = open_vault(url, env={})
        assert vault.get(PATH)["client_secret"].reveal() == VALUE
        assert vault.get(PATH, 1)["client_secret"].reveal() == "cs-older-version"  # kept
        assert rescue.exists() and key.exists()  # removed only when asked
        assert run("vault", "rescue", str(rescue), "--delete", "--vault", url) == 0
        assert not rescue.exists() and not key.exists()
        assert [v.version for v in vault.history(PATH)] == [1, 2, 3]

    def test_passphrase_from_env(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(RESCUE_PASSPHRASE_ENV, "rescue me please")
        rescue = write_rescue_file(tmp_path, PATH, FIELDS)
        url = f"file:{tmp_path / 'vault.enc'}"
        assert run("vault", "rescue", str(rescue), "--vault", url) == 0
        assert open_vault(url, env={}).get(PATH)["client_secret"].reveal() == VALUE

    def test_vault_still_refusing_keeps_the_files(self, tmp_path: Path) -> None:
        rescue = write_rescue_file(tmp_path, PATH, FIELDS, env={})
        broken = tmp_path / "vault.enc"
        broken.write_bytes(b"RBVAULT\0" + b"\0" * 10)
        broken.chmod(0o600)
        with pytest.raises(VaultError, match="truncated") as error:
            run("vault", "rescue", str(rescue), "--delete", "--vault", f"file:{broken}")
        assert VALUE not in str(error.value)
        assert rescue.exists() and key_file_for(rescue).exists()
