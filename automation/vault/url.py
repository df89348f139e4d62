"""Vault selection by URL: ``--vault URL``, else ``RUNBOOK_VAULT``, else the file vault.

Accepted forms (a bad URL is a RunbookError listing them):

=====================================================  =======================================
``file:PATH`` (default ``file:.runbook/vault.enc``)    encrypted file; ``?key=KEYFILE``
``openbao+https://HOST:PORT/MOUNT``                    OpenBao KV v2 at MOUNT (default secret)
``vault+https://HOST:PORT/MOUNT``                      HashiCorp Vault, the same
``openbao+http://`` / ``vault+http://``                plain HTTP, for a local dev server
``keyring:SERVICE``                                    the OS keychain, one service
``memory:``                                            in memory, gone at exit (tests)
=====================================================  =======================================

Options of the server URLs: ``namespace=NS``, ``ca=CA.pem``, ``cert=CLIENT.pem``,
``key=CLIENT-KEY.pem``, ``skip_verify=1`` (only when asked: never implied), ``approle=MOUNT``,
``timeout=SECONDS``. Options of ``keyring:``: ``backend=MODULE.CLASS``, ``allow_insecure=1``.
An unknown option is an error, so a typo never silently drops a setting. Credentials never go
in the URL: they come from the environment (see ``hashicorp.py``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from automation.errors import RunbookError
from automation.secret import Secret
from automation.vault.base import Vault

__all__ = [
    "ACCEPTED_FORMS",
    "DEFAULT_VAULT_URL",
    "VAULT_URL_ENV",
    "VaultUrl",
    "open_vault",
    "parse_vault_url",
    "redact_vault_url",
    "resolve_vault_url",
]

DEFAULT_VAULT_URL = "file:.runbook/vault.enc"
VAULT_URL_ENV = "RUNBOOK_VAULT"
ACCEPTED_FORMS = (
    "file:PATH[?key=KEYFILE]",
    "openbao+https://HOST[:PORT]/MOUNT[?namespace=NS&ca=FILE&cert=FILE&key=FILE]",
    "vault+https://HOST[:PORT]/MOUNT[?...] (and openbao+http:// or vault+http:// for dev)",
    "keyring:SERVICE[?backend=MODULE.CLASS&allow_insecure=1]",
    "memory:",
)

_SERVER_OPTIONS = frozenset({"namespace", "ca", "cert", "key", "skip_verify", "approle", "timeout"})
_OPTIONS = {
    "file": frozenset({"key"}),
    "memory": frozenset[str](),
    "keyring": frozenset({"backend", "allow_insecure"}),
    "openbao": _SERVER_OPTIONS,
    "vault": _SERVER_OPTIONS,
}
_TRUE, _FALSE = {"1", "true", "yes"}, {"0", "false", "no", ""}
#: Options whose values are settings, not credentials: every other value is masked in messages.
_SHOWN_OPTIONS = frozenset().union(*_OPTIONS.values())
_MASK = "***"


@dataclass(frozen=True)
class VaultUrl:
    """A parsed vault URL: ``kind`` is file, memory, keyring, openbao or vault."""

    text: str
    kind: str
    location: str  # the file path, the keyring service, or the server's https://host:port
    mount: str = ""
    options: dict[str, str] = field(default_factory=dict)

    def flag(self, name: str) -> bool:
        value = self.options.get(name, "").lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise _bad(self.text, f"option {name}={value!r} must be 1 or 0")


def redact_vault_url(text: str) -> str:
    """``text`` fit to print: userinfo (``user:token@``) and the values of options that are not
    known settings (``?token=...``) are masked. Every message naming a vault URL uses this."""
    head, question, query = text.partition("?")
    scheme, sep, rest = head.partition("//")
    if sep:
        authority, slash, path = rest.partition("/")
        if "@" in authority:
            authority = _MASK + "@" + authority.rpartition("@")[2]
        head = scheme + sep + authority + slash + path
    if not question:
        return head
    shown = []
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        if not eq:
            shown.append(pair if pair in _SHOWN_OPTIONS else _MASK)
        else:
            shown.append(f"{name}={value if name in _SHOWN_OPTIONS else _MASK}")
    return head + "?" + "&".join(shown)


def resolve_vault_url(url: str | None, env: Mapping[str, str] | None = None) -> str:
    """The URL to use: the one given, else ``RUNBOOK_VAULT``, else the file vault."""
    env = os.environ if env is None else env
    return url or env.get(VAULT_URL_ENV) or DEFAULT_VAULT_URL


def parse_vault_url(text: str) -> VaultUrl:
    """Checks the grammar only: nothing is opened or contacted."""
    scheme, colon, rest = text.partition(":")
    if not colon:
        raise _bad(text, "no scheme")
    base, plus, transport = scheme.partition("+")
    if base in ("openbao", "vault"):
        return _parse_server(text, base, transport if plus else "")
    if plus or base not in _OPTIONS:
        raise _bad(text, f"unknown scheme {scheme!r}")
    location, _, query = rest.partition("?")
    options = _parse_options(text, base, query)
    if base == "file":
        if location.startswith("//"):  # file:///abs/path
            host, slash, tail = location[2:].partition("/")
            if host not in ("", "localhost"):
                raise _bad(text, "a file vault is local: file:///ABSOLUTE/PATH or file:PATH")
            location = slash + tail
        if not location:
            raise _bad(text, "no file path")
    elif base == "keyring" and not location:
        raise _bad(text, "no keyring service name")
    elif base == "memory" and location:
        raise _bad(text, "memory: takes nothing after the colon")
    return VaultUrl(text, base, location, options=options)


def open_vault(url: str | None = None, *, env: Mapping[str, str] | None = None) -> Vault:
    """The vault named by ``url`` (or RUNBOOK_VAULT, or the default), ready to use.

    ``env`` supplies credentials and passphrases (default: the process environment), so a
    caller can pass settings in instead of having them read from globals.
    """
    env = os.environ if env is None else env
    parsed = parse_vault_url(resolve_vault_url(url, env))
    if parsed.kind == "memory":
        from automation.vault.memory import MemoryVault

        return MemoryVault()
    if parsed.kind == "file":
        from automation.vault.file import PASSPHRASE_ENV, FileVault

        passphrase = env.get(PASSPHRASE_ENV)
        key = parsed.options.get("key")
        return FileVault(
            Path(parsed.location).expanduser(),
            key_file=Path(key).expanduser() if key else None,
            passphrase=Secret(passphrase) if passphrase is not None else None,
            url=redact_vault_url(parsed.text),
        )
    if parsed.kind == "keyring":
        from automation.vault.keyring_backend import KeyringVault, load_backend

        backend = load_backend(
            parsed.options.get("backend"),
            allow_insecure=parsed.flag("allow_insecure"),
            url=redact_vault_url(parsed.text),
        )
        return KeyringVault(parsed.location, backend=backend, url=redact_vault_url(parsed.text))
    return _open_server(parsed, env)


def _open_server(parsed: VaultUrl, env: Mapping[str, str]) -> Vault:
    from automation.vault.hashicorp import HashiCorpTls, HashiCorpVault, auth_from_env

    options = parsed.options
    skip_verify = parsed.flag("skip_verify")
    ca = options.get("ca") or env.get("VAULT_CACERT") or env.get("BAO_CACERT")
    try:
        timeout = float(options.get("timeout", "10"))
    except ValueError:
        raise _bad(parsed.text, "timeout must be a number of seconds") from None
    tls = HashiCorpTls(
        verify=False if skip_verify else (ca or True),
        client_cert=options.get("cert") or env.get("VAULT_CLIENT_CERT"),
        client_key=options.get("key") or env.get("VAULT_CLIENT_KEY"),
    )
    return HashiCorpVault(
        url=redact_vault_url(parsed.text),
        address=parsed.location,
        mount=parsed.mount,
        auth=auth_from_env(env, approle_mount=options.get("approle", "approle")),
        namespace=options.get("namespace") or env.get("VAULT_NAMESPACE") or None,
        tls=tls,
        timeout=timeout,
    )


def _parse_server(text: str, kind: str, transport: str) -> VaultUrl:
    if transport not in ("https", "http"):
        raise _bad(text, f"{kind}+ needs https or http, as in {kind}+https://host:8200/secret")
    split = urlsplit(text.partition("+")[2])
    if split.username or split.password:
        # _bad never repeats what was typed before the '@': it may be a token.
        raise _bad(
            text, "credentials do not belong in the URL: set VAULT_TOKEN (or AppRole variables)"
        )
    try:
        port = split.port
    except ValueError:
        raise _bad(text, "the port is not a number") from None
    if not split.hostname:
        raise _bad(text, "no host")
    if split.fragment:
        raise _bad(text, "a '#' has no meaning here")
    host = f"[{split.hostname}]" if ":" in split.hostname else split.hostname
    address = f"{transport}://{host}" + (f":{port}" if port else "")
    options = _parse_options(text, kind, split.query)
    return VaultUrl(text, kind, address, split.path.strip("/") or "secret", options)


def _parse_options(text: str, kind: str, query: str) -> dict[str, str]:
    options: dict[str, str] = {}
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise _bad(text, "the options after '?' are not NAME=VALUE pairs") from None
    for name, value in pairs:
        if name not in _OPTIONS[kind]:
            known = ", ".join(sorted(_OPTIONS[kind])) or "none"
            raise _bad(text, f"unknown option {name!r} for {kind}: (known: {known}; "
                       "credentials never go in the URL)")
        if name in options:
            raise _bad(text, f"option {name!r} given twice")
        options[name] = value
    return options


def _bad(text: str, reason: str) -> RunbookError:
    forms = "\n  ".join(ACCEPTED_FORMS)
    return RunbookError(
        f"bad vault URL {redact_vault_url(text)!r}: {reason}. Accepted forms:\n  {forms}"
    )
