"""Reads runbook files into the model, including included files; collects every problem."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from automation.errors import Pos, Problem
from automation.runbook.limits import MAX_INCLUDE_DEPTH, clip, excerpt
from automation.runbook.model import INPUT_TYPES, Include, InputSpec, Runbook, Step, StepVault
from automation.runbook.yaml_loader import LocatedDict, LocatedList, load_yaml

__all__ = [
    "DURATION",
    "IDENT",
    "INCLUDE",
    "INCLUDE_PATH_ENV",
    "INPUT",
    "NAME",
    "RUNBOOK",
    "STEP",
    "VAULT",
    "Keys",
    "parse_file",
]


@dataclass(frozen=True)
class Keys:
    """The keys one kind of mapping in a runbook may have, and those it must have.

    The parser checks against these, and the JSON Schema (``schema.py``) is generated from
    them: one list for both.
    """

    allowed: tuple[str, ...]
    required: tuple[str, ...] = ()


RUNBOOK = Keys(("runbook", "title", "description", "inputs", "env", "steps"),
               ("runbook", "title", "steps"))
INPUT = Keys(("type", "default", "required", "help", "choices", "secret"))
STEP = Keys(("id", "title", "do", "with", "when", "retries", "timeout", "vault", "tags"),
            ("title", "do"))
INCLUDE = Keys(("include", "id", "title", "with", "when", "tags"), ("include",))
VAULT = Keys(("path", "fields"), ("path",))

NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(ms|s|m)?$")


def _did_you_mean(word: str, choices: Any) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


class _Parser:
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems

    def problem(self, pos: Pos, message: str) -> None:
        self.problems.append(Problem(pos, message))

    def check_keys(self, node: LocatedDict, keys: Keys, what: str) -> None:
        allowed = keys.allowed
        for key in node:
            if key not in allowed:
                hint = _did_you_mean(key, allowed) or f"; expected one of: {', '.join(allowed)}"
                self.problem(node.key_pos[key], f"unknown key {excerpt(key)} in {what}{hint}")

    def text(self, node: LocatedDict, key: str, what: str, keys: Keys) -> str:
        """The text at ``key``; when missing, a problem if ``keys`` requires it."""
        if key not in node:
            if key in keys.required:
                self.problem(node.pos, f"{what} needs '{key}'")
            return ""
        value = node[key]
        if isinstance(value, bool | int | float):
            value = str(value)
        if not isinstance(value, str):
            self.problem(node.at(key), f"'{key}' must be text, got {_kind(value)}")
            return ""
        return value

    def mapping(self, node: LocatedDict, key: str) -> LocatedDict:
        value = node.get(key)
        if value is None:
            empty = LocatedDict()
            empty.pos, empty.key_pos, empty.value_pos = node.at(key), {}, {}
            return empty
        if not isinstance(value, LocatedDict):
            self.problem(node.at(key), f"'{key}' must be a mapping, got {_kind(value)}")
            return _empty(node.at(key))
        return value

    def names(self, node: LocatedDict, key: str) -> tuple[str, ...]:
        value = node.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(node.at(key), f"'{key}' must be a list of names")
            return ()
        return tuple(value)

    # -- the runbook ----------------------------------------------------------------------

    def runbook(self, data: Any, path: Path, file: str) -> Runbook:
        top = Pos(file, 1, 1)
        if not isinstance(data, LocatedDict):
            self.problem(top, f"a runbook must be a mapping with {', '.join(RUNBOOK.allowed)}")
            return Runbook("", "", "", {}, (), [], path, top)
        self.check_keys(data, RUNBOOK, "runbook")
        name = self.text(data, "runbook", "a runbook", RUNBOOK)
        if name and not NAME.match(name):
            self.problem(data.at("runbook"), f"runbook name {excerpt(name)} must be lowercase "
                         "letters, digits, '-' and '_', starting with a letter")
        inputs = {
            key: self.input_spec(key, value, data["inputs"], data["inputs"].key_pos[key])
            for key, value in self.mapping(data, "inputs").items()
        }
        steps_node = data.get("steps")
        items: list[Step | Include] = []
        if not isinstance(steps_node, LocatedList) or not steps_node:
            self.problem(data.at("steps"), "a runbook needs 'steps': a non-empty list")
        else:
            for index, (item, pos) in enumerate(zip(steps_node, steps_node.item_pos, strict=True)):
                parsed = self.item(item, pos, index + 1, path)
                if parsed is not None:
                    items.append(parsed)
        runbook = Runbook(
            name=name,
            title=self.text(data, "title", "a runbook", RUNBOOK),
            description=self.text(data, "description", "a runbook", RUNBOOK),
            inputs=inputs,
            env=self.names(data, "env"),
            items=items,
            path=path,
            pos=data.pos,
        )
        self.check_duplicate_ids(items)
        return runbook

    def input_spec(self, name: str, node: Any, parent: LocatedDict, pos: Pos) -> InputSpec:
        if not IDENT.match(name):
            self.problem(parent.key_pos[name],
                         f"input name {excerpt(name)} must be letters, digits, _")
        if node is None:
            node = _empty(pos)
        if not isinstance(node, LocatedDict):
            self.problem(pos, f"input '{name}' must be a mapping such as "
                         "{required: true, help: ...}, got " + _kind(node))
            node = _empty(pos)
        self.check_keys(node, INPUT, f"input '{name}'")
        default = node.get("default")
        declared = node.get("type")
        if declared is None:
            declared = next(
                (t for t, py in INPUT_TYPES.items()
                 if default is not None and isinstance(default, py) and not
                 (t != "boolean" and isinstance(default, bool))),
                "string",
            )
        elif declared not in INPUT_TYPES:
            self.problem(node.at("type"), f"input '{name}': unknown type {excerpt(declared)}"
                         f"{_did_you_mean(clip(str(declared), 60), INPUT_TYPES)}; expected one of: "
                         + ", ".join(INPUT_TYPES))
            declared, default = "string", None  # its default cannot be checked
        choices = node.get("choices")
        if choices is not None and not isinstance(choices, list):
            self.problem(node.at("choices"), f"input '{name}': 'choices' must be a list")
            choices = None
        spec = InputSpec(
            name=name,
            type=declared,
            default=default,
            required=bool(node.get("required", False)),
            help=str(node.get("help", "")),
            choices=tuple(choices) if choices is not None else None,
            secret=bool(node.get("secret", False)),
            pos=pos,
        )
        if default is not None and not _is_template(default):
            from automation.runbook.inputs import check_input_value

            message = check_input_value(spec, default)
            if message:
                self.problem(node.at("default"), f"input '{name}': default {message}")
        return spec

    def item(self, node: Any, pos: Pos, index: int, path: Path) -> Step | Include | None:
        if not isinstance(node, LocatedDict):
            self.problem(pos, f"a step must be a mapping with 'title' and 'do', got {_kind(node)}")
            return None
        step_id = self.text(node, "id", "a step", STEP) or None
        if step_id is not None and not IDENT.match(step_id):
            self.problem(node.at("id"), f"step id {excerpt(step_id)} must be letters, digits and _ "
                         "(it is used as steps.<id> in templates)")
        key = step_id or f"step{index}"
        tags = self.names(node, "tags")
        when = self.when(node)
        args = self.mapping(node, "with")
        if "include" in node:
            self.check_keys(node, INCLUDE, "an include")
            include_path = self.text(node, "include", "an include", INCLUDE)
            return Include(key, step_id, include_path,
                           dict(args), dict(args.value_pos), dict(args.key_pos), when, tags,
                           node.pos,
                           node.at("include"), node.value_pos.get("when"))
        self.check_keys(node, STEP, "a step")
        title = self.text(node, "title", "a step", STEP)
        do = self.text(node, "do", "a step", STEP)
        return Step(
            key=key, id=step_id, title=title, do=do, args=dict(args),
            arg_pos=dict(args.value_pos), arg_key_pos=dict(args.key_pos), when=when,
            retries=self.retries(node),
            timeout_s=self.timeout(node), vault=self.vault(node), tags=tags, pos=node.pos,
            do_pos=node.at("do"), title_pos=node.at("title"), when_pos=node.value_pos.get("when"),
        )

    def when(self, node: LocatedDict) -> str | None:
        if "when" not in node:
            return None
        value = node["when"]
        if isinstance(value, bool):
            return "true" if value else "false"
        if not isinstance(value, str) or not value.strip():
            self.problem(node.at("when"), "'when' must be an expression such as "
                         "\"inputs.company != ''\"")
            return None
        if value.strip().startswith("{{"):
            self.problem(node.at("when"), "'when' is already an expression: write it "
                         "without {{ }}")
            return None
        return value

    def retries(self, node: LocatedDict) -> int:
        value = node.get("retries", 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem(node.at("retries"), f"'retries' must be a whole number >= 0, "
                         f"got {excerpt(value)}")
            return 0
        return value

    def timeout(self, node: LocatedDict) -> float | None:
        if "timeout" not in node:
            return None
        value = node["timeout"]
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return float(value)
        match = DURATION.match(str(value).strip()) if isinstance(value, str) else None
        if match and float(match.group(1)) > 0:
            scale = {"ms": 0.001, "s": 1.0, "m": 60.0, None: 1.0}[match.group(2)]
            return float(match.group(1)) * scale
        self.problem(node.at("timeout"), f"'timeout' must be a positive duration such as "
                     f"30, '30s', '500ms' or '2m', got {excerpt(value)}")
        return None

    def vault(self, node: LocatedDict) -> StepVault | None:
        if "vault" not in node:
            return None
        value = node["vault"]
        if not isinstance(value, LocatedDict):
            self.problem(node.at("vault"), "'vault' must be a mapping {path: ..., fields: [...]}")
            return None
        self.check_keys(value, VAULT, "'vault'")
        path = self.text(value, "path", "'vault'", VAULT)
        return StepVault(path, self.names(value, "fields"), value.pos)

    def check_duplicate_ids(self, items: list[Step | Include]) -> None:
        seen: dict[str, Pos] = {}
        for item in items:
            if item.id is None:
                continue
            if item.id in seen:
                self.problem(item.pos, f"duplicate step id '{item.id}' "
                             f"(first at line {seen[item.id].line})")
            else:
                seen[item.id] = item.pos


def _empty(pos: Pos) -> LocatedDict:
    empty = LocatedDict()
    empty.pos, empty.key_pos, empty.value_pos = pos, {}, {}
    return empty


def _kind(value: Any) -> str:
    for base, name in ((bool, "a boolean"), (dict, "a mapping"), (list, "a list"),
                       (str, "text"), (int, "a number"), (float, "a number")):
        if isinstance(value, base):
            return name
    return "nothing" if value is None else type(value).__name__


def _is_template(value: Any) -> bool:
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


#: Folders (``os.pathsep``-separated) where includes may also live and are looked up.
INCLUDE_PATH_ENV = "RUNBOOK_INCLUDE_PATH"


@dataclass
class _Reading:
    """One ``parse_file`` of a top runbook: where includes may come from, what was read."""

    problems: list[Problem]
    roots: tuple[Path, ...]  # the top runbook's folder, then RUNBOOK_INCLUDE_PATH's
    # Each file is parsed once however often it is included (a diamond of 20 levels
    # would otherwise read its last file a million times).
    parsed: dict[Path, Runbook | None] = field(default_factory=dict)

    def locate(self, including: Path, item: Include) -> Path | None:
        """The included file, resolved (symlinks too); a problem and None if refused."""
        candidates = [including.parent / item.path]
        candidates += [root / item.path for root in self.roots[1:]]
        found = next((c.resolve() for c in candidates if c.is_file()), None)
        if found is None:
            self.problems.append(Problem(item.path_pos, f"included file not found: "
                                         f"{clip(item.path, 100)} (looked for "
                                         f"{_display(candidates[0].resolve())})"))
            return None
        if not any(found.is_relative_to(root) for root in self.roots):
            self.problems.append(Problem(item.path_pos, (
                f"include {excerpt(item.path)} is outside the runbook's folder "
                f"{_display(self.roots[0])}; add its folder to {INCLUDE_PATH_ENV} to allow it")))
            return None
        return found


def parse_file(path: Path, problems: list[Problem]) -> Runbook | None:
    """Parses ``path`` and every file it includes; appends problems; None if unreadable.

    Includes must resolve (symlinks followed) inside the folder of ``path`` or a folder of
    ``$RUNBOOK_INCLUDE_PATH``; a file is read once however often it is included.
    """
    extra = [Path(p) for p in os.environ.get(INCLUDE_PATH_ENV, "").split(os.pathsep) if p]
    roots = (path.resolve().parent, *(p.resolve() for p in extra))
    return _parse(path, _Reading(problems, roots), (), None)


def _parse(path: Path, reading: _Reading, stack: tuple[Path, ...], included_at: Include | None
           ) -> Runbook | None:
    file = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        reading.problems.append(Problem(Pos(file, 1, 1), f"cannot read the runbook: {reason}"))
        return None
    data, yaml_problems = load_yaml(text, file)
    if included_at is not None and not (isinstance(data, LocatedDict) and "runbook" in data):
        # Whatever it holds, an included file that is no runbook is never quoted.
        reading.problems.append(Problem(included_at.path_pos, (
            f"included file {excerpt(included_at.path)} is not a runbook "
            "(a YAML mapping with 'runbook', 'title' and 'steps')")))
        return None
    reading.problems.extend(yaml_problems)
    if data is None:
        return None
    runbook = _Parser(reading.problems).runbook(data, path, file)
    stack = (*stack, path.resolve())
    for item in runbook.items:
        if not isinstance(item, Include):
            continue
        resolved = reading.locate(path, item)
        if resolved is None:
            continue
        if resolved in stack:
            chain = " -> ".join(_display(p) for p in (*stack, resolved))
            reading.problems.append(Problem(item.path_pos, f"include cycle: {chain}"))
        elif len(stack) > MAX_INCLUDE_DEPTH:
            reading.problems.append(Problem(item.path_pos, f"includes nested more than "
                                            f"{MAX_INCLUDE_DEPTH} levels deep"))
        else:
            if resolved not in reading.parsed:
                reading.parsed[resolved] = _parse(resolved, reading, stack, item)
            child = reading.parsed[resolved]
            if child is not None:
                runbook.includes[item.key] = child
    return runbook
