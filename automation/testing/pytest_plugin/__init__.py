"""pytest plugin (the ``pytest11`` entry point): runbooks as test items, and fixtures.

``pytest runbooks/`` (or a runbook file, or a project's ``runbook_paths`` ini setting) makes
each runbook one test item that runs it as ``runbook run`` does, against
``--runbook-target`` (the built-in mock by default). See ``docs/regression-checks.md``.

Importing this module costs next to nothing: the executor, the mock portal (Flask) and
Playwright are imported by the hooks and fixtures that need them, when they do.

=================  =========================================================
``options``        the ``--runbook-*`` options and the ``runbook run`` line
``collect``        which YAML files are runbooks to collect; their collector
``item``           one runbook, one item; its failure text and properties
``runner``         the run, through the command's own parser and handler
``outcome``        the run directory and the failed step, read back
``probe_items``    ``--runbook-probe``: the drift probe, one item a screen
``fixtures``       fixtures for a project's own browser and vault tests
=================  =========================================================
"""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.testing.pytest_plugin.collect import (
    SUFFIXES,
    RunbookFile,
    collection_on,
    explicit_files,
    sketch,
)
from automation.testing.pytest_plugin.fixtures import (
    mock_portal,
    mock_portal_variants,
    openbao,
    runbook_launch_args,
    secret_service,
)
from automation.testing.pytest_plugin.options import add_options

__all__ = [
    "mock_portal",
    "mock_portal_variants",
    "openbao",
    "pytest_addoption",
    "pytest_collect_file",
    "pytest_collection_modifyitems",
    "runbook_launch_args",
    "secret_service",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix not in SUFFIXES or not collection_on(file_path, parent.config):
        return None
    if sketch(file_path) is None:
        return None  # YAML that is not a runbook: a CI config, a fixture
    collector: RunbookFile = RunbookFile.from_parent(parent, path=file_path)
    return collector


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    """A runbook another collected runbook includes runs as part of it, not a second time
    on its own (``runbooks/procore/*.yaml`` under ``dmsa-credentials.yaml``), unless it was
    named on the command line. ``--runbook-probe`` adds one item per probed screen."""
    from automation.testing.pytest_plugin.item import RunbookItem

    if config.getoption("--runbook-probe", default=False):
        from automation.testing.pytest_plugin.probe_items import probe_items

        items.extend(probe_items(session))

    runbooks = [item for item in items if isinstance(item, RunbookItem)]
    included = {path for item in runbooks for path in item.includes}
    named = explicit_files(config)
    covered = [item for item in runbooks
               if item.path.resolve() in included and item.path.resolve() not in named]
    if covered:
        config.hook.pytest_deselected(items=covered)
        items[:] = [item for item in items if item not in covered]
