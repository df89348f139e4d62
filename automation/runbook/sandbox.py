"""The Jinja environment runbook templates run in: sandboxed, bounded, and secret-tight.

Jinja's own sandbox stops attribute tricks; this one also bounds cost and keeps secrets:

- **Bounded**: no loops, macros or other statements (only ``{% if %}``), so a template's work
  is proportional to its text; ``**``, ``*``, ``%``, padding and format widths, ``join``,
  ``replace``, ``range`` and friends are checked *before* they run (:data:`MAX_TEXT`,
  :data:`MAX_INT_BITS`, :data:`MAX_RANGE`); and every operation checks a wall-clock deadline.
- **Secret-tight**: a :class:`~automation.secret.Secret` has no reachable attribute, cannot be
  indexed, sliced, passed to a function or compared. A few filters and operators keep it a
  secret (:data:`SECRET_FILTERS`, ``+``, ``~``, ``%``): the result is a new Secret, which the
  log scrubber then knows too. Everything else applied to a secret is refused.

:mod:`automation.runbook.secret_flow` finds the same refusals statically, at validation.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import _PassArg

from automation.runbook.limits import MAX_INT_BITS, MAX_RANGE, MAX_TEXT, TEMPLATE_SECONDS
from automation.secret import Secret

__all__ = [
    "SECRET_FILTERS",
    "BoundedEnvironment",
    "Refused",
    "check_binop",
    "check_filter",
    "check_range",
    "contains_secret",
    "time_budget",
]


class Refused(SecurityError):
    """A template asked for too much, or to see into a secret (the message names no value)."""


#: Filters whose result, given a secret, is a new secret (documented in docs/runbooks.md).
SECRET_FILTERS = frozenset({"lower", "upper", "trim", "urlencode", "format", "string",
                            "default", "d"})
#: Methods a template may call on text, mappings and lists: none of them grows a value.
SAFE_METHODS = frozenset({
    "lower", "upper", "strip", "lstrip", "rstrip", "title", "capitalize", "casefold",
    "swapcase", "startswith", "endswith", "split", "rsplit", "splitlines", "partition",
    "rpartition", "removeprefix", "removesuffix", "count", "find", "rfind", "index", "rindex",
    "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper", "isnumeric",
    "isdecimal", "get", "keys", "values", "items",
})

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "template_deadline", default=None)


@contextlib.contextmanager
def time_budget(seconds: float = TEMPLATE_SECONDS) -> Iterator[None]:
    """Every template operation inside fails once ``seconds`` have passed."""
    if _deadline.get() is not None:  # nested: the outer budget holds
        yield
        return
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def _tick() -> None:
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise Refused(f"the template took longer than {TEMPLATE_SECONDS:g} s")


def contains_secret(value: Any, depth: int = 0) -> bool:
    if isinstance(value, Secret):
        return True
    if depth > 64:
        return False
    if isinstance(value, dict):
        return any(contains_secret(v, depth + 1) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_secret(v, depth + 1) for v in value)
    return False


def _reveal(value: Any) -> Any:
    if isinstance(value, Secret):
        return value.reveal()
    if isinstance(value, dict):
        return {k: _reveal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_reveal(v) for v in value)
    return value


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple | dict) else 1


def _at_most(what: str, amount: int, limit: int = MAX_TEXT) -> None:
    if amount > limit:
        raise Refused(f"{what} {amount:,} is over the limit of {limit:,}")


# -- bounds, checked before an operation runs ----------------------------------------------

_FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?P<width>\*|\d*)(?:\.(?P<prec>\*|\d*))?")


def _check_format_string(text: str) -> None:
    for match in _FORMAT_SPEC.finditer(text):
        for part in (match.group("width"), match.group("prec")):
            if part == "*":
                raise Refused("'*' widths in a format are not supported")
            if part:
                _at_most("a format width of", int(part[:12]))


def check_range(*args: Any) -> None:
    """``range(*args)`` has at most MAX_RANGE items."""
    if all(isinstance(a, int) for a in args) and 1 <= len(args) <= 3:
        _at_most("range() of", len(range(*args)), MAX_RANGE)


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuses an operation whose result would be too large; runs before it."""
    _tick()
    ints = isinstance(left, int) and isinstance(right, int)
    if operator == "**" and ints and right > 0 and abs(left) > 1:
        _at_most("an integer of (bits)", left.bit_length() * right, MAX_INT_BITS)
    elif operator == "*" and ints:
        _at_most("an integer of (bits)", left.bit_length() + right.bit_length(), MAX_INT_BITS)
    elif operator == "*" and (isinstance(left, int) or isinstance(right, int)):
        count, sequence = (left, right) if isinstance(left, int) else (right, left)
        _at_most("a repeated text or list of", max(count, 0) * _size(sequence))
    elif operator == "%" and isinstance(left, str):
        _check_format_string(left)


