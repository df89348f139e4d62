"""Fixed-window rate limits with Procore's headers, and budgets of failed attempts.

Procore answers ``X-Rate-Limit-Limit``, ``-Remaining`` and ``-Reset`` (epoch seconds) and 429
over the limit. The REST API counts every request of a token; the OAuth token endpoint and
the sign-in pages count only *failed* attempts, per client id or login and per remote
address, so that guessing is cut short while a run that asks for a few tokens never is.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from flask import Flask, current_app, request

__all__ = [
    "OAUTH_FAILURES",
    "SIGN_IN_FAILURES",
    "FailureLimit",
    "Quota",
    "RateWindows",
    "failure_quota",
    "rate_windows",
    "record_failure",
    "reset_rate_limits",
]


@dataclass(frozen=True)
class Quota:
    allowed: bool
    limit: int
    remaining: int
    reset_at: float

    def headers(self) -> dict[str, str]:
        headers = {
            "X-Rate-Limit-Limit": str(self.limit),
            "X-Rate-Limit-Remaining": str(self.remaining),
            "X-Rate-Limit-Reset": str(int(self.reset_at)),
        }
        if not self.allowed:
            headers["Retry-After"] = str(max(int(self.reset_at - time.time()), 1))
        return headers


class RateWindows:
    """One count per key in windows of ``window_s`` seconds, each starting at its first use."""

    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def _current(self, key: str) -> tuple[float, int]:
        started, used = self._windows.get(key, (time.time(), 0))
        if time.time() - started >= self.window_s:
            started, used = time.time(), 0
        return started, used

    def peek(self, key: str, limit: int) -> Quota:
        """The quota left, without using any."""
        with self._lock:
            started, used = self._current(key)
        return Quota(used < limit, limit, max(limit - used, 0), started + self.window_s)

    def take(self, key: str, limit: int) -> Quota:
        """Uses one if any is left; ``allowed`` says whether one was."""
        with self._lock:
            started, used = self._current(key)
            allowed = used < limit
            used += 1 if allowed else 0
            self._windows[key] = (started, used)
        return Quota(allowed, limit, max(limit - used, 0), started + self.window_s)

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()


def rate_windows(app: Flask, name: str, window_s: float) -> RateWindows:
    """The app's windows called ``name`` (made on first use); reset with the portal."""
    every: dict[str, RateWindows] = app.extensions.setdefault("portal_rate_windows", {})
    return every.get(name) or every.setdefault(name, RateWindows(window_s))


def reset_rate_limits(app: Flask) -> None:
    for windows in app.extensions.get("portal_rate_windows", {}).values():
        windows.clear()


@dataclass(frozen=True)
class FailureLimit:
    """How many failed attempts a key (client id, login) and an address may make a window."""

    name: str
    per_key: int
    per_address: int
    window_s: float = 300.0


OAUTH_FAILURES = FailureLimit("oauth_failures", per_key=10, per_address=100)
SIGN_IN_FAILURES = FailureLimit("sign_in_failures", per_key=10, per_address=100)


def _keys(limit: FailureLimit, key: str) -> list[tuple[str, int]]:
    return [(f"key:{key}", limit.per_key), (f"address:{request.remote_addr}", limit.per_address)]


def failure_quota(limit: FailureLimit, key: str) -> Quota:
    """The tighter of the key's and the address's budgets; refused once either is spent."""
    windows = rate_windows(current_app, limit.name, limit.window_s)
    quotas = [windows.peek(name, count) for name, count in _keys(limit, key)]
    refused = [q for q in quotas if not q.allowed]
    if refused:
        return max(refused, key=lambda q: q.reset_at)
    return min(quotas, key=lambda q: (q.remaining, q.limit))


def record_failure(limit: FailureLimit, key: str) -> Quota:
    """Counts a failed attempt against the key and the address; returns what is left."""
    windows = rate_windows(current_app, limit.name, limit.window_s)
    for name, count in _keys(limit, key):
        windows.take(name, count)
    return failure_quota(limit, key)
