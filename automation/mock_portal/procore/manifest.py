"""Reads the tool permissions a manifest requests, for the "Permissions Requested" tables."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["requested_permissions"]

_LEVELS = {
    "readonly": "Read-Only",
    "read_only": "Read-Only",
    "standard": "Standard",
    "admin": "Admin",
}


def _permission_blocks(node: Any) -> Iterator[dict[str, Any]]:
    """Every ``"permissions"`` object in the manifest, wherever the builder put it."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "permissions" and isinstance(value, dict):
                yield value
            else:
                yield from _permission_blocks(value)
    elif isinstance(node, list):
        for item in node:
            yield from _permission_blocks(item)


def tool_label(key: str) -> str:
    return " ".join(word.capitalize() for word in key.replace("-", "_").split("_"))


def requested_permissions(manifest: dict[str, Any]) -> list[dict[str, str]]:
    """Rows of ``{"tool", "company", "project"}``, levels as Procore shows them ("" = none)."""
    rows: dict[str, dict[str, str]] = {}
    for block in _permission_blocks(manifest):
        for level in ("company", "project"):
            tools = block.get(level)
            if not isinstance(tools, dict):
                continue
            for key, value in tools.items():
                row = rows.setdefault(tool_label(str(key)), {"company": "", "project": ""})
                row[level] = _LEVELS.get(str(value).lower(), str(value).capitalize())
    return [{"tool": tool, **levels} for tool, levels in sorted(rows.items())]
