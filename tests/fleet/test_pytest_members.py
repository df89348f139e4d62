"""A fleet in pytest: ``--runbook-members`` makes a runbook one item per member, each run
with the member's inputs (the company and its administrator's login), against one target."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest
from fleet_world import COMPANY_INSTALL, FleetWorld

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class TestOneItemPerMember:
    """Three companies, three items, each company installed once."""

    def test_members_as_items(self, fleet_world: Callable[[int], FleetWorld]) -> None:
        world = fleet_world(3)
        world.prepare()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-v",
             str(COMPANY_INSTALL), "--runbook-members", str(world.members()),
             "--runbook-target", str(world.profile()), "--runbook-vault", world.vault_url,
             "--runbook-var", f"app_version_id={world.app_version_id}",
             "--runbook-out", str(world.folder / "runs")],
            cwd=world.folder, capture_output=True, text=True, timeout=900, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "3 passed" in done.stdout
        for company in world.portal.companies:
            assert f"::dmsa-company-install[{company.slug}]" in done.stdout
            assert world.fully_installed(company)
        assert world.leaks(done.stdout, done.stderr) == []
