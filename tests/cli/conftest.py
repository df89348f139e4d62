"""What the CLI tests share: a guard that no browser starts."""

from __future__ import annotations

import pytest


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails the test if Playwright is started (input errors must stop before it)."""
    import automation.execute.session as session

    def refuse() -> None:
        raise AssertionError("a browser was started")

    monkeypatch.setattr(session, "sync_playwright", refuse)
