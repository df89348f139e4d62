"""YAML to plain data that remembers where each node came from.

PyYAML keeps the last of two equal keys without a word; this loader reports every duplicate
instead. Mappings load as :class:`LocatedDict`, sequences as :class:`LocatedList`; each knows
its own position and the positions of its keys and values, so every later error can point at
``file:line:col``.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from automation.errors import Pos, Problem

__all__ = ["LocatedDict", "LocatedList", "load_yaml"]


def _pos(file: str, node: Node) -> Pos:
    return Pos(file, node.start_mark.line + 1, node.start_mark.column + 1)


class LocatedDict(dict[str, Any]):
    """A mapping with ``pos`` and, per key, ``key_pos[key]`` and ``value_pos[key]``."""

    pos: Pos
    key_pos: dict[str, Pos]
    value_pos: dict[str, Pos]

    def at(self, key: str) -> Pos:
        """Where the value of ``key`` is, or where this mapping is if the key is absent."""
        return self.value_pos.get(key, self.pos)


class LocatedList(list[Any]):
    """A sequence with ``pos`` and ``item_pos[i]``."""

    pos: Pos
    item_pos: list[Pos]


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        # The safe constructor resolves scalars (ints, bools, nulls, dates) the usual way.
        self._scalars = yaml.SafeLoader("")

    def build(self, node: Node) -> Any:
        if isinstance(node, MappingNode):
            return self._mapping(node)
        if isinstance(node, SequenceNode):
            items = LocatedList(self.build(child) for child in node.value)
            items.pos = _pos(self.file, node)
            items.item_pos = [_pos(self.file, child) for child in node.value]
            return items
        assert isinstance(node, ScalarNode)
        return self._scalars.construct_object(node)

    def _mapping(self, node: MappingNode) -> LocatedDict:
        result = LocatedDict()
        result.pos, result.key_pos, result.value_pos = _pos(self.file, node), {}, {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    Problem(_pos(self.file, key_node), "merge keys ('<<') are not supported")
                )
                continue
            key = self.build(key_node)
            key_pos = _pos(self.file, key_node)
            if not isinstance(key, str):
                self.problems.append(Problem(key_pos, f"expected a text key, got {key!r}"))
                key = str(key)
            if key in result:
                first = result.key_pos[key]
                self.problems.append(
                    Problem(key_pos, f"duplicate key '{key}' (first at line {first.line})")
                )
                continue
            result[key] = self.build(value_node)
            result.key_pos[key] = key_pos
            result.value_pos[key] = _pos(self.file, value_node)
        return result


#: libyaml's parser is an order of magnitude faster than the pure-Python one and keeps marks.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str, file: str) -> tuple[Any, list[Problem]]:
    """Parses one YAML document; returns the data (None if unreadable) and the problems."""
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Pos(file, mark.line + 1, mark.column + 1) if mark else Pos(file, 1, 1)
        reason = exc.problem or exc.context or "invalid YAML"
        return None, [Problem(pos, f"YAML syntax error: {reason}")]
    except yaml.YAMLError as exc:  # e.g. more than one document
        return None, [Problem(Pos(file, 1, 1), f"YAML error: {exc}")]
    if node is None:
        return None, [Problem(Pos(file, 1, 1), "the file is empty; expected a runbook mapping")]
    builder = _Builder(file)
    try:
        data = builder.build(node)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        pos = Pos(file, mark.line + 1, mark.column + 1) if mark else Pos(file, 1, 1)
        return None, [Problem(pos, f"YAML error: {exc.problem}")]
    return data, builder.problems
