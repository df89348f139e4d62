"""The one retry policy: what is tried again, how often, and how long a failing step can take.

Repetition happens at two levels, each bounded here and nowhere else:

- **Within an attempt, page objects never repeat an intent.** A navigation whose GET comes
  back as a passing server error (5xx) is loaded again :data:`RELOADS_OF_A_SERVER_ERROR` time
  (at once: an error page costs no wait), then raises :class:`~automation.errors.ServerError`.
  An intent that fails on a page showing the sign-in form or a server error raises
  :class:`~automation.errors.SessionExpired` or :class:`~automation.errors.ServerError` instead
  of the timeout it met (``automation.pages.recovery.again_after_sign_in``), and stops there.
- **The executor's attempts are the only repetition of an action:** ``1 + retries`` attempts
  for an action declared ``retry_safe`` (it looks at the current state first), 1 otherwise.
  Before each further attempt it pauses (:meth:`RetryPolicy.pause_s`, doubling) and, after a
  :class:`~automation.errors.SessionExpired`, signs in to that site again.

What is retried (:meth:`RetryPolicy.retried`, by type, never by the words of a message):

- transient: a lost session (``SessionExpired``), a passing 5xx (``ServerError``), Playwright's
  errors (its timeouts among them, and a web-first ``expect`` that timed out, an
  ``AssertionError``), and a plain ``StepError`` from an action's own check of the site (the
  site may still be settling);
- never: a refusal (``PortalRefused``: the site said no, it will say it again), invalid input
  (``RunbookError``, ``TemplateError``, and ``ValueError``/``TypeError`` from an action),
  secret custody (``VaultError``, ``SecretUnsafe``), and anything else (a bug in an action).

The worst case of a failing step (:meth:`RetryPolicy.worst_case`, shown by ``runbook plan``):
an attempt fails at the first wait that runs out (nothing waits again within it), so it costs
one step timeout, and::

    worst case = attempts x step timeout + the pauses between attempts

``retries: 2``, the default 30 s timeout and 0.5 s backoff: 3 x 30 s + (0.5 + 1) s = 91.5 s.
Work that succeeded before the failing wait, and a sign-in again, come on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError

from automation.errors import (
    PortalRefused,
    RunbookError,
    SecretUnsafe,
    ServerError,
    SessionExpired,
    StepError,
    VaultError,
)

if TYPE_CHECKING:
    from automation.runbook.plan import PlannedStep

__all__ = [
    "DEFAULT_BACKOFF_S",
    "DEFAULT_STEP_TIMEOUT_S",
    "RELOADS_OF_A_SERVER_ERROR",
    "RetryPolicy",
    "WorstCase",
]

DEFAULT_STEP_TIMEOUT_S = 30.0
DEFAULT_BACKOFF_S = 0.5
#: How often a page object loads a GET again that answered a passing 5xx, within an attempt.
RELOADS_OF_A_SERVER_ERROR = 1

#: Checked first: a refusal is a StepError, and a StepError is otherwise transient. (What is
#: in neither tuple, a TemplateError or a bug, is not retried either.)
_NEVER: tuple[type[BaseException], ...] = (
    PortalRefused, RunbookError, VaultError, SecretUnsafe, ValueError, TypeError,
)
_TRANSIENT: tuple[type[BaseException], ...] = (
    SessionExpired, ServerError, PlaywrightError, AssertionError, StepError,
)


@dataclass(frozen=True)
class WorstCase:
    """How long a step that keeps failing transiently takes, and what that is made of."""

    attempts: int
    timeout_s: float
    backoff_s: float

    @property
    def seconds(self) -> float:
        return self.attempts * self.timeout_s + self.backoff_s

    def __str__(self) -> str:
        return (f"{self.attempts} x {_secs(self.timeout_s)} + {_secs(self.backoff_s)} backoff"
                f" = {_secs(self.seconds)}")


def _secs(value: float) -> str:
    return f"{value:g} s"


@dataclass(frozen=True)
class RetryPolicy:
    """The numbers and the decisions the executor uses, and ``runbook plan`` shows."""

    default_timeout_s: float = DEFAULT_STEP_TIMEOUT_S
    #: The pause before the second attempt; each further pause doubles.
    backoff_s: float = DEFAULT_BACKOFF_S

    def attempts(self, planned: PlannedStep) -> int:
        return 1 + (planned.step.retries if planned.spec.retry_safe else 0)

    def timeout_s(self, planned: PlannedStep) -> float:
        """Playwright's timeout for the step: its own ``timeout``, else the run's default."""
        return planned.step.timeout_s or self.default_timeout_s

    def pause_s(self, attempt: int) -> float:
        """The pause after failed attempt number ``attempt`` (from 1), before the next."""
        return self.backoff_s * 2.0 ** (attempt - 1)

    @staticmethod
    def retried(error: BaseException) -> bool:
        """Whether an attempt that failed with ``error`` may be followed by another."""
        return not isinstance(error, _NEVER) and isinstance(error, _TRANSIENT)

    def worst_case(self, planned: PlannedStep) -> WorstCase:
        attempts = self.attempts(planned)
        return WorstCase(attempts, self.timeout_s(planned),
                         sum(self.pause_s(a) for a in range(1, attempts)))
