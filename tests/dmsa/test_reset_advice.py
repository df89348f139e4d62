"""Before advising a reset, a run looks: in the path's history, at the top of the vault (from
before namespaces), under other targets. A reset is advised last, naming what it breaks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from world import CREDENTIALS, World

from automation.secret import Secret
from automation.vault.url import open_vault

pytestmark = pytest.mark.browser
DEVELOPER_PART = Path(__file__).parents[2] / "runbooks" / "procore" / "developer-portal.yaml"


def vault_command(world: World, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
    return subprocess.run([sys.executable, "-m", "automation.cli.main", "vault", *args,
                           "--vault", world.vault_url], cwd=world.folder, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


class TestSecretInHistory:
    """A later version on top (another portal's secret): the matching one is restored."""

    def test_restored_without_a_reset(self, world: World) -> None:
        assert world.run(runbook=DEVELOPER_PART).returncode == 0
        client_id, secret = world.stored_credentials()
        with world.vault() as vault:
            vault.put(CREDENTIALS, {"client_id": "another-portals-id",
                                    "client_secret": "another-portals-secret"})
        again = world.run(runbook=DEVELOPER_PART)
        assert again.returncode == 0, again.stderr
        assert (f"the portal's client id {client_id[:12]}… is in version 1 of "
                f"vault:mock/{CREDENTIALS}: restored it as version 3, no reset needed"
                in again.stderr)
        assert "reset_client_secret" not in again.stderr
        assert world.stored_credentials() == (client_id, secret)
        assert world.token_works()  # the old secret still works: nothing was reset


class TestSecretOutsideTheNamespace:
    """Only at the top (from before namespaces) or under another target: said, not reused."""

    def test_the_advice_names_each_place_and_what_a_reset_breaks(self, world: World) -> None:
        assert world.run(runbook=DEVELOPER_PART).returncode == 0
        client_id, secret = world.stored_credentials()
        fields = {"client_id": client_id, "client_secret": secret}
        with open_vault(world.vault_url, env={}) as raw:
            raw.put(CREDENTIALS, fields)  # where an older version of the tool put it
            raw.put(f"sandbox/{CREDENTIALS}", fields)  # someone copied it to another target
            raw.delete(f"mock/{CREDENTIALS}")
        stopped = world.run(runbook=DEVELOPER_PART)
        assert stopped.returncode == 1
        text = stopped.stderr
        assert f"(client id {client_id[:12]}…) is not in vault:mock/{CREDENTIALS}" in text
        assert (f"It is in version 1 of {CREDENTIALS}, written before targets had namespaces"
                in text)
        assert f"runbook vault move '{CREDENTIALS}' 'mock/{CREDENTIALS}'" in text
        assert (f"sandbox/{CREDENTIALS} (version 1) holds this client id, but it belongs to "
                "another target's namespace: it is not reused here") in text
        assert f"breaks every integration using client id {client_id[:12]}…" in text
        assert secret.reveal() not in text

        moved = vault_command(world, "move", CREDENTIALS, f"mock/{CREDENTIALS}")
        assert moved.returncode == 0, moved.stderr
        again = world.run(runbook=DEVELOPER_PART)
        assert again.returncode == 0, again.stderr
        assert world.stored_credentials() == (client_id, secret)
        with world.vault() as vault:
            assert vault.get(CREDENTIALS)["client_secret"] == Secret(secret.reveal())
        assert world.token_works()
