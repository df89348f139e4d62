"""Jinja2, sandboxed and strict, that keeps secrets secret.

Templates see ``inputs``, ``steps.<id>.<output>``, ``target`` (its name and site URLs), the
allow-listed ``env`` and ``vault('path#field')``. A template that is one expression
(``"{{ steps.promote.client_secret }}"``) yields the value itself, secrets included; a template
that mixes text and a secret yields a Secret of the whole text, so nothing secret ever becomes
a plain string on the way to the Playwright call.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.environment import Template

from automation.runbook.limits import MAX_TEMPLATE_CHARS, clip, excerpt
from automation.runbook.sandbox import BoundedEnvironment, Refused, time_budget
from automation.secret import REDACTOR, Secret

__all__ = [
    "TEMPLATE_ROOTS",
    "Reference",
    "TemplateError",
    "compile_all",
    "evaluate",
    "has_template",
    "parse",
    "references",
    "render",
]

TEMPLATE_ROOTS = ("inputs", "steps", "target", "env", "vault")
#: Expressions inside each other, at most (the shipped runbooks: 4).
MAX_TEMPLATE_DEPTH = 40
#: The only statement runbook templates may use: with no loops, macros or assignments, the
#: work a template does is proportional to its length.
_STATEMENTS = (nodes.Output, nodes.If)
_WHOLE = re.compile(r"^\s*\{\{(?P<expr>.*)\}\}\s*$", re.DOTALL)


class TemplateError(Exception):
    """A template could not be parsed or rendered (the message never holds a secret)."""


@dataclass
class _Output:
    """What the text templates rendering now have printed: whether a secret, how much."""

    secret: bool = False
    size: int = 0


_output: contextvars.ContextVar[_Output | None] = contextvars.ContextVar("output", default=None)


def _finalize(value: Any) -> Any:
    output = _output.get()
    if isinstance(value, Secret):
        if output is not None:
            output.secret = True
        value = value.reveal()
    if output is not None:
        output.size += len(value) if isinstance(value, str) else 40
        if output.size > 100_000:
            raise Refused("the rendered text is over the limit of 100,000 characters")
    return value


ENV = BoundedEnvironment(_finalize)


def has_template(value: Any) -> bool:
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def _single_expression(text: str) -> str | None:
    match = _WHOLE.match(text)
    if match is None or "}}" in match.group("expr") or "{{" in match.group("expr"):
        return None
    return match.group("expr")


@functools.lru_cache(maxsize=4096)
def parse(text: str, *, expression: bool = False) -> nodes.Template:
    """The checked syntax tree of a template (or a bare expression); raises TemplateError.

    Refuses what a runbook template may not hold: statements other than ``{% if %}``,
    nesting deeper than MAX_TEMPLATE_DEPTH, more than MAX_TEMPLATE_CHARS characters.
    """
    kind = "expression" if expression else "template"
    if len(text) > MAX_TEMPLATE_CHARS:
        raise TemplateError(f"the {kind} is longer than {MAX_TEMPLATE_CHARS:,} characters")
    try:
        tree = ENV.parse("{{ " + text + " }}" if expression else text)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{kind} syntax error: {clip(exc.message or '', 120)}"
                            ) from None
    except RecursionError:
        raise TemplateError(f"the {kind} is nested more than {MAX_TEMPLATE_DEPTH} levels "
                            "deep") from None
    stack: list[tuple[nodes.Node, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TEMPLATE_DEPTH:
            raise TemplateError(f"the {kind} is nested more than {MAX_TEMPLATE_DEPTH} levels "
                                "deep")
        if isinstance(node, nodes.Stmt) and not isinstance(node, _STATEMENTS):
            word = type(node).__name__.lower()
            raise TemplateError(f"'{{% {word} %}}' is not allowed in runbook templates "
                                "(only expressions and {% if %})")
        stack.extend((child, depth + 1) for child in node.iter_child_nodes())
    return tree


@functools.lru_cache(maxsize=4096)
def _expression(text: str) -> Callable[..., Any]:
    parse(text, expression=True)
    return ENV.compile_expression(text, undefined_to_none=False)


# Compiled once per process (the environment is immutable): a run renders the same
# templates step after step, and the plan compiles them all before the browser starts.
@functools.lru_cache(maxsize=4096)
def _template(text: str) -> Template:
    return ENV.from_string(parse(text))


def compile_all(value: Any, *, expression: bool = False) -> None:
    """Compiles every template inside ``value`` now (cached), so rendering only runs them.

    Templates that do not compile are left to :func:`render`, which reports them.
    """
    if isinstance(value, dict):
        for item in value.values():
            compile_all(item)
    elif isinstance(value, list):
        for item in value:
            compile_all(item)
    elif isinstance(value, str) and (expression or has_template(value)):
        single = value if expression else _single_expression(value)
        with contextlib.suppress(TemplateError, Exception):  # render() reports it
            _expression(single) if single is not None else _template(value)


@contextlib.contextmanager
def _reported(what: str, text: str) -> Iterator[None]:
    """Any failure inside as a TemplateError that quotes a short excerpt and no secret."""
    try:
        with time_budget():
            yield
    except TemplateError:
        raise
    except RecursionError:
        raise TemplateError(f"cannot {what} {excerpt(text)}: nested too deeply") from None
    except Exception as exc:  # UndefinedError, SecurityError, errors inside filters
        reason = clip(REDACTOR.scrub(str(exc))) or type(exc).__name__
        raise TemplateError(f"cannot {what} {excerpt(text)}: {reason}") from None


def render(value: Any, context: Mapping[str, Any]) -> Any:
    """Renders every template inside ``value`` (strings, lists, mappings)."""
    if isinstance(value, dict):
        return {k: render(v, context) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, context) for v in value]
    if not has_template(value):
        return value
    text: str = value
    with _reported("render", text):
        expression = _single_expression(text)
        if expression is not None:
            result = _expression(expression)(**context)
            if isinstance(result, StrictUndefined):
                str(result)  # raises UndefinedError with Jinja's message
            return result
        output = _Output()
        token = _output.set(output)
        try:
            rendered = _template(text).render(**context)
        finally:
            _output.reset(token)
        return Secret(rendered) if output.secret else rendered
    raise AssertionError("unreachable")  # _reported re-raises


def evaluate(expression: str, context: Mapping[str, Any]) -> Any:
    """A bare expression such as a step's ``when``."""
    with _reported("evaluate", expression):
        return _expression(expression)(**context)
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Reference:
    """A name a template reads: ``steps.app.id`` is root 'steps' with path ('app', 'id')."""

    root: str
    path: tuple[str, ...]
    lineno: int

    def __str__(self) -> str:
        return ".".join((self.root, *self.path))


