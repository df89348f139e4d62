"""The vault contract: every backend (memory, file, OpenBao, Secret Service) behaves the same.

``MemoryVault`` is the reference; a backend that differs from it fails here. One documented
difference: the server cannot tell which fields a soft-deleted version had (KV v2 hides its
data), so history does not compare field names of deleted versions.
"""

from __future__ import annotations

import pytest

from automation.errors import VaultError
from automation.secret import Secret
from automation.vault.base import Vault, VaultRef

APP = "procore/apps/Procore DMSA App/production"
CLIENT_SECRET = "cs-4f1f0c2e9d8b7a6c5b4a3f2e1d0c9b8a"
NEW_SECRET = "cs-reissued-0a9b8c7d6e5f4a3b2c1d0e9f"
VALUES = (CLIENT_SECRET, NEW_SECRET, "cid-7f3e2d1c0b9a")


def reveal(fields: dict[str, Secret]) -> dict[str, str]:
    assert all(isinstance(v, Secret) for v in fields.values())
    return {k: v.reveal() for k, v in fields.items()}


def assert_names_no_value(error: pytest.ExceptionInfo[VaultError], vault: Vault, path: str) -> None:
    text = str(error.value)
    assert vault.url in text and path in text
    for value in VALUES:
        assert value not in text


class TestRoundTrip:
    """What is put comes back, field for field, as Secrets."""

    def test_put_then_get(self, vault: Vault) -> None:
        version = vault.put(APP, {"client_id": "cid-7f3e2d1c0b9a", "client_secret": CLIENT_SECRET})
        assert version == 1
        got = vault.get(APP)
        assert reveal(got) == {"client_id": "cid-7f3e2d1c0b9a", "client_secret": CLIENT_SECRET}
        assert "cs-" not in repr(got)

    def test_secret_values_are_accepted(self, vault: Vault) -> None:
        vault.put("p", {"client_secret": Secret(CLIENT_SECRET)})
        assert reveal(vault.get("p")) == {"client_secret": CLIENT_SECRET}

    def test_read_labels_the_secret(self, vault: Vault) -> None:
        vault.put(APP, {"client_secret": CLIENT_SECRET})
        secret = vault.read(VaultRef.parse(f"{APP}#client_secret"))
        assert secret.reveal() == CLIENT_SECRET
        assert secret.source == f"vault:{APP}#client_secret"

    def test_leading_and_trailing_slashes_do_not_matter(self, vault: Vault) -> None:
        vault.put("/procore/login/", {"password": CLIENT_SECRET})
        assert reveal(vault.get("procore/login")) == {"password": CLIENT_SECRET}

    def test_unicode_and_empty_values(self, vault: Vault) -> None:
        fields = {"name": "Société Générale – ✓", "empty": "", "multi": "a\nb"}
        vault.put("p", fields)
        assert reveal(vault.get("p")) == fields


class TestVersions:
    """Every put is a new version; earlier versions stay readable."""

    def test_reissued_secret_keeps_the_old_one(self, vault: Vault) -> None:
        assert vault.put(APP, {"client_secret": CLIENT_SECRET}) == 1
        assert vault.put(APP, {"client_secret": NEW_SECRET, "client_id": "x"}) == 2
        assert reveal(vault.get(APP)) == {"client_secret": NEW_SECRET, "client_id": "x"}
        assert reveal(vault.get(APP, version=1)) == {"client_secret": CLIENT_SECRET}
        assert reveal(vault.get(APP, version=2))["client_secret"] == NEW_SECRET

    def test_history_lists_versions_and_fields_never_values(self, vault: Vault) -> None:
        vault.put(APP, {"client_secret": CLIENT_SECRET})
        vault.put(APP, {"client_secret": NEW_SECRET, "client_id": "x"})
        history = vault.history(APP)
        assert [v.version for v in history] == [1, 2]
        assert [v.fields for v in history] == [("client_secret",), ("client_id", "client_secret")]
        assert not any(v.deleted for v in history)
        assert history[0].created <= history[1].created
        assert history[0].created.tzinfo is not None
        for value in VALUES:
            assert value not in repr(history)

    def test_history_of_an_unknown_path_is_empty(self, vault: Vault) -> None:
        assert vault.history("nothing/here") == []

    def test_unknown_version_is_an_error(self, vault: Vault) -> None:
        vault.put(APP, {"client_secret": CLIENT_SECRET})
        with pytest.raises(VaultError) as error:
            vault.get(APP, version=7)
        assert_names_no_value(error, vault, APP)


