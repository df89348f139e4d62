"""The keyring backend: refuses insecure backends, finds the Secret Service, lays out records."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import keyring.core
import pytest

from automation.errors import VaultError
from automation.testing.vault_servers import SECRET_SERVICE_BACKEND, SecretService
from automation.vault import KeyringVault, open_vault

VALUE = "cs-0f1e2d3c4b5a69788796"


def run_cli(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "automation.vault.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def headless_env(tmp_path: Path) -> dict[str, str]:
    """No session bus, no keyring config: what a CI runner or an ssh session looks like."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND")
    }
    return {**env, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}


class TestInsecureBackendsRefused:
    """fail, null, a chainer with nothing to chain: refused unless allow_insecure=1."""

    @pytest.mark.parametrize(
        "backend", ["keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"]
    )
    def test_named_insecure_backend(self, backend: str) -> None:
        with pytest.raises(VaultError) as error:
            open_vault(f"keyring:svc?backend={backend}", env={})
        text = str(error.value)
        assert "refusing an insecure keyring backend" in text and backend in text
        assert "allow_insecure=1" in text

    def test_allow_insecure_is_explicit(self) -> None:
        url = "keyring:svc?backend=keyring.backends.null.Keyring&allow_insecure=1"
        assert isinstance(open_vault(url, env={}), KeyringVault)

    def test_unknown_backend(self) -> None:
        with pytest.raises(VaultError, match="not usable"):
            open_vault("keyring:svc?backend=no.such.Backend", env={})

    def test_headless_default_is_refused(self, tmp_path: Path) -> None:
        result = run_cli("--vault", "keyring:svc", "list", env=headless_env(tmp_path))
        assert result.returncode == 1
        assert "refusing an insecure keyring backend" in result.stderr
        assert "Traceback" not in result.stderr

    def test_chainer_without_backends(self, tmp_path: Path) -> None:
        url = "keyring:svc?backend=keyring.backends.chainer.ChainerBackend"
        result = run_cli("--vault", url, "list", env=headless_env(tmp_path))
        assert result.returncode == 1
        assert "chainer with no usable backend" in result.stderr


class TestSecretService:
    """With a Secret Service on the session bus, keyring:NAME uses it by default."""

    def test_default_detection_in_a_fresh_process(
        self, secret_service: SecretService, tmp_path: Path
    ) -> None:
        secret_service.check_alive()
        env = {**headless_env(tmp_path), **secret_service.env}
        url = f"keyring:procore-runbooks-{uuid.uuid4().hex[:8]}"
        put = run_cli("--vault", url, "put", "procore/app", "client_secret=-", env=env, stdin=VALUE)
        assert put.returncode == 0, put.stderr
        assert VALUE not in put.stdout + put.stderr
        got = run_cli("--vault", url, "get", "procore/app", "--field", "client_secret", env=env)
        assert got.returncode == 0, got.stderr
        assert got.stdout == VALUE

    def test_record_layout(self, on_secret_service: SecretService) -> None:
        service = f"procore-runbooks-{uuid.uuid4().hex[:8]}"
        vault = open_vault(f"keyring:{service}?backend={SECRET_SERVICE_BACKEND}", env={})
        vault.put("procore/app", {"client_secret": VALUE})
        vault.put("procore/app", {"client_secret": "cs-second"})
        raw = keyring.core.load_keyring(SECRET_SERVICE_BACKEND)
        index = raw.get_password(service, "index")
        assert index is not None and VALUE not in index
        assert json.loads(index)["paths"] == {"procore/app": {"latest": 2, "deleted": False}}
        record = json.loads(raw.get_password(service, "path:procore/app") or "{}")
        assert [v["version"] for v in record["versions"]] == [1, 2]
        assert record["versions"][0]["fields"] == {"client_secret": VALUE}

    def test_foreign_entry_is_a_clear_error(self, on_secret_service: SecretService) -> None:
        service = f"procore-runbooks-{uuid.uuid4().hex[:8]}"
        raw = keyring.core.load_keyring(SECRET_SERVICE_BACKEND)
        raw.set_password(service, "path:app", "a password someone stored by hand")
        vault = open_vault(f"keyring:{service}?backend={SECRET_SERVICE_BACKEND}", env={})
        with pytest.raises(VaultError, match="not a procore-runbooks record") as error:
            vault.get("app")
        assert "someone" not in str(error.value)
