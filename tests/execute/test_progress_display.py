"""The pieces of what a run shows, without a browser: estimates, throttling, advice, messages."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from loguru import logger

from automation.actions import REGISTRY
from automation.cli.advice import after_failure
from automation.cli.progress import (
    PLAIN_EVERY_S,
    QUIET_STEP_S,
    PlainDisplay,
    TerminalDisplay,
    Work,
    open_display,
)
from automation.errors import strict_mode_message
from automation.execute.context import PROGRESS_EVERY_S, StepRun
from automation.execute.events import ProgressEvent, StepEvent
from automation.log import configure_logging, log_result
from automation.runbook import build_plan, load_runbook
from automation.runbook.inputs import resolve_inputs
from automation.targets import Target

ROOT = Path(__file__).parents[2]


def plan_of(path: Path, **inputs: Any) -> Any:
    runbook = load_runbook(path, REGISTRY)
    return build_plan(runbook, resolve_inputs(runbook, inputs, {}), REGISTRY)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def console_restored() -> Any:
    """These tests point the log at a string; the next test gets the usual console back."""
    yield
    configure_logging()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr("automation.cli.progress.time.monotonic", fake)
    monkeypatch.setattr("automation.execute.context.time.monotonic", fake)
    return fake


def report(done: int, total: int = 2500, what: str = "adding projects") -> ProgressEvent:
    return ProgressEvent("existing", done, total, what)


class TestEstimate:
    """Counts read "done/total", and an estimate follows once a second of work is measured."""

    def test_rate_since_the_first_report(self) -> None:
        work = Work.first(report(0), now=0.0)
        assert work.describe() == "adding projects 0/2,500"
        work = work.update(report(300), now=0.5)
        assert work.describe() == "adding projects 300/2,500"  # too early to say
        work = work.update(report(1200), now=20.0)
        assert work.describe() == "adding projects 1,200/2,500, about 22 s left"
        work = work.update(report(1300), now=100.0)
        assert work.describe() == "adding projects 1,300/2,500, about 2 min left"
        assert work.update(report(2500), now=101.0).describe() == "adding projects 2,500/2,500"

    def test_new_work_starts_a_new_estimate(self) -> None:
        work = Work.first(report(0), now=0.0).update(report(1000), now=10.0)
        other = work.update(report(1, 40, "choosing projects"), now=11.0)
        assert other.first_done == 1 and other.first_at == 11.0
        assert other.describe() == "choosing projects 1/40"


class TestThrottledReports:
    """A report per item costs nothing: the display hears one every PROGRESS_EVERY_S at most,
    and always the last one."""

    def test_step_run_drops_reports_closer_than_the_interval(self, clock: FakeClock,
                                                            tmp_path: Path) -> None:
        heard: list[int] = []
        nothing: Any = None  # the vault and the browser: progress needs neither
        run = StepRun("existing", "Add", Target("t"), nothing, nothing, tmp_path, False,
                      on_progress=lambda done, total, what: heard.append(done))
        for done in range(1, 2501):
            clock.now += 0.001  # a thousand items a second
            run.progress(done, 2500, "adding projects")
        assert heard[0] == 1 and heard[-1] == 2500
        assert len(heard) == pytest.approx(2.5 / PROGRESS_EVERY_S, abs=2)

    def test_plain_output_repeats_counts_every_few_seconds(self, clock: FakeClock) -> None:
        console = io.StringIO()
        configure_logging(stream=console)
        display = PlainDisplay()
        display.on_step(StepEvent("started", "existing", "Add to projects", 7, 16, "x"))
        for second in range(1, 12):
            clock.now += 1.0
            display.on_progress(report(second * 100))
        lines = console.getvalue().splitlines()
        assert lines == ["→ [ 7/16] Add to projects",
                         "    adding projects 500/2,500, about 20 s left",
                         "    adding projects 1,000/2,500, about 15 s left"]
        assert PLAIN_EVERY_S == 5.0

    def test_a_silent_step_gets_its_elapsed_time(self, clock: FakeClock) -> None:
        console = io.StringIO()
        configure_logging(stream=console)
        display = PlainDisplay()
        display.on_step(StepEvent("started", "app", "Create the app", 2, 16, "x"))
        for _second in range(int(QUIET_STEP_S * 2.5)):
            clock.now += 1.0
            display.tick()
        display.on_step(StepEvent("succeeded", "app", "Create the app", 2, 16, "x",
                                  duration_s=75.0))
        display.tick()
        assert console.getvalue().splitlines() == [
            "→ [ 2/16] Create the app", "    still running after 30 s",
            "    still running after 60 s", "✓ [ 2/16] Create the app  75.00 s"]


class TestChosenDisplay:
    """A terminal gets the live display; a pipe plain lines; --quiet no line per step."""

    def test_by_stream(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("TERM", "xterm")

        class Tty(io.StringIO):
            def isatty(self) -> bool:
                return True

        assert type(open_display(Tty(), quiet=False)) is TerminalDisplay
        assert type(open_display(io.StringIO(), quiet=False)) is PlainDisplay
        assert type(open_display(Tty(), quiet=True)).__name__ == "RunDisplay"
        monkeypatch.setenv("TERM", "dumb")
        assert type(open_display(Tty(), quiet=False)) is PlainDisplay

    def test_quiet_console_keeps_problems_and_results(self) -> None:
        console = io.StringIO()
        configure_logging(stream=console, quiet=True)
        logger.info("✓ [1/2] a step")
        logger.error("✗ [2/2] another step")
        log_result("37/37 projects visible to the service account")
        assert console.getvalue().splitlines() == [
            "✗ [2/2] another step", "37/37 projects visible to the service account"]


class TestRunAgainAdvice:
    """"Run it again" only when every step left looks first; plain steps are named."""

    def test_page_object_runbook_may_run_again(self) -> None:
        plan = plan_of(ROOT / "runbooks" / "dmsa-credentials.yaml")
        middle = plan.steps[len(plan.steps) // 2].key
        assert after_failure(plan, middle, resumable=None) == [
            "Run it again: every step looks first, nothing is done twice"]
        assert after_failure(plan, middle, resumable=Path("runs/r")) == [
            "Resume with: runbook run --resume runs/r"]

    def test_plain_click_runbook_names_its_steps(self) -> None:
        plan = plan_of(ROOT / "fixtures" / "runbooks" / "steps-page.yaml",
                       site_url="http://127.0.0.1:9")
        assert after_failure(plan, "step5", resumable=None) == [
            "Step 'step5' is a plain click, which acts on the screen as it is without looking "
            "first: check the screen before running again, or run again from the failed step "
            "with --start-at step5"]
        (advice,) = after_failure(plan, "step2", resumable=Path("runs/r"))
        assert advice.startswith("Steps 'step2', 'step3', 'step4', 'step5' are plain clicks")
        assert advice.endswith("or resume with: runbook run --resume runs/r")


class TestStrictModeMessage:
    """Each match on its own line; more than five are counted, not listed."""

    def test_format(self) -> None:
        text = strict_mode_message('get_by_role("button", name="Add")',
                                   ['button "Add" in dialog "A"', 'button "Add" under heading "B"'],
                                   7)
        assert text.splitlines() == [
            'get_by_role("button", name="Add") matches 7 elements, not one:',
            '    1) button "Add" in dialog "A"',
            '    2) button "Add" under heading "B"',
            "    ... and 5 more"]
