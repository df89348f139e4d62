"""Actions describe themselves, so validation, dry runs and docs come from one place.

It sits below both the runbook language (which validates and plans against these
declarations) and the actions (which make them), so neither imports the other.

An action is a function decorated with :func:`action`. Its keyword-only parameters are the
step's ``with:`` arguments (type hints give the types, ``Annotated[..., "help"]`` the help);
its return type is a dataclass whose fields are the step's outputs (a field typed
:class:`~automation.secret.Secret` is a secret output, which must go to the vault)::

    @action("developer_portal.create_app", changes=True, retry_safe=True)
    def create_app(run: StepRun, *, name: Annotated[str, "App Name"]) -> AppCreated:
        '''Create a new app named NAME, or reuse the one that exists.'''

An action that changes something also says, without changing it, what it would do: its check
(:func:`check_of`) takes the same arguments, looks and returns a
:class:`~automation.planned.Planned` (``runbook run --check``)::

    @check_of(create_app)
    def check_create_app(run: StepRun, *, name: str) -> Planned:
        ...
"""

from __future__ import annotations

import dataclasses
import difflib
import inspect
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args, get_origin, get_type_hints

from automation.secret import Secret

__all__ = [
    "NO_SECRET",
    "TARGET",
    "ActionSpec",
    "Checked",
    "NoOutputs",
    "Output",
    "Param",
    "Registry",
    "accepts",
    "action",
    "check_of",
]


class _TargetMarker:
    """Marks a parameter that takes a user-facing target (checked by the validator)."""


TARGET = _TargetMarker()


class _NoSecretMarker:
    """Marks a parameter that shows on screen, in addresses or in messages: never a secret."""


NO_SECRET = _NoSecretMarker()


@dataclass(frozen=True)
class Checked:
    """Marks a parameter whose literal values are checked beyond their type: ``check`` says
    why a value will not do, or None (validation reports it at the value's position)."""

    check: Callable[[Any], str | None]


@dataclass(frozen=True)
class NoOutputs:
    """The return type of an action that produces nothing."""


@dataclass(frozen=True)
class Param:
    name: str
    type: Any
    required: bool
    default: Any
    help: str

    @property
    def type_name(self) -> str:
        return type_name(self.type)

    @property
    def secret(self) -> bool:
        """Accepts only a Secret (a value from the vault), never a literal."""
        kinds = [t for t in _flatten(self.type) if t is not type(None)]
        return bool(kinds) and all(t is Secret for t in kinds)

    @property
    def is_target(self) -> bool:
        return TARGET in self._markers()

    @property
    def refuses_secret(self) -> bool:
        """Locator targets, addresses and texts shown in messages never hold a secret."""
        return self.is_target or NO_SECRET in self._markers()

    @property
    def value_checks(self) -> tuple[Callable[[Any], str | None], ...]:
        return tuple(m.check for m in self._markers() if isinstance(m, Checked))

    def _markers(self) -> tuple[Any, ...]:
        return get_args(self.type)[1:] if get_origin(self.type) is Annotated else ()


@dataclass(frozen=True)
class Output:
    name: str
    type: Any
    help: str

    @property
    def secret(self) -> bool:
        return Secret in _flatten(self.type)


@dataclass(frozen=True)
class ActionSpec:
    name: str
    func: Callable[..., Any]
    params: tuple[Param, ...]
    outputs: tuple[Output, ...]
    result_type: type
    #: Changes remote state (dry-run and docs say so).
    changes: bool
    #: Safe to run again after a failure (the action checks the current state first): only
    #: then does a step's ``retries`` count, and which failures are retried is decided by
    #: type in :mod:`automation.retry`.
    retry_safe: bool
    #: The site whose signed-in session this action establishes: replayed on ``--resume``
    #: and whenever that site asks to sign in again.
    establishes_session: str | None
    doc: str
    #: Tells whether a page shows that site's sign-in form (for sessions that expire).
    signed_out: Callable[[Any], bool] | None = None
    #: Check mode: looks, changes nothing, returns a Planned (what it would do). Every
    #: built-in action that changes something has one; one without is not run in check mode.
    check: Callable[..., Any] | None = None

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def output(self, name: str) -> Output | None:
        return next((o for o in self.outputs if o.name == name), None)

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""


def _flatten(tp: Any) -> list[Any]:
    if get_origin(tp) is Annotated:
        return _flatten(get_args(tp)[0])
    if get_origin(tp) in (typing.Union, types.UnionType):
        return [t for arg in get_args(tp) for t in _flatten(arg)]
    return [tp]


