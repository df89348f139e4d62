"""SIGINT and SIGTERM: both stop a run the same way, except while a secret is in custody.

:func:`install` makes either signal raise :class:`Interrupted` (a KeyboardInterrupt, so code
that already cleans up after Ctrl-C cleans up after ``kill`` too). Inside :func:`deferred` the
signal is only recorded and raised when the block ends: the capture of a secret shown once uses
it so that a signal never cuts the sealing of its rescue file half-way. :func:`interruptible`
re-opens a window inside a deferred block (the vault write, once the rescue file is on disk).
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType

__all__ = ["Interrupted", "deferred", "install", "interruptible"]

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """The run was asked to stop by a signal; ``exit_code`` is the shell's 128 + number."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.name = signal.Signals(signum).name
        self.exit_code = 128 + signum
        super().__init__(self.name)


class _State:
    depth = 0  # > 0: inside deferred() and not inside interruptible()
    pending: int | None = None


def install() -> None:
    """SIGINT and SIGTERM raise :class:`Interrupted` (main thread only, as Python requires)."""
    for signum in _SIGNALS:
        signal.signal(signum, _on_signal)


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    if _State.depth > 0:
        _State.pending = _State.pending or signum
        return
    raise Interrupted(signum)


def _raise_pending() -> None:
    signum, _State.pending = _State.pending, None
    if signum is not None:
        raise Interrupted(signum)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """A signal arriving inside waits for the block to end, then stops the run."""
    _State.depth += 1
    try:
        yield
    finally:
        _State.depth -= 1
        if _State.depth == 0:
            _raise_pending()


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Inside a deferred block: a signal (already pending, or arriving now) raises at once."""
    saved, _State.depth = _State.depth, 0
    try:
        _raise_pending()
        yield
    finally:
        _State.depth = saved
