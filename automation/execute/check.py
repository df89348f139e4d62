"""Check mode (``runbook run --check``, ``RunSettings(check=True)``): a run that changes nothing.

Read-only steps (signing in, opening pages, REST GETs) run as usual. A step whose action
changes something runs the action's ``check`` instead, which looks at the current state and
says what a real run would do (:class:`~automation.planned.Planned`). A step whose
arguments wait for what an earlier change would produce (the id of an app not yet created, a
secret not yet captured) does not look: it says what it would do "(after <step>)". Nothing is
written to the vault; secrets a real run would capture are reported as "would capture".
At the end, :meth:`CheckMode.summary` lists the changes a real run would make.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from automation.planned import Planned, Unknown, UnknownSecret, waiting_for
from automation.secret import Secret
from automation.vault.base import VaultRef

if TYPE_CHECKING:
    from automation.action_spec import ActionSpec
    from automation.execute.context import StepRun
    from automation.runbook.plan import PlannedStep

__all__ = ["CheckMode", "Forecast"]


@dataclass(frozen=True)
class Forecast:
    """What one step would do: its changes, or why it changes nothing."""

    step: str
    action: str
    changes: tuple[str, ...]
    #: The steps whose changes it waits for (it could not look before them).
    after: tuple[str, ...] = ()
    unchanged: str = ""

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class CheckMode:
    """The executor's stand-in for changing actions during one check run."""

    def __init__(self) -> None:
        self.forecasts: list[Forecast] = []
        #: Vault paths a real run would write, and the step that would capture them.
        self._captured_by: dict[str, str] = {}
        #: What earlier steps would change ("versions of apps/12"), and which step.
        self._touched_by: dict[str, str] = {}

    def read_vault(self, ref: VaultRef, read: Callable[[VaultRef], Secret]) -> Secret:
        """A vault value; one a real run would capture before now is unknown, not read."""
        step = self._captured_by.get(ref.path)
        return UnknownSecret(step) if step is not None else read(ref)

    def perform(self, planned: PlannedStep, run: StepRun, arguments: dict[str, Any]) -> Any:
        """Runs a read-only step; looks (the action's check) for one that changes something.
        Returns the outputs a real run would give."""
        spec = planned.spec
        after = waiting_for(arguments)
        if not after and spec.check is None and not spec.changes:
            return spec.func(run, **arguments)
        forecast: Planned | None = None
        if not after and spec.check is not None:
            forecast = spec.check(run, **arguments)
            # A look at something an earlier step would change is stale: it waits too.
            after = tuple(dict.fromkeys(self._touched_by[thing] for thing in forecast.looks_at
                                        if thing in self._touched_by))
        if not after and forecast is not None and forecast.failed is not None:
            raise forecast.failed
        if after:
            doing = f"would do: {run.title} (after {', '.join(after)})"
            forecast = (Planned(_unknown_outputs(spec, run.key), (doing,))
                        if spec.changes else
                        Planned(_unknown_outputs(spec, run.key), unchanged=f"not checked: {doing}"))
        elif forecast is None:  # it changes something and has no way to look: not run
            forecast = Planned(_unknown_outputs(spec, run.key),
                               (f"would do: {run.title} (the action cannot look first)",))
        for line in forecast.changes or (forecast.unchanged,):
            run.note(line)
        if forecast.changes:
            self._touched_by.update(dict.fromkeys(forecast.touches, run.key))
        self._remember_captures(planned, run, forecast.outputs)
        self.forecasts.append(Forecast(planned.key, spec.name, forecast.changes, after,
                                       "" if forecast.changes else forecast.unchanged))
        return forecast.outputs

    def _remember_captures(self, planned: PlannedStep, run: StepRun, outputs: Any) -> None:
        vault = planned.step.vault
        if vault is None or run.vault_path is None:
            return
        values = [getattr(outputs, name, None) for name in vault.fields]
        if any(isinstance(v, Unknown | UnknownSecret) for v in values):
            self._captured_by[run.vault_path] = run.key

    # -- the end of the run ----------------------------------------------------------------

    def summary(self) -> list[str]:
        """The lines that end a check run: the changes it found by looking, then the steps
        that could look only after earlier changes (they may or may not change anything)."""
        found = [(f.step, line) for f in self.forecasts if f.changes and not f.after
                 for line in f.changes]
        waiting = [f for f in self.forecasts if f.after and f.changes]
        lines = [f"Check: a real run would make {len(found)} change"
                 f"{'' if len(found) == 1 else 's'}" + (":" if found else ".")]
        lines += [f"  {step}: {line}" for step, line in found]
        if waiting:
            lines.append(f"  and then look at {len(waiting)} step"
                         f"{'' if len(waiting) == 1 else 's'} that wait for those changes:")
            lines += [f"  {f.step} (after {', '.join(f.after)})" for f in waiting]
        return lines

    def report(self) -> dict[str, Any]:
        """For the journal's run_finished: every step looked at, and the total."""
        return {"changes": sum(len(f.changes) for f in self.forecasts if not f.after),
                "waiting": sum(1 for f in self.forecasts if f.after and f.changes),
                "steps": [f.to_json() for f in self.forecasts]}


def _unknown_outputs(spec: ActionSpec, step: str) -> Any:
    """The action's result with every output unknown until ``step``."""
    return spec.result_type(**{o.name: UnknownSecret(step) if o.secret else Unknown(step)
                               for o in spec.outputs})
