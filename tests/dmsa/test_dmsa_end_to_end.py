"""The whole DMSA procedure, run by the real `runbook` command against the mock portal."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from world import APP, CREDENTIALS, UIS, World, make_world

from automation.mock_portal.procore.apps import install_app
from automation.mock_portal.state import seed_promoted_app
from automation.procore_api import ProcoreApi

pytestmark = pytest.mark.browser
RUNBOOKS = Path(__file__).parents[2] / "runbooks"


@pytest.fixture(scope="module", params=UIS)
def twice(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[tuple[World, list[subprocess.CompletedProcess[str]], list[str]]]:
    """The whole procedure on the 37-project company, run twice on the same world, on each
    Developer Portal generation (form based and classic)."""
    world = make_world(tmp_path_factory.mktemp("dmsa"), ui=request.param)
    runs, secrets = [], []
    for _ in range(2):
        runs.append(world.run())
        secrets.append(world.stored_credentials()[1].reveal())
    yield world, runs, secrets
    world.portal.stop()


class TestWholeProcedure:
    """One command: app promoted, secret in the vault, installed, on every project, proven."""

    def test_it_succeeds_and_ends_on_the_proof(self, twice: tuple[World, list, list]) -> None:
        _, runs, _ = twice
        first = runs[0]
        assert first.returncode == 0, first.stderr
        assert first.stderr.rstrip().splitlines()[-1] == (
            "37/37 projects visible to the service account")

    def test_the_world_is_as_the_seed_describes(self, twice: tuple[World, list, list]) -> None:
        world, _, _ = twice
        (app,) = world.apps()
        (version,) = [v for v in app.versions if v.production_key]
        (instance,) = [i for i in version.manifest["components"]["oauth"]["instances"]
                       if i["grant_type"] == "client_credentials"]
        assert instance["permissions"] == {
            "company": {"admin": "admin", "directory": "admin", "documents": "admin",
                        "home": "readonly"},
            "project": {"admin": "admin", "directory": "admin", "documents": "admin",
                        "home": "readonly"},
        }
        (installation,) = world.installations("HingePoint")
        assert installation.app_version_key == version.production_key
        assert world.missing_projects("HingePoint") == 0
        user = world.portal.state.companies[world.company_id("HingePoint")].users[
            installation.service_account_id]
        assert user.add_to_new_projects
        assert world.token_works()

    def test_running_again_changes_nothing(self, twice: tuple[World, list, list]) -> None:
        world, runs, secrets = twice
        assert runs[1].returncode == 0, runs[1].stderr
        assert len(world.apps()) == 1 and len(world.installations("HingePoint")) == 1
        assert secrets[0] == secrets[1]
        assert len(world.vault().history(CREDENTIALS)) == 1
        assert "already in the vault" in (runs[1].stderr + str(world.journal(
            world.run_dirs()[1])))
        assert world.token_works()


class TestNoLeak:
    """No file the runs wrote, nor their output, holds the client secret or a password."""

    def test_scan_every_byte(self, twice: tuple[World, list, list]) -> None:
        world, runs, secrets = twice
        needles = {secrets[0].encode(), b"Portal-Pass-2026!", b"Procore-Pass-2026!",
                   b"Sync-Pass-2026!"}
        files = [p for p in world.folder.rglob("*") if p.is_file()]
        assert any(p.name == "journal.jsonl" for p in files)
        assert any(p.name == "vault.enc" for p in files)
        for path in files:
            data = path.read_bytes()
            for needle in needles:
                assert needle not in data, f"{path} holds a secret"
        for run in runs:
            for needle in needles:
                assert needle.decode() not in run.stdout + run.stderr


class TestLargeCompany:
    """2,500 active projects: no Add All, yet the service account joins every project."""

    def test_whole_procedure_permits_and_adds_every_project(self, world: World) -> None:
        result = world.run("--var", "company=Large Builders")
        assert result.returncode == 0, result.stderr
        assert result.stderr.rstrip().splitlines()[-1] == (
            "2500/2500 projects visible to the service account")
        assert "2500 projects permitted to 'Procore DMSA App'" in result.stderr
        assert world.missing_projects("Large Builders") == 0

    def test_directory_part_alone_adds_2500_without_add_all(self, world: World) -> None:
        """The "newly created projects" runbook, where Permitted Projects did not cover them."""
        state = world.portal.state
        with state.lock:
            _app, version, _secret = seed_promoted_app(state, APP)
            company = state.companies[world.company_id("Large Builders")]
            installation = install_app(state, company, version.production_key or "")
            account = company.users[installation.service_account_id].name
        result = world.run("--var", "company=Large Builders", "--var",
                           f"service_account={account}", runbook=RUNBOOKS / "procore" /
                           "add-to-projects.yaml")
        assert result.returncode == 0, result.stderr
        assert ("2500 projects added by REST API with the signed-in session (Add All "
                "unavailable)") in result.stderr
        assert world.missing_projects("Large Builders") == 0


class TestCompanySideAlone:
    """The company administrator's part runs alone from an App Version ID and the vault."""

    def test_install_from_an_app_version_id(self, world: World) -> None:
        state = world.portal.state
        with state.lock:
            app, version, secret = seed_promoted_app(state, APP)
        with world.vault() as vault:
            vault.put(CREDENTIALS, {"client_id": app.production_client_id or "",
                                    "client_secret": secret})
        result = world.run("--var", f"app_version_id={version.production_key}",
                           runbook=RUNBOOKS / "procore" / "company-install.yaml")
        assert result.returncode == 0, result.stderr
        assert result.stderr.rstrip().splitlines()[-1] == (
            "37/37 projects visible to the service account")
        assert len(world.installations("HingePoint")) == 1


