"""The action registry: every action a runbook may name, listed explicitly."""

from __future__ import annotations

from automation.actions import primitives
from automation.actions.registry import ActionSpec, Registry, action

__all__ = ["REGISTRY", "ActionSpec", "Registry", "action"]

REGISTRY = Registry(
    [
        primitives.goto,
        primitives.click,
        primitives.fill,
        primitives.select,
        primitives.expect_text,
        primitives.wait_for,
        primitives.screenshot,
        primitives.pause_for_human,
    ]
)
