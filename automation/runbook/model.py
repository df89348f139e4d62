"""The typed model of a runbook. Every node keeps the position it was read from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from automation.errors import Pos

__all__ = ["INPUT_TYPES", "Include", "InputSpec", "Runbook", "Step", "StepVault"]

InputType = Literal["string", "integer", "number", "boolean", "mapping", "list"]
INPUT_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "mapping": dict,
    "list": list,
}


@dataclass(frozen=True)
class InputSpec:
    name: str
    type: InputType
    default: Any
    required: bool
    help: str
    choices: tuple[Any, ...] | None
    #: Its value must come from the vault (``vault:path#field``) and is shown as <secret>.
    secret: bool
    pos: Pos


@dataclass(frozen=True)
class StepVault:
    """Where a step's secret outputs go: ``vault: {path: ..., fields: [...]}``."""

    path: str  # a template
    fields: tuple[str, ...]
    pos: Pos


@dataclass(frozen=True)
class Step:
    key: str  # its id, or "step<N>" (its place in the file) when it has none
    id: str | None
    title: str  # a template
    do: str
    args: dict[str, Any]
    arg_pos: dict[str, Pos]  # where each argument's value is
    arg_key_pos: dict[str, Pos]  # where each argument's name is
    when: str | None  # a Jinja expression
    retries: int
    timeout_s: float | None
    vault: StepVault | None
    tags: tuple[str, ...]
    pos: Pos
    do_pos: Pos
    title_pos: Pos
    when_pos: Pos | None = None


@dataclass(frozen=True)
class Include:
    """``include: other.yaml`` with its inputs; its steps run as if written here."""

    key: str
    id: str | None
    path: str  # as written; parse_file finds and checks the file
    args: dict[str, Any]
    arg_pos: dict[str, Pos]
    arg_key_pos: dict[str, Pos]
    when: str | None
    tags: tuple[str, ...]
    pos: Pos
    path_pos: Pos
    when_pos: Pos | None = None


@dataclass
class Runbook:
    name: str
    title: str
    description: str
    inputs: dict[str, InputSpec]
    env: tuple[str, ...]
    items: list[Step | Include]
    path: Path
    pos: Pos
    includes: dict[str, Runbook] = field(default_factory=dict)  # Include.key -> its runbook

    def steps_with_ids(self) -> dict[str, Step | Include]:
        return {item.id: item for item in self.items if item.id}
