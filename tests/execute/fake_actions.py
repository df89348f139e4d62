"""Actions without a browser, to test the executor's own logic in milliseconds."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Annotated

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automation.action_spec import NoOutputs, Registry, action
from automation.errors import SessionExpired, StepError, VersionRefused
from automation.execute.context import StepRun
from automation.pages.base import Site
from automation.pages.recovery import again_after_sign_in
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


@action("fake.sign_in", changes=False, retry_safe=True, establishes_session="fake_site")
def sign_in(run: StepRun) -> NoOutputs:
    """Sign in to fake_site (counted)."""
    CALLS["sign_in"] += 1
    return NoOutputs()


@action("fake.lose_session", changes=True, retry_safe=True)
def lose_session(run: StepRun, *, name: str) -> NoOutputs:
    """Find fake_site asking to sign in again, as often as FAILURES says."""
    CALLS[name] += 1
    CALLS[f"{name} after sign-ins:{CALLS['sign_in']}"] += 1
    if FAILURES.get(name, 0) > 0:
        FAILURES[name] -= 1
        raise SessionExpired("fake_site asks to sign in again", site="fake_site")
    return NoOutputs()


@action("fake.refuse", changes=True, retry_safe=True)
def refuse(run: StepRun, *, message: str) -> NoOutputs:
    """The portal says no, in its own words (which may well contain 'session')."""
    CALLS["refuse"] += 1
    raise VersionRefused(message)


def _signed_out_site() -> Site:
    """A site without a browser whose page always asks to sign in again (signing in counts)."""

    def sign_in(_site: Site) -> None:
        CALLS["time_out sign-ins"] += 1

    page = SimpleNamespace(url="http://fake.invalid/sign_in")  # all the recovery reads
    return Site(page, "http://fake.invalid", sign_in=sign_in,  # type: ignore[arg-type]
                is_sign_in_page=lambda _page: True)


@action("fake.time_out", changes=False, retry_safe=True)
def time_out(run: StepRun, *, intents: int = 1) -> NoOutputs:
    """Intents that each wait the whole step timeout for what never comes (as a locator
    would) on a site that keeps asking to sign in again."""
    site = _signed_out_site()

    def wait_in_vain() -> None:
        CALLS["time_out"] += 1
        time.sleep(run.browser.default_timeout_ms / 1000)
        raise PlaywrightTimeoutError(f"Timeout {run.browser.default_timeout_ms:g}ms exceeded")

    for _intent in range(intents):
        again_after_sign_in(site, wait_in_vain)
    return NoOutputs()


@action("fake.crash", changes=True, retry_safe=True)
def crash(run: StepRun) -> NoOutputs:
    """A bug in an action."""
    CALLS["crash"] += 1
    raise KeyError("oops")


REGISTRY = Registry([make, once, capture, use, sign_in, lose_session, refuse, time_out, crash])
