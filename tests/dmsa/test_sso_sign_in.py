"""The real `runbook run` with an SSO administrator, headless: a clear stop, nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from world import CREDENTIALS, World

from automation.mock_portal.state import seed_promoted_app
from automation.secret import Secret

pytestmark = pytest.mark.browser
COMPANY_INSTALL = Path(__file__).parents[2] / "runbooks" / "procore" / "company-install.yaml"
SSO_LOGIN = "procore/sso-admin"


class TestSingleSignOnHeadless:
    """Signing in as an SSO account headless fails with the way out, exit 1, nothing done."""

    def test_company_install_stops_at_sign_in(self, world: World) -> None:
        state = world.portal.state
        with state.lock:
            _app, version, _secret = seed_promoted_app(state, "Procore DMSA App")
        with world.vault() as vault:
            # An SSO account has no Procore password; the step still takes the field.
            vault.put(SSO_LOGIN, {"login": "riley@sso.example.com",
                                  "password": Secret("not-used-by-sso", "test")})
            # What the part reads later (a run checks every secret it reads is there first).
            vault.put(CREDENTIALS, {"client_id": "not-reached", "client_secret": "not-reached"})
        before = state.export()

        run = world.run("--var", f"admin_login={SSO_LOGIN}",
                        "--var", f"app_version_id={version.production_key}",
                        runbook=COMPANY_INSTALL)

        assert run.returncode == 1, run.stderr
        assert "identity provider" in run.stderr and "--headed" in run.stderr
        assert "Traceback" not in run.stderr + run.stdout
        assert state.export() == before
        assert world.installations("HingePoint") == []
        (run_dir,) = world.run_dirs()
        started = {e["action"] for e in world.journal(run_dir) if e["event"] == "step_started"}
        assert started == {"procore.sign_in"}  # nothing after the sign-in ever started
