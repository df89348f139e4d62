"""Switchable faults: the mock portal misbehaving on purpose, deterministically.

A fault spec is a comma-separated list of ``key=value`` items::

    latency=2.0@0.2,errors=0.05,expire_session_after=40,dialog_delay=1.5,add_all_stall=1,
    rename=Create New Version:New Manifest Version;Promote:Publish,rate_limit=100,seed=7

==========================  =================================================================
item                        effect
==========================  =================================================================
``latency=MAX[@SHARE]``     a random delay in [0, MAX] seconds on SHARE (0..1, default 1) of
                            requests; ``latency=MIN-MAX@SHARE`` draws from [MIN, MAX], so
                            ``latency=1.5-1.5`` is a fixed 1.5 s on every request
``errors=SHARE``            a 500/502/503 (with ``Retry-After``) on SHARE of GET/HEAD requests
``errors_all=1``            ... on SHARE of requests of every method, not only idempotent ones
``expire_session_after=N``  the Nth request finds its session cleared, once (the site then
                            sends the browser to its sign-in page)
``dialog_delay=SECONDS``    dialogs open that late (templates read ``dialog_delay_ms``)
``add_all_stall=1``         the Directory's Add All job stalls once (read by the company site)
``rename=OLD:NEW[;...]``    visible labels renamed through ``label()`` (for the drift probe);
                            a label cannot contain ``,`` ``;`` or ``:`` here
``label_drift=1``           renames from ``label_drift.py`` (a redesign across the sites),
                            with any ``rename`` given as well
``rate_limit=N``            the REST API allows N requests a window per token (default 3600)
``seed=N``                  the seed every random choice derives from (default 0)
==========================  =================================================================

The same spec and the same sequence of requests give the same faults: each decision draws
from a generator seeded with ``(seed, request number)``. Neither ``/__mock__/*`` nor static
assets (``/static/``) are faulted or counted: a failed script would break a page in a way no
browser automation can see, and assets load in parallel, in an order that varies from run to
run, which would make the request numbers (and so the faults) vary too.

Views and templates of every site use:

- ``label(text)`` (Jinja global): the visible label, renamed when the ``rename`` fault says so;
  every button, tab, field label and dialog title of the mock goes through it.
- ``dialog_delay_ms`` (template variable): dialogs open this many ms late.
- ``current_faults()`` in views, e.g. ``current_faults().add_all_stall``.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field, fields
from typing import Any

from flask import Flask, Response, current_app, request, session

from automation.mock_portal.label_drift import LABEL_DRIFT

__all__ = ["FaultRuntime", "Faults", "current_faults", "install_faults", "set_faults"]

_DEFAULT_RATE_LIMIT = 3600  # Procore: 3,600 requests an hour
_MAX_SPEC_CHARS = 1000


@dataclass(frozen=True)
class Faults:
    latency_s: float = 0.0
    latency_share: float = 0.0
    error_rate: float = 0.0
    expire_session_after: int | None = None
    dialog_delay_s: float = 0.0
    add_all_stall: bool = False
    renames: dict[str, str] = field(default_factory=dict)
    seed: int = 0
    #: Lower bound of the random latency (``latency=MIN-MAX``); equal to ``latency_s``: fixed.
    latency_min_s: float = 0.0
    #: Fault every method with ``error_rate``, not only GET/HEAD.
    errors_all: bool = False
    #: REST requests a token may make in one rate-limit window.
    rate_limit: int = _DEFAULT_RATE_LIMIT
    #: Rename the labels of :data:`~automation.mock_portal.label_drift.LABEL_DRIFT` too.
    label_drift: bool = False

    def label(self, text: str) -> str:
        """The visible label for ``text`` under these faults."""
        if text in self.renames:
            return self.renames[text]
        if self.label_drift:
            return LABEL_DRIFT.get(text, text)
        return text

    @classmethod
    def parse(cls, spec: str) -> Faults:
        """Reads a spec such as ``latency=2.0@0.2,errors=0.05,seed=7`` (grammar above)."""
        if len(spec) > _MAX_SPEC_CHARS:  # errors quote items: a short spec keeps them short
            raise ValueError(f"a fault spec is at most {_MAX_SPEC_CHARS} characters")
        values: dict[str, Any] = {}
        for raw in spec.split(","):
            item = raw.strip()
            if not item:
                continue
            key, sep, value = item.partition("=")
            key, value = key.strip(), value.strip()
            if not sep or not value:
                raise ValueError(f"fault {item!r}: expected key=value")
            parser = _PARSERS.get(key)
            if parser is None:
                known = ", ".join(sorted(_PARSERS))
                raise ValueError(f"unknown fault {key!r}; known faults: {known}")
            try:
                values.update(parser(value))
            except ValueError as exc:
                raise ValueError(f"fault {key}={value}: {exc}") from None
        return cls(**values)

    def describe(self) -> str:
        """The non-default settings, for a startup banner."""
        default = Faults()
        changed = [
            f"{f.name}={getattr(self, f.name)!r}"
            for f in fields(self)
            if getattr(self, f.name) != getattr(default, f.name)
        ]
        return ", ".join(changed) or "none"


def _number(value: str, *, lo: float = 0.0, hi: float | None = None) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a number") from None
    if number < lo or (hi is not None and number > hi):
        bound = f"between {lo:g} and {hi:g}" if hi is not None else f"at least {lo:g}"
        raise ValueError(f"{value} must be {bound}")
    return number


def _count(value: str, *, lo: int = 1) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number") from None
    if number < lo:
        raise ValueError(f"{value} must be at least {lo}")
    return number


def _flag(value: str) -> bool:
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{value!r} is not a flag (1 or 0)")


def _latency(value: str) -> dict[str, Any]:
    span, _, share = value.partition("@")
    low, dash, high = span.partition("-")
    top = _number(high if dash else low)
    bottom = _number(low) if dash else 0.0
    if bottom > top:
        raise ValueError(f"minimum {bottom:g} is above maximum {top:g}")
    return {
        "latency_s": top,
        "latency_min_s": bottom,
        "latency_share": _number(share, hi=1.0) if share else 1.0,
    }


def _renames(value: str) -> dict[str, Any]:
    renames: dict[str, str] = {}
    for pair in value.split(";"):
        old, sep, new = pair.partition(":")
        if not sep or not old.strip() or not new.strip():
            raise ValueError(f"{pair!r}: expected OLD:NEW")
        renames[old.strip()] = new.strip()
    return {"renames": renames}


_PARSERS: dict[str, Any] = {
    "latency": _latency,
    "errors": lambda v: {"error_rate": _number(v, hi=1.0)},
    "errors_all": lambda v: {"errors_all": _flag(v)},
    "expire_session_after": lambda v: {"expire_session_after": _count(v)},
    "dialog_delay": lambda v: {"dialog_delay_s": _number(v)},
    "add_all_stall": lambda v: {"add_all_stall": _flag(v)},
    "rename": _renames,
    "label_drift": lambda v: {"label_drift": _flag(v)},
    "rate_limit": lambda v: {"rate_limit": _count(v)},
    "seed": lambda v: {"seed": _count(v, lo=0)},
}


class FaultRuntime:
    """What the faults remember between requests: the request count, the expiry done."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.session_expired = False

    def next_request(self) -> int:
        with self._lock:
            self.requests += 1
            return self.requests

    def expire_once(self, number: int, after: int | None) -> bool:
        with self._lock:
            if after is None or self.session_expired or number < after:
                return False
            self.session_expired = True
            return True

    def reset(self) -> None:
        with self._lock:
            self.requests = 0
            self.session_expired = False


