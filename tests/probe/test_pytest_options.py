"""The probe and check mode through the pytest plugin: ``--runbook-probe`` makes one item per
screen, failing exactly the screens whose labels moved and naming the new label;
``--runbook-check`` runs a runbook item in check mode, which changes nothing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from world import ROOT, World

from automation.mock_portal.faults import Faults, set_faults

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def pytest_against(world: World, *args: str) -> subprocess.CompletedProcess[str]:
    """``pytest ARGS`` in the world's folder (no tests of its own) against its mock."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
         "--runbook-target", str(world.profile()), "--runbook-vault", world.vault_url,
         "--runbook-out", str(world.folder / "pytest-runs"), *args],
        cwd=world.folder, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.parametrize("run_world", ["current"], indirect=True)
class TestProbeItems:
    """One item per screen; with the label drift on, the drifted screens fail and say where
    each label went."""

    def test_every_screen_passes_then_drift_fails_the_renamed(self, run_world: World) -> None:
        clean = pytest_against(run_world, "--runbook-probe")
        assert clean.returncode == 0, clean.stdout + clean.stderr
        assert "10 passed" in clean.stdout

        set_faults(run_world.portal.app, Faults.parse("label_drift=1"))
        try:
            drifted = pytest_against(run_world, "--runbook-probe")
        finally:
            set_faults(run_world.portal.app, Faults())
        said = drifted.stdout
        assert drifted.returncode == 1, said + drifted.stderr
        failed = {line.split()[1] for line in said.splitlines() if line.startswith("FAILED ")}
        assert failed == {"runbook-probe::probe[developer_portal.create_app]",
                          "runbook-probe::probe[developer_portal.app]",
                          "runbook-probe::probe[developer_portal.credentials]",
                          "runbook-probe::probe[procore.install_custom_app]",
                          "runbook-probe::probe[procore.app_permissions]"}, said
        assert '"New App"' in said and '"Regenerate client secret"' in said
        assert "Traceback" not in said


@pytest.mark.parametrize("run_world", ["current"], indirect=True)
class TestCheckItems:
    """--runbook-check: the runbook item runs as `runbook run --check` and changes nothing."""

    def test_check_after_a_run(self, run_world: World) -> None:
        before = run_world.portal.state.export()
        checked = pytest_against(run_world, str(ROOT / "runbooks" / "dmsa-credentials.yaml"),
                                 "--runbook-check")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "1 passed" in checked.stdout
        assert run_world.portal.state.export() == before
        [run_dir] = (run_world.folder / "pytest-runs").iterdir()
        events = [json.loads(line) for line in (run_dir / "journal.jsonl").read_text()
                  .splitlines()]
        [finished] = [e for e in events if e.get("event") == "run_finished"]
        assert finished["check"]["changes"] >= 0 and "would start a sync" in json.dumps(
            finished["check"])
