"""YAML to plain data that remembers where each node came from, at a bounded cost.

PyYAML keeps the last of two equal keys without a word; this loader reports every duplicate
instead. Mappings load as :class:`LocatedDict`, sequences as :class:`LocatedList`; each knows
its own position and the positions of its keys and values, so every later error can point at
``file:line:col``.

The data is built from libyaml's event stream with an explicit stack, so that hostile input
costs little (see :mod:`automation.runbook.limits`): nesting deeper than MAX_NESTING, more
than MAX_ALIASES aliases or aliases adding more than MAX_ALIAS_NODES nodes (the "billion
laughs") are refused at the event that crosses the line, before anything is expanded. An
alias shares the anchored value instead of copying it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events
from yaml.nodes import ScalarNode

from automation.errors import Pos, Problem
from automation.runbook.limits import (
    MAX_ALIAS_NODES,
    MAX_ALIASES,
    MAX_FILE_BYTES,
    MAX_NESTING,
    clip,
    excerpt,
)

__all__ = ["LocatedDict", "LocatedList", "load_yaml"]


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


_MERGE_TAG = "tag:yaml.org,2002:merge"
_MERGE = object()  # a '<<' key


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


@dataclass
class _Frame:
    """A mapping or sequence being built: its value, anchor and expanded size so far."""

    value: LocatedDict | LocatedList
    anchor: str | None
    size: int = 1
    key: tuple[str, Pos] | None = None  # a mapping's key waiting for its value
    merge: bool = False  # that key was '<<'


@dataclass
class _Builder:
    file: str
    problems: list[Problem] = field(default_factory=list)
    stack: list[_Frame] = field(default_factory=list)
    anchors: dict[str, tuple[Any, int]] = field(default_factory=dict)  # value, expanded size
    aliases: int = 0
    alias_nodes: int = 0
    root: Any = None
    has_root: bool = False
    documents: int = 0
    # The safe constructor resolves scalars (ints, bools, nulls, dates) the usual way.
    _scalars: yaml.SafeLoader = field(default_factory=lambda: yaml.SafeLoader(""))

    def pos(self, event: events.Event) -> Pos:
        mark = event.start_mark
        return Pos(self.file, mark.line + 1, mark.column + 1) if mark else Pos(self.file, 1, 1)

    def refuse(self, event: events.Event, message: str) -> _Refused:
        return _Refused(Problem(self.pos(event), message))

    def feed(self, event: events.Event) -> None:
        if isinstance(event, events.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.refuse(event, "YAML error: expected one document, found another")
        elif isinstance(event, events.MappingStartEvent | events.SequenceStartEvent):
            if len(self.stack) >= MAX_NESTING:
                raise self.refuse(event, f"nested more than {MAX_NESTING} levels deep")
            value: LocatedDict | LocatedList
            if isinstance(event, events.MappingStartEvent):
                value = LocatedDict()
                value.key_pos, value.value_pos = {}, {}
            else:
                value = LocatedList()
                value.item_pos = []
            value.pos = self.pos(event)
            self.stack.append(_Frame(value, event.anchor))
        elif isinstance(event, events.MappingEndEvent | events.SequenceEndEvent):
            frame = self.stack.pop()
            if frame.anchor is not None:
                self.anchors[frame.anchor] = (frame.value, frame.size)
            self.add(frame.value, frame.value.pos, frame.size)
        elif isinstance(event, events.ScalarEvent):
            value = self.scalar(event)
            if event.anchor is not None:
                self.anchors[event.anchor] = ("<<" if value is _MERGE else value, 1)
            self.add(value, self.pos(event), 1)
        elif isinstance(event, events.AliasEvent):
            self.alias(event)

    def alias(self, event: events.AliasEvent) -> None:
        name = event.anchor or ""
        if any(frame.anchor == name for frame in self.stack):
            raise self.refuse(event, f"alias *{clip(name, 40)} refers to a node that "
                              "contains it")
        if name not in self.anchors:
            raise self.refuse(event, f"YAML error: found undefined alias "
                              f"*{clip(name, 40)}")
        value, size = self.anchors[name]
        self.aliases += 1
        self.alias_nodes += size
        if self.aliases > MAX_ALIASES or self.alias_nodes > MAX_ALIAS_NODES:
            raise self.refuse(event, f"too many YAML aliases: at most {MAX_ALIASES}, adding "
                              f"at most {MAX_ALIAS_NODES} nodes when expanded")
        self.add(value, self.pos(event), size)

    def scalar(self, event: events.ScalarEvent) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self._scalars.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        if tag == _MERGE_TAG:
            return _MERGE
        node = ScalarNode(tag, event.value, None, None, event.style)
        try:
            return self._scalars.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            problem = getattr(exc, "problem", None) or clip(str(exc), 100)
            raise self.refuse(event, f"YAML error: cannot read this value ({problem})"
                              ) from None

    def add(self, value: Any, pos: Pos, size: int) -> None:
        key_expected = bool(self.stack) and isinstance(self.stack[-1].value, LocatedDict) and (
            self.stack[-1].key is None and not self.stack[-1].merge)
        if value is _MERGE and not key_expected:
            value = "<<"  # only a key means "merge"
        if not self.stack:
            self.root, self.has_root = value, True
            return
        frame = self.stack[-1]
        frame.size += size
        if isinstance(frame.value, LocatedList):
            frame.value.append(value)
            frame.value.item_pos.append(pos)
        elif frame.key is None and not frame.merge:
            self.key(frame, value, pos)
        else:
            self.item(frame, frame.value, value, pos)

    def key(self, frame: _Frame, key: Any, pos: Pos) -> None:
        if key is _MERGE:
            self.problems.append(Problem(pos, "merge keys ('<<') are not supported"))
            frame.merge = True
            return
        if not isinstance(key, str):
            self.problems.append(Problem(pos, f"expected a text key, got {excerpt(key)}"))
            key = excerpt(key)
        frame.key = (key, pos)

    def item(self, frame: _Frame, mapping: LocatedDict, value: Any, pos: Pos) -> None:
        if frame.merge:
            frame.merge = False
            return
        assert frame.key is not None
        (key, key_pos), frame.key = frame.key, None
        if key in mapping:
            first = mapping.key_pos[key]
            self.problems.append(Problem(key_pos, f"duplicate key {excerpt(key)} "
                                         f"(first at line {first.line})"))
            return
        mapping[key] = value
        mapping.key_pos[key] = key_pos
        mapping.value_pos[key] = pos


#: libyaml's parser is an order of magnitude faster than the pure-Python one and keeps marks.
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str, file: str) -> tuple[Any, list[Problem]]:
    """Parses one YAML document; returns the data (None if unreadable) and the problems."""
    if len(text) > MAX_FILE_BYTES:
        return None, [Problem(Pos(file, 1, 1), f"the file is larger than "
                              f"{MAX_FILE_BYTES // 2**20} MB")]
    builder = _Builder(file)
    try:
        for event in yaml.parse(text, Loader=_PARSER):
            builder.feed(event)
    except _Refused as refused:
        return None, [refused.problem]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Pos(file, mark.line + 1, mark.column + 1) if mark else Pos(file, 1, 1)
        reason = exc.problem or exc.context or "invalid YAML"
        return None, [Problem(pos, f"YAML syntax error: {reason}")]
    except yaml.YAMLError as exc:
        return None, [Problem(Pos(file, 1, 1), f"YAML error: {clip(str(exc), 100)}")]
    if not builder.has_root:
        return None, [Problem(Pos(file, 1, 1), "the file is empty; expected a runbook mapping")]
    return builder.root, builder.problems
