"""The DMSA tests' own judge: ``World.token_works`` says False only for refused credentials."""

from __future__ import annotations

import pytest
from world import CREDENTIALS, World

from automation.errors import StepError
from automation.mock_portal.state import seed_promoted_app


def store_credentials(world: World, secret: str) -> None:
    with world.portal.state.lock:
        app, _version, _real = seed_promoted_app(world.portal.state, "Judged App")
    with world.vault() as vault:
        vault.put(CREDENTIALS, {"client_id": app.production_client_id or "",
                                "client_secret": secret})


class TestTokenWorks:
    """True for working credentials, False for refused ones, and any other failure raised."""

    def test_working_credentials(self, world: World) -> None:
        with world.portal.state.lock:
            app, _version, secret = seed_promoted_app(world.portal.state, "Judged App")
        with world.vault() as vault:
            vault.put(CREDENTIALS, {"client_id": app.production_client_id or "",
                                    "client_secret": secret})
        assert world.token_works() is True

    def test_refused_credentials(self, world: World) -> None:
        store_credentials(world, "0" * 64)
        assert world.token_works() is False

    def test_an_unreachable_portal_is_an_error_not_a_refusal(self, world: World) -> None:
        store_credentials(world, "0" * 64)
        world.portal.stop()
        with pytest.raises(StepError, match="oauth/token: "):
            world.token_works()

    def test_no_credentials_in_the_vault_is_an_error(self, world: World) -> None:
        with pytest.raises(Exception, match="procore/apps"):
            world.token_works()
