"""`runbook doctor --target T`: a checklist of what a run against T needs, exit 1 if short."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from automation.cli.targets import demo_logins
from automation.mock_portal.server import MockPortal
from automation.vault.namespaced import NamespacedVault
from automation.vault.url import open_vault


@pytest.fixture(scope="module")
def portal() -> Iterator[MockPortal]:
    with MockPortal() as started:
        yield started


def doctor(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
    return subprocess.run([sys.executable, "-m", "automation.cli.main", "doctor", *args,
                           "--vault", f"file:{folder}/vault.enc"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def profile(folder: Path, sites: dict[str, str]) -> Path:
    path = folder / "eu.yaml"
    path.write_text(yaml.safe_dump({"name": "sandbox-eu", "sites": sites}))
    return path


class TestDoctor:
    """Sites answer, logins are under the target's namespace, a browser is there."""

    def test_a_fresh_target_lists_each_missing_login_with_its_command(
            self, portal: MockPortal, tmp_path: Path) -> None:
        target = profile(tmp_path, portal.target().sites)
        done = doctor(tmp_path, "--target", str(target))
        assert done.returncode == 1, done.stderr
        out = done.stdout
        for site in portal.target().sites:
            assert f"[ok] {site} {portal.target().sites[site]} answers (HTTP" in out
        assert "[!!] sandbox-eu/procore/developer-portal lacks email, password" in out
        assert (f"runbook vault put 'procore/developer-portal' email=@EMAIL_FILE "
                f"password=@PASSWORD_FILE --target {target}") in out
        assert "[ok] browser: " in out and out.rstrip().endswith("3 problems found")

    def test_ready_once_the_logins_are_stored(self, portal: MockPortal, tmp_path: Path) -> None:
        target = profile(tmp_path, portal.target().sites)
        with open_vault(f"file:{tmp_path}/vault.enc", env={}) as vault:
            for path, fields in demo_logins(portal.state).items():
                NamespacedVault(vault, "sandbox-eu").put(path, fields)
        done = doctor(tmp_path, "--target", str(target))
        assert done.returncode == 0, done.stdout
        assert "[ok] sandbox-eu/procore/company-admin holds login, password" in done.stdout
        assert done.stdout.rstrip().endswith("ready: dmsa-credentials.yaml can run against "
                                             "'sandbox-eu'")
        for fields in demo_logins(portal.state).values():
            assert fields["password"] not in done.stdout + done.stderr

    def test_a_site_that_does_not_answer_is_named(self, tmp_path: Path) -> None:
        target = profile(tmp_path, {"developer_portal": "http://127.0.0.1:9/developers"})
        done = doctor(tmp_path, "--target", str(target), "--timeout", "2")
        assert done.returncode == 1
        assert "[!!] developer_portal http://127.0.0.1:9/developers does not answer" in (
            done.stdout)

    def test_a_bad_profile_is_bad_input(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.yaml"
        bad.write_text("name: mock\nsites: {}\n")
        done = doctor(tmp_path, "--target", str(bad))
        assert done.returncode == 2 and "kept for mock portals" in done.stderr
        assert "Traceback" not in done.stderr
