"""The hashicorp backend against a real OpenBao: auth, policies, namespaces, TLS, failures."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from automation.errors import VaultError
from automation.testing.vault_servers import OpenBao, free_port, start_openbao, stop
from automation.vault import open_vault

VALUE = "cs-1a2b3c4d5e6f7a8b9c0d"


def root(server: OpenBao, namespace: str | None = None) -> Any:
    return server.client(namespace=namespace)


class TestTokenAuth:
    """A token from VAULT_TOKEN or BAO_TOKEN; none at all is a clear error."""

    def test_bao_token_and_vault_scheme(self, openbao: OpenBao) -> None:
        mount = openbao.new_mount()
        vault = open_vault(openbao.url(mount, "vault"), env={"BAO_TOKEN": openbao.token})
        assert vault.put("app", {"client_secret": VALUE}) == 1
        kv = root(openbao).secrets.kv.v2
        stored = kv.read_secret_version("app", mount_point=mount, raise_on_deleted_version=True)
        assert stored["data"]["data"] == {"client_secret": VALUE}  # really in the server

    def test_no_credentials(self, openbao: OpenBao) -> None:
        vault = open_vault(openbao.url("secret"), env={})
        with pytest.raises(VaultError, match="VAULT_TOKEN") as error:
            vault.get("app")
        assert vault.url in str(error.value)

    def test_bad_token_is_refused_without_echoing_it(self, openbao: OpenBao) -> None:
        bogus = "s.bogus-token-8d7f6e5c4b3a"
        vault = open_vault(openbao.url("secret"), env={"VAULT_TOKEN": bogus})
        with pytest.raises(VaultError, match=r"permission denied|not authenticated") as error:
            vault.put("app", {"client_secret": VALUE})
        assert bogus not in str(error.value) and VALUE not in str(error.value)
        assert "app" in str(error.value)


class TestAppRole:
    """VAULT_ROLE_ID + VAULT_SECRET_ID log in through AppRole at the mount named in the URL."""

    def test_approle_login(self, openbao: OpenBao) -> None:
        client = root(openbao)
        mount, auth_mount = openbao.new_mount(), f"approle-{uuid.uuid4().hex[:8]}"
        policy = f'path "{mount}/*" {{ capabilities = ["create", "update", "read", "list"] }}'
        client.sys.create_or_update_policy(name=f"rw-{mount}", policy=policy)
        client.sys.enable_auth_method("approle", path=auth_mount)
        client.auth.approle.create_or_update_approle(
            "runbooks", token_policies=[f"rw-{mount}"], mount_point=auth_mount
        )
        role_id = client.auth.approle.read_role_id("runbooks", mount_point=auth_mount)
        secret = client.auth.approle.generate_secret_id("runbooks", mount_point=auth_mount)
        env = {
            "VAULT_ROLE_ID": role_id["data"]["role_id"],
            "VAULT_SECRET_ID": secret["data"]["secret_id"],
        }
        vault = open_vault(f"{openbao.url(mount)}?approle={auth_mount}", env=env)
        assert vault.put("app", {"client_secret": VALUE}) == 1
        assert vault.get("app")["client_secret"].reveal() == VALUE

    def test_wrong_secret_id(self, openbao: OpenBao) -> None:
        env = {"VAULT_ROLE_ID": "nobody", "VAULT_SECRET_ID": "not-a-secret-id-4e5f6a"}
        vault = open_vault(openbao.url("secret"), env=env)
        with pytest.raises(VaultError, match="AppRole") as error:
            vault.list()
        assert "not-a-secret-id-4e5f6a" not in str(error.value)


class TestPolicies:
    """Permission denied names the vault and the path, never the value being written."""

    def test_read_only_token(self, openbao: OpenBao) -> None:
        client = root(openbao)
        mount = openbao.new_mount()
        kv = client.secrets.kv.v2
        kv.create_or_update_secret("app", {"client_secret": VALUE}, mount_point=mount)
        policy = f'path "{mount}/data/*" {{ capabilities = ["read"] }}'
        client.sys.create_or_update_policy(name=f"ro-{mount}", policy=policy)
        token = client.auth.token.create(policies=[f"ro-{mount}"])["auth"]["client_token"]
        vault = open_vault(openbao.url(mount), env={"VAULT_TOKEN": token})
        assert vault.get("app")["client_secret"].reveal() == VALUE
        with pytest.raises(VaultError, match="permission denied") as error:
            vault.put("app", {"client_secret": "cs-new-value-5d6e7f"})
        text = str(error.value)
        assert vault.url in text and "app" in text
        assert "cs-new-value-5d6e7f" not in text and token not in text


class TestNamespaces:
    """``?namespace=`` addresses a mount inside that namespace only."""

    def test_namespace_option(self, openbao: OpenBao) -> None:
        namespace = f"ns{uuid.uuid4().hex[:8]}"
        root(openbao).sys.create_namespace(namespace)
        root(openbao, namespace).sys.enable_secrets_engine(
            "kv", path="secret", options={"version": "2"}
        )
        env = {"VAULT_TOKEN": openbao.token}
        inside = open_vault(f"{openbao.url('secret')}?namespace={namespace}", env=env)
        inside.put(f"only-in-{namespace}", {"client_secret": VALUE})
        assert inside.list("only-in") == [f"only-in-{namespace}"]
        outside = open_vault(openbao.url("secret"), env=env)
        assert outside.list("only-in") == []


class TestFailures:
    """Unreachable servers and wrong mounts are VaultErrors naming the vault and the path."""

    def test_unreachable(self) -> None:
        url = f"openbao+http://127.0.0.1:{free_port()}/secret"
        vault = open_vault(url, env={"VAULT_TOKEN": "t"})
        with pytest.raises(VaultError, match="unreachable") as error:
            vault.put("procore/app", {"client_secret": VALUE})
        assert "procore/app" in str(error.value) and VALUE not in str(error.value)

    def test_not_a_kv_mount(self, openbao: OpenBao) -> None:
        vault = open_vault(openbao.url("no-such-mount"), env={"VAULT_TOKEN": openbao.token})
        with pytest.raises(VaultError, match="no-such-mount") as error:
            vault.put("app", {"client_secret": VALUE})
        assert VALUE not in str(error.value)


@pytest.fixture(scope="module")
def openbao_tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenBao]:
    server, process = start_openbao(tmp_path_factory.mktemp("openbao-tls"), tls=True)
    yield server
    stop(process)


class TestTls:
    """HTTPS verifies against ``?ca=``; skipping verification happens only when asked."""

    def test_ca_bundle(self, openbao_tls: OpenBao) -> None:
        assert openbao_tls.ca_file is not None
        mount = openbao_tls.new_mount()
        env = {"VAULT_TOKEN": openbao_tls.token}
        vault = open_vault(f"{openbao_tls.url(mount)}?ca={openbao_tls.ca_file}", env=env)
        vault.put("app", {"client_secret": VALUE})
        assert vault.get("app")["client_secret"].reveal() == VALUE
        env["VAULT_CACERT"] = str(openbao_tls.ca_file)
        via_env = open_vault(openbao_tls.url(mount), env=env)
        assert via_env.list() == ["app"]

    def test_unknown_ca_is_refused(self, openbao_tls: OpenBao) -> None:
        vault = open_vault(openbao_tls.url("secret"), env={"VAULT_TOKEN": openbao_tls.token})
        with pytest.raises(VaultError, match=r"TLS verification failed.*ca="):
            vault.list()

    @pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
    def test_skip_verify_only_when_asked(self, openbao_tls: OpenBao) -> None:
        mount = openbao_tls.new_mount()
        url = f"{openbao_tls.url(mount)}?skip_verify=1"
        vault = open_vault(url, env={"VAULT_TOKEN": openbao_tls.token})
        assert vault.put("app", {"client_secret": VALUE}) == 1

    def test_missing_ca_file(self, openbao_tls: OpenBao, tmp_path: Path) -> None:
        url = f"{openbao_tls.url('secret')}?ca={tmp_path / 'absent.pem'}"
        vault = open_vault(url, env={"VAULT_TOKEN": openbao_tls.token})
        with pytest.raises(VaultError) as error:
            vault.list()
        assert vault.url in str(error.value)
