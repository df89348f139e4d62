"""runbooks/app-update.yaml: a new version with a new tool permission, rolled out to a company.

After the DMSA procedure, the app's service account reads every project but not the Daily Log
(403). The update runbook promotes a version that asks for Daily Log, updates the installed
app, permits every project again (an update empties them) and proves through REST that the
Daily Log answers 200 on every project. Run again, it changes nothing.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from world import APP, CREDENTIALS, ROOT, World, make_world

from automation.mock_portal.procore.apps import install_app
from automation.mock_portal.procore.common import add_memberships
from automation.mock_portal.state import ManifestVersion, new_version_key, now, seed_promoted_app
from automation.procore_api import ProcoreApi
from automation.secret import Secret

pytestmark = [pytest.mark.browser, pytest.mark.slow]

APP_UPDATE = ROOT / "runbooks" / "app-update.yaml"
COMPANY_SIDE = ROOT / "runbooks" / "procore" / "app-update-company.yaml"
BEFORE = {"company": {"directory": "admin"}, "project": {"directory": "admin"}}
COMPANY = "HingePoint"


def daily_log_statuses(world: World) -> dict[int, int]:
    """Each active project of the company: the status its Daily Log endpoint answers."""
    client_id, secret = world.stored_credentials()
    api = ProcoreApi(world.portal.base_url, world.portal.base_url)
    token = api.token(client_id, secret)
    company_id = world.company_id(COMPANY)
    with world.portal.state.lock:
        projects = [p.id for p in world.portal.state.companies[company_id].active_projects()]
    return {pid: api.status_of(f"/rest/v1.0/projects/{pid}/daily_logs", token,
                               company_id=company_id)[0] for pid in projects}


def promoted_versions(world: World) -> list[str]:
    (app,) = world.apps(APP)
    return [v.semver for v in app.versions if v.production_key]


class TestAppUpdate:
    """The rollout turns the Daily Log's 403 into 200 on every project, and is safe to re-run."""

    def test_rollout_then_rerun(self, world: World, tmp_path: Path) -> None:
        installed = world.run()
        assert installed.returncode == 0, installed.stdout + installed.stderr
        before = daily_log_statuses(world)
        assert set(before.values()) == {403}
        secret_before = world.stored_credentials()

        updated = world.run(runbook=APP_UPDATE)
        assert updated.returncode == 0, updated.stdout + updated.stderr
        total, said = len(before), updated.stdout + updated.stderr
        assert f"{total}/{total} projects visible to the service account" in said
        assert f"Daily Log answers 200 on {total}/{total} projects" in said
        assert set(daily_log_statuses(world).values()) == {200}
        (installation,) = world.installations(COMPANY)
        (app,) = world.apps(APP)
        newest = max((v for v in app.versions if v.production_key),
                     key=lambda v: v.promoted_at or v.created_at)
        assert installation.app_version_key == newest.production_key
        assert newest.release_notes == "Reads the Daily Log of every project"
        assert world.stored_credentials() == secret_before  # same credentials, still working
        assert world.token_works()
        versions = promoted_versions(world)

        again = world.run(runbook=APP_UPDATE)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "no update waiting" in again.stdout + again.stderr
        assert promoted_versions(world) == versions
        assert world.installations(COMPANY) == [installation]


def installed_with_an_update_waiting(world: World) -> None:
    """As after the DMSA procedure and a promotion that adds Daily Log: the app installed in
    the company, on every project, credentials in the vault; a newer version waiting."""
    state = world.portal.state
    with state.lock:
        app, version, secret = seed_promoted_app(state, APP, permissions=BEFORE)
        company = state.companies[world.company_id(COMPANY)]
        installation = install_app(state, company, version.production_key or "")
        account = company.users[installation.service_account_id]
        add_memberships(state, company, account, [p.id for p in company.active_projects()])
        account.add_to_new_projects = True
        manifest = copy.deepcopy(version.manifest)
        (instance,) = manifest["components"]["oauth"]["instances"]
        instance["permissions"]["project"]["daily_log"] = "readonly"
        newer = ManifestVersion("1.1.0", manifest, sandbox_key=new_version_key())
        newer.production_key, newer.promoted_at = new_version_key(), now()
        newer.release_notes = "Reads the Daily Log"
        app.versions.append(newer)
        client_id = app.production_client_id or ""
    with world.vault() as vault:
        vault.put(CREDENTIALS, {"client_id": Secret(client_id), "client_secret": Secret(secret)})


class TestCompanySideUnderVariants:
    """The company side finds its way when every DOM variant is on, the wording included
    (Update Available, Review Changes); its check says the update it would make."""

    def test_update_with_every_variant(self, tmp_path: Path) -> None:
        world = make_world(tmp_path, variants="all")
        try:
            installed_with_an_update_waiting(world)
            assert set(daily_log_statuses(world).values()) == {403}
            checked = world.run("--check", runbook=COMPANY_SIDE)
            said = checked.stdout + checked.stderr
            assert checked.returncode == 0, said
            assert f"would update '{APP}' from version 1.0.0" in said
            assert set(daily_log_statuses(world).values()) == {403}  # the check changed nothing
            done = world.run(runbook=COMPANY_SIDE)
            assert done.returncode == 0, done.stdout + done.stderr
            assert "updated to version 1.1.0" in done.stdout + done.stderr
            assert set(daily_log_statuses(world).values()) == {200}
        finally:
            world.portal.stop()
