"""The vault interface every backend implements.

A vault maps a *path* (``procore/apps/Procore DMSA App/production``) to a small record of
named *fields* (``client_id``, ``client_secret``). Writes create a new *version*; earlier
versions stay readable, so a re-issued secret never silently replaces the old one.
Values come back as :class:`~automation.secret.Secret`.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from automation.secret import Secret

__all__ = ["Vault", "VaultRef", "VersionInfo"]

#: Check-and-set attempts of ``update`` before it gives up (each loses only to a writer that
#: succeeded, so a few are plenty even with many writers).
_UPDATE_ATTEMPTS = 64


@dataclass(frozen=True)
class VersionInfo:
    """One version of a path: never the values, only when and which fields."""

    version: int
    created: datetime
    fields: tuple[str, ...]
    deleted: bool = False


@dataclass(frozen=True)
class VaultRef:
    """``path#field``: how runbooks, plans and journals name a vault value."""

    path: str
    field: str

    @classmethod
    def parse(cls, text: str) -> VaultRef:
        path, sep, field = text.rpartition("#")
        if not sep or not path or not field:
            raise ValueError(f"expected 'path#field', got {text!r}")
        return cls(path.strip("/"), field)

    def __str__(self) -> str:
        return f"vault:{self.path}#{self.field}"


class Vault(ABC):
    """A secret store. Backends implement the five operations; ``close`` is optional."""

    #: Names the vault in messages (``file:.runbook/vault.enc``), never a value.
    url: str

    @abstractmethod
    def get(self, path: str, version: int | None = None) -> dict[str, Secret]:
        """The fields at ``path`` (latest version unless given); VaultError if absent."""

    @abstractmethod
    def put(
        self, path: str, fields: Mapping[str, str | Secret], *, cas: int | None = None
    ) -> int:
        """Writes a new version holding exactly ``fields``; returns its number.

        ``cas``: the version the caller last saw (0: the path must not exist yet); the
        write fails with VaultError if another writer got there first.
        """

    @abstractmethod
    def list(self, prefix: str = "") -> list[str]:
        """Every path under ``prefix``, sorted."""

    @abstractmethod
    def delete(self, path: str) -> None:
        """Marks the latest version of ``path`` deleted (history remains)."""

    @abstractmethod
    def history(self, path: str) -> builtins.list[VersionInfo]:  # ``list`` is a method here
        """Every version of ``path``, oldest first."""

    def exists(self, path: str) -> bool:
        return path.strip("/") in self.list(path.strip("/"))

    def read(self, ref: VaultRef) -> Secret:
        """One field, labelled with where it came from."""
        from automation.errors import VaultError

        fields = self.get(ref.path)
        if ref.field not in fields:
            raise VaultError(f"{self.url}: {ref.path} has no field {ref.field!r}")
        return Secret(fields[ref.field].reveal(), source=str(ref))

    def update(self, path: str, fields: Mapping[str, str | Secret]) -> int:
        """Writes a new version: the latest fields with ``fields`` changed or added.

        Safe among concurrent writers: a check-and-set write, tried again on the newer
        version when another writer got there first, so no writer's fields are lost.
        Backends with a lock of their own (the file vault) do it under that lock instead.
        """
        from automation.errors import VaultError

        for _ in range(_UPDATE_ATTEMPTS):
            version, current = self.latest(path)
            merged: dict[str, str | Secret] = {**current, **fields}
            try:
                return self.put(path, merged, cas=version)
            except VaultError as error:
                if "changed" not in str(error):
                    raise
        raise VaultError(f"{self.url}: {path.strip('/')}: gave up after {_UPDATE_ATTEMPTS} "
                         "writers got there first")

    def latest(self, path: str) -> tuple[int, dict[str, Secret]]:
        """The latest version's number (0: none) and fields (none if it is deleted)."""
        versions = self.history(path)
        if not versions:
            return 0, {}
        return versions[-1].version, {} if versions[-1].deleted else self.get(path)

    def full_path(self, path: str) -> str:
        """Where ``path`` really is (a namespaced view adds its namespace)."""
        return path.strip("/")

    def read_recorded(self, text: str) -> Secret:
        """A value again, by the ``vault:path#field`` a journal recorded for it."""
        return self.read(VaultRef.parse(text.removeprefix("vault:")))

    def close(self) -> None:  # noqa: B027 (most backends hold nothing to release)
        """Releases connections or locks."""

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
