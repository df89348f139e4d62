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
#: (The current, form-based generation joins this list once its page objects locate like a
#: person: they belong to branch builder.)
GENERATIONS: dict[str, dict[str, Any]] = {"classic": {"ui": "classic"}}


@pytest.fixture(params=list(GENERATIONS))
def generation(request: pytest.FixtureRequest) -> dict[str, Any]:
    options: dict[str, Any] = GENERATIONS[request.param]
    return options


#: Variants under which the Developer Portal part stops in my_apps.py, promote_dialog.py or
#: production_credentials_dialog.py (they still find dialogs by names and fields by labels).
BUILDER_DIALOGS = {"captions_not_labels", ALL}


@pytest.fixture(params=[*VARIANTS, ALL])
def variant_world(request: pytest.FixtureRequest, generation: dict[str, Any],
                  tmp_path: Path) -> Iterator[World]:
    world = make_world(tmp_path, variants=request.param, **generation)
    yield world
    world.portal.stop()


class TestDeveloperPortalUnderEveryVariant:
    """The Developer Portal part succeeds on every variant, and on all at once."""

    def test_developer_portal_part(self, variant_world: World,
                                   request: pytest.FixtureRequest) -> None:
        if request.node.callspec.params["variant_world"] in BUILDER_DIALOGS:
            request.applymarker(pytest.mark.xfail(
                reason="my_apps/promote/credentials dialogs: fixed on branch builder",
                strict=False))
        world = variant_world
        developer = world.run(runbook=RUNBOOKS / "developer-portal.yaml")
        assert developer.returncode == 0, developer.stderr[-3000:]
        (app,) = world.apps(APP)
        promoted = [v for v in app.versions if v.production_key]
        assert len(promoted) == 1
        assert world.token_works()


class TestCompanyInstallUnderEveryVariant:
    """The company part installs from the App Version Key on every variant."""

    def test_company_install_part(self, variant_world: World) -> None:
        world = variant_world
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
