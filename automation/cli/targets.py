"""Choosing the target: the built-in mock portal (started here), a built-in, or a profile."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any

from automation.targets import Target, load_target

__all__ = ["open_target", "plan_target"]

MOCK_PLACEHOLDER = "http://127.0.0.1:<port>"


def plan_target(spec: str) -> Target:
    """For ``plan``: the mock is not started, its URLs are shown as placeholders."""
    if spec == "mock":
        base = MOCK_PLACEHOLDER
        return Target("mock", {"developer_portal": f"{base}/developers", "procore": f"{base}/app",
                               "sync_tool": f"{base}/sync", "login": base, "api": base}, True)
    return load_target(spec)


def open_target(spec: str | None, journaled: dict[str, Any] | None = None
                ) -> AbstractContextManager[Target]:
    """The target to run against; ``mock`` starts the built-in portal for the run's length."""
    if spec is None and journaled:
        sites = journaled.get("sites", {})
        return nullcontext(Target(str(journaled.get("name", "resumed")), dict(sites)))
    if spec is None or spec == "mock":
        return _mock()
    return nullcontext(load_target(spec))


class _mock(AbstractContextManager[Target]):  # noqa: N801 (reads as a function at the call)
    def __enter__(self) -> Target:
        from loguru import logger

        from automation.mock_portal.server import MockPortal

        self.portal = MockPortal().start()
        logger.info("Mock portal on {} (target 'mock')", self.portal.base_url)
        return self.portal.target()

    def __exit__(self, *exc: object) -> None:
        self.portal.stop()
