"""A vault held in memory: for unit tests and dry runs; forgets everything at exit."""

from __future__ import annotations

import builtins
import threading
from collections.abc import Mapping
from datetime import UTC, datetime

from automation.errors import VaultError
from automation.secret import Secret
from automation.vault.base import Vault, VersionInfo

__all__ = ["MemoryVault"]


class MemoryVault(Vault):
    def __init__(self) -> None:
        self.url = "memory:"
        self._versions: dict[str, list[tuple[VersionInfo, dict[str, Secret]]]] = {}
        self._lock = threading.RLock()

    def get(self, path: str, version: int | None = None) -> dict[str, Secret]:
        path = path.strip("/")
        with self._lock:
            versions = self._versions.get(path, [])
            chosen = versions[-1] if version is None and versions else None
            if version is not None:
                chosen = next((v for v in versions if v[0].version == version), None)
        if chosen is None or chosen[0].deleted:
            raise VaultError(f"{self.url}: no secret at {path}")
        return dict(chosen[1])

    def put(
        self, path: str, fields: Mapping[str, str | Secret], *, cas: int | None = None
    ) -> int:
        path = path.strip("/")
        with self._lock:
            versions = self._versions.setdefault(path, [])
            current = versions[-1][0].version if versions else 0
            if cas is not None and cas != current:
                raise VaultError(f"{self.url}: {path} changed (version {current}, expected {cas})")
            info = VersionInfo(current + 1, datetime.now(UTC), tuple(sorted(fields)))
            versions.append((info, {k: Secret(v) for k, v in fields.items()}))
            return info.version

    def update(self, path: str, fields: Mapping[str, str | Secret]) -> int:
        path = path.strip("/")
        with self._lock:
            versions = self._versions.get(path, [])
            live = versions and not versions[-1][0].deleted
            current = dict(versions[-1][1]) if live else {}
            return self.put(path, {**current, **fields})  # the lock is re-entrant

    def list(self, prefix: str = "") -> list[str]:
        prefix = prefix.strip("/")
        with self._lock:
            return sorted(
                p
                for p, versions in self._versions.items()
                if p.startswith(prefix) and versions and not versions[-1][0].deleted
            )

    def delete(self, path: str) -> None:
        path = path.strip("/")
        with self._lock:
            versions = self._versions.get(path)
            if not versions:
                raise VaultError(f"{self.url}: no secret at {path}")
            info, values = versions[-1]
            versions[-1] = (
                VersionInfo(info.version, info.created, info.fields, deleted=True),
                values,
            )

    def history(self, path: str) -> builtins.list[VersionInfo]:
        with self._lock:
            return [info for info, _ in self._versions.get(path.strip("/"), [])]
