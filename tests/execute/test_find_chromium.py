"""Which browser a run launches: RUNBOOK_CHROMIUM, then Playwright's download, then the
system's; a headless run prefers the headless shell, a headed run needs the full browser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from automation.errors import RunbookError
from automation.execute.browser import find_chromium, launch_options


@pytest.fixture(autouse=True)
def fresh_lookup(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("RUNBOOK_CHROMIUM", raising=False)
    find_chromium.cache_clear()
    yield
    find_chromium.cache_clear()


def executable(path: Path) -> Path:
    path.parent.mkdir(parents=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def playwright_browsers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A browsers directory laid out as ``playwright install chromium`` leaves it."""
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    return {
        "full": executable(tmp_path / "chromium-1200" / "chrome-linux64" / "chrome"),
        "shell": executable(
            tmp_path
            / "chromium_headless_shell-1200"
            / "chrome-headless-shell-linux64"
            / "chrome-headless-shell"
        ),
    }


def test_headless_runs_use_the_headless_shell(playwright_browsers: dict[str, Path]) -> None:
    assert find_chromium(headless=True) == str(playwright_browsers["shell"])
    assert launch_options()["executable_path"] == str(playwright_browsers["shell"])


def test_headed_runs_use_the_full_browser(playwright_browsers: dict[str, Path]) -> None:
    assert find_chromium(headless=False) == str(playwright_browsers["full"])
    options = launch_options(headed=True)
    assert options["executable_path"] == str(playwright_browsers["full"])
    assert options["headless"] is False


def test_the_newest_download_wins(playwright_browsers: dict[str, Path], tmp_path: Path) -> None:
    newer = executable(tmp_path / "chromium-1300" / "chrome-linux64" / "chrome")
    assert find_chromium(headless=False) == str(newer)


def test_runbook_chromium_overrides_everything(
    playwright_browsers: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = executable(tmp_path / "mine" / "chromium")
    monkeypatch.setenv("RUNBOOK_CHROMIUM", str(mine))
    assert find_chromium(headless=True) == str(mine)
    assert find_chromium(headless=False) == str(mine)


def test_a_missing_runbook_chromium_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUNBOOK_CHROMIUM", str(tmp_path / "nowhere"))
    with pytest.raises(RunbookError, match=r"RUNBOOK_CHROMIUM=.*nowhere: no such file"):
        find_chromium()


def test_no_browser_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from automation.execute import browser

    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    monkeypatch.setattr(browser, "_SYSTEM_HEADLESS_SHELL", (str(tmp_path / "no-shell"),))
    monkeypatch.setattr(browser, "_SYSTEM_CHROMIUM", (str(tmp_path / "no-chromium"),))
    with pytest.raises(RunbookError, match=r"playwright install chromium.*apt-get install"):
        find_chromium()
