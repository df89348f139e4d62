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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from automation.secret import Secret

__all__ = [
    "TEMPLATE_ROOTS",
    "Reference",
    "TemplateError",
    "compile_all",
    "evaluate",
    "has_template",
    "references",
    "render",
]

TEMPLATE_ROOTS = ("inputs", "steps", "target", "env", "vault")
_WHOLE = re.compile(r"^\s*\{\{(?P<expr>.*)\}\}\s*$", re.DOTALL)
_tainted: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar(
    "tainted", default=None
)


class TemplateError(Exception):
    """A template could not be parsed or rendered (the message never holds a secret)."""


def _finalize(value: Any) -> Any:
    if isinstance(value, Secret):
        taint = _tainted.get()
        if taint is not None:
            taint.append(True)
        return value.reveal()
    return value


ENV = ImmutableSandboxedEnvironment(
    undefined=StrictUndefined, finalize=_finalize, autoescape=False, keep_trailing_newline=True
)


def has_template(value: Any) -> bool:
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def _single_expression(text: str) -> str | None:
    match = _WHOLE.match(text)
    if match is None or "}}" in match.group("expr") or "{{" in match.group("expr"):
        return None
    return match.group("expr")


# Compiled once per process (the environment is immutable): a run renders the same
# templates step after step, and the plan compiles them all before the browser starts.
_expression = functools.lru_cache(maxsize=4096)(
    functools.partial(ENV.compile_expression, undefined_to_none=False)
)
_template = functools.lru_cache(maxsize=4096)(ENV.from_string)


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
        with contextlib.suppress(TemplateSyntaxError):  # render() reports it
            _expression(single) if single is not None else _template(value)


def render(value: Any, context: Mapping[str, Any]) -> Any:
    """Renders every template inside ``value`` (strings, lists, mappings)."""
    if isinstance(value, dict):
        return {k: render(v, context) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, context) for v in value]
    if not has_template(value):
        return value
    text: str = value
    try:
        expression = _single_expression(text)
        if expression is not None:
            result = _expression(expression)(**context)
            if isinstance(result, StrictUndefined):
                str(result)  # raises UndefinedError with Jinja's message
            return result
        taint: list[bool] = []
        token = _tainted.set(taint)
        try:
            rendered = _template(text).render(**context)
        finally:
            _tainted.reset(token)
        return Secret(rendered) if taint else rendered
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}") from None
    except TemplateError:
        raise
    except Exception as exc:  # UndefinedError, SecurityError, errors inside filters
        raise TemplateError(f"cannot render {text!r}: {exc}") from None


def evaluate(expression: str, context: Mapping[str, Any]) -> Any:
    """A bare expression such as a step's ``when``."""
    try:
        return _expression(expression)(**context)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"expression syntax error: {exc.message}") from None
    except Exception as exc:
        raise TemplateError(f"cannot evaluate {expression!r}: {exc}") from None


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
    source = "{{ " + text + " }}" if expression else text
    try:
        tree = ENV.parse(source)
    except TemplateSyntaxError as exc:
        kind = "expression" if expression else "template"
        raise TemplateError(f"{kind} syntax error: {exc.message}") from None
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
