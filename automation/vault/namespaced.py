"""A vault seen through one target's namespace: the one place that prefixes paths.

Runbooks name plain paths (``procore/developer-portal``); a run against the built-in mock
reads and writes them under ``mock/``, a sandbox run under ``sandbox/``, a profile target under
its ``name``. So no mock secret can shadow, version or be mistaken for a real target's.

>>> scoped = NamespacedVault(open_vault("memory:"), "sandbox")
>>> scoped.put("procore/developer-portal", {...})    # stored at sandbox/procore/developer-portal

Errors come from the backend, which is called with the full path, so every message names the
path actually used. Paths written before targets had namespaces (``procore/...`` at the top)
are never moved silently: a miss that such a path could answer says so, with the command that
moves it (``runbook vault move``).
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping

from automation.errors import VaultError
from automation.secret import Secret
from automation.targets import MOCK_NAMESPACE, check_namespace
from automation.vault.base import Vault, VaultRef, VersionInfo

__all__ = ["MOCK_NAMESPACE", "NamespacedVault", "check_namespace", "scoped", "unscoped"]


class NamespacedVault(Vault):
    """``base`` with every path under ``namespace/``; ``list`` answers relative paths."""

    def __init__(self, base: Vault, namespace: str) -> None:
        self.base = base
        self.namespace = check_namespace(namespace)
        self.url = base.url

    def full_path(self, path: str) -> str:
        return f"{self.namespace}/{path.strip('/')}"

    def relative(self, full: str) -> str | None:
        """``full`` without this namespace, or None if it is not under it."""
        head = self.namespace + "/"
        return full[len(head):] if full.startswith(head) else None

    # -- the five operations, prefixed ---------------------------------------------------

    def get(self, path: str, version: int | None = None) -> dict[str, Secret]:
        try:
            return self.base.get(self.full_path(path), version)
        except VaultError as missing:
            hint = self.legacy_hint(path)
            if hint is None or "no secret at" not in str(missing):
                raise
            raise VaultError(f"{missing}; {hint}") from None

    def put(self, path: str, fields: Mapping[str, str | Secret], *, cas: int | None = None
            ) -> int:
        return self.base.put(self.full_path(path), fields, cas=cas)

    def update(self, path: str, fields: Mapping[str, str | Secret]) -> int:
        return self.base.update(self.full_path(path), fields)

    def latest(self, path: str) -> tuple[int, dict[str, Secret]]:
        return self.base.latest(self.full_path(path))

    def list(self, prefix: str = "") -> builtins.list[str]:
        below = self.base.list(self.full_path(prefix) if prefix.strip("/") else
                               self.namespace + "/")
        return [rel for rel in map(self.relative, below) if rel is not None]

    def delete(self, path: str) -> None:
        self.base.delete(self.full_path(path))

    def history(self, path: str) -> builtins.list[VersionInfo]:
        return self.base.history(self.full_path(path))

    def exists(self, path: str) -> bool:
        return self.base.exists(self.full_path(path))

    def read(self, ref: VaultRef) -> Secret:
        # Labelled with the full path: the journal and messages name where it really is.
        full = VaultRef(self.full_path(ref.path), ref.field)
        fields = self.get(ref.path)
        if ref.field not in fields:
            raise VaultError(f"{self.url}: {full.path} has no field {ref.field!r}")
        return Secret(fields[ref.field].reveal(), source=str(full))

    def read_recorded(self, text: str) -> Secret:
        """A ref a journal recorded (full path, as this vault labels them) read again."""
        ref = VaultRef.parse(text.removeprefix("vault:"))
        relative = self.relative(ref.path)
        return self.read(VaultRef(relative if relative is not None else ref.path, ref.field))

    def close(self) -> None:
        self.base.close()

    # -- what lies outside the namespace -------------------------------------------------

    def legacy_hint(self, path: str) -> str | None:
        """What to do when ``path`` is missing here but exists un-namespaced (an older run)."""
        path = path.strip("/")
        try:
            if not self.base.exists(path):
                return None
        except VaultError:
            return None
        return (f"the vault has {path} at the top, written before targets had namespaces: "
                f"if it belongs to target {self.namespace!r}, move it (every version) with "
                f"`runbook vault move '{path}' --namespace {self.namespace}`")

    def elsewhere(self, path: str) -> builtins.list[str]:
        """Full paths holding ``path`` outside this namespace: un-namespaced or another
        target's (those belong to another portal and are never reused across targets)."""
        path = path.strip("/")
        found = []
        for full in self.base.list():
            if full == path or (full.endswith("/" + path) and full.count("/") ==
                                path.count("/") + 1 and self.relative(full) is None):
                found.append(full)
        return found


def scoped(vault: Vault, namespace: str) -> NamespacedVault:
    """``vault`` seen under ``namespace``; a vault already scoped there is returned as is."""
    if isinstance(vault, NamespacedVault):
        if vault.namespace != namespace:
            raise VaultError(f"{vault.url}: a vault scoped to {vault.namespace!r} cannot be "
                             f"used for target namespace {namespace!r}")
        return vault
    return NamespacedVault(vault, namespace)


def unscoped(vault: Vault) -> Vault:
    return vault.base if isinstance(vault, NamespacedVault) else vault
