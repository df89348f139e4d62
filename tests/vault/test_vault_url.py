"""Vault URLs: the accepted forms open the right backend; anything else is a RunbookError."""

from __future__ import annotations

from pathlib import Path

import pytest

import automation.vault
from automation.errors import EXIT_INVALID, RunbookError
from automation.vault import (
    DEFAULT_VAULT_URL,
    FileVault,
    HashiCorpVault,
    MemoryVault,
    open_vault,
    parse_vault_url,
    resolve_vault_url,
)
from automation.vault.url import redact_vault_url


class TestSelection:
    """--vault wins, then RUNBOOK_VAULT, then the file vault in .runbook/."""

    def test_order(self) -> None:
        assert resolve_vault_url("memory:", {"RUNBOOK_VAULT": "keyring:x"}) == "memory:"
        assert resolve_vault_url(None, {"RUNBOOK_VAULT": "keyring:x"}) == "keyring:x"
        assert resolve_vault_url(None, {}) == DEFAULT_VAULT_URL == "file:.runbook/vault.enc"

    def test_default_is_the_file_vault(self) -> None:
        vault = open_vault(None, env={})
        assert isinstance(vault, FileVault)
        assert vault.file == Path(".runbook/vault.enc")
        assert vault.key_file == Path(".runbook/vault.key")

    def test_env_selects(self) -> None:
        assert isinstance(open_vault(env={"RUNBOOK_VAULT": "memory:"}), MemoryVault)


class TestForms:
    """Each accepted form parses to its backend and options; nothing is contacted."""

    @pytest.mark.parametrize(
        ("url", "kind", "location", "mount"),
        [
            ("file:.runbook/vault.enc", "file", ".runbook/vault.enc", ""),
            ("file:///srv/vault.enc", "file", "/srv/vault.enc", ""),
            ("file:/srv/vault.enc?key=/etc/k", "file", "/srv/vault.enc", ""),
            ("memory:", "memory", "", ""),
            ("keyring:procore-runbooks", "keyring", "procore-runbooks", ""),
            (
                "openbao+https://bao.example:8200/secret",
                "openbao",
                "https://bao.example:8200",
                "secret",
            ),
            ("vault+https://vault.example/team/kv", "vault", "https://vault.example", "team/kv"),
            ("vault+http://127.0.0.1:8200", "vault", "http://127.0.0.1:8200", "secret"),
            ("openbao+https://[::1]:8200/kv", "openbao", "https://[::1]:8200", "kv"),
        ],
    )
    def test_parse(self, url: str, kind: str, location: str, mount: str) -> None:
        parsed = parse_vault_url(url)
        assert (parsed.kind, parsed.location, parsed.mount) == (kind, location, mount)

    def test_server_options(self) -> None:
        url = "vault+https://v.example:8200/secret?namespace=team&ca=/ca.pem&approle=ci&timeout=3"
        vault = open_vault(url, env={"VAULT_TOKEN": "t"})
        assert isinstance(vault, HashiCorpVault)
        assert vault.address == "https://v.example:8200" and vault.mount == "secret"
        assert vault.url == url

    def test_file_key_option(self, tmp_path: Path) -> None:
        vault = open_vault(f"file:{tmp_path}/v.enc?key={tmp_path}/k", env={})
        assert isinstance(vault, FileVault) and vault.key_file == tmp_path / "k"


class TestBadUrls:
    """A bad URL is a RunbookError (exit 2) naming it and listing the accepted forms."""

    @pytest.mark.parametrize(
        ("url", "reason"),
        [
            ("vault.enc", "no scheme"),
            ("s3://bucket/vault", "unknown scheme"),
            ("openbao://host/secret", "needs https or http"),
            ("vault+ftp://host/secret", "needs https or http"),
            ("file:", "no file path"),
            ("file://otherhost/v.enc", "local"),
            ("keyring:", "no keyring service"),
            ("memory:something", "takes nothing"),
            ("openbao+https:///secret", "no host"),
            ("openbao+https://host:port/secret", "port"),
            ("openbao+https://host/secret?namspace=x", "unknown option 'namspace'"),
            ("openbao+https://host/secret?ca=a&ca=b", "given twice"),
            ("keyring:x?allow_insecure=maybe", "must be 1 or 0"),
            ("file:v.enc?passphrase=x", "unknown option"),
            ("openbao+https://host/secret?timeout=soon", "number of seconds"),
        ],
    )
    def test_rejected(self, url: str, reason: str) -> None:
        with pytest.raises(RunbookError) as error:
            open_vault(url, env={})
        text = str(error.value)
        assert reason in text and repr(redact_vault_url(url)) in text
        assert "file:PATH" in text and "openbao+https://" in text and "keyring:SERVICE" in text
        assert error.value.exit_code == EXIT_INVALID

    def test_token_in_url_is_not_repeated(self) -> None:
        with pytest.raises(RunbookError) as error:
            parse_vault_url("vault+https://s.hunter2token@vault.example/secret")
        assert "hunter2token" not in str(error.value)
        assert "VAULT_TOKEN" in str(error.value)


class TestPublicApi:
    """The package's public names are pinned: changing them is a deliberate act."""

    def test_all(self) -> None:
        assert sorted(automation.vault.__all__) == [
            "DEFAULT_VAULT_URL",
            "FileVault",
            "HashiCorpVault",
            "KeyringVault",
            "MemoryVault",
            "VAULT_URL_ENV",
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
        star: dict[str, object] = {}
        exec("from automation.vault import *", star)  # what a star import really gives
        assert sorted(set(star) - {"__builtins__"}) == sorted(automation.vault.__all__)
        backends = ("FileVault", "HashiCorpVault", "KeyringVault", "MemoryVault")
        assert all(issubclass(star[name], automation.vault.Vault)  # type: ignore[arg-type]
                   for name in backends)
        assert star["DEFAULT_VAULT_URL"] == "file:.runbook/vault.enc"  # as the README says
        assert star["VAULT_URL_ENV"] == "RUNBOOK_VAULT"