class TestUnverifiedDeveloper:
    """An organization that is not verified: a clear stop before anything is created."""

    def test_stops_before_creating_the_app(self, world: World) -> None:
        account = world.portal.state.developers["unverified@example.com"]
        assert not account.verified
        with world.vault() as vault:  # the login the whole runbook signs in with
            vault.put("procore/developer-portal",
                      {"email": account.email, "password": account.password})
        result = world.run()
        assert result.returncode == 1, result.stderr
        assert "Become a Verified Developer" in result.stderr
        assert "nothing was created" in result.stderr
        assert "Traceback" not in result.stderr
        with world.portal.state.lock:
            assert not [a for a in world.portal.state.apps.values()
                        if a.owner_email == account.email]
        (run_dir,) = world.run_dirs()
        failed = {e["key"] for e in world.journal(run_dir) if e["event"] == "step_failed"}
        succeeded = [e["key"] for e in world.journal(run_dir) if e["event"] == "step_succeeded"]
        assert failed == {"developer.app"} and succeeded == ["developer.step1"], succeeded


class TestSecondFactor:
    """Headless, the one-time code comes from a TOTP seed kept in the vault."""

    def test_developer_account_with_totp(self, world: World) -> None:
        mfa = world.portal.state.developers["mfa@example.com"]
        with world.vault() as vault:
            vault.put("procore/developer-portal-mfa", {
                "email": mfa.email, "password": mfa.password, "totp_seed": mfa.totp_seed or ""})
        result = world.run("--var", "developer_login=procore/developer-portal-mfa",
                           runbook=RUNBOOKS / "procore" / "developer-portal.yaml")
        assert result.returncode == 0, result.stderr
        (app,) = world.apps()
        assert app.owner_email == "mfa@example.com"


class TestNewProjectsLater:
    """A project created after the run (mock admin call) is visible to the service account."""

    def test_new_project_joins_automatically(self, twice: tuple[World, list, list]) -> None:
        world, _, _ = twice
        request = urllib.request.Request(
            f"{world.portal.base_url}/__mock__/companies/{world.company_id('HingePoint')}"
            "/projects", data=json.dumps({"name": "Created Months Later"}).encode(),
            headers={"Content-Type": "application/json", **world.portal.admin_headers()},
            method="POST")
        with urllib.request.urlopen(request) as response:
            assert response.status in (200, 201)
        client_id, secret = world.stored_credentials()
        api = ProcoreApi(world.portal.base_url, world.portal.base_url)
        token = api.token(client_id, secret)
        company_id = world.company_id("HingePoint")
        names = {p["name"] for p in api.get_all("/rest/v1.1/projects", token,
                                                 company_id=company_id,
                                                 params={"company_id": company_id})}
        assert "Created Months Later" in names and len(names) == 38