def current_faults() -> Faults:
    faults: Faults = current_app.config["PORTAL_FAULTS"]
    return faults


def set_faults(app: Flask, faults: Faults) -> None:
    """Switches the faults of a running portal (``POST /__mock__/faults``); counts restart."""
    app.config["PORTAL_FAULTS"] = faults
    runtime: FaultRuntime = app.config["PORTAL_FAULT_RUNTIME"]
    runtime.reset()


def _unfaulted(path: str) -> bool:
    return path.startswith("/__mock__")


def _is_static(path: str) -> bool:
    return "/static/" in path or path == "/favicon.ico"


def install_faults(app: Flask, faults: Faults) -> None:
    app.config["PORTAL_FAULTS"] = faults
    app.config["PORTAL_FAULT_RUNTIME"] = FaultRuntime()
    # Looked up on every call, so renames switched at run time show on the next render.
    app.jinja_env.globals["label"] = lambda text: current_faults().label(text)

    @app.context_processor
    def _dialog_delay() -> dict[str, int]:
        return {"dialog_delay_ms": int(current_faults().dialog_delay_s * 1000)}

    @app.before_request
    def _inject_faults() -> Response | None:
        path = request.path
        if _unfaulted(path) or _is_static(path):
            return None
        active = current_faults()
        runtime: FaultRuntime = app.config["PORTAL_FAULT_RUNTIME"]
        number = runtime.next_request()
        rng = random.Random(f"{active.seed}:{number}")
        if active.latency_s > 0 and rng.random() < active.latency_share:
            time.sleep(rng.uniform(active.latency_min_s, active.latency_s))
        if runtime.expire_once(number, active.expire_session_after):
            session.clear()
        idempotent = request.method in {"GET", "HEAD"}
        hit = active.error_rate > 0 and rng.random() < active.error_rate
        if hit and (idempotent or active.errors_all):
            status = rng.choice((500, 502, 503))
            response = Response(
                f"mock portal fault: HTTP {status} (errors={active.error_rate:g})\n",
                status=status,
                mimetype="text/plain",
            )
            response.headers["Retry-After"] = "1"
            return response
        return None
