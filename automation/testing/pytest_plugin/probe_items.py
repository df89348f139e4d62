"""``--runbook-probe``: the drift probe as test items, one a screen (``runbook probe``'s).

The items share one probe (one target, one vault, one browser, a sign-in per site), opened
by the first item and closed when the session ends. A screen whose locators are not each
found once fails, and its text is the probe's own report of that screen: which locator, and
the closest labels the screen shows instead.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from automation.probe import Prober

__all__ = ["ProbeScreenItem", "probe_items"]

_PROBE = pytest.StashKey["_SharedProbe"]()


class ScreenDrifted(Exception):
    """A screen showed a locator not once; the report's lines say which."""


class _SharedProbe:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self._stack = ExitStack()
        self._prober: Prober | None = None

    def prober(self) -> Prober:
        if self._prober is None:
            from automation.cli.targets import open_target, provision_demo_logins
            from automation.probe import ProbeOptions, Prober
            from automation.vault.url import open_vault

            target_context = open_target(self.config.getoption("--runbook-target"))
            target = self._stack.enter_context(target_context)
            vault = self._stack.enter_context(
                open_vault(self.config.getoption("--runbook-vault")
                           or ("memory:" if target.is_mock else None)))
            provision_demo_logins(target_context, vault)
            options = ProbeOptions(app_name=self.config.getoption("--runbook-app-name"),
                                   headed=bool(self.config.getoption("--headed",
                                                                     default=False)))
            self._prober = self._stack.enter_context(Prober(target, vault, options))
        return self._prober

    def close(self) -> None:
        self._stack.close()


def probe_items(session: pytest.Session) -> list[pytest.Item]:
    """One item per screen of the probe, for ``--runbook-probe``."""
    from automation.probe import screen_names

    shared = _SharedProbe(session.config)
    session.config.stash[_PROBE] = shared
    session.config.add_cleanup(shared.close)
    return [ProbeScreenItem.from_parent(session, name=f"probe[{name}]", screen=name,
                                        nodeid=f"runbook-probe::probe[{name}]")
            for name in screen_names()]


class ProbeScreenItem(pytest.Item):
    def __init__(self, *, screen: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.screen = screen

    def runtest(self) -> None:
        prober = self.config.stash[_PROBE].prober()
        report = prober.screen(self.screen)
        if not report.ok:
            raise ScreenDrifted("\n".join(report.lines()))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str | Any:
        if isinstance(excinfo.value, ScreenDrifted):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[os.PathLike[str] | str, int | None, str]:
        return "runbook-probe", None, f"probe screen {self.screen}"