def type_name(tp: Any) -> str:
    parts = []
    for t in _flatten(tp):
        if t is type(None):
            parts.append("null")
        elif get_origin(t) in (dict, Mapping):
            parts.append("mapping")
        elif get_origin(t) in (list, tuple) or t in (list, tuple):
            parts.append("list")
        elif t is Secret:
            parts.append("secret")
        elif get_origin(t) is Literal:
            parts.append(" or ".join(repr(a) for a in get_args(t)))
        else:
            parts.append({str: "text", int: "integer", float: "number", bool: "boolean"}.get(
                t, getattr(t, "__name__", str(t))
            ))
    return " or ".join(dict.fromkeys(parts))


def accepts(tp: Any, value: Any) -> bool:
    """Whether a literal YAML value suits a parameter type."""
    for t in _flatten(tp):
        origin = get_origin(t) or t
        if t is Any:
            return True
        if t is type(None) and value is None:
            return True
        if t is Secret:
            continue  # literal values never count as secrets
        if origin is Literal:
            if value in get_args(t):
                return True
            continue
        if t is float and isinstance(value, int | float) and not isinstance(value, bool):
            return True
        if origin in (dict, Mapping) and isinstance(value, dict):
            return True
        if origin in (list, tuple) and isinstance(value, list):
            return True
        plain = isinstance(origin, type) and origin not in (dict, list, tuple, Mapping)
        if plain and isinstance(value, origin) and not (isinstance(value, bool) and origin is int):
            return True
    return False


def _help(tp: Any) -> str:
    if get_origin(tp) is Annotated:
        return " ".join(str(m) for m in get_args(tp)[1:] if isinstance(m, str))
    return ""


def action(
    name: str,
    *,
    changes: bool,
    retry_safe: bool = False,
    establishes_session: str | None = None,
    signed_out: Callable[[Any], bool] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declares a function as the action ``name`` (see the module docstring)."""

    def declare(func: Callable[..., Any]) -> Callable[..., Any]:
        hints = get_type_hints(func, include_extras=True)
        params = []
        for p in inspect.signature(func).parameters.values():
            if p.kind is not inspect.Parameter.KEYWORD_ONLY:
                continue  # the leading StepRun
            required = p.default is inspect.Parameter.empty
            params.append(
                Param(p.name, hints[p.name], required, None if required else p.default,
                      _help(hints[p.name]))
            )
        result = hints.get("return", NoOutputs)
        if not dataclasses.is_dataclass(result):
            raise TypeError(f"action {name}: return type must be a dataclass, not {result!r}")
        result_hints = get_type_hints(result, include_extras=True)
        outputs = tuple(
            Output(f.name, result_hints[f.name], str(f.metadata.get("help", "")))
            for f in dataclasses.fields(result)
        )
        func.__action_spec__ = ActionSpec(  # type: ignore[attr-defined]
            name, func, tuple(params), outputs, typing.cast(type, result), changes,
            retry_safe, establishes_session, inspect.getdoc(func) or "", signed_out,
        )
        return func

    return declare


def check_of(func: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declares the decorated function as the check of action ``func`` (same arguments)."""

    def attach(check: Callable[..., Any]) -> Callable[..., Any]:
        spec: ActionSpec = func.__action_spec__  # type: ignore[attr-defined]
        keyword_only = inspect.Parameter.KEYWORD_ONLY
        names = [p.name for p in inspect.signature(check).parameters.values()
                 if p.kind is keyword_only]
        if names != [p.name for p in spec.params]:
            raise TypeError(f"check of {spec.name}: arguments {names} differ from the action's")
        func.__action_spec__ = dataclasses.replace(spec, check=check)  # type: ignore[attr-defined]
        return check

    return attach


class Registry:
    """The actions a runbook may name; built from an explicit list (no discovery)."""

    def __init__(self, functions: Iterable[Callable[..., Any]]) -> None:
        self._specs: dict[str, ActionSpec] = {}
        for func in functions:
            spec: ActionSpec = func.__action_spec__  # type: ignore[attr-defined]
            if spec.name in self._specs:
                raise ValueError(f"action {spec.name} declared twice")
            self._specs[spec.name] = spec

    def get(self, name: str) -> ActionSpec | None:
        return self._specs.get(name)

    def suggest(self, name: str) -> str | None:
        matches = difflib.get_close_matches(name, self._specs, n=1, cutoff=0.6)
        return matches[0] if matches else None

    def __iter__(self) -> typing.Iterator[ActionSpec]:
        return iter(sorted(self._specs.values(), key=lambda s: s.name))

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __len__(self) -> int:
        return len(self._specs)
