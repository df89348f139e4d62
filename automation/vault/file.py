"""``file:``: the embedded default vault, one AES-256-GCM encrypted file on local disk.

Why AES-GCM (``cryptography``) rather than age (``pyrage``): ``cryptography`` is already a
dependency and ships wheels everywhere; AES-GCM is authenticated, so tampering and truncation
are detected, and the whole header is authenticated data, so the format version cannot be
altered either. age would add a dependency and its passphrase mode costs ~4 s a call here,
while we need fast key-file writes for concurrent runs. Format details: ``_envelope.py``.

Keys: a 32-byte random key in a key file (``.runbook/vault.key`` beside ``vault.enc`` unless
``?key=`` says otherwise), created 0600 on the first write; or, when ``RUNBOOK_VAULT_PASSPHRASE``
is set, a key derived with scrypt (salt and cost in the header; the derived key is kept in
memory only). Files open to group or others are refused, as ssh refuses a private key.

A ``vault.enc`` that is a symlink (say, to a shared vault) is written through to its target,
with the lock beside the target; the link itself is never replaced.

Writes hold an exclusive ``flock`` on ``vault.enc.lock`` for the whole read-modify-write, so
concurrent runs never lose each other's versions, and replace the file atomically (temp file,
fsync, rename, fsync directory), so a writer killed at any point leaves the previous content.
Every put appends a version; nothing is ever dropped, so a re-issued secret never silently
replaces the old one. Reads take no lock: a rename is atomic for readers.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict, TypeVar

from automation.errors import VaultError
from automation.secret import Secret
from automation.vault._envelope import (
    DEFAULT_SCRYPT_LOG_N,
    KEY_BYTES,
    KEY_FILE,
    PASSPHRASE,
    KeyMaterial,
    open_sealed,
    read_header,
    seal,
)
from automation.vault._files import (
    atomic_write,
    check_private,
    create_private,
    exclusive_lock,
    remove_stale_temp_files,
)
from automation.vault.base import Vault, VersionInfo

__all__ = ["PASSPHRASE_ENV", "VAULT_MAGIC", "FileVault"]

PASSPHRASE_ENV = "RUNBOOK_VAULT_PASSPHRASE"
VAULT_MAGIC = b"RBVAULT\0"
_PAYLOAD_FORMAT = 1

T = TypeVar("T")


class _Version(TypedDict):
    version: int
    created: str
    deleted: bool
    fields: dict[str, str]


_Paths = dict[str, list[_Version]]
# Aliases for annotations inside the classes, where ``list`` names the list method.
_Names = list[str]
_History = list[VersionInfo]
_Kdf = tuple[int, int, int, int, bytes]


class FileVault(Vault):
    """One encrypted file; see the module docstring for keys, locking and atomicity."""

    def __init__(
        self,
        file: Path,
        *,
        key_file: Path | None = None,
        passphrase: Secret | None = None,
        url: str | None = None,
        scrypt_log_n: int = DEFAULT_SCRYPT_LOG_N,
    ) -> None:
        self.file = file
        self.key_file = key_file or file.with_name(f"{file.stem}.key")
        self.url = url or f"file:{file}"
        if passphrase is not None and not passphrase:
            raise VaultError(f"{self.url}: {PASSPHRASE_ENV} is set but empty")
        self._passphrase = passphrase
        self._scrypt_log_n = scrypt_log_n

    # -- the five operations -------------------------------------------------------------

    def get(self, path: str, version: int | None = None) -> dict[str, Secret]:
        path = _clean(path)
        versions, _ = self._load(f"read {path}")
        chosen = _pick(versions.get(path, []), version)
        if chosen is None or chosen["deleted"]:
            which = f"version {version} of {path}" if version is not None else path
            raise VaultError(f"{self.url}: no secret at {which}")
        return {name: Secret(value) for name, value in chosen["fields"].items()}

    def put(self, path: str, fields: Mapping[str, str | Secret], *, cas: int | None = None) -> int:
        path = _clean(path)
        plain = {name: _reveal(value) for name, value in fields.items()}

        def append(paths: _Paths) -> int:
            versions = paths.setdefault(path, [])
            current = versions[-1]["version"] if versions else 0
            if cas is not None and cas != current:
                raise VaultError(f"{self.url}: {path} changed (version {current}, expected {cas})")
            created = datetime.now(UTC).isoformat()
            versions.append(
                _Version(version=current + 1, created=created, deleted=False, fields=plain)
            )
            return current + 1

        return self._modify(f"write {path}", append)

    def update(self, path: str, fields: Mapping[str, str | Secret]) -> int:
        """The latest fields with ``fields`` changed, read and written under the write lock."""
        path = _clean(path)
        plain = {name: _reveal(value) for name, value in fields.items()}

        def merge(paths: _Paths) -> int:
            versions = paths.setdefault(path, [])
            latest = versions[-1] if versions else None
            current = dict(latest["fields"]) if latest and not latest["deleted"] else {}
            number = (latest["version"] if latest else 0) + 1
            versions.append(_Version(version=number, created=datetime.now(UTC).isoformat(),
                                     deleted=False, fields={**current, **plain}))
            return number

        return self._modify(f"update {path}", merge)

    def list(self, prefix: str = "") -> _Names:
        prefix = _clean(prefix)
        paths, _ = self._load(f"list {prefix or '/'}")
        return sorted(
            p for p, vs in paths.items() if p.startswith(prefix) and not vs[-1]["deleted"]
        )

    def delete(self, path: str) -> None:
        path = _clean(path)

        def mark_deleted(paths: _Paths) -> None:
            versions = paths.get(path)
            if not versions:
                raise VaultError(f"{self.url}: no secret at {path}")
            versions[-1]["deleted"] = True

        self._modify(f"delete {path}", mark_deleted)

    def history(self, path: str) -> _History:
        paths, _ = self._load(f"read the history of {_clean(path)}")
        return [
            VersionInfo(
                v["version"],
                datetime.fromisoformat(v["created"]),
                tuple(sorted(v["fields"])),
                deleted=v["deleted"],
            )
            for v in paths.get(_clean(path), [])
        ]

    # -- storage -------------------------------------------------------------------------

    def _modify(self, doing: str, change: Callable[[_Paths], T]) -> T:
        # A vault file that is a symlink (to a shared vault) is written through: the lock,
        # the temp file and the rename all happen beside the target, never replacing the link.
        target = Path(os.path.realpath(self.file))
        try:
            with exclusive_lock(target.with_name(f"{target.name}.lock")):
                remove_stale_temp_files(target)
                paths, kdf = self._load(doing)  # any error here stops the write
                result = change(paths)
                payload = json.dumps({"format": _PAYLOAD_FORMAT, "paths": paths}).encode()
                sealed = seal(
                    VAULT_MAGIC,
                    payload,
                    self._key(f"{self.url}: cannot {doing}", create=True),
                    kdf=kdf,
                    scrypt_log_n=self._scrypt_log_n,
                )
                atomic_write(target, sealed)
                return result
        except OSError as error:  # read-only or full disk, missing directory...
            where = error.filename or target
            raise VaultError(f"{self.url}: cannot {doing}: {where}: {error.strerror}") from None

    def _load(self, doing: str) -> tuple[_Paths, _Kdf | None]:
        label = f"{self.url}: cannot {doing}"  # every error names the vault and the path
        check_private(self.file, f"{label}: vault file")
        try:
            data = self.file.read_bytes()
        except FileNotFoundError:
            return {}, None  # an empty vault: reading creates nothing
        except OSError as error:
            raise VaultError(f"{label}: {self.file}: {error.strerror}") from None
        # The header first: a cut or foreign file is reported as such whatever the key.
        header = read_header(data, VAULT_MAGIC, label)
        if header.kind == PASSPHRASE and self._passphrase is None:
            raise VaultError(f"{label}: sealed with a passphrase: set {PASSPHRASE_ENV}")
        opened = open_sealed(data, VAULT_MAGIC, self._key(label, create=False), label)
        return _parse_payload(opened.plaintext, label), opened.kdf

    def _key(self, label: str, *, create: bool) -> KeyMaterial:
        if self._passphrase is not None:
            secret = self._passphrase.reveal().encode()
            return KeyMaterial(PASSPHRASE, secret, f"the passphrase in {PASSPHRASE_ENV}")
        describe = f"key file {self.key_file}"
        check_private(self.key_file, f"{label}: key file")
        try:
            text = self.key_file.read_bytes()
        except FileNotFoundError:
            if not create:
                raise VaultError(
                    f"{label}: {describe} is missing; the vault cannot be opened without "
                    f"it (or set {PASSPHRASE_ENV} if it was sealed with a passphrase)"
                ) from None
            key = os.urandom(KEY_BYTES)
            if create_private(self.key_file, base64.b64encode(key) + b"\n"):
                return KeyMaterial(KEY_FILE, key, describe)
            text = self.key_file.read_bytes()  # another process created it first
        except OSError as error:
            raise VaultError(f"{label}: {describe}: {error.strerror}") from None
        try:
            key = base64.b64decode(text.strip(), validate=True)
        except binascii.Error:
            key = b""
        if len(key) != KEY_BYTES:
            raise VaultError(
                f"{label}: {describe} is not a vault key (expected {KEY_BYTES} bytes, base64)"
            )
        return KeyMaterial(KEY_FILE, key, describe)


def _parse_payload(plaintext: bytes, label: str) -> _Paths:
    try:
        document: Any = json.loads(plaintext)
        paths: _Paths = document["paths"]
        if document.get("format") != _PAYLOAD_FORMAT or not isinstance(paths, dict):
            raise ValueError("unexpected layout")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise VaultError(f"{label}: corrupt contents (authenticated but unreadable)") from None
    return paths


def _pick(versions: list[_Version], version: int | None) -> _Version | None:
    if version is None:
        return versions[-1] if versions else None
    return next((v for v in versions if v["version"] == version), None)


def _reveal(value: str | Secret) -> str:
    return value.reveal() if isinstance(value, Secret) else value


def _clean(path: str) -> str:
    return path.strip("/")
