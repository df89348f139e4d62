"""pytest plugin: Chromium found like the product finds it, and a mock portal fixture.

Registered through the ``pytest11`` entry point, so any project that installs
procore-runbooks can test its own runbooks against the mock portal.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from automation.execute.browser import CHROMIUM_ARGS, find_chromium
from automation.mock_portal.server import MockPortal
from automation.testing.vault_servers import (
    OpenBao,
    SecretService,
    start_openbao,
    start_secret_service,
    stop,
)


@pytest.fixture(scope="session")
def runbook_launch_args(pytestconfig: pytest.Config) -> dict[str, Any]:
    """Launch arguments with a Chromium that exists on this machine.

    A plugin cannot reliably override pytest-playwright's ``browser_type_launch_args``
    (plugin order decides), so a project's conftest points that fixture here::

        @pytest.fixture(scope="session")
        def browser_type_launch_args(runbook_launch_args): return runbook_launch_args
    """
    headless = not pytestconfig.getoption("--headed", default=False)
    return {
        "args": list(CHROMIUM_ARGS),
        "headless": headless,
        "executable_path": find_chromium(headless=headless),
    }


@pytest.fixture(scope="session")
def openbao(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenBao]:
    """A real OpenBao server in dev mode on a free loopback port (skipped without the wheel)."""
    server, process = start_openbao(tmp_path_factory.mktemp("openbao"))
    yield server
    stop(process)


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretService]:
    """gnome-keyring on a private D-Bus session bus (skipped where it is not installed)."""
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
    with MockPortal(variants=mock_portal_variants) as portal:
        yield portal
