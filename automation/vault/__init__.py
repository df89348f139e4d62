"""Where captured secrets live: one interface, four backends, chosen by URL.

>>> from automation.vault import open_vault
>>> vault = open_vault("memory:")   # or file:..., openbao+https://..., keyring:...

Backends: :class:`FileVault` (the embedded default), :class:`HashiCorpVault` (HashiCorp Vault
and OpenBao), :class:`KeyringVault` (the OS keychain), :class:`MemoryVault` (tests). The URL
grammar is in ``url.py``; rescue files for secrets a vault refused are in ``rescue.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from automation.vault.base import Vault, VaultRef, VersionInfo
from automation.vault.file import FileVault
from automation.vault.memory import MemoryVault
from automation.vault.rescue import read_rescue_file, rescue_info, write_rescue_file
from automation.vault.url import (
    DEFAULT_VAULT_URL,
    VAULT_URL_ENV,
    open_vault,
    parse_vault_url,
    resolve_vault_url,
)

if TYPE_CHECKING:
    from automation.vault.hashicorp import HashiCorpVault
    from automation.vault.keyring_backend import KeyringVault

# hvac (with requests) costs ~0.15 s to import: load the server and keyring backends only when
# used, so that `runbook validate` and the file vault stay quick.
_LAZY = {
    "HashiCorpVault": "automation.vault.hashicorp",
    "KeyringVault": "automation.vault.keyring_backend",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_VAULT_URL",
    "VAULT_URL_ENV",
    "FileVault",
    "HashiCorpVault",
    "KeyringVault",
    "MemoryVault",
    "Vault",
    "VaultRef",
    "VersionInfo",
    "open_vault",
    "parse_vault_url",
    "read_rescue_file",
    "rescue_info",
    "resolve_vault_url",
    "write_rescue_file",
]
