"""One vault, three runs: the built-in mock, a profile target, the mock again. Each target's
secrets stay in its namespace; a profile target's first run says what to store, and how."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from world import APP, CREDENTIALS, DMSA

from automation.cli.targets import demo_logins
from automation.mock_portal.server import MockPortal
from automation.procore_api import ProcoreApi
from automation.secret import Secret
from automation.vault.namespaced import NamespacedVault
from automation.vault.url import open_vault

pytestmark = pytest.mark.browser
LOGINS = ["procore/company-admin", "procore/developer-portal", "sync-tool/login"]


@dataclass
class Runs:
    folder: Path
    vault_url: str
    outputs: list[str]
    codes: list[int]
    eu: MockPortal
    eu_profile: Path


def runbook(folder: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
    env["XDG_STATE_HOME"] = str(folder / "state")
    return subprocess.run([sys.executable, "-m", "automation.cli.main", *args], cwd=folder,
                          env=env, input=stdin, capture_output=True, text=True, timeout=600,
                          check=False)


def put_logins_as_a_person(folder: Path, portal: MockPortal, profile: Path, url: str) -> None:
    """`runbook vault put ... --target PROFILE`, each value from a file, as the first run's
    message says."""
    for path, fields in demo_logins(portal.state).items():
        sources = []
        for name, value in fields.items():
            file = folder / f"{path.replace('/', '_')}.{name}"
            file.write_text(value)
            sources.append(f"{name}=@{file}")
        done = runbook(folder, "vault", "put", path, *sources, "--target", str(profile),
                       "--vault", url)
        assert done.returncode == 0, done.stderr
        assert f"sandbox-eu/{path}: stored version 1" in done.stdout
        for file in folder.glob(f"{path.replace('/', '_')}.*"):
            file.unlink()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    folder = tmp_path_factory.mktemp("namespaces")
    url = f"file:{folder}/.runbook/vault.enc"
    eu = MockPortal().start()  # a second portal, run as a real target would be
    profile = folder / "sandbox-eu.yaml"
    profile.write_text(yaml.safe_dump({"name": "sandbox-eu", "sites": eu.target().sites}))
    outputs = []
    try:
        outputs.append(runbook(folder, "run", str(DMSA), "--vault", url))  # the built-in mock
        outputs.append(runbook(folder, "run", str(DMSA), "--target", str(profile),
                               "--vault", url))  # first run on the profile: nothing stored
        put_logins_as_a_person(folder, eu, profile, url)
        outputs.append(runbook(folder, "run", str(DMSA), "--target", str(profile),
                               "--vault", url))
        outputs.append(runbook(folder, "run", str(DMSA), "--vault", url))  # the mock again
        yield Runs(folder, url, [o.stderr for o in outputs], [o.returncode for o in outputs],
                   eu, profile)
    finally:
        eu.stop()


class TestFirstRunOfAProfileTarget:
    """A fresh namespace: the run names every path and field it needs, and the commands."""

    def test_it_lists_what_to_store_and_starts_nothing(self, runs: Runs) -> None:
        first = runs.outputs[1]
        assert runs.codes[1] == 2  # as for any input that cannot run: nothing started
        assert "cannot render" not in first and "Traceback" not in first
        assert "under sandbox-eu/ (nothing was started)" in first
        assert "sandbox-eu/procore/developer-portal: email, password" in first
        assert "sandbox-eu/procore/company-admin: login, password" in first
        assert "sandbox-eu/sync-tool/login: login, password" in first
        assert (f"runbook vault put 'procore/developer-portal' email=@EMAIL_FILE "
                f"password=@PASSWORD_FILE --target {runs.eu_profile} --vault '{runs.vault_url}'"
                in first)
        assert not (runs.folder / "runs").exists() or len(list(
            (runs.folder / "runs").iterdir())) == 3  # no run directory for the refused run


class TestThreeRunsOneVault:
    """mock, profile, mock: each target's secrets in its namespace, versions its own."""

    def test_every_run_succeeds_without_reset_advice(self, runs: Runs) -> None:
        assert [runs.codes[i] for i in (0, 2, 3)] == [0, 0, 0]
        for output in (runs.outputs[0], runs.outputs[2], runs.outputs[3]):
            assert output.rstrip().splitlines()[-1] == (
                "37/37 projects visible to the service account"), output
        for output in runs.outputs:
            assert "reset_client_secret" not in output

    def test_each_namespace_holds_its_own_and_nothing_is_outside(self, runs: Runs) -> None:
        with open_vault(runs.vault_url, env={}) as vault:
            assert vault.list() == sorted(
                [f"mock/{p}" for p in [*LOGINS, CREDENTIALS]]
                + [f"sandbox-eu/{p}" for p in [*LOGINS, CREDENTIALS]])

    def test_each_credentials_path_has_the_versions_its_runs_made(self, runs: Runs) -> None:
        with open_vault(runs.vault_url, env={}) as vault:
            mock, eu = NamespacedVault(vault, "mock"), NamespacedVault(vault, "sandbox-eu")
            # Each built-in mock is new, so each of its two runs captured a secret; the one
            # profile run captured one. Logins: seeded once (mock), put once (by hand).
            assert [v.version for v in mock.history(CREDENTIALS)] == [1, 2]
            assert [v.version for v in eu.history(CREDENTIALS)] == [1]
            for path in LOGINS:
                assert len(mock.history(path)) == 1 and len(eu.history(path)) == 1
            eu_fields = eu.get(CREDENTIALS)
            mock_ids = {mock.get(CREDENTIALS, v)["client_id"] for v in (1, 2)}
        (app,) = [a for a in runs.eu.state.apps.values() if a.name == APP]
        assert eu_fields["client_id"] == Secret(app.production_client_id or "")
        assert eu_fields["client_id"] not in mock_ids
        api = ProcoreApi(runs.eu.base_url, runs.eu.base_url)
        api.token(eu_fields["client_id"].reveal(), eu_fields["client_secret"])

    def test_the_journals_name_the_namespaced_paths(self, runs: Runs) -> None:
        journals = [d / "journal.jsonl" for d in sorted((runs.folder / "runs").iterdir())]
        texts = [j.read_text() for j in journals]
        assert f"vault:mock/{CREDENTIALS}#client_secret" in texts[0]
        assert f"vault:sandbox-eu/{CREDENTIALS}#client_secret" in texts[1]
        assert f"vault:mock/{CREDENTIALS}#client_secret" in texts[2]
