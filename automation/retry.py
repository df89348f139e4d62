"""The one retry policy: what is tried again, how often, and how long a failing step can take.

Repetition happens at three levels, each bounded by a number here and nowhere else:

- **A navigation:** a GET that comes back as a passing server error (5xx) is loaded again
  :data:`RELOADS_OF_A_SERVER_ERROR` (2) times at most, at once: an error page costs no wait.
  If it stays one, :class:`~automation.errors.ServerError`.
- **An attempt:** an intent that fails on a lost session or a server error is run again after
  signing in (``automation.pages.recovery.again_after_sign_in``), :data:`RERUNS_PER_ATTEMPT`
  (2) times per attempt, shared by the attempt's intents. With none left the typed error
  (``SessionExpired``, ``ServerError``) ends the attempt.
- **A step:** the executor's attempts are the only repetition of an action: ``1 + retries``
  for an action declared ``retry_safe`` (it looks at the current state first), 1 otherwise,
  with a pause before each further one (:meth:`RetryPolicy.pause_s`, doubling) and, after a
  ``SessionExpired``, a sign-in again first.

What earns another attempt (:meth:`RetryPolicy.retried`, by type, never by the words of a
message):

- transient: a lost session (``SessionExpired``), a passing 5xx (``ServerError``), Playwright's
  errors (its timeouts among them, and a web-first ``expect`` that timed out, an
  ``AssertionError``), and a plain ``StepError`` from an action's own check of the site (the
  site may still be settling);
- never: a refusal (``PortalRefused``: the site said no and will say it again), invalid input
  (``RunbookError``, ``TemplateError``, ``ValueError``/``TypeError`` from an action), secret
  custody (``VaultError``, ``SecretUnsafe``), and anything else (a bug in an action).

The worst case of a failing step (:meth:`RetryPolicy.worst_case`, shown by ``runbook plan``):
an attempt ends at the first wait that runs out once its re-runs are spent, so it waits out
at most ``1 + RERUNS_PER_ATTEMPT`` step timeouts, and::

    worst case = attempts x (1 + reruns) x step timeout + the pauses between attempts

``retries: 2``, the default 30 s timeout and 0.5 s backoff: 3 x 3 x 30 s + (0.5 + 1) s =
271.5 s. Work that succeeded before the failing waits, and signing in again, come on top.
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
    "RERUNS_PER_ATTEMPT",
    "RetryPolicy",
    "WorstCase",
]

DEFAULT_STEP_TIMEOUT_S = 30.0
DEFAULT_BACKOFF_S = 0.5
#: How often a page object loads a GET again that answered a passing 5xx (per navigation).
RELOADS_OF_A_SERVER_ERROR = 2
#: How often, within one attempt, an intent runs again after a lost session or a server error
#: (``automation.pages.recovery.again_after_sign_in``), shared by the attempt's intents.
RERUNS_PER_ATTEMPT = 2

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
    #: The waits that may run out in one attempt: the first, and one per re-run.
    waits_per_attempt: int
    timeout_s: float
    backoff_s: float

    @property
    def seconds(self) -> float:
        return self.attempts * self.waits_per_attempt * self.timeout_s + self.backoff_s

    def __str__(self) -> str:
        return (f"{self.attempts} attempts x {self.waits_per_attempt} waits x "
                f"{_secs(self.timeout_s)} + {_secs(self.backoff_s)} backoff"
                f" = {_secs(self.seconds)}")


def _secs(value: float) -> str:
    return f"{value:g} s"


@dataclass(frozen=True)
class RetryPolicy:
    """The numbers and the decisions the executor uses, and ``runbook plan`` shows."""

    default_timeout_s: float = DEFAULT_STEP_TIMEOUT_S
    #: The pause before the second attempt; each further pause doubles.
    backoff_s: float = DEFAULT_BACKOFF_S
    reruns_per_attempt: int = RERUNS_PER_ATTEMPT

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
        return WorstCase(attempts, 1 + self.reruns_per_attempt, self.timeout_s(planned),
                         sum(self.pause_s(a) for a in range(1, attempts)))
