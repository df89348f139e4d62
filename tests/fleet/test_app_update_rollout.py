"""An app update rolled out to a fleet of five companies: the version that adds Daily Log is
promoted once, then ``runbooks/procore/app-update-company.yaml`` runs per company. Before it,
the Daily Log endpoint answers 403 in every company; after it, 200 on every project, and every
project is visible to the service account again (an update empties the permitted projects)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

import pytest
from fleet_world import APP, ROOT, FleetWorld

from automation.fleet.record import member_summary
from automation.mock_portal.companies import SeededCompany
from automation.mock_portal.state import ManifestVersion, new_version_key, now
from automation.procore_api import ProcoreApi
from automation.secret import Secret

pytestmark = [pytest.mark.browser, pytest.mark.slow]

APP_UPDATE_COMPANY = ROOT / "runbooks" / "procore" / "app-update-company.yaml"


def promote_daily_log(world: FleetWorld) -> None:
    """The developer side of the update, done once: a version that adds Daily Log."""
    state = world.portal.state
    with state.lock:
        (app,) = [a for a in state.apps.values() if a.name == APP]
        latest = app.versions[-1]
        manifest = copy.deepcopy(latest.manifest)
        (instance,) = manifest["components"]["oauth"]["instances"]
        instance.setdefault("permissions", {}).setdefault("project", {})["daily_log"] = (
            "readonly")
        newer = ManifestVersion("1.1.0", manifest, sandbox_key=new_version_key())
        newer.production_key, newer.promoted_at = new_version_key(), now()
        newer.release_notes = "Reads the Daily Log"
        app.versions.append(newer)


def daily_log_statuses(world: FleetWorld, company: SeededCompany) -> set[int]:
    state = world.portal.state
    with state.lock:
        (app,) = [a for a in state.apps.values() if a.name == APP]
        client_id = app.production_client_id or ""
        (found,) = [c for c in state.companies.values() if c.name == company.name]
        projects = [p.id for p in found.active_projects()]
    api = ProcoreApi(world.portal.base_url, world.portal.base_url)
    token = api.token(client_id, Secret(world.client_secret))
    return {api.status_of(f"/rest/v1.0/projects/{pid}/daily_logs", token,
                          company_id=found.id)[0] for pid in projects}


class TestRolloutToFive:
    """403 before the rollout, 200 after it, every project visible, in all five companies."""

    def test_update_rollout(self, fleet_world: Callable[[int], FleetWorld]) -> None:
        world = fleet_world(5)
        world.prepare()
        installed = world.fleet("--parallel", "2")
        assert installed.returncode == 0, installed.stderr
        promote_daily_log(world)
        companies = world.portal.companies
        assert all(daily_log_statuses(world, c) == {403} for c in companies)

        rolled = world.fleet("--parallel", "2", runbook=APP_UPDATE_COMPANY)

        assert rolled.returncode == 0, rolled.stderr
        assert "5/5 members succeeded" in rolled.stdout
        [_, fleet_dir] = world.fleet_dirs()
        for company in companies:
            assert daily_log_statuses(world, company) == {200}
            summary = member_summary(company.slug, fleet_dir / company.slug)
            assert summary.status == "succeeded", summary
            journal = (fleet_dir / company.slug / "journal.jsonl").read_text()
            count = company.project_count
            assert f"{count}/{count} projects visible to the service account" in journal
            assert re.search(rf"Daily Log answers 200 on {count}/{count} projects", journal)
            assert "updated to version 1.1.0" in journal
            assert world.fully_installed(company)
        assert world.leaks(rolled.stdout, rolled.stderr) == []
