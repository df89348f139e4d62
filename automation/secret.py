"""A value that must never be printed, logged, journaled or shown.

``Secret`` wraps a string. Every way Python turns it into text (``str``, ``repr``, f-strings,
``%``, ``json``, logging) yields ``<secret>``; the value leaves only through :meth:`reveal`,
which is called at the Playwright call or the vault write and nowhere else.

Every secret created is also registered with :data:`REDACTOR`, so that a value which escapes
by another road (an exception text quoting a page, a URL) is still scrubbed from every log sink.
"""

from __future__ import annotations

import hmac
import threading
from typing import NoReturn

__all__ = ["REDACTOR", "Redactor", "Secret", "plain"]

MASK = "***"


class Redactor:
    """Replaces every secret value in play with ``***``; thread safe."""

    # Shorter values would mask ordinary words; such values are not credentials anyway.
    MIN_LENGTH = 4

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._sources: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    def add(self, value: str, source: str | None = None) -> None:
        if len(value) >= self.MIN_LENGTH:
            with self._lock:
                self._values.add(value)
                if source:
                    self._sources.setdefault(value, set()).add(source)

    def sources(self, value: str) -> frozenset[str]:
        """Where a value came from (``vault:path#field``), as far as is known."""
        with self._lock:
            return frozenset(self._sources.get(value, ()))

    def scrub(self, text: str) -> str:
        with self._lock:
            values = sorted(self._values, key=len, reverse=True)
        for value in values:
            if value in text:
                text = text.replace(value, MASK)
        return text

    def scrub_bytes(self, data: bytes) -> bytes:
        with self._lock:
            values = sorted(self._values, key=len, reverse=True)
        for value in values:
            data = data.replace(value.encode(), MASK.encode())
        return data

    def values(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._values)


REDACTOR = Redactor()


class Secret:
    """A string that renders as ``<secret>`` everywhere except through :meth:`reveal`.

    ``source`` says where the value came from (``vault:procore/portal#password``) so that plans
    and journals can name it without showing it.
    """

    __slots__ = ("_value", "source")

    def __init__(self, value: str | Secret, source: str | None = None) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError(f"Secret wraps a str, not {type(value).__name__}")
        self._value = value
        self.source = source
        REDACTOR.add(value, source)

    def reveal(self) -> str:
        """The plain value: only for the Playwright call or the vault write."""
        return self._value

    def describe(self) -> str:
        """``<secret vault:path#field>``: names the source, never the value."""
        return f"<secret {self.source}>" if self.source else "<secret>"

    def __str__(self) -> str:
        return "<secret>"

    def __repr__(self) -> str:
        return "Secret('<secret>')"

    def __format__(self, spec: str) -> str:
        return "<secret>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            return hmac.compare_digest(self._value.encode(), other._value.encode())
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __len__(self) -> int:
        return len(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret cannot be pickled")


def plain(value: str | Secret) -> str:
    """The text of an argument that may come from the vault (a login, a client id), for the
    Playwright call or the HTTP request that needs it."""
    return value.reveal() if isinstance(value, Secret) else value
