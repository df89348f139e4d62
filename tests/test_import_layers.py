"""automation's subpackages import each other without a cycle (type-only imports included).

The graph is read from the source with ``ast``: every ``import``/``from ... import`` of
``automation.X`` anywhere in a module of ``automation/Y`` (functions and ``TYPE_CHECKING``
blocks too) is an edge Y -> X, where X and Y are subpackages or top-level modules.
"""

from __future__ import annotations

import ast
import itertools
from collections import defaultdict
from pathlib import Path

AUTOMATION = Path(__file__).parents[1] / "automation"


def import_graph() -> dict[str, dict[str, list[str]]]:
    """For each part of automation, the parts it imports and from where (file:line)."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted(AUTOMATION.rglob("*.py")):
        part = path.relative_to(AUTOMATION).parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] if node.module != "automation" else [
                    f"automation.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                pieces = name.split(".")
                if pieces[0] == "automation" and len(pieces) > 1 and pieces[1] != part:
                    where = f"{path.relative_to(AUTOMATION.parent)}:{node.lineno}"
                    graph[part][pieces[1]].append(where)
    return graph


def find_cycle(graph: dict[str, dict[str, list[str]]]) -> list[str] | None:
    """One cycle (its parts in order, the first repeated at the end), or None."""
    state: dict[str, str] = {}  # "open" while on the path, "done" after

    def visit(part: str, path: list[str]) -> list[str] | None:
        state[part] = "open"
        for target in sorted(graph.get(part, {})):
            if state.get(target) == "open":
                return [*path[path.index(target):], target]
            if target not in state:
                found = visit(target, [*path, target])
                if found:
                    return found
        state[part] = "done"
        return None

    for part in sorted(graph):
        if part not in state:
            found = visit(part, [part])
            if found:
                return found
    return None


class TestNoImportCycle:
    """No subpackage of automation imports, however indirectly, one that imports it."""

    def test_the_graph_is_read(self) -> None:
        graph = import_graph()
        assert "runbook" in graph["cli"] and "execute" in graph["cli"]
        assert "runbook" in graph["execute"]

    def test_acyclic(self) -> None:
        graph = import_graph()
        cycle = find_cycle(graph)
        if cycle:
            steps = [f"{a} -> {b} ({', '.join(graph[a][b][:3])})"
                     for a, b in itertools.pairwise(cycle)]
            raise AssertionError("import cycle:\n  " + "\n  ".join(steps))

    def test_a_cycle_is_found(self) -> None:
        graph = {"a": {"b": ["x"]}, "b": {"c": ["y"]}, "c": {"a": ["z"]}, "d": {"a": ["w"]}}
        assert find_cycle(graph) == ["a", "b", "c", "a"]
        assert find_cycle({"a": {"b": ["x"]}, "b": {}}) is None
