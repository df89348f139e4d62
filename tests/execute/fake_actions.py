"""Actions without a browser, to test the executor's own logic in milliseconds."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Annotated

from automation.actions.registry import NoOutputs, Registry, action
from automation.errors import StepError
from automation.execute.context import StepRun
from automation.secret import Secret

CALLS: Counter[str] = Counter()
FAILURES: dict[str, int] = {}  # action argument -> failures still to come


@dataclass(frozen=True)
class Made:
    id: str


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: Secret = field(metadata={"help": "shown once"})


@action("fake.make", changes=True, retry_safe=True)
def make(run: StepRun, *, name: Annotated[str, "what to make"]) -> Made:
    """Make a thing (fails as often as FAILURES says)."""
    CALLS[name] += 1
    if FAILURES.get(name, 0) > 0:
        FAILURES[name] -= 1
        raise StepError(f"{name} is not ready yet")
    return Made(id=f"{name}-1")


@action("fake.once", changes=True)
def once(run: StepRun, *, name: str) -> NoOutputs:
    """Something not safe to repeat."""
    CALLS[name] += 1
    if FAILURES.get(name, 0) > 0:
        FAILURES[name] -= 1
        raise StepError(f"{name} failed")
    return NoOutputs()


@action("fake.capture", changes=True, retry_safe=True)
def capture(run: StepRun, *, secret_value: str) -> Credentials:
    """Return a secret output, as the credentials dialog does."""
    CALLS["capture"] += 1
    return Credentials("client-123", Secret(secret_value))


@action("fake.use", changes=False, retry_safe=True)
def use(run: StepRun, *, token: Secret, label: str = "") -> NoOutputs:
    """Receive a secret argument."""
    CALLS["use:" + ("secret" if isinstance(token, Secret) else "plain")] += 1
    CALLS["use-value:" + token.reveal()] += 1
    return NoOutputs()


REGISTRY = Registry([make, once, capture, use])
