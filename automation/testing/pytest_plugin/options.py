"""The plugin's options, and how they (and pytest-playwright's) become a ``runbook run``.

A runbook item runs through the command's own argument parser: the pytest options are turned
into the argument list a person would type, so a test run and ``runbook run`` cannot drift
apart. A run flag (``--runbook-check``) is an option here and a line in
:meth:`RunbookOptions.run_arguments`; ``--runbook-probe`` adds items of another kind
(:mod:`automation.testing.pytest_plugin.probe_items`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

__all__ = ["INI_PATHS", "RunbookOptions", "add_options"]

#: The ini setting that turns collection on for a project's runbook folders.
INI_PATHS = "runbook_paths"
#: The vault of a run against the built-in mock when none is given: one in memory per run,
#: so a test never writes the mock's throwaway logins and secrets into a real vault.
MOCK_VAULT = "memory:"


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("runbooks", "runbooks as tests (procore-runbooks)")
    group.addoption("--runbook-target", default="mock", metavar="TARGET",
                    help="what runbook items run against: mock (default: a built-in mock "
                    "portal per item), sandbox, production, or a target profile file")
    group.addoption("--runbook-vault", metavar="URL",
                    help="vault URL for runbook items (default with the mock: a fresh "
                    "in-memory vault per item; otherwise as `runbook run`: $RUNBOOK_VAULT "
                    "or file:.runbook/vault.enc)")
    group.addoption("--runbook-var", action="append", default=[], metavar="NAME=VALUE",
                    help="an input value for every runbook item (repeatable)")
    group.addoption("--runbook-out", default="runs", metavar="DIR",
                    help="where runbook items' run directories go (default: runs/)")
    group.addoption("--runbook-members", metavar="FILE",
                    help="a fleet's members file (YAML or CSV, as `runbook fleet --members`): "
                    "each runbook item runs once per member, with the member's inputs")
    group.addoption("--runbook-check", action="store_true",
                    help="run runbook items in check mode: change nothing, say what a real "
                    "run would change (`runbook run --check`)")
    group.addoption("--runbook-probe", action="store_true",
                    help="add the drift probe: one item per screen the page objects know, "
                    "visited read-only on --runbook-target (`runbook probe`)")
    group.addoption("--runbook-app-name", default="Procore DMSA App", metavar="NAME",
                    help="with --runbook-probe: the app whose screens are visited")
    parser.addini(INI_PATHS, type="linelist", default=[],
                  help="folders, files or globs (relative to the ini file) whose runbook "
                  "YAML files pytest collects as tests")


@dataclass(frozen=True)
class RunbookOptions:
    target: str
    vault: str | None
    variables: tuple[str, ...]
    out: Path
    check: bool = False
    # pytest-playwright's browser options, where it is installed
    headed: bool = False
    slowmo_ms: int = 0
    browser_channel: str | None = None
    tracing: str = "off"  # on, off, retain-on-failure
    video: str = "off"  # on, off, retain-on-failure
    screenshot: str = "off"  # on, off, only-on-failure

    @classmethod
    def from_config(cls, config: pytest.Config) -> RunbookOptions:
        def option(name: str, default: object) -> object:
            value = config.getoption(name, default=default)
            return default if value is None else value

        out = Path(str(option("--runbook-out", "runs")))
        return cls(
            target=str(option("--runbook-target", "mock")),
            vault=config.getoption("--runbook-vault", default=None),
            variables=tuple(config.getoption("--runbook-var", default=[]) or []),
            out=out if out.is_absolute() else config.invocation_params.dir / out,
            check=bool(option("--runbook-check", False)),
            headed=bool(option("--headed", False)),
            slowmo_ms=int(str(option("--slowmo", 0))),
            browser_channel=config.getoption("--browser-channel", default=None),
            tracing=str(option("--tracing", "off")),
            video=str(option("--video", "off")),
            screenshot=str(option("--screenshot", "off")),
        )

    def run_arguments(self, runbook: Path, member: Mapping[str, Any] | None = None
                      ) -> list[str]:
        """The ``runbook run`` command line of one item (without the program name); a fleet
        member's inputs come after ``--runbook-var``'s, so a member's own value wins."""
        arguments = ["run", str(runbook), "--target", self.target, "--out", str(self.out)]
        vault = self.vault or (MOCK_VAULT if self.target == "mock" else None)
        if vault:
            arguments += ["--vault", vault]
        for variable in self.variables:
            arguments += ["--var", variable]
        for name, value in (member or {}).items():  # other types as YAML (JSON is YAML)
            text = value if isinstance(value, str) else json.dumps(value)
            arguments += ["--var", f"{name}={text}"]
        if self.check:
            arguments.append("--check")
        if self.headed:
            arguments.append("--headed")
        if self.slowmo_ms:
            arguments += ["--slowmo", str(self.slowmo_ms)]
        if self.browser_channel:
            arguments += ["--browser-channel", self.browser_channel]
        if self.tracing != "off":
            arguments.append("--trace")
        if self.video != "off":
            arguments.append("--video")
        return arguments
