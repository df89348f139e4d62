"""The README's regression check: ``pytest runbooks/ --runbook-target mock`` passes."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml

from automation.cli.targets import store_demo_logins
from automation.mock_portal.server import MockPortal
from automation.vault.url import open_vault

ROOT = Path(__file__).resolve().parents[2]


def pytest_in_repository(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str],
                                                              list[ElementTree.Element]]:
    """``pytest ARGS`` in the repository (its own ini); the JUnit XML's test cases."""
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", *args, "--runbook-out", str(tmp_path / "runs"),
         "-p", "no:cacheprovider", f"--basetemp={tmp_path / 'basetemp'}",
         f"--junitxml={tmp_path / 'junit.xml'}"],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed, list(ElementTree.parse(tmp_path / "junit.xml").getroot().iter("testcase"))


@pytest.mark.browser
@pytest.mark.slow
class TestRepositoryRunbooks:
    """The repository's runbooks pass as pytest items, each part run inside its includer."""

    def test_runbooks_folder(self, tmp_path: Path) -> None:
        """Each runbook on a fresh mock of its own (app-update installs where nothing is; a
        fleet member's runbook runs for the seed's company by default)."""
        _, cases = pytest_in_repository(tmp_path, "runbooks/", "--runbook-target", "mock")
        names = ["dmsa-app-update", "dmsa-credentials", "fleet-company-install"]
        assert sorted(case.get("name") for case in cases) == names
        run_dirs = sorted((tmp_path / "runs").iterdir(), key=lambda p: p.name.split("Z-", 1)[1])
        assert [p.name.split("Z-", 1)[1] for p in run_dirs] == names
        for case in cases:
            report = {p.get("name"): p.get("value") for p in case.iter("property")}["report"]
            run_dir = next(p for p in run_dirs if p.name.endswith(f"-{case.get('name')}"))
            assert report == str(run_dir / "report.html")  # outside the repository: absolute
            assert (run_dir / "report.html").is_file() and (run_dir / "procedure.md").is_file()

    def test_update_after_setup_on_one_target(self, tmp_path: Path) -> None:
        vault_url = f"file:{tmp_path / 'vault.enc'}"
        with MockPortal() as portal:
            profile = tmp_path / "mock.yaml"
            profile.write_text(yaml.safe_dump(portal.target().to_profile()))
            with open_vault(vault_url) as vault:
                store_demo_logins(portal.state, vault)
            _, cases = pytest_in_repository(
                tmp_path, "-n", "0", "runbooks/dmsa-credentials.yaml", "runbooks/app-update.yaml",
                "--runbook-target", str(profile), "--runbook-vault", vault_url)
        assert [case.get("name") for case in cases] == ["dmsa-credentials", "dmsa-app-update"]