def _number(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return 0


def check_filter(name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuses a filter call whose result would be too large; runs before it."""
    _tick()

    def arg(position: int, key: str, default: Any = None) -> Any:
        return args[position] if len(args) > position else kwargs.get(key, default)

    if name in ("center", "indent"):
        _at_most("a width of", _number(arg(0, "width", 80)))
        if name == "indent":
            _at_most("indented text of", _size(value) * (1 + _number(arg(0, "width", 4))))
    elif name == "format" and isinstance(value, str):
        _check_format_string(value)
    elif name == "join" and isinstance(value, list | tuple | str):
        separator = arg(0, "d", "")
        _at_most("joined text of", len(value) * _size(separator))
    elif name == "replace" and isinstance(value, str):
        old, new = str(arg(0, "old", "")), arg(1, "new", "")
        _at_most("replaced text of", (len(value) // max(len(old), 1) + 1) * _size(new))
    elif name == "wordwrap":
        _at_most("wrapped text of", _size(value) * (1 + _size(arg(3, "wrapstring", ""))))
    elif name in ("batch", "slice"):
        _at_most(f"{name} size", _number(arg(0, "linecount" if name == "batch" else "slices")))
    elif name == "tojson":
        _at_most("a JSON indent of", _number(arg(0, "indent", 0)), 16)


# -- the environment ------------------------------------------------------------------------


class _CodeGenerator(CodeGenerator):
    """``a ~ b`` calls :meth:`BoundedEnvironment.concat_values` (Jinja's own join would print a
    secret as ``<secret>`` and could not be bounded)."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.concat_values((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


def _bounded_range(*args: Any) -> range:
    check_range(*args)
    return range(*args)


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    intercepted_unops = frozenset({"-", "+"})

    def __init__(self, finalize: Callable[[Any], Any]) -> None:
        super().__init__(undefined=StrictUndefined, finalize=finalize, autoescape=False,
                         keep_trailing_newline=True)
        # No lipsum, cycler, joiner or namespace: nothing that grows or keeps state.
        self.globals = {"range": _bounded_range, "dict": dict}
        self.filters = {name: _guarded(name, func) for name, func in self.filters.items()}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, Secret):
            return False
        if callable(value) and attr not in SAFE_METHODS:
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    def getattr(self, obj: Any, attribute: str) -> Any:
        _tick()
        if isinstance(obj, Secret):
            raise Refused(f"a secret has no attributes ('{attribute[:40]}' is not reachable)")
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _tick()
        if isinstance(obj, Secret):
            raise Refused("a secret cannot be indexed or sliced")
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _tick()
        if contains_secret(args) or contains_secret(kwargs):
            raise Refused("a secret cannot be passed to a function")
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if isinstance(left, Secret) or isinstance(right, Secret):
            return _secret_binop(operator, left, right)
        check_binop(operator, left, right)
        result = super().call_binop(context, operator, left, right)
        _at_most("a result of", _size(result))
        return result

    def call_unop(self, context: Any, operator: str, arg: Any) -> Any:
        _tick()
        if isinstance(arg, Secret):
            raise Refused(f"operator '{operator}' cannot be applied to a secret")
        return super().call_unop(context, operator, arg)

    def concat_values(self, parts: tuple[Any, ...]) -> Any:
        _tick()
        _at_most("joined text of", sum(len(p) if isinstance(p, str | Secret) else 40
                                       for p in parts))
        text = "".join(_reveal(p) if isinstance(p, Secret) else str(p) for p in parts)
        return Secret(text) if any(isinstance(p, Secret) for p in parts) else text


def _secret_binop(operator: str, left: Any, right: Any) -> Secret:
    texts = isinstance(left, str | Secret) and isinstance(right, str | Secret)
    if operator == "+" and texts:
        return Secret(_reveal(left) + _reveal(right))
    if operator == "%" and isinstance(left, str):
        _check_format_string(left)
        return Secret(left % _reveal(right))
    raise Refused(f"operator '{operator}' cannot be applied to a secret")


def _guarded(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """The filter, bounded, refusing secrets unless it is one of SECRET_FILTERS."""
    passes_context = _PassArg.from_obj(func) is not None

    @functools.wraps(func)
    def filter_call(*args: Any, **kwargs: Any) -> Any:
        head, rest = (args[:1], args[1:]) if passes_context else ((), args)
        value, extra = (rest[0], rest[1:]) if rest else (None, ())
        check_filter(name, value, extra, kwargs)
        if contains_secret(rest) or contains_secret(kwargs):
            return _secret_filter(name, func, head, value, extra, kwargs)
        result = func(*args, **kwargs)
        _at_most("a result of", _size(result))
        return result

    return filter_call


def _secret_filter(name: str, func: Callable[..., Any], head: tuple[Any, ...], value: Any,
                   extra: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if name not in SECRET_FILTERS:
        raise Refused(f"filter '{name}' cannot be applied to a secret")
    if name in ("default", "d", "string") and isinstance(value, Secret):
        return value  # the secret itself
    result = func(*head, _reveal(value), *_reveal(extra), **_reveal(kwargs))
    return Secret(str(result))
