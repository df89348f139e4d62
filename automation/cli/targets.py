"""Choosing the target: the built-in mock portal (started here), a built-in, or a profile."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from automation.errors import RunbookError
from automation.mock_portal.state import PortalState
from automation.targets import Target, load_target
from automation.vault.base import Vault
from automation.vault.namespaced import MOCK_NAMESPACE, scoped

__all__ = ["open_target", "plan_target", "provision_demo_logins"]

MOCK_PLACEHOLDER = "http://127.0.0.1:<port>"
#: The target name of the mock a run starts for itself (and stops when it ends).
BUILT_IN_MOCK = "built-in mock"


def plan_target(spec: str) -> Target:
    """For ``plan``: the mock is not started, its URLs are shown as placeholders."""
    if spec == "mock":
        base = MOCK_PLACEHOLDER
        return Target("mock", {"developer_portal": f"{base}/developers", "procore": f"{base}/app",
                               "sync_tool": f"{base}/sync", "login": base, "api": base}, True)
    return load_target(spec)


def demo_logins(state: PortalState) -> dict[str, dict[str, str]]:
    """A mock portal's demo accounts, by the vault paths the runbooks read them from."""
    developer = next(d for d in state.developers.values() if d.totp_seed is None)
    login, password = next(iter(state.procore_logins.items()))
    sync_login, sync_password = next(iter(state.sync_users.items()))
    return {
        "procore/developer-portal": {"email": developer.email, "password": developer.password},
        "procore/company-admin": {"login": login, "password": password},
        "sync-tool/login": {"login": sync_login, "password": sync_password},
    }


def store_demo_logins(state: PortalState, vault: Vault) -> list[str]:
    """Puts the mock's demo accounts in the vault under ``mock/`` (only there) where none
    are yet; returns the full paths stored."""
    mock_vault = scoped(vault, MOCK_NAMESPACE)
    stored = []
    for path, fields in demo_logins(state).items():
        if not mock_vault.exists(path):
            mock_vault.put(path, fields)
            stored.append(mock_vault.full_path(path))
    return stored


def provision_demo_logins(target_context: AbstractContextManager[Target], vault: Vault) -> None:
    """With the built-in mock, put its demo accounts in the vault where none are yet.

    So that the README's one command works on a fresh machine; real targets never get this.
    """
    if not isinstance(target_context, _mock):
        return
    from loguru import logger

    for path in store_demo_logins(target_context.portal.state, vault):
        logger.info("Stored the mock portal's demo login in vault:{} (mock target only)", path)


def open_target(spec: str | None, journaled: dict[str, Any] | None = None,
                used_sites: Iterable[str] = (), *, mock_ui: str | None = None
                ) -> AbstractContextManager[Target]:
    """The target to run against; ``mock`` starts the built-in portal for the run's length,
    serving the Developer Portal generation ``mock_ui`` (default: current).

    On ``--resume`` (``journaled``: the interrupted run's target, ``used_sites``: the sites
    its finished steps used) the same target is used again, unless it was the built-in mock.
    """
    if spec is None and journaled and journaled.get("name") == BUILT_IN_MOCK:
        if set(used_sites) & set(journaled.get("sites", {})):
            raise RunbookError(
                "this run used the built-in mock portal, whose state ended with that run: "
                "resume runs against a portal that outlives them, e.g. one started with "
                "`runbook mock-portal --profile-out mock.yaml` and `--target mock.yaml`")
        journaled = None  # it never reached the mock: a new one does as well
    if spec is None and journaled:
        sites = journaled.get("sites", {})
        # A mock stays a mock on resume: its secrets are under mock/ in the vault.
        return nullcontext(Target(str(journaled.get("name", "resumed")), dict(sites),
                                  bool(journaled.get("mock", False))))
    if spec is None or spec == "mock":
        return _mock(mock_ui or "current")
    if mock_ui is not None:
        raise RunbookError("--mock-ui: only for the built-in mock target, not for " + spec)
    return nullcontext(load_target(spec))


class _mock(AbstractContextManager[Target]):
    def __init__(self, ui: str) -> None:
        self.ui = ui

    def __enter__(self) -> Target:
        from loguru import logger

        from automation.mock_portal.server import MockPortal

        self.portal = MockPortal(ui=self.ui).start()
        shown = "" if self.ui == "current" else f", {self.ui} Developer Portal"
        logger.info("Mock portal on {} (target 'mock'{})", self.portal.base_url, shown)
        return dataclasses.replace(self.portal.target(), name=BUILT_IN_MOCK)


    def __exit__(self, *exc: object) -> None:
        self.portal.stop()
