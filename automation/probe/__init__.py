"""The drift probe: did Procore change a screen under the page objects?

It visits each screen the page objects know, read-only (signing in, following links, opening
dialogs it never submits), and reports for every locator whether it is found once, not at
all, or several times; for one not found, the words the screen no longer shows and the
closest things it shows instead (``button "Create App" not found; closest: button "New App"``).

The locators are the page objects' own: each page object names the locators its intents use
(``locators()``), and the probe counts exactly those.

For a test runner (one item a screen)::

    with Prober(target, vault, ProbeOptions(app_name="Procore DMSA App"),
                browser=browser) as probe:   # browser: optional (pytest-playwright's)
        for name in screen_names(target):
            report = probe.screen(name)   # a ScreenReport; report.ok, report.lines()
"""

from __future__ import annotations

from playwright.sync_api import Browser

from automation.probe._candidates import Candidate
from automation.probe._check import LocatorReport, Missing
from automation.probe._probe import ProbeOptions, Prober, ScreenReport, screen_names
from automation.targets import Target
from automation.vault.base import Vault

__all__ = [
    "JSON_SCHEMA_VERSION",
    "Candidate",
    "LocatorReport",
    "Missing",
    "ProbeOptions",
    "Prober",
    "ScreenReport",
    "probe_screen",
    "probe_screens",
    "screen_names",
]

#: The ``schema`` of ``runbook probe --json`` (raised when a field changes meaning).
JSON_SCHEMA_VERSION = 1


def probe_screens(target: Target, vault: Vault, options: ProbeOptions | None = None,
                  names: list[str] | None = None, *,
                  browser: Browser | None = None) -> list[ScreenReport]:
    """Every screen of the target's sites (or the ``names`` given), signed in once per site;
    in ``browser`` if given (a test runner's), else in a Chromium launched for it."""
    with Prober(target, vault, options, browser=browser) as probe:
        return probe.screens(names)


def probe_screen(name: str, target: Target, vault: Vault,
                 options: ProbeOptions | None = None, *,
                 browser: Browser | None = None) -> ScreenReport:
    """One screen (a :class:`Prober` shares its sign-ins between screens)."""
    with Prober(target, vault, options, browser=browser) as probe:
        return probe.screen(name)
