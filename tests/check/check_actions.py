"""Actions over an in-memory world, each with its check, to test check mode without a browser."""

from __future__ import annotations

from dataclasses import dataclass, field

from automation.action_spec import NoOutputs, Registry, action, check_of
from automation.execute.context import StepRun
from automation.planned import Planned, Unknown, UnknownSecret
from automation.secret import Secret

#: The "remote state": what was made, and the credentials issued once.
WORLD: dict[str, dict[str, str]] = {"things": {}, "issued": {}}
READS: list[str] = []


@dataclass(frozen=True)
class Made:
    id: str
    created: bool


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: Secret = field(metadata={"help": "shown once"})


@action("demo.make", changes=True, retry_safe=True)
def make(run: StepRun, *, name: str) -> Made:
    """Make a thing, or reuse the one of that name."""
    if name in WORLD["things"]:
        return Made(WORLD["things"][name], created=False)
    WORLD["things"][name] = f"{name}-{len(WORLD['things']) + 1}"
    return Made(WORLD["things"][name], created=True)


@check_of(make)
def check_make(run: StepRun, *, name: str) -> Planned:
    if name in WORLD["things"]:
        return Planned(Made(WORLD["things"][name], False), unchanged=f"nothing to do: {name}")
    return Planned(Made(Unknown(run.key), True), (f"would make '{name}'",))


@action("demo.issue", changes=True, retry_safe=True)
def issue(run: StepRun, *, thing: str) -> Credentials:
    """Issue the thing's credentials (shown once) unless issued."""
    WORLD["issued"].setdefault(thing, "s3cr3t-value-" + thing)
    return Credentials(f"id-{thing}", Secret(WORLD["issued"][thing]))


@check_of(issue)
def check_issue(run: StepRun, *, thing: str) -> Planned:
    if thing in WORLD["issued"]:
        return Planned(Credentials(f"id-{thing}", run.vault.get(run.vault_path or "")[
            "client_secret"]), unchanged="nothing to do: issued")
    return Planned(Credentials(Unknown(run.key), UnknownSecret(run.key)),
                   (f"would issue credentials for {thing} and capture them",))


@action("demo.read", changes=False, retry_safe=True)
def read(run: StepRun, *, token: Secret, what: str = "") -> NoOutputs:
    """A read-only look with a secret (as a REST GET with a token)."""
    READS.append(what)
    return NoOutputs()


@action("demo.blind", changes=True)
def blind(run: StepRun, *, name: str) -> NoOutputs:
    """Changes something and has no way to look first."""
    WORLD["things"]["blind:" + name] = "done"
    return NoOutputs()


REGISTRY = Registry([make, issue, read, blind])
