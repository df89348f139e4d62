"""Choosing the target: the built-in mock portal (started here), a built-in, or a profile."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any

from automation.targets import Target, load_target
from automation.vault.base import Vault

__all__ = ["open_target", "plan_target", "provision_demo_logins"]

MOCK_PLACEHOLDER = "http://127.0.0.1:<port>"


def plan_target(spec: str) -> Target:
    """For ``plan``: the mock is not started, its URLs are shown as placeholders."""
    if spec == "mock":
        base = MOCK_PLACEHOLDER
        return Target("mock", {"developer_portal": f"{base}/developers", "procore": f"{base}/app",
                               "sync_tool": f"{base}/sync", "login": base, "api": base}, True)
    return load_target(spec)


def provision_demo_logins(target_context: AbstractContextManager[Target], vault: Vault) -> None:
    """With the built-in mock, put its demo accounts in the vault where none are yet.

    So that the README's one command works on a fresh machine; real targets never get this.
    """
    if not isinstance(target_context, _mock):
        return
    from loguru import logger

    for path, fields in target_context.demo_logins().items():
        if not vault.exists(path):
            vault.put(path, fields)
            logger.info("Stored the mock portal's demo login in vault:{} (mock target only)",
                        path)


def open_target(spec: str | None, journaled: dict[str, Any] | None = None
                ) -> AbstractContextManager[Target]:
    """The target to run against; ``mock`` starts the built-in portal for the run's length."""
    if spec is None and journaled:
        sites = journaled.get("sites", {})
        return nullcontext(Target(str(journaled.get("name", "resumed")), dict(sites)))
    if spec is None or spec == "mock":
        return _mock()
    return nullcontext(load_target(spec))


class _mock(AbstractContextManager[Target]):
    def __enter__(self) -> Target:
        from loguru import logger

        from automation.mock_portal.server import MockPortal

        self.portal = MockPortal().start()
        logger.info("Mock portal on {} (target 'mock')", self.portal.base_url)
        return self.portal.target()

    def demo_logins(self) -> dict[str, dict[str, str]]:
        """The built-in mock's demo accounts, by the vault paths the runbooks read them from."""
        state = self.portal.state
        developer = next(d for d in state.developers.values() if d.totp_seed is None)
        login, password = next(iter(state.procore_logins.items()))
        sync_login, sync_password = next(iter(state.sync_users.items()))
        return {
            "procore/developer-portal": {"email": developer.email,
                                         "password": developer.password},
            "procore/company-admin": {"login": login, "password": password},
            "sync-tool/login": {"login": sync_login, "password": sync_password},
        }

    def __exit__(self, *exc: object) -> None:
        self.portal.stop()
