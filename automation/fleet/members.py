"""The members file: who a fleet runs the runbook for, one set of input values each.

YAML (a list of mappings) or CSV (a header row, then one row per member)::

    - {name: customer-001, company: Customer 001, admin_login: procore/companies/customer-001/admin}

    name,company,admin_login
    customer-001,Customer 001,procore/companies/customer-001/admin

Every key but ``name`` is an input of the runbook (a ``--var``); ``name`` (optional) names the
member's run directory and its row in the summary (default ``member-001``...). Every problem is
reported at its ``file:line:col`` before anything starts.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from automation.errors import Pos, Problem, RunbookError
from automation.runbook.limits import MAX_FILE_BYTES
from automation.runbook.yaml_loader import LocatedDict, LocatedList, load_yaml

__all__ = ["NAME_KEY", "Member", "load_members"]

NAME_KEY = "name"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
_VALUES = (str, int, float, bool, dict, list)


@dataclass(frozen=True)
class Member:
    name: str
    variables: dict[str, Any]
    pos: Pos
    #: Where each variable's name and value were given (for errors about them).
    key_pos: dict[str, Pos]
    value_pos: dict[str, Pos]


def load_members(path: Path) -> list[Member]:
    """The members of ``path`` (``.csv``: CSV; anything else: YAML); :class:`RunbookError`
    with every problem at its ``file:line:col``."""
    file = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise RunbookError([Problem(Pos(file, 1, 1), "members file too large")])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise RunbookError(f"--members {file}: {reason}") from None
    rows, problems = (_csv_rows if path.suffix.lower() == ".csv" else _yaml_rows)(text, file)
    members = _members(rows, problems)
    if not members and not problems:
        problems.append(Problem(Pos(file, 1, 1), "no members: the file lists none"))
    if problems:
        raise RunbookError(problems)
    return members


_Row = tuple[Pos, dict[str, Any], dict[str, Pos], dict[str, Pos]]


def _yaml_rows(text: str, file: str) -> tuple[list[_Row], list[Problem]]:
    data, problems = load_yaml(text, file)
    if problems:
        return [], problems
    if not isinstance(data, LocatedList):
        where = data.pos if isinstance(data, LocatedDict) else Pos(file, 1, 1)
        return [], [Problem(where, "expected a list of members (one mapping of input values "
                            "each)")]
    rows: list[_Row] = []
    for item, where in zip(data, data.item_pos, strict=True):
        if not isinstance(item, LocatedDict):
            problems.append(Problem(where, "a member is a mapping of input names to values"))
            continue
        rows.append((item.pos, dict(item), dict(item.key_pos), dict(item.value_pos)))
    return rows, problems


def _csv_rows(text: str, file: str) -> tuple[list[_Row], list[Problem]]:
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text))
    problems: list[Problem] = []
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [Problem(Pos(file, 1, 1), f"not CSV: {exc}")]
    if not header or not any(h.strip() for h in header):
        return [], [Problem(Pos(file, 1, 1), "expected a header row naming the inputs")]
    header = [h.strip() for h in header]
    for index, name in enumerate(header):
        if not name or header.index(name) != index:
            problems.append(Problem(_cell_pos(file, lines, 1, index), "empty or repeated column "
                                    f"name {name!r}"))
    key_pos = {h: _cell_pos(file, lines, 1, i) for i, h in enumerate(header)}
    rows: list[_Row] = []
    while True:
        line_number = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(Pos(file, line_number, 1), f"not CSV: {exc}"))
            break
        if not any(c.strip() for c in cells):
            continue  # a blank line
        if len(cells) != len(header):
            problems.append(Problem(Pos(file, line_number, 1), f"{len(cells)} values for "
                                    f"{len(header)} columns ({', '.join(header)})"))
            continue
        where = {h: _cell_pos(file, lines, line_number, i) for i, h in enumerate(header)}
        values = {h: c for h, c in zip(header, cells, strict=True) if c != ""}
        rows.append((Pos(file, line_number, 1), values, key_pos, where))
    return rows, problems


def _cell_pos(file: str, lines: list[str], line: int, index: int) -> Pos:
    """Where the ``index``-th cell of a line starts (exact for unquoted commas)."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    column = 1
    for _ in range(index):
        comma = text.find(",", column - 1)
        if comma < 0:
            break
        column = comma + 2
    return Pos(file, line, column)


def _members(rows: list[_Row], problems: list[Problem]) -> list[Member]:
    members: list[Member] = []
    seen: dict[str, Pos] = {}
    for number, (where, values, key_pos, value_pos) in enumerate(rows, start=1):
        name = values.pop(NAME_KEY, f"member-{number:03d}")
        name_pos = value_pos.get(NAME_KEY, where)
        if not isinstance(name, str) or not _NAME.match(name):
            problems.append(Problem(name_pos, f"member name {name!r}: letters, digits, '.', "
                                    "'_' and '-' only (it names a directory), at most 80"))
            continue
        if name in seen:
            problems.append(Problem(name_pos, f"member name {name!r} repeats the one at "
                                    f"{seen[name]}"))
            continue
        seen[name] = name_pos
        for key, value in values.items():
            if value is not None and not isinstance(value, _VALUES):
                problems.append(Problem(value_pos[key], f"{key}: not a value"))
        members.append(Member(name, values, where, key_pos, value_pos))
    return members
