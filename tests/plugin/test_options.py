"""pytest's options, the plugin's and pytest-playwright's, become ``runbook run``'s own."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from automation.cli.main import parse_arguments
from automation.execute.browser import CHROMIUM_ARGS, find_chromium, launch_options
from automation.testing.pytest_plugin.options import RunbookOptions


def run_command_line(pytester: pytest.Pytester, *options: str) -> argparse.Namespace:
    """The ``runbook run`` arguments a runbook item gets under ``pytest OPTIONS``, parsed by
    the command's own parser."""
    config = pytester.parseconfig(*options)
    arguments = RunbookOptions.from_config(config).run_arguments(Path("runbooks/r.yaml"))
    return parse_arguments(arguments)


def launched_with(args: argparse.Namespace) -> dict[str, object]:
    """What ``runbook run`` gives Playwright's launch for these arguments."""
    return launch_options(headed=args.headed, slowmo_ms=args.slowmo,
                          channel=args.browser_channel)


class TestDefaults:
    """By default: headless, its own mock, a vault in memory, the Chromium found here."""

    def test_defaults(self, pytester: pytest.Pytester) -> None:
        args = run_command_line(pytester)
        assert (args.command, args.runbook, args.target) == ("run", Path("runbooks/r.yaml"),
                                                            "mock")
        assert args.vault == "memory:"
        assert args.out == pytester.path / "runs"
        assert (args.var, args.trace, args.video) == ([], False, False)
        assert launched_with(args) == {"headless": True, "args": CHROMIUM_ARGS,
                                       "executable_path": find_chromium(headless=True)}


class TestRunbookOptions:
    """The ``--runbook-*`` options are the command's ``--target``, ``--vault``, ``--var``..."""

    def test_given(self, pytester: pytest.Pytester, tmp_path: Path) -> None:
        args = run_command_line(
            pytester, "--runbook-target", "sandbox", "--runbook-vault", "file:v/vault.enc",
            "--runbook-var", "company=Acme", "--runbook-var", "app_name=DMSA 2",
            "--runbook-out", str(tmp_path))
        assert (args.target, args.vault) == ("sandbox", "file:v/vault.enc")
        assert args.var == ["company=Acme", "app_name=DMSA 2"]
        assert args.out == tmp_path

    def test_real_target_keeps_the_command_default_vault(self, pytester: pytest.Pytester
                                                         ) -> None:
        args = run_command_line(pytester, "--runbook-target", "sandbox")
        assert args.vault is None  # then $RUNBOOK_VAULT or file:.runbook/vault.enc


class TestBrowserOptions:
    """pytest-playwright's browser options reach the launch and the run records."""

    def test_headed_and_slowmo(self, pytester: pytest.Pytester) -> None:
        args = run_command_line(pytester, "--headed", "--slowmo", "40")
        assert launched_with(args) == {"headless": False, "args": CHROMIUM_ARGS,
                                       "executable_path": find_chromium(headless=False),
                                       "slow_mo": 40}

    def test_browser_channel(self, pytester: pytest.Pytester) -> None:
        args = run_command_line(pytester, "--browser-channel", "chrome")
        assert launched_with(args) == {"headless": True, "args": CHROMIUM_ARGS,
                                       "channel": "chrome"}

    @pytest.mark.parametrize("mode", ["on", "retain-on-failure"])
    def test_tracing_and_video(self, pytester: pytest.Pytester, mode: str) -> None:
        args = run_command_line(pytester, "--tracing", mode, "--video", mode)
        assert (args.trace, args.video) == (True, True)
