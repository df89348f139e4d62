"""``keyring:SERVICE``: the OS keychain (Secret Service, macOS Keychain, Windows) via ``keyring``.

The keyring stores one string per (service, username) and cannot enumerate, so the vault lays
out each service as JSON records:

* username ``path:<path>``: every version of that path,
  ``{"format": 1, "versions": [{"version", "created", "deleted", "fields": {...}}]}``;
* username ``index``: ``{"format": 1, "paths": {"<path>": {"latest": n, "deleted": bool}}}``,
  which ``list`` reads instead of scanning.

A put writes the path's record before the index, so a crash between the two loses no value (the
path only misses from ``list`` until its next write). Writers on this machine serialise on a
per-user lock file (the keychain has no transactions), which makes ``cas`` and the version
numbers as reliable as the file vault's.

Backends that do not keep a secret secret are refused unless the URL says ``allow_insecure=1``:
``keyrings.alt`` (plaintext or base64 files), ``fail`` (no keyring found), ``null`` (stores
nothing), and a chainer with no usable backend or an insecure one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import keyring
import keyring.core
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from automation.errors import VaultError
from automation.secret import Secret
from automation.vault._files import exclusive_lock
from automation.vault.base import Vault, VersionInfo

__all__ = ["KeyringVault", "insecurity", "load_backend"]

_FORMAT = 1
_INDEX = "index"
T = TypeVar("T")

_Record = dict[str, Any]
# Aliases for annotations inside the classes, where ``list`` names the list method.
_Versions = list[_Record]
_Names = list[str]
_History = list[VersionInfo]


def insecurity(backend: KeyringBackend) -> str | None:
    """Why ``backend`` cannot be trusted with a secret, or None if it can."""
    kind = type(backend)
    name = f"{kind.__module__}.{kind.__qualname__}"
    if isinstance(backend, fail.Keyring):
        return f"{name}: no OS keyring is available (is a Secret Service running and unlocked?)"
    if isinstance(backend, null.Keyring):
        return f"{name}: the null keyring stores nothing"
    if kind.__module__.startswith("keyrings.alt"):
        return f"{name}: keyrings.alt keeps secrets in a local file, not in an OS keychain"
    if isinstance(backend, chainer.ChainerBackend):
        chained: list[KeyringBackend] = list(backend.backends)
        if not chained:
            return f"{name}: a chainer with no usable backend"
        for each in chained:
            reason = insecurity(each)
            if reason:
                return f"{name} includes {reason}"
    return None


def load_backend(name: str | None, *, allow_insecure: bool, url: str) -> KeyringBackend:
    """The named backend class (``keyring.backends.SecretService.Keyring``) or keyring's choice.

    Without a name this is what ``keyring`` itself would use (PYTHON_KEYRING_BACKEND, its config
    file, or the best one detected).
    """
    try:
        backend = keyring.core.load_keyring(name) if name else keyring.get_keyring()
    except Exception as error:
        raise VaultError(
            f"{url}: keyring backend {name} is not usable here ({type(error).__name__})"
        ) from None
    reason = insecurity(backend)
    if reason and not allow_insecure:
        raise VaultError(
            f"{url}: refusing an insecure keyring backend: {reason}. Start an OS keyring "
            "(e.g. gnome-keyring), name one with ?backend=..., use another vault "
            "(file:.runbook/vault.enc), or accept the risk with ?allow_insecure=1"
        )
    return backend


def _lock_dir() -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = Path(runtime) if runtime else Path.home() / ".cache"
    return base / "procore-runbooks"


class KeyringVault(Vault):
    """One keyring service holding JSON records per path; see the module docstring."""

    def __init__(
        self, service: str, *, backend: KeyringBackend, url: str, lock_dir: Path | None = None
    ) -> None:
        self.service = service
        self.url = url
        self._backend = backend
        digest = hashlib.sha256(service.encode()).hexdigest()[:16]
        self._lock_file = (lock_dir or _lock_dir()) / f"keyring-{digest}.lock"

    # -- the five operations -------------------------------------------------------------

    def get(self, path: str, version: int | None = None) -> dict[str, Secret]:
        path = _clean(path)
        versions = self._record(path)
        chosen = versions[-1] if version is None and versions else None
        if version is not None:
            chosen = next((v for v in versions if v["version"] == version), None)
        if chosen is None or chosen["deleted"]:
            which = f"version {version} of {path}" if version is not None else path
            raise VaultError(f"{self.url}: no secret at {which}")
        return {name: Secret(value) for name, value in chosen["fields"].items()}

    def put(self, path: str, fields: Mapping[str, str | Secret], *, cas: int | None = None) -> int:
        path = _clean(path)
        plain = {k: v.reveal() if isinstance(v, Secret) else v for k, v in fields.items()}

        def append(versions: _Versions) -> int:
            current = versions[-1]["version"] if versions else 0
            if cas is not None and cas != current:
                raise VaultError(f"{self.url}: {path} changed (version {current}, expected {cas})")
            created = datetime.now(UTC).isoformat()
            versions.append(
                {"version": current + 1, "created": created, "deleted": False, "fields": plain}
            )
            return int(current + 1)

        return self._modify(path, append)

    def update(self, path: str, fields: Mapping[str, str | Secret]) -> int:
        """The latest fields with ``fields`` changed, read and written under the lock."""
        path = _clean(path)
        plain = {k: v.reveal() if isinstance(v, Secret) else v for k, v in fields.items()}

        def merge(versions: _Versions) -> int:
            latest = versions[-1] if versions else None
            current = dict(latest["fields"]) if latest and not latest["deleted"] else {}
            number = int(latest["version"] if latest else 0) + 1
            versions.append({"version": number, "created": datetime.now(UTC).isoformat(),
                             "deleted": False, "fields": {**current, **plain}})
            return number

        return self._modify(path, merge)

    def list(self, prefix: str = "") -> _Names:
        prefix = _clean(prefix)
        paths = self._index()
        return sorted(
            p for p, state in paths.items() if p.startswith(prefix) and not state["deleted"]
        )

    def delete(self, path: str) -> None:
        path = _clean(path)

        def mark_deleted(versions: _Versions) -> None:
            if not versions:
                raise VaultError(f"{self.url}: no secret at {path}")
            versions[-1]["deleted"] = True

        self._modify(path, mark_deleted)

    def history(self, path: str) -> _History:
        return [
            VersionInfo(
                v["version"],
                datetime.fromisoformat(v["created"]),
                tuple(sorted(v["fields"])),
                deleted=v["deleted"],
            )
            for v in self._record(_clean(path))
        ]

    # -- storage -------------------------------------------------------------------------

    def _modify(self, path: str, change: Callable[[_Versions], T]) -> T:
        with exclusive_lock(self._lock_file):
            versions = self._record(path)
            result = change(versions)
            self._store(f"path:{path}", {"format": _FORMAT, "versions": versions}, path)
            index = self._index()
            index[path] = {"latest": versions[-1]["version"], "deleted": versions[-1]["deleted"]}
            self._store(_INDEX, {"format": _FORMAT, "paths": index}, path)
            return result

    def _record(self, path: str) -> _Versions:
        document = self._load(f"path:{path}", path)
        versions: list[_Record] = document.get("versions", []) if document else []
        return versions

    def _index(self) -> dict[str, dict[str, Any]]:
        document = self._load(_INDEX, "the index")
        paths: dict[str, dict[str, Any]] = document.get("paths", {}) if document else {}
        return paths

    def _load(self, username: str, what: str) -> dict[str, Any] | None:
        text = self._call(lambda: self._backend.get_password(self.service, username), "read", what)
        if text is None:
            return None
        try:
            document: Any = json.loads(text)
        except ValueError:
            document = None
        if not isinstance(document, dict) or document.get("format") != _FORMAT:
            raise VaultError(
                f"{self.url}: the keyring entry for {what} is not a procore-runbooks record"
            )
        return document

    def _store(self, username: str, document: dict[str, Any], what: str) -> None:
        text = json.dumps(document)
        self._call(lambda: self._backend.set_password(self.service, username, text), "write", what)

    def _call(self, operation: Callable[[], T], action: str, what: str) -> T:
        try:
            return operation()
        except Exception as error:
            # The class name only: backend messages are not ours to vouch for.
            raise VaultError(
                f"{self.url}: the keyring refused to {action} {what} ({type(error).__name__}); "
                "is it running and unlocked?"
            ) from None


def _clean(path: str) -> str:
    return path.strip("/")
