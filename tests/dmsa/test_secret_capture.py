"""The production secret, shown once, is never lost: stored and checked before the dialog
closes, sealed in a rescue file when the vault refuses, and never silently replaced."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

import pytest
from world import CREDENTIALS, World

from automation.actions import REGISTRY
from automation.cli.targets import store_demo_logins
from automation.errors import SecretUnsafe, VaultError
from automation.execute.browser import launch_options
from automation.execute.executor import Executor, RunResult, RunSettings
from automation.execute.session import BrowserSession
from automation.procore_api import ProcoreApi
from automation.runbook import build_plan, load_runbook
from automation.runbook.inputs import resolve_inputs
from automation.secret import Secret
from automation.vault.memory import MemoryVault
from automation.vault.rescue import key_file_for, read_rescue_file

pytestmark = pytest.mark.browser

DEVELOPER_PART = Path(__file__).parents[2] / "runbooks" / "procore" / "developer-portal.yaml"


class RefusingVault(MemoryVault):
    """A vault that holds the logins but refuses to store credentials (as a full disk or a
    missing write policy would)."""

    def put(self, path: str, fields: Mapping[str, str | Secret], *, cas: int | None = None
            ) -> int:
        if path.startswith("mock/procore/apps/"):  # the mock target's namespace
            raise VaultError(f"{self.url}: permission denied on {path}")
        return super().put(path, fields, cas=cas)


class TestVaultRefuses:
    """The secret goes to a rescue file, the dialog stays open, the run stops (exit 1)."""

    def test_secret_is_rescued_and_the_dialog_left_open(self, world: World,
                                                        tmp_path: Path) -> None:
        vault = RefusingVault()
        store_demo_logins(world.portal.state, vault)
        runbook = load_runbook(DEVELOPER_PART, REGISTRY)
        plan = build_plan(runbook, resolve_inputs(runbook, {}), REGISTRY)
        target = world.portal.target()
        settings = RunSettings(run_dir=tmp_path / "run", rescue_dir=tmp_path / "rescue")
        outcome: dict[str, object] = {}

        def run_and_look() -> None:
            browser = BrowserSession(target, launch_options())
            try:
                outcome["result"] = Executor(plan, target=target, vault=vault, browser=browser,
                                             settings=settings).run()
                page = browser.site("developer_portal").page
                # Found by its heading: the form-based portal's modal has no dialog role.
                title = page.get_by_role("heading", name="Your Production Credentials")
                outcome["dialog_open"] = title.is_visible()
            finally:
                browser.close()

        # Playwright's sync API wants a thread of its own when pytest-playwright's is running.
        thread = threading.Thread(target=run_and_look)
        thread.start()
        thread.join(timeout=300)
        result = outcome["result"]
        assert isinstance(result, RunResult)
        assert not result.succeeded and isinstance(result.error, SecretUnsafe)
        assert result.failed_step == "promote"
        assert outcome["dialog_open"] is True
        (rescue,) = [p for p in (tmp_path / "rescue").iterdir() if p.suffix != ".key"]
        assert str(rescue) in str(result.error)
        fields = read_rescue_file(rescue, key_file_for(rescue))
        assert fields["client_secret"].reveal() not in str(result.error)
        api = ProcoreApi(world.portal.base_url, world.portal.base_url)
        assert api.token(fields["client_id"].reveal(), fields["client_secret"]).expires_in > 0
        assert not list((tmp_path / "run").rglob("*.png"))  # no picture of a secret


class TestSecretMissingAfterPromotion:
    """Promoted before, secret not in the vault: a clear stop, then an explicit reset."""

    def test_stop_then_reset_on_request(self, world: World) -> None:
        assert world.run(runbook=DEVELOPER_PART).returncode == 0
        old_id, old_secret = world.stored_credentials()
        with world.vault() as vault:
            vault.delete(CREDENTIALS)

        stopped = world.run(runbook=DEVELOPER_PART)
        assert stopped.returncode == 1
        assert f"is not in vault:mock/{CREDENTIALS}, nor in any earlier version" in stopped.stderr
        assert "--var reset_client_secret=true" in stopped.stderr
        assert "Traceback" not in stopped.stderr

        reset = world.run("--var", "reset_client_secret=true", runbook=DEVELOPER_PART)
        assert reset.returncode == 0, reset.stderr
        new_id, new_secret = world.stored_credentials()
        assert new_id == old_id and new_secret != old_secret
        assert world.token_works()
        api = ProcoreApi(world.portal.base_url, world.portal.base_url)
        with pytest.raises(Exception, match="refused the credentials"):
            api.token(old_id, old_secret)
        history = world.vault().history(CREDENTIALS)
        assert [v.deleted for v in history] == [True, False]  # the old version is kept
