"""--start-at against a portal that outlives its runs: the real command, twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from automation.cli.targets import store_demo_logins
from automation.mock_portal.server import MockPortal
from automation.vault.url import open_vault

ROOT = Path(__file__).parents[2]
DMSA = ROOT / "runbooks" / "dmsa-credentials.yaml"


@pytest.fixture
def portal() -> Iterator[MockPortal]:
    running = MockPortal().start()
    yield running
    running.stop()


def run(folder: Path, portal: MockPortal, *args: str) -> subprocess.CompletedProcess[str]:
    profile = folder / "mock.yaml"
    profile.write_text(yaml.safe_dump(portal.target().to_profile()))
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
    return subprocess.run(
        [sys.executable, "-m", "automation.cli.main", "run", str(DMSA), "--target",
         str(profile), "--vault", f"file:{folder}/vault.enc", *args],
        cwd=folder, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.browser
@pytest.mark.slow
class TestStartAtAfterAWholeRun:
    """After a whole run, `--start-at company.verify` takes the app version and the project
    count from that run's journal (the secret from the vault) and finishes the procedure."""

    def test_second_run_starts_at_verify(self, tmp_path: Path, portal: MockPortal) -> None:
        with open_vault(f"file:{tmp_path}/vault.enc", env={}) as vault:
            store_demo_logins(portal.state, vault)
        first = run(tmp_path, portal)
        assert first.returncode == 0, first.stderr[-2000:]

        second = run(tmp_path, portal, "--start-at", "company.verify")
        assert second.returncode == 0, second.stderr[-2000:]
        output = second.stdout + second.stderr
        first_dir, second_dir = sorted((tmp_path / "runs").iterdir())
        assert (f"Outputs of skipped step(s) company.projects.existing, developer.promote "
                f"from the earlier run runs/{first_dir.name}") in output
        assert "37/37 projects visible to the service account" in output
        events = [json.loads(line) for line in
                  (second_dir / "journal.jsonl").read_text().splitlines()]
        done = [e["key"] for e in events if e["event"] == "step_succeeded"]
        assert done[0] == "company.verify" and len(done) == 5
        assert events[-1] == {**events[-1], "event": "run_finished", "succeeded": True}
