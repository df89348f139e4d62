"""``openbao+https://`` / ``vault+https://``: a KV v2 engine of HashiCorp Vault or OpenBao (hvac).

Versions, check-and-set and soft delete are the server's own: ``put`` is a KV v2 write (with
``cas`` when given), ``history`` reads the path's metadata, ``delete`` soft-deletes the latest
version. Credentials come from the environment, never from the URL: a token (``VAULT_TOKEN`` or
``BAO_TOKEN``) or AppRole (``VAULT_ROLE_ID`` + ``VAULT_SECRET_ID``). The server is contacted on
first use, not when the vault is opened, so planning a run needs no network.

Messages name the vault, the path and the server's own error text (which never echoes data);
a value never appears in them.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import hvac
import hvac.exceptions
import requests

from automation.errors import VaultError
from automation.secret import REDACTOR, Secret
from automation.vault.base import Vault, VersionInfo

__all__ = ["HashiCorpAuth", "HashiCorpTls", "HashiCorpVault", "auth_from_env"]

_CAS_MISMATCH = "check-and-set parameter did not match"
# Aliases for annotations inside the classes, where ``list`` names the list method.
_Names = list[str]
_History = list[VersionInfo]


@dataclass(frozen=True)
class HashiCorpAuth:
    """A token, or an AppRole role id and secret id (logged in on first use)."""

    token: Secret | None = None
    role_id: str | None = None
    secret_id: Secret | None = None
    approle_mount: str = "approle"
    source: str = ""  # which variables it came from, for messages


@dataclass(frozen=True)
class HashiCorpTls:
    """``verify``: True, False (only when explicitly asked), or a CA bundle path."""

    verify: bool | str = True
    client_cert: str | None = None
    client_key: str | None = None


def auth_from_env(env: Mapping[str, str], approle_mount: str = "approle") -> HashiCorpAuth:
    """Token first (VAULT_TOKEN, then BAO_TOKEN), else AppRole; VaultError naming both ways."""
    for name in ("VAULT_TOKEN", "BAO_TOKEN"):
        if env.get(name):
            return HashiCorpAuth(token=Secret(env[name]), source=name)
    role_id = env.get("VAULT_ROLE_ID") or env.get("BAO_ROLE_ID")
    secret_id = env.get("VAULT_SECRET_ID") or env.get("BAO_SECRET_ID")
    if role_id and secret_id:
        return HashiCorpAuth(
            role_id=role_id,
            secret_id=Secret(secret_id),
            approle_mount=approle_mount,
            source="VAULT_ROLE_ID + VAULT_SECRET_ID",
        )
    return HashiCorpAuth()


class HashiCorpVault(Vault):
    """KV v2 at ``mount`` on the server at ``address`` (``https://host:8200``)."""

    def __init__(
        self,
        *,
        url: str,
        address: str,
        mount: str,
        auth: HashiCorpAuth,
        namespace: str | None = None,
        tls: HashiCorpTls | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.url = url
        self.address = address
        self.mount = mount.strip("/")
        self._auth = auth
        self._namespace = namespace
        self._tls = tls or HashiCorpTls()
        self._timeout = timeout
        self._client: Any = None

    # -- the five operations -------------------------------------------------------------

    def get(self, path: str, version: int | None = None) -> dict[str, Secret]:
        path = _clean(path)
        which = f"version {version} of {path}" if version is not None else path
        with self._errors("read", path):
            try:
                response = self._kv().read_secret_version(
                    path, version=version, mount_point=self.mount, raise_on_deleted_version=True
                )
            except hvac.exceptions.InvalidPath:
                raise VaultError(f"{self.url}: no secret at {which}") from None
        data: dict[str, Any] = response["data"]["data"] or {}
        # Values written by other tools may be numbers or objects: keep them, as JSON text.
        return {k: Secret(v if isinstance(v, str) else json.dumps(v)) for k, v in data.items()}

    def put(self, path: str, fields: Mapping[str, str | Secret], *, cas: int | None = None) -> int:
        path = _clean(path)
        plain = {k: v.reveal() if isinstance(v, Secret) else v for k, v in fields.items()}
        with self._errors("write", path):
            try:
                response = self._kv().create_or_update_secret(
                    path, secret=plain, cas=cas, mount_point=self.mount
                )
            except hvac.exceptions.InvalidRequest as error:
                if any(_CAS_MISMATCH in str(e) for e in error.errors or []):
                    raise VaultError(
                        f"{self.url}: {path} changed (expected version {cas}; "
                        "check-and-set refused the write)"
                    ) from None
                raise
        return int(response["data"]["version"])

    def latest(self, path: str) -> tuple[int, dict[str, Secret]]:
        """One read (not the whole history): what ``update`` checks and sets against."""
        path = _clean(path)
        with self._errors("read", path):
            try:
                response = self._kv().read_secret_version(
                    path, mount_point=self.mount, raise_on_deleted_version=False
                )
            except hvac.exceptions.InvalidPath:
                return 0, {}
        data: dict[str, Any] = response["data"]["data"] or {}
        version = int(response["data"]["metadata"]["version"])
        return version, {k: Secret(v if isinstance(v, str) else json.dumps(v))
                         for k, v in data.items()}

    def list(self, prefix: str = "") -> _Names:
        prefix = _clean(prefix)
        found: list[str] = []
        folders = [prefix.rpartition("/")[0]]
        with self._errors("list", prefix or "/"):
            while folders:
                folder = folders.pop()
                for key in self._list_folder(folder):
                    full = f"{folder}/{key}" if folder else key
                    if key.endswith("/"):
                        below = full  # keeps its slash: 'a/' is not a prefix of 'ab'
                        if below.startswith(prefix) or prefix.startswith(below):
                            folders.append(below.rstrip("/"))
                    elif full.startswith(prefix) and not self._latest_deleted(full):
                        found.append(full)
        return sorted(found)

    def delete(self, path: str) -> None:
        path = _clean(path)
        with self._errors("delete", path):
            if self._metadata(path) is None:
                raise VaultError(f"{self.url}: no secret at {path}")
            self._kv().delete_latest_version_of_secret(path, mount_point=self.mount)

    def history(self, path: str) -> _History:
        """Versions from metadata; field names from each live version (deleted ones: none)."""
        path = _clean(path)
        infos: list[VersionInfo] = []
        with self._errors("read history of", path):
            metadata = self._metadata(path)
            if metadata is None:
                return []
            for number, meta in sorted(metadata["versions"].items(), key=lambda i: int(i[0])):
                created = _parse_time(meta["created_time"]) or datetime.now(UTC)
                deleted = bool(meta.get("destroyed")) or _is_past(meta.get("deletion_time"))
                fields: tuple[str, ...] = ()
                if not deleted:
                    try:
                        response = self._kv().read_secret_version(
                            path,
                            version=int(number),
                            mount_point=self.mount,
                            raise_on_deleted_version=True,
                        )
                        fields = tuple(sorted(response["data"]["data"] or {}))
                    except hvac.exceptions.InvalidPath:  # deleted since the metadata was read
                        deleted = True
                infos.append(VersionInfo(int(number), created, fields, deleted=deleted))
        return infos

    def close(self) -> None:
        if self._client is not None:
            self._client.adapter.close()
            self._client = None

    # -- server access -------------------------------------------------------------------

    def _kv(self) -> Any:
        return self._connect().secrets.kv.v2

    def _connect(self) -> Any:
        if self._client is not None:
            return self._client
        auth = self._auth
        if auth.token is None and auth.role_id is None:
            raise VaultError(
                f"{self.url}: no credentials: set VAULT_TOKEN (or BAO_TOKEN), or "
                "VAULT_ROLE_ID and VAULT_SECRET_ID for AppRole"
            )
        cert = None
        if self._tls.client_cert:
            cert = (self._tls.client_cert, self._tls.client_key or self._tls.client_cert)
        client = hvac.Client(
            url=self.address,
            # "" rather than None: hvac would otherwise fall back to ~/.vault-token.
            token=auth.token.reveal() if auth.token else "",
            namespace=self._namespace,
            verify=self._tls.verify,
            cert=cert,
            timeout=self._timeout,
        )
        if auth.role_id is not None:
            with self._errors("log in (AppRole) for", self.mount):
                client.auth.approle.login(
                    role_id=auth.role_id,
                    secret_id=auth.secret_id.reveal() if auth.secret_id else None,
                    mount_point=auth.approle_mount,
                )
        self._client = client
        return client

    def _list_folder(self, folder: str) -> _Names:
        try:
            response = self._kv().list_secrets(path=folder, mount_point=self.mount)
        except hvac.exceptions.InvalidPath:
            return []
        keys: list[str] = response["data"]["keys"]
        return keys

    def _metadata(self, path: str) -> dict[str, Any] | None:
        try:
            response = self._kv().read_secret_metadata(path, mount_point=self.mount)
        except hvac.exceptions.InvalidPath:
            return None
        data: dict[str, Any] = response["data"]
        return data

    def _latest_deleted(self, path: str) -> bool:
        metadata = self._metadata(path)
        if metadata is None:
            return True
        latest = metadata["versions"].get(str(metadata["current_version"]), {})
        return bool(latest.get("destroyed")) or _is_past(latest.get("deletion_time"))

    @contextlib.contextmanager
    def _errors(self, action: str, path: str) -> Iterator[None]:
        """Turns hvac and transport failures into VaultErrors naming the vault and the path."""
        where = f"{self.url}: cannot {action} {path}"
        try:
            yield
        except VaultError:
            raise
        except hvac.exceptions.Forbidden as error:
            raise VaultError(
                f"{where}: permission denied (the token's policy does not allow it){_said(error)}"
            ) from None
        except hvac.exceptions.Unauthorized as error:
            raise VaultError(f"{where}: not authenticated{_said(error)}") from None
        except (hvac.exceptions.VaultDown, hvac.exceptions.VaultNotInitialized) as error:
            raise VaultError(f"{where}: the server is sealed or down{_said(error)}") from None
        except hvac.exceptions.InvalidPath as error:
            raise VaultError(
                f"{where}: not found (is {self.mount!r} a KV v2 mount?){_said(error)}"
            ) from None
        except hvac.exceptions.VaultError as error:
            raise VaultError(f"{where}: {type(error).__name__}{_said(error)}") from None
        except requests.exceptions.SSLError:
            raise VaultError(
                f"{where}: TLS verification failed for {self.address} "
                "(give the CA bundle with ?ca=/path/ca.pem)"
            ) from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout):
            raise VaultError(f"{where}: the server at {self.address} is unreachable") from None
        except OSError as error:  # a missing CA bundle or client certificate
            raise VaultError(f"{where}: {error.strerror or type(error).__name__}") from None


def _said(error: hvac.exceptions.VaultError) -> str:
    # Only the server's error strings: hvac's own text may quote a whole response body.
    messages = [m for m in (error.errors or []) if isinstance(m, str)]
    return f" (server said: {REDACTOR.scrub('; '.join(messages))})" if messages else ""


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    # Vault gives nanoseconds ("...:56.892113027Z"); Python parses at most microseconds.
    head, dot, rest = text.rstrip("Z").partition(".")
    fraction = rest[:6] if dot else ""
    return datetime.fromisoformat(f"{head}.{fraction or '0'}+00:00")


def _is_past(text: str | None) -> bool:
    moment = _parse_time(text)
    return moment is not None and moment <= datetime.now(UTC)


def _clean(path: str) -> str:
    return path.strip("/")
