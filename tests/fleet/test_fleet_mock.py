"""A fleet of twenty companies against the mock, four at a time (real Chromium, real CLI)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from fleet_world import APP, COMPANY_INSTALL, FLEET_COMPANY_INSTALL, FleetWorld

from automation.execute.journal import JOURNAL_NAME
from automation.fleet.record import member_summary

pytestmark = pytest.mark.browser

VISIBLE = re.compile(r"^(\d+)/(\d+) projects visible to the service account")


class TestFleetOfTwenty:
    """One member's company fails (its administrator's login is not in the vault): the other
    19 end on their N/N line; once it is fixed, --resume runs that member alone, and every
    company ends installed exactly once."""

    def test_one_fails_nineteen_pass_resume_finishes_it(
            self, fleet_world: Callable[[int], FleetWorld]) -> None:
        world = fleet_world(20)
        broken = world.portal.companies[6]
        world.prepare(skip_admins=(broken.slug,))

        first = world.fleet("--parallel", "4")

        assert first.returncode == 1, first.stderr
        [fleet_dir] = world.fleet_dirs()
        for company in world.portal.companies:
            summary = member_summary(company.slug, fleet_dir / company.slug)
            if company is broken:
                assert summary.status == "failed"
                assert "failed at step1" in summary.line  # the sign-in: no login in the vault
                assert world.installations(company) == []
                continue
            assert summary.status == "succeeded", summary
            assert summary.line == (f"{company.project_count}/{company.project_count} projects "
                                    "visible to the service account"), summary
            assert world.fully_installed(company)
        assert "19/20 members succeeded, 1 failed" in first.stdout
        assert f"runbook fleet --resume {fleet_dir.relative_to(world.folder)}" in first.stderr
        report = (fleet_dir / "report.html").read_text()
        assert report.count('class="succeeded"') == 19 and 'class="failed"' in report
        before = {c.slug: (fleet_dir / c.slug / "journal.jsonl").read_bytes()
                  for c in world.portal.companies if c is not broken}

        world.store_admin(broken)  # the fix: the administrator's login, in the vault
        second = world.fleet(resume=fleet_dir)

        assert second.returncode == 0, second.stderr
        assert "Fleet of 20 (1 to run, 4 at a time)" in second.stderr
        assert re.findall(r"fleet: (\S+) started", second.stderr) == [broken.slug]
        for company in world.portal.companies:
            summary = member_summary(company.slug, fleet_dir / company.slug)
            found = VISIBLE.match(summary.line)
            assert found and found.group(1) == found.group(2) == str(company.project_count)
            assert world.fully_installed(company)
            if company is not broken:  # untouched by the resume
                assert (fleet_dir / company.slug / "journal.jsonl").read_bytes() == \
                    before[company.slug]
        assert member_summary(broken.slug, fleet_dir / broken.slug).runs == 2
        assert "20/20 members succeeded" in second.stdout
        spec = json.loads((fleet_dir / "fleet.json").read_text())
        assert len(spec["members"]) == 20 and spec["parallel"] == 4
        assert world.leaks(first.stdout, first.stderr, second.stdout, second.stderr) == []


class TestFirstAlone:
    """fleet-company-install.yaml with --first-alone, from nothing: the first member builds the
    app in the Developer Portal, the others find it, and the app exists once."""

    def test_app_built_once_installed_everywhere(
            self, fleet_world: Callable[[int], FleetWorld]) -> None:
        world = fleet_world(3)
        world.prepare(developer_side=False)

        result = world.fleet("--parallel", "3", "--first-alone", runbook=FLEET_COMPANY_INSTALL)

        assert result.returncode == 0, result.stderr
        started = re.findall(r"fleet: (\S+) started \((\d+) done", result.stderr)
        assert started[0] == ("customer-001", "0")
        assert all(done == "1" for _name, done in started[1:])  # after the first finished
        with world.portal.state.lock:
            apps = [a for a in world.portal.state.apps.values() if a.name == APP]
        (app,) = apps
        (promoted,) = [v for v in app.versions if v.production_key]
        assert app.secret_generation == 1  # the client secret was issued (and kept) once
        for company in world.portal.companies:
            assert world.fully_installed(company)
            assert world.installations(company)[0].app_version_key == promoted.production_key


def run_started(world: FleetWorld, member: str) -> bool:
    """The member's journal (in the fleet's run directory) records the start of its run."""
    journals = (folder / member / JOURNAL_NAME for folder in world.fleet_dirs())
    return any(j.is_file() and "run_started" in j.read_text() for j in journals)


class TestInterrupted:
    """Ctrl-C mid-fleet: exit 130, the table says who did not finish, and --resume finishes
    them (each member's changes made once)."""

    def test_ctrl_c_then_resume(self, fleet_world: Callable[[int], FleetWorld]) -> None:
        world = fleet_world(3)
        world.prepare()
        env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
        fleet = subprocess.Popen(
            [sys.executable, "-m", "automation.cli.main", "fleet", str(COMPANY_INSTALL),
             "--members", str(world.members()), "--target", str(world.profile()),
             "--vault", world.vault_url, "--var", f"app_version_id={world.app_version_id}",
             "--parallel", "2"], cwd=world.folder, env=env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert fleet.stderr is not None
        for line in fleet.stderr:
            if "customer-003 started" in line:  # after a member finished: one under way
                break
        # Ctrl-C once the third member's run has begun (its journal says so), so that one
        # member is surely under way whatever the machine's speed.
        deadline = time.monotonic() + 60
        while not run_started(world, "customer-003") and time.monotonic() < deadline:
            time.sleep(0.02)
        assert run_started(world, "customer-003"), "the third member never started its run"
        fleet.send_signal(signal.SIGINT)
        out, err = fleet.communicate(timeout=300)

        assert fleet.returncode == 130, err
        assert "interrupted by SIGINT" in err and "Traceback" not in err
        assert re.search(r"^[12]/3 members succeeded", out, re.M), out  # one still under way
        assert "did not finish (interrupted)" in out
        resumed = world.fleet(resume=world.fleet_dirs()[0])
        assert resumed.returncode == 0, resumed.stderr
        assert "3/3 members succeeded" in resumed.stdout
        for company in world.portal.companies:
            assert world.fully_installed(company)
