"""Where else a secret could be: looked up before anyone is told to reset it.

A client secret shown once and "lost" is often still in the vault: in an earlier version of
its path (a later run wrote another one on top), at the top of the vault (written before
targets had namespaces), or under another target's namespace (which belongs to that other
portal and is never reused). :func:`find_field` looks in all three, by a field's value that
is not secret (the ``client_id`` the portal shows), and never returns a value it did not
match.
"""

from __future__ import annotations

from dataclasses import dataclass

from automation.errors import VaultError
from automation.secret import Secret
from automation.vault.base import Vault
from automation.vault.namespaced import NamespacedVault

__all__ = ["Found", "Sightings", "find_field", "paths_holding"]


@dataclass(frozen=True)
class Found:
    """A version holding the wanted value: ``path`` is full, ``relative`` as the run names it."""

    path: str
    version: int


@dataclass(frozen=True)
class Sightings:
    #: Earlier live versions of the run's own path (newest first): restorable.
    history: tuple[Found, ...] = ()
    #: The same path at the top of the vault, from before namespaces (newest first).
    legacy: tuple[Found, ...] = ()
    #: The same path under other targets' namespaces: another portal's, never reused.
    other_targets: tuple[Found, ...] = ()


def _matching(vault: Vault, path: str, field: str, value: str) -> list[Found]:
    found = []
    try:
        versions = vault.history(path)
    except VaultError:
        return []
    for info in reversed(versions):
        if info.deleted or field not in info.fields:
            continue
        try:
            fields = vault.get(path, info.version)
        except VaultError:
            continue  # deleted or destroyed since the history was read
        if fields.get(field) == Secret(value):
            found.append(Found(vault.full_path(path), info.version))
    return found


def find_field(vault: Vault, path: str, field: str, value: str) -> Sightings:
    """Versions of ``path`` (relative to ``vault``'s namespace, if any) whose ``field`` is
    ``value``: in its history, un-namespaced, under other targets."""
    path = path.strip("/")
    own = _matching(vault, path, field, value)
    if not isinstance(vault, NamespacedVault):
        return Sightings(history=tuple(own))
    legacy: list[Found] = []
    others: list[Found] = []
    for full in vault.elsewhere(path):
        (legacy if full == path else others).extend(_matching(vault.base, full, field, value))
    return Sightings(tuple(own), tuple(legacy), tuple(others))


def paths_holding(vault: Vault, field: str, value: str, *, besides: str = "") -> list[str]:
    """Full paths in ``vault`` (its namespace) whose latest ``field`` is ``value``."""
    holding = []
    for path in vault.list():
        if path == besides.strip("/"):
            continue
        try:
            if vault.get(path).get(field) == Secret(value):
                holding.append(vault.full_path(path))
        except VaultError:
            continue
    return holding
