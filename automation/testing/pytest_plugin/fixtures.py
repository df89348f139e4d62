"""Fixtures for a project's own tests: Chromium found like the product finds it, a mock
portal, real vault servers.

Every heavy import (the mock portal and Flask, the vault servers, Playwright) happens inside
a fixture, when a test asks for it: a project that merely installs the package pays nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from automation.mock_portal.server import MockPortal
    from automation.testing.vault_servers import OpenBao, SecretService

__all__ = ["mock_portal", "mock_portal_variants", "openbao", "runbook_launch_args",
           "secret_service"]


@pytest.fixture(scope="session")
def runbook_launch_args(pytestconfig: pytest.Config) -> dict[str, Any]:
    """Launch arguments with a Chromium that exists on this machine (pytest-playwright's
    ``--headed``, ``--slowmo`` and ``--browser-channel`` applied, as for runbook items).

    A plugin cannot reliably override pytest-playwright's ``browser_type_launch_args``
    (plugin order decides), so a project's conftest points that fixture here::

        @pytest.fixture(scope="session")
        def browser_type_launch_args(runbook_launch_args): return runbook_launch_args
    """
    from automation.execute.browser import launch_options

    return launch_options(
        headed=bool(pytestconfig.getoption("--headed", default=False)),
        slowmo_ms=int(pytestconfig.getoption("--slowmo", default=0) or 0),
        channel=pytestconfig.getoption("--browser-channel", default=None),
    )


@pytest.fixture(scope="session")
def openbao(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenBao]:
    """A real OpenBao server in dev mode on a free loopback port (skipped without the wheel)."""
    from automation.testing.vault_servers import start_openbao, stop

    server, process = start_openbao(tmp_path_factory.mktemp("openbao"))
    yield server
    stop(process)


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretService]:
    """gnome-keyring on a private D-Bus session bus (skipped where it is not installed)."""
    from automation.testing.vault_servers import start_secret_service

    service = start_secret_service(tmp_path_factory.mktemp("secret-service"))
    yield service
    service.stop()


@pytest.fixture(scope="session")
def mock_portal_variants() -> tuple[str, ...]:
    """The DOM variants ``mock_portal`` serves (override it: ``return ("all",)``)."""
    return ()


@pytest.fixture(scope="session")
def mock_portal(mock_portal_variants: tuple[str, ...]) -> Iterator[MockPortal]:
    """One mock portal for the session, on a free loopback port (seeded from fixtures/)."""
    from automation.mock_portal.server import MockPortal

    with MockPortal(variants=mock_portal_variants) as portal:
        yield portal