class TestCheckAndSet:
    """``cas`` makes a write conditional on the version the caller last saw."""

    def test_cas_zero_creates_only(self, vault: Vault) -> None:
        assert vault.put(APP, {"client_secret": CLIENT_SECRET}, cas=0) == 1
        with pytest.raises(VaultError) as error:
            vault.put(APP, {"client_secret": NEW_SECRET}, cas=0)
        assert_names_no_value(error, vault, APP)
        assert reveal(vault.get(APP)) == {"client_secret": CLIENT_SECRET}

    def test_cas_current_version_succeeds_stale_fails(self, vault: Vault) -> None:
        vault.put(APP, {"client_secret": CLIENT_SECRET})
        assert vault.put(APP, {"client_secret": NEW_SECRET}, cas=1) == 2
        with pytest.raises(VaultError) as error:
            vault.put(APP, {"client_secret": "cs-late-writer-value"}, cas=1)
        assert_names_no_value(error, vault, APP)
        assert "cs-late-writer-value" not in str(error.value)
        assert [v.version for v in vault.history(APP)] == [1, 2]


class TestList:
    """``list`` gives live paths under a prefix, sorted; deleted ones drop out."""

    def test_list_by_prefix(self, vault: Vault) -> None:
        for path in ("procore/b", "procore/a/x", "procore/a/y", "other/z", "procore2/q"):
            vault.put(path, {"f": "v"})
        assert vault.list() == ["other/z", "procore/a/x", "procore/a/y", "procore/b", "procore2/q"]
        # As in MemoryVault (the reference), slashes around a prefix are stripped like a path's.
        assert vault.list("procore/a") == ["procore/a/x", "procore/a/y"]
        assert vault.list("procore") == [
            "procore/a/x",
            "procore/a/y",
            "procore/b",
            "procore2/q",
        ]
        assert vault.list("nothing") == []

    def test_paths_with_spaces(self, vault: Vault) -> None:
        vault.put(APP, {"client_secret": CLIENT_SECRET})
        assert vault.list("procore/apps") == [APP]
        assert vault.exists(APP)

    def test_empty_vault(self, vault: Vault) -> None:
        assert vault.list() == []


class TestDelete:
    """Delete hides the latest version; history remains and later writes continue the count."""

    def test_delete_hides_and_keeps_history(self, vault: Vault) -> None:
        vault.put(APP, {"client_secret": CLIENT_SECRET})
        vault.put(APP, {"client_secret": NEW_SECRET})
        vault.delete(APP)
        with pytest.raises(VaultError) as error:
            vault.get(APP)
        assert_names_no_value(error, vault, APP)
        assert vault.list() == []
        assert not vault.exists(APP)
        history = vault.history(APP)
        assert [(v.version, v.deleted) for v in history] == [(1, False), (2, True)]
        assert reveal(vault.get(APP, version=1)) == {"client_secret": CLIENT_SECRET}

    def test_put_after_delete_is_the_next_version(self, vault: Vault) -> None:
        vault.put(APP, {"client_secret": CLIENT_SECRET})
        vault.delete(APP)
        assert vault.put(APP, {"client_secret": NEW_SECRET}) == 2
        assert vault.list() == [APP]
        assert reveal(vault.get(APP)) == {"client_secret": NEW_SECRET}

    def test_delete_unknown_path_is_an_error(self, vault: Vault) -> None:
        with pytest.raises(VaultError) as error:
            vault.delete("nothing/here")
        assert_names_no_value(error, vault, "nothing/here")


class TestMissing:
    """Reading what is not there is a VaultError naming the vault and the path."""

    def test_get_unknown_path(self, vault: Vault) -> None:
        with pytest.raises(VaultError) as error:
            vault.get("procore/none")
        assert_names_no_value(error, vault, "procore/none")

    def test_read_unknown_field(self, vault: Vault) -> None:
        vault.put(APP, {"client_secret": CLIENT_SECRET})
        with pytest.raises(VaultError) as error:
            vault.read(VaultRef(APP, "password"))
        assert_names_no_value(error, vault, APP)
        assert "password" in str(error.value)
