"""What validation finds in a template beyond the names it reads.

- **Secrets**: which parts of a template are secret (a ``vault()`` call, a secret input, a
  secret output of an earlier step) and what is done to them. What keeps a secret a secret
  (``~``, ``+``, ``%``, :data:`~automation.runbook.sandbox.SECRET_FILTERS`) is allowed; every
  other operation on a secret (an attribute such as ``.reveal()``, indexing or slicing,
  ``reverse``, ``length``, ``join``, comparing, passing it to a function) is refused here,
  with the template's ``file:line:col``, as the sandbox would refuse it at run time.
- **Sizes**: operations on constants (``10**(10**8)``, ``'x'|center(2000000000)``,
  ``range(10**9)``) are checked against the sandbox's limits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import nodes

from automation.runbook.sandbox import (
    SECRET_FILTERS,
    Refused,
    check_filter,
    check_range,
    time_budget,
)
from automation.runbook.templating import ENV, Reference, parse

__all__ = ["TemplateFindings", "check_template"]

#: Tests that say nothing about a secret's text.
_HARMLESS_TESTS = frozenset({"defined", "undefined", "none", "string"})
_UNKNOWN = object()

IsSecret = Callable[[Reference], bool]


class TemplateFindings:
    """The problems found, and whether the template's value is (or holds) a secret."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.secret = False

    def problem(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)


def check_template(text: str, is_secret: IsSecret, *, expression: bool = False
                   ) -> TemplateFindings:
    """Checks one template (already known to parse: see ``templating.references``)."""
    findings = TemplateFindings()
    tree = parse(text, expression=expression)
    flow = _SecretFlow(is_secret, findings)
    findings.secret = any(flow.visit(node) for node in tree.body)
    with time_budget():
        try:
            for node in tree.body:
                _constant(node)
        except Refused as exc:
            findings.problem(str(exc))
    return findings


def _chain(node: nodes.Node) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, nodes.Getattr | nodes.Getitem):
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            parts.append(node.arg.value)
        else:
            return None
        node = node.node
    return [node.name, *reversed(parts)] if isinstance(node, nodes.Name) else None


class _SecretFlow:
    """Follows secrets through a template's syntax tree; ``visit`` says whether a node's value
    is a secret (or holds one)."""

    def __init__(self, is_secret: IsSecret, findings: TemplateFindings) -> None:
        self.is_secret, self.findings = is_secret, findings

    def lookup(self, node: nodes.Node) -> bool:
        chain = _chain(node)
        return chain is not None and self.is_secret(Reference(chain[0], tuple(chain[1:]), 0))

    def visit(self, node: nodes.Node) -> bool:
        problem = self.findings.problem
        if isinstance(node, nodes.Getattr):
            if self.visit(node.node):
                problem(f"a secret has no attributes ('{node.attr[:40]}' is not reachable)")
                return False
            return self.lookup(node)
        if isinstance(node, nodes.Getitem):
            if self.visit(node.node):
                problem("a secret cannot be indexed or sliced")
                return False
            self.visit(node.arg)
            return self.lookup(node)
        if isinstance(node, nodes.Name):
            return self.lookup(node)
        if isinstance(node, nodes.Call):
            return self.call(node)
        if isinstance(node, nodes.Filter | nodes.Test):
            return self.filter(node)
        if isinstance(node, nodes.BinExpr):
            left, right = self.visit(node.left), self.visit(node.right)
            keeps = node.operator == "+" or (node.operator == "%" and not left)
            if (left or right) and not keeps:
                problem(f"operator '{node.operator}' cannot be applied to a secret")
                return False
            return left or right
        if isinstance(node, nodes.Compare):
            operands = [node.expr, *(op.expr for op in node.ops)]
            if any([self.visit(o) for o in operands]):
                problem("a secret cannot be compared (the answer would tell its value)")
            return False
        if isinstance(node, nodes.UnaryExpr):
            if self.visit(node.node) and not isinstance(node, nodes.Not):
                problem(f"operator '{node.operator}' cannot be applied to a secret")
            return False
        if isinstance(node, nodes.CondExpr):
            self.visit(node.test)
            branches = [node.expr1, *([node.expr2] if node.expr2 is not None else [])]
            return any([self.visit(b) for b in branches])
        # Concat, And/Or, literals, Output, If...: a secret inside makes the whole one.
        return any([self.visit(child) for child in node.iter_child_nodes()])

    def call(self, node: nodes.Call) -> bool:
        arguments = [*node.args, *(k.value for k in node.kwargs)]
        given = any([self.visit(a) for a in arguments])
        if isinstance(node.node, nodes.Name) and node.node.name == "vault":
            return True
        self.visit(node.node)
        if given:
            self.findings.problem("a secret cannot be passed to a function")
        return False

    def filter(self, node: nodes.Filter | nodes.Test) -> bool:
        arguments = [*node.args, *(k.value for k in node.kwargs)]
        value = node.node is not None and self.visit(node.node)
        given = any([self.visit(a) for a in arguments])
        if not (value or given):
            return False
        if isinstance(node, nodes.Test):
            if node.name not in _HARMLESS_TESTS:
                self.findings.problem(f"test '{node.name}' cannot be applied to a secret")
            return False
        if node.name in SECRET_FILTERS:
            return True
        self.findings.problem(f"filter '{node.name}' cannot be applied to a secret")
        return False


def _constant(node: nodes.Node) -> Any:
    """The value of a constant expression, or _UNKNOWN; raises Refused where the sandbox
    would refuse it at run time."""
    values = [_constant(child) for child in node.iter_child_nodes()]
    known = all(v is not _UNKNOWN for v in values)
    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, nodes.List | nodes.Tuple) and known:
        return list(values) if isinstance(node, nodes.List) else tuple(values)
    if isinstance(node, nodes.BinExpr) and known:
        return ENV.call_binop(None, node.operator, values[0], values[1])
    if isinstance(node, nodes.Neg) and known:
        return ENV.call_unop(None, "-", values[0])
    if isinstance(node, nodes.Concat) and known:
        return ENV.concat_values(tuple(values))
    if isinstance(node, nodes.Filter) and node.node is not None:
        value, args = _constant(node.node), [_constant(a) for a in node.args]
        kwargs = {str(k.key): _constant(k.value) for k in node.kwargs}
        if all(v is not _UNKNOWN for v in (value, *args, *kwargs.values())):
            check_filter(node.name, value, tuple(args), kwargs)
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and (
            node.node.name == "range"):
        args = [_constant(a) for a in node.args]
        if all(a is not _UNKNOWN for a in args):
            check_range(*args)
    return _UNKNOWN