@functools.lru_cache(maxsize=4096)
def references(text: str, *, expression: bool = False) -> tuple[Reference, ...]:
    """Every variable a template (or a bare expression) reads; raises TemplateError.

    Cached: the same templates recur across the steps of a runbook and across runbooks.
    """
    tree = parse(text, expression=expression)
    local_names = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    found: list[Reference] = []
    for node in _outermost_lookups(tree):
        chain = _chain(node)
        if chain is not None and chain[0] not in local_names:
            found.append(Reference(chain[0], tuple(chain[1:]), node.lineno))
    return tuple(found)


def _outermost_lookups(tree: nodes.Node) -> Iterator[nodes.Node]:
    """Name/Getattr/Getitem nodes not inside a larger lookup chain."""

    def visit(node: nodes.Node, inside_chain: bool) -> Iterator[nodes.Node]:
        is_lookup = isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Name)
        if (
            is_lookup
            and not inside_chain
            and (not isinstance(node, nodes.Name) or node.ctx == "load")
        ):
            yield node
        for child in node.iter_child_nodes():
            chained = (
                is_lookup
                and isinstance(node, nodes.Getattr | nodes.Getitem)
                and (child is getattr(node, "node", None))
            )
            yield from visit(child, chained)

    yield from visit(tree, False)


def _chain(node: nodes.Node) -> list[str] | None:
    parts: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem):
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                parts.append(node.arg.value)
            else:
                parts.clear()  # a computed key: only the root can be checked
            node = node.node
        elif isinstance(node, nodes.Name):
            parts.append(node.name)
            return list(reversed(parts))
        else:
            return None
