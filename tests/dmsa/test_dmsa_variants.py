"""The Developer Portal and company parts of the DMSA procedure, run by the real `runbook`
command against the mock portal served as each DOM variant (automation/mock_portal/variants.py):
the page objects find their way the way a person would, whatever help the DOM leaves out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from world import APP, CREDENTIALS, World, make_world

from automation.mock_portal.state import seed_promoted_app
from automation.mock_portal.variants import ALL, VARIANTS

pytestmark = pytest.mark.browser
RUNBOOKS = Path(__file__).parents[2] / "runbooks" / "procore"

#: Developer Portal generations the mock serves -> the MockPortal options that select one.
GENERATIONS: dict[str, dict[str, Any]] = {
    "current": {"ui": "current"},
    "classic": {"ui": "classic"},
}


@pytest.fixture(params=[*VARIANTS, ALL])
def variant(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(params=list(GENERATIONS))
def developer_world(request: pytest.FixtureRequest, variant: str, tmp_path: Path
                    ) -> Iterator[World]:
    world = make_world(tmp_path, variants=variant, **GENERATIONS[request.param])
    yield world
    world.portal.stop()


@pytest.fixture
def company_world(variant: str, tmp_path: Path) -> Iterator[World]:
    """The company web app is one generation: the Developer Portal's choice does not touch it."""
    world = make_world(tmp_path, variants=variant)
    yield world
    world.portal.stop()


class TestDeveloperPortalUnderEveryVariant:
    """The Developer Portal part succeeds on every variant of both generations, and on all
    variants at once."""

    def test_developer_portal_part(self, developer_world: World) -> None:
        world = developer_world
        developer = world.run(runbook=RUNBOOKS / "developer-portal.yaml")
        assert developer.returncode == 0, developer.stderr[-3000:]
        (app,) = world.apps(APP)
        promoted = [v for v in app.versions if v.production_key]
        assert len(promoted) == 1
        assert world.token_works()


class TestCompanyInstallUnderEveryVariant:
    """The company part installs from the App Version Key on every variant."""

    def test_company_install_part(self, company_world: World) -> None:
        world = company_world
        state = world.portal.state
        with state.lock:
            app, version, secret = seed_promoted_app(state, APP)
        with world.vault() as vault:
            vault.put(CREDENTIALS, {"client_id": app.production_client_id or "",
                                    "client_secret": secret})
        company = world.run("--var", f"app_version_id={version.production_key}",
                            runbook=RUNBOOKS / "company-install.yaml")
        assert company.returncode == 0, company.stderr[-3000:]
        assert company.stderr.rstrip().splitlines()[-1] == (
            "37/37 projects visible to the service account")
        assert len(world.installations("HingePoint")) == 1
