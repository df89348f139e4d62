"""Which YAML files are runbook tests, and the file collector that yields their items.

A file is collected when it is a runbook (top-level ``runbook:`` and ``steps:``, the keys the
parser requires to find any step) and collection is on for it:

- it was named on the command line (``pytest runbooks/dmsa-credentials.yaml``); or
- the project's ini setting ``runbook_paths`` covers it; or, with no such setting, it lies
  under a folder named on the command line (``pytest runbooks/``).

Everything else (CI configs, YAML fixtures, any YAML of a project that never asked) is left
to pytest as before. The check reads the file's text only: a runbook broken beyond parsing is
still collected, and fails with the parser's ``file:line:col: message``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from automation.testing.pytest_plugin.options import INI_PATHS

__all__ = ["RunbookFile", "RunbookSketch", "collection_on", "explicit_files", "sketch"]

SUFFIXES = frozenset({".yaml", ".yml"})
_NAME = re.compile(r"^runbook\s*:\s*['\"]?([^'\"#\s]+)", re.MULTILINE)
_STEPS = re.compile(r"^steps\s*:", re.MULTILINE)
_INCLUDE = re.compile(r"^\s*(?:-\s*)?include\s*:\s*['\"]?([^'\"#\s]+)", re.MULTILINE)


@dataclass(frozen=True)
class RunbookSketch:
    """What collection needs of a runbook, read from its text without parsing it."""

    name: str
    #: The files its steps include, resolved as the parser resolves them (beside it).
    includes: frozenset[Path]


def sketch(path: Path) -> RunbookSketch | None:
    """The runbook's name and includes, or None when ``path`` is not a runbook."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    name = _NAME.search(text)
    if name is None or _STEPS.search(text) is None:
        return None
    includes = frozenset((path.parent / m.group(1)).resolve() for m in _INCLUDE.finditer(text))
    return RunbookSketch(name.group(1), includes)


def _command_line_paths(config: pytest.Config) -> list[Path]:
    if config.args_source != pytest.Config.ArgsSource.ARGS:
        return []  # testpaths or the current folder: pytest chose, nobody asked for runbooks
    base = config.invocation_params.dir
    return [(base / arg.split("::")[0]).resolve() for arg in config.args]


def explicit_files(config: pytest.Config) -> set[Path]:
    """The files named on the command line."""
    return {path for path in _command_line_paths(config) if path.is_file()}


def _in_ini_paths(path: Path, config: pytest.Config) -> bool | None:
    """Whether ``runbook_paths`` covers ``path``; None when the project has no such setting."""
    entries: list[str] = config.getini(INI_PATHS)
    if not entries:
        return None
    base = (config.inipath.parent if config.inipath else config.rootpath).resolve()
    relative = path.relative_to(base).as_posix() if path.is_relative_to(base) else None
    for entry in entries:
        if any(c in entry for c in "*?"):
            if relative is not None and _glob(entry).fullmatch(relative):
                return True
        elif path.is_relative_to((base / entry).resolve()):
            return True
    return False


def _glob(pattern: str) -> re.Pattern[str]:
    """A glob as the shell reads it: ``*`` and ``?`` stay within a folder, ``**`` crosses
    folders (``runbooks/*.yaml`` is not ``runbooks/parts/x.yaml``)."""
    parts = re.split(r"(\*\*/?|\*|\?)", pattern)
    wildcards = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(wildcards.get(part, re.escape(part)) for part in parts))


def collection_on(path: Path, config: pytest.Config) -> bool:
    """Whether a runbook at ``path`` is collected (see the module's docstring)."""
    path = path.resolve()
    if path in explicit_files(config):
        return True
    covered = _in_ini_paths(path, config)
    if covered is not None:
        return covered
    return any(path.is_relative_to(folder) for folder in _command_line_paths(config)
               if folder.is_dir())


class RunbookFile(pytest.File):
    """A runbook file: one run of it is one test item.

    Another kind of item (a probe's screen, say) is an Item subclass of its own, yielded
    here or by a collector of its own beside this one.
    """

    def collect(self) -> Iterator[pytest.Item]:
        from automation.testing.pytest_plugin.item import RunbookItem

        found = sketch(self.path)
        if found is None:
            return
        members_file = self.config.getoption("--runbook-members", default=None)
        if not members_file:
            yield RunbookItem.from_parent(self, name=found.name, includes=found.includes)
            return
        from automation.fleet.members import load_members

        for member in load_members(Path(members_file)):  # a bad file: file:line:col, exit 2
            yield RunbookItem.from_parent(self, name=f"{found.name}[{member.name}]",
                                          includes=found.includes, member=member.variables)
