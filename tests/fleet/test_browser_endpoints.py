"""Browsers elsewhere: a pool of two real Chromium endpoints on loopback, one killed mid-fleet."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

import pytest
from conftest import Endpoint
from fleet_world import COMPANY_INSTALL, FleetWorld

from automation.fleet.record import member_summary
from automation.mock_portal.companies import admin_vault_path

pytestmark = pytest.mark.browser


class TestEndpointPool:
    """Members spread over a DevTools endpoint and a Playwright browser server; when one dies
    mid-fleet its members resume on the other, and every company's changes happen once."""

    def test_a_killed_endpoint_moves_its_members(
            self, fleet_world: Callable[[int], FleetWorld], endpoints: list[Endpoint]) -> None:
        world = fleet_world(8)
        world.prepare()
        cdp, server = endpoints
        env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
        command = [sys.executable, "-m", "automation.cli.main", "fleet", str(COMPANY_INSTALL),
                   "--members", str(world.members()), "--target", str(world.profile()),
                   "--vault", world.vault_url, "--var", f"app_version_id={world.app_version_id}",
                   "--parallel", "4", "--browser-endpoint", cdp.url,
                   "--browser-endpoint", server.url]
        fleet = subprocess.Popen(command, cwd=world.folder, env=env, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert fleet.stderr is not None
        seen = []
        for line in fleet.stderr:  # the fleet's progress, as it happens
            seen.append(line)
            if "2 done" in line:
                cdp.kill()  # mid-fleet: two members done, others under way on both browsers
                break
        rest_out, rest_err = fleet.communicate(timeout=900)
        stderr = "".join(seen) + rest_err

        assert fleet.returncode == 0, stderr
        assert f"browser endpoint {cdp.url} stopped answering" in stderr
        [fleet_dir] = world.fleet_dirs()
        summaries = [member_summary(c.slug, fleet_dir / c.slug) for c in world.portal.companies]
        assert all(s.status == "succeeded" for s in summaries), summaries
        assert any(s.runs > 1 for s in summaries)  # someone resumed in the other browser
        for company in world.portal.companies:
            assert world.fully_installed(company)  # one installation, one service account
        assert "8/8 members succeeded" in rest_out
        assert cdp.url in (fleet_dir / "report.html").read_text()


class TestRunOnEndpoint:
    """runbook run --browser-endpoint drives a browser elsewhere, in each of the three forms:
    a Playwright server (ws://), a DevTools endpoint (http://) or its WebSocket (cdp+ws://)."""

    @pytest.mark.parametrize("form", ["playwright", "devtools", "devtools-websocket"])
    def test_run_connects(self, fleet_world: Callable[[int], FleetWorld],
                          endpoints: list[Endpoint], form: str) -> None:
        url = {"playwright": endpoints[1].url, "devtools": endpoints[0].url,
               "devtools-websocket": endpoints[0].websocket}[form]
        world = fleet_world(1)
        world.prepare()
        [company] = world.portal.companies
        env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
        result = subprocess.run(
            [sys.executable, "-m", "automation.cli.main", "run", str(COMPANY_INSTALL),
             "--target", str(world.profile()), "--vault", world.vault_url,
             "--var", f"app_version_id={world.app_version_id}",
             "--var", f"company={company.name}", "--var",
             f"admin_login={admin_vault_path(company)}",
             "--browser-endpoint", "http://127.0.0.1:9",  # nothing there: the next one is used
             "--browser-endpoint", url],
            cwd=world.folder, env=env, capture_output=True, text=True, timeout=600, check=False)
        assert result.returncode == 0, result.stderr
        assert f"{company.project_count}/{company.project_count} projects visible" in \
            result.stderr
        assert world.fully_installed(company)
