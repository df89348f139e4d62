"""Rescue files: where a just-captured secret goes when the vault refuses it.

The production client secret is shown once; losing it means re-issuing credentials. When the
vault write fails, :func:`write_rescue_file` seals the fields with a key generated for this one
file and writes that key to a separate file (both 0600, created exclusively, never replaced),
or derives the key from ``RUNBOOK_RESCUE_PASSPHRASE`` (scrypt) and writes no key file. The
rescue file alone reveals nothing but the vault path and the field names (clear, authenticated
metadata, so an operator can tell what it holds); keep it apart from its key when sharing a
run directory.

Once the vault works again: ``runbook vault rescue FILE --key KEYFILE`` stores the fields, reads
them back, compares, and only then says the two files may go (``--delete`` removes them).

Format: the same authenticated AES-256-GCM envelope as the file vault (``_envelope.py``) with
its own magic, ``RBRESCUE``.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from automation.errors import VaultError
from automation.secret import Secret
from automation.vault._envelope import KEY_BYTES, KEY_FILE, PASSPHRASE, KeyMaterial, read_header
from automation.vault._envelope import open_sealed as _open_sealed
from automation.vault._envelope import seal as _seal
from automation.vault._files import check_private, create_private

__all__ = [
    "RESCUE_PASSPHRASE_ENV",
    "RescueInfo",
    "key_file_for",
    "read_rescue_file",
    "rescue_info",
    "write_rescue_file",
]

RESCUE_PASSPHRASE_ENV = "RUNBOOK_RESCUE_PASSPHRASE"
RESCUE_MAGIC = b"RBRESCUE"
_FORMAT = 1


@dataclass(frozen=True)
class RescueInfo:
    """What a rescue file says without its key: which vault path, which fields, when."""

    path: str
    fields: tuple[str, ...]
    created: datetime
    sealed_with: str  # "key file" or "passphrase"
    vault: str = ""  # the vault it was meant for (files written before this field: "")


def key_file_for(rescue_file: Path) -> Path:
    """Where :func:`write_rescue_file` put the key of ``rescue_file``."""
    return rescue_file.with_suffix(".key")


def write_rescue_file(
    directory: Path,
    path: str,
    fields: Mapping[str, str | Secret],
    *,
    env: Mapping[str, str] | None = None,
    vault_url: str = "",
) -> Path:
    """Seals ``fields`` (meant for vault ``path``) into a new file in ``directory``; returns it.

    The key goes to :func:`key_file_for` of the result, unless ``RUNBOOK_RESCUE_PASSPHRASE``
    is set in ``env`` (default: the process environment). Both files are fsynced, and their
    directory, before this returns; if the rescue file cannot be written its key is removed.
    ``vault_url`` (already scrubbed of credentials) is kept in the clear metadata.
    """
    env = os.environ if env is None else env
    created = datetime.now(UTC)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", path.strip("/"))[:60]
    rescue = directory / f"{created:%Y%m%dT%H%M%SZ}-{slug}-{secrets.token_hex(4)}.rescue"
    plain = {k: v.reveal() if isinstance(v, Secret) else v for k, v in fields.items()}
    passphrase = env.get(RESCUE_PASSPHRASE_ENV)
    try:
        if passphrase:
            material = KeyMaterial(
                PASSPHRASE, passphrase.encode(), f"the passphrase in {RESCUE_PASSPHRASE_ENV}"
            )
        else:
            key = os.urandom(KEY_BYTES)
            material = KeyMaterial(KEY_FILE, key, "its key file")
            if not create_private(key_file_for(rescue), base64.b64encode(key) + b"\n"):
                raise VaultError(f"rescue key {key_file_for(rescue)} already exists")
        meta = {"path": path.strip("/"), "fields": sorted(plain), "created": created.isoformat(),
                "vault": vault_url}
        payload = {"format": _FORMAT, "path": path.strip("/"), "fields": plain}
        sealed = _seal(
            RESCUE_MAGIC, json.dumps(payload).encode(), material, meta=json.dumps(meta).encode()
        )
        if not create_private(rescue, sealed):
            raise VaultError(f"rescue file {rescue} already exists")
    except OSError as error:
        with contextlib.suppress(OSError):  # a key without its file is of no use to anyone
            key_file_for(rescue).unlink(missing_ok=True)
        raise VaultError(
            f"cannot write a rescue file for {path} in {directory}: {error.strerror}"
        ) from None
    return rescue


def rescue_info(rescue_file: Path) -> RescueInfo:
    """Reads the clear metadata (no key needed): which path and fields the file holds."""
    header = read_header(_read(rescue_file), RESCUE_MAGIC, f"rescue file {rescue_file}")
    try:
        meta: Any = json.loads(header.meta)
        return RescueInfo(
            path=str(meta["path"]),
            fields=tuple(meta["fields"]),
            created=datetime.fromisoformat(meta["created"]),
            sealed_with="passphrase" if header.kind == PASSPHRASE else "key file",
            vault=str(meta.get("vault", "")),
        )
    except (ValueError, KeyError, TypeError):
        raise VaultError(f"rescue file {rescue_file}: unreadable metadata") from None


def read_rescue_file(rescue_file: Path, key: Path | Secret) -> dict[str, Secret]:
    """The fields sealed in ``rescue_file``, opened with its key file or passphrase."""
    label = f"rescue file {rescue_file}"
    data = _read(rescue_file)
    header = read_header(data, RESCUE_MAGIC, label)  # a cut file is reported whatever the key
    if isinstance(key, Secret):
        material = KeyMaterial(PASSPHRASE, key.reveal().encode(), "the passphrase given")
    elif header.kind == PASSPHRASE:
        raise VaultError(f"{label}: sealed with a passphrase: set {RESCUE_PASSPHRASE_ENV}")
    else:
        material = KeyMaterial(KEY_FILE, _read_key(key, label), f"key file {key}")
    opened = _open_sealed(data, RESCUE_MAGIC, material, label)
    try:
        payload: Any = json.loads(opened.plaintext)
        fields: dict[str, str] = payload["fields"]
        if payload.get("format") != _FORMAT or not isinstance(fields, dict):
            raise ValueError("unexpected layout")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise VaultError(f"{label}: unreadable contents (authenticated but malformed)") from None
    return {name: Secret(value) for name, value in fields.items()}


def _read(file: Path) -> bytes:
    check_private(file, "rescue file")
    try:
        return file.read_bytes()
    except OSError as error:
        raise VaultError(f"cannot read rescue file {file}: {error.strerror}") from None


def _read_key(key_file: Path, label: str) -> bytes:
    check_private(key_file, "rescue key file")
    try:
        key = base64.b64decode(key_file.read_bytes().strip(), validate=True)
    except OSError as error:
        raise VaultError(f"{label}: cannot read key file {key_file}: {error.strerror}") from None
    except binascii.Error:
        key = b""
    if len(key) != KEY_BYTES:
        raise VaultError(f"{label}: {key_file} is not a rescue key (32 bytes, base64)")
    return key
