"""The DMSA runbook captures the production credentials into whichever vault --vault names.

The Developer Portal part of the procedure (the part that captures the secret) runs once per
backend: the embedded file vault, a real OpenBao server, and the OS keyring (gnome-keyring on a
private session bus). Each time the stored secret must get a token from the portal.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from world import CREDENTIALS, World, make_world

from automation.testing.vault_servers import SECRET_SERVICE_BACKEND

pytestmark = pytest.mark.browser

DEVELOPER_PART = Path(__file__).parents[2] / "runbooks" / "procore" / "developer-portal.yaml"


@pytest.fixture(params=["file", "openbao", "keyring"])
def world_with_vault(request: pytest.FixtureRequest, tmp_path: Path,
                     monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    if request.param == "file":
        url, env = f"file:{tmp_path}/secrets/vault.enc", {}
    elif request.param == "openbao":
        server = request.getfixturevalue("openbao")
        url, env = server.url(server.new_mount(), scheme="openbao"), {"VAULT_TOKEN": server.token}
    else:
        service = request.getfixturevalue("secret_service")
        service.check_alive()
        url = f"keyring:dmsa-{uuid.uuid4().hex[:8]}?backend={SECRET_SERVICE_BACKEND}"
        env = {"DBUS_SESSION_BUS_ADDRESS": service.bus_address,
               "XDG_RUNTIME_DIR": service.env["XDG_RUNTIME_DIR"]}
        for name, value in env.items():  # the keyring library reads them from this process
            monkeypatch.setenv(name, value)
    world = make_world(tmp_path, vault_url=url, vault_env=env)
    yield world
    world.portal.stop()


def test_credentials_land_in_the_chosen_vault(world_with_vault: World) -> None:
    world = world_with_vault
    result = world.run(runbook=DEVELOPER_PART)
    assert result.returncode == 0, result.stderr
    assert f"stored in vault:mock/{CREDENTIALS}#client_secret" in result.stderr
    history = world.vault().history(CREDENTIALS)
    assert len(history) == 1 and set(history[0].fields) == {"client_id", "client_secret"}
    assert world.token_works()
    assert not (world.folder / ".runbook" / "vault.enc").exists()  # nothing went elsewhere
