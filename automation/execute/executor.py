"""Runs a plan: one step after another, events to subscribers, secrets to the vault.

The executor adds almost nothing to the Playwright calls the actions make: it renders the
step's arguments, calls the action, stores its secret outputs and tells its subscribers.
Settings arrive as a :class:`RunSettings`; nothing here reads global options.

Its attempts are the only repetition of an action: how many, which failures earn another
(by type) and the pause before it come from one :class:`~automation.retry.RetryPolicy`;
after a :class:`~automation.errors.SessionExpired` the next attempt first signs in again. Each
attempt opens the page objects' re-run allowance (``automation.pages.recovery.attempt``).
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loguru import logger
from playwright.sync_api import Error as PlaywrightError

from automation.errors import RunbookToolError, SecretUnsafe, SessionExpired, StepError
from automation.execute.check import CheckMode, Forecast
from automation.execute.context import StepRun
from automation.execute.events import Camera, ProgressEvent, RunEvent, StepEvent, Subscriber
from automation.execute.journal import JournalState
from automation.execute.session import BrowserSession
from automation.pages.base import Site
from automation.pages.recovery import attempt as recovering
from automation.pages.strict_mode import describe_strict_violation
from automation.retry import DEFAULT_BACKOFF_S, DEFAULT_STEP_TIMEOUT_S, RetryPolicy
from automation.runbook.plan import Plan, PlannedStep, RenderEnv
from automation.runbook.selection import Selection
from automation.runbook.templating import TemplateError
from automation.secret import REDACTOR, Secret
from automation.targets import Target
from automation.vault.base import Vault, VaultRef
from automation.vault.namespaced import scoped

__all__ = ["Executor", "RunResult", "RunSettings"]

_WAITING_FOR = re.compile(r"waiting for (.+)")


@dataclass(frozen=True)
class RunSettings:
    run_dir: Path
    headed: bool = False
    tags: frozenset[str] | None = None
    start_at: str | None = None
    #: Outputs of steps that --start-at or --tags leave out, from an earlier run (by key).
    earlier_outputs: Mapping[str, StepEvent] = field(default_factory=dict)
    default_timeout_s: float = DEFAULT_STEP_TIMEOUT_S
    retry_backoff_s: float = DEFAULT_BACKOFF_S
    #: Where a secret the vault refused is sealed: beside the vault, not in the run
    #: directory, which is an artifact people share.
    rescue_dir: Path = Path(".runbook") / "rescue"
    #: Check mode (``--check``): change nothing, say what a real run would change
    #: (:mod:`automation.execute.check`).
    check: bool = False


@dataclass(frozen=True)
class RunResult:
    succeeded: bool
    run_dir: Path
    failed_step: str | None = None
    error: RunbookToolError | None = None
    headlines: tuple[str, ...] = ()
    #: In check mode: what each step looked at would do (the changes a real run would make).
    forecasts: tuple[Forecast, ...] | None = None


class Executor:
    def __init__(
        self,
        plan: Plan,
        *,
        target: Target,
        vault: Vault,
        browser: BrowserSession,
        settings: RunSettings,
        subscribers: Iterable[Subscriber] = (),
        ask_human: Callable[[str], None] | None = None,
        environ: Mapping[str, str] | None = None,
        camera: Camera | None = None,
        progress: Callable[[ProgressEvent], None] | None = None,
    ) -> None:
        self.plan, self.target, self.browser = plan, target, browser
        # The run sees its target's namespace only (mock/..., sandbox/..., a profile's name).
        self.vault: Vault = scoped(vault, target.vault_namespace)
        self.settings = settings
        self.subscribers = list(subscribers)
        self.ask_human = ask_human
        self.headlines: list[str] = []
        self.camera = camera
        #: Hears the running step's progress reports (the run's display), if anyone does.
        self.progress = progress
        #: The picture (and URL) of the screen where this attempt failed, taken before any
        #: recovery navigated away.
        self._failed_screen: tuple[str, str] | None = None
        self._attempt = 1
        self.policy = RetryPolicy(settings.default_timeout_s, settings.retry_backoff_s)
        #: Per site, how to sign in there again (the arguments of the step that did).
        self._sign_in_again: dict[str, Callable[[], None]] = {}
        self.check = CheckMode() if settings.check else None
        self.env = RenderEnv(target, self._read_vault, **({"environ": environ} if environ
                                                          is not None else {}))

    def _read_vault(self, ref: VaultRef) -> Secret:
        if self.check is not None:
            return self.check.read_vault(ref, self.vault.read)
        return self.vault.read(ref)

    # -- the run ---------------------------------------------------------------------------

    def run(self, resume: JournalState | None = None) -> RunResult:
        runbook = self.plan.runbook
        details: dict[str, Any] = {
            "inputs": {k: _public(v) for k, v in self.plan.root.raw_inputs.items()},
            "target": self.target.to_profile(),
            "vault": self.vault.url,
            **({"check": True} if self.check is not None else {}),
        }
        self._emit_run(RunEvent("resumed" if resume else "started", str(runbook.path),
                                runbook.name, details=details))
        if resume is not None:
            self._restore(resume)
        skipped = Selection(self.settings.start_at, self.settings.tags).skipped(self.plan)
        total = len(self.plan.steps)
        for planned in self.plan:
            if resume is not None and planned.key in resume.completed:
                self._emit(planned, "done_before", planned.title(self.env), total)
                continue
            if planned.key in skipped:
                earlier = self.settings.earlier_outputs.get(planned.key)
                if earlier is not None:
                    self._restore_step(planned, earlier)
                elif planned.spec.establishes_session:
                    self._remember_skipped_sign_in(planned)
                self._emit(planned, "skipped", planned.title(self.env), total,
                           reason=skipped[planned.key])
                continue
            try:
                failure = self._run_step(planned, total)
            except KeyboardInterrupt as stop:  # SIGINT or SIGTERM: the journal says so
                self._emit_run(RunEvent("finished", str(runbook.path), runbook.name,
                                        succeeded=False, details={
                                            "failed_step": planned.key,
                                            "interrupted": getattr(stop, "name", "SIGINT")}))
                raise
            if failure is not None:
                self._emit_run(RunEvent("finished", str(runbook.path), runbook.name,
                                        succeeded=False, details={"failed_step": planned.key,
                                                                  **self._check_report()}))
                return RunResult(False, self.settings.run_dir, planned.key, failure,
                                 forecasts=self._forecasts())
        self._emit_run(RunEvent("finished", str(runbook.path), runbook.name, succeeded=True,
                                details=self._check_report()))
        return RunResult(True, self.settings.run_dir, headlines=tuple(self.headlines),
                         forecasts=self._forecasts())

    def _check_report(self) -> dict[str, Any]:
        return {"check": self.check.report()} if self.check is not None else {}

    def _forecasts(self) -> tuple[Forecast, ...] | None:
        return tuple(self.check.forecasts) if self.check is not None else None

    def _run_step(self, planned: PlannedStep, total: int) -> RunbookToolError | None:
        title = planned.title(self.env)
        try:
            if not planned.should_run(self.env):
                self._emit(planned, "skipped", title, total, reason="'when' is false")
                return None
            arguments = planned.arguments(self.env)
            vault_path = planned.vault_path(self.env)
        except (TemplateError, RunbookToolError) as exc:
            error = StepError(str(exc), step=planned.key, where=planned.step.pos)
            self._emit(planned, "failed", title, total, reason=str(error))
            return error
        self.browser.set_timeout(self.policy.timeout_s(planned))
        attempts = self.policy.attempts(planned)
        started = time.perf_counter()
        sensitive = _handles_secrets(planned, arguments)
        lost_session: SessionExpired | None = None
        for attempt in range(1, attempts + 1):
            self._emit(planned, "started", title, total, attempt=attempt, sensitive=sensitive)
            run = StepRun(planned.key, title, self.target, self.vault, self.browser,
                          self.settings.run_dir, self.settings.headed, vault_path,
                          self.ask_human, rescue_dir=self.settings.rescue_dir)
            run.on_progress = self._progress_of(planned.key)
            self._watch_failures(planned, run, attempt)
            try:
                with recovering(self.policy.reruns_per_attempt):
                    if lost_session is not None:
                        self._sign_in_where_asked(lost_session)
                    result = (planned.spec.func(run, **arguments) if self.check is None
                              else self.check.perform(planned, run, arguments))
                outputs, refs = self._outputs(planned, run, result)
            except SecretUnsafe as exc:
                self._emit(planned, "failed", title, total, attempt=attempt, reason=str(exc))
                if self.settings.headed and self.ask_human is not None:
                    # The dialog still shows the secret: keep the browser until the person
                    # has what they need.
                    self.ask_human("The credentials dialog is still open. Press Enter to close "
                                   "the browser.")
                return exc
            except (RunbookToolError, PlaywrightError, AssertionError, TemplateError) as exc:
                failure: BaseException = exc
            except Exception as exc:  # a bug in an action: report it, keep secrets out
                logger.opt(exception=True).debug("action {} raised", planned.spec.name)
                failure = exc
            else:
                self._succeeded(planned, arguments, outputs, refs)
                self._emit(planned, "succeeded", title, total, attempt=attempt,
                           duration_s=time.perf_counter() - started,
                           outputs={k: v for k, v in outputs.items()
                                    if k not in refs and not isinstance(v, Secret)},
                           vault_refs={k: str(r) for k, r in refs.items()},
                           urls=self.browser.urls(), notes=tuple(run.notes),
                           headlines=tuple(run.headlines), sensitive=sensitive,
                           site=_last(run.used_sites))
                self.headlines.extend(run.headlines)
                return None
            error = self._step_error(planned, run, failure)
            self._emit(planned, "failed", title, total, attempt=attempt,
                       duration_s=time.perf_counter() - started, reason=str(error),
                       notes=tuple(run.notes), sensitive=sensitive,
                       site=_last(run.used_sites), locator=error.locator,
                       failed_screen=error.screenshot)
            if attempt == attempts or not self.policy.retried(failure):
                return error
            lost_session = failure if isinstance(failure, SessionExpired) else None
            time.sleep(self.policy.pause_s(attempt))
        raise AssertionError("unreachable: the last attempt returns")

    def _sign_in_where_asked(self, lost: SessionExpired) -> None:
        """Signs in again to the site that asked (named, or showing its sign-in page)."""
        names = [lost.site] if lost.site else [
            name for name, site in self.browser.open_sites() if site.on_sign_in_page()]
        for name in names:
            sign_in = self._sign_in_again.get(name)
            if sign_in is None:
                raise lost  # nothing that could sign in there has run
            sign_in()

    def _outputs(self, planned: PlannedStep, run: StepRun, result: Any
                 ) -> tuple[dict[str, Any], dict[str, VaultRef]]:
        outputs = {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
        step_vault = planned.step.vault
        if step_vault is not None and self.check is None:  # a check writes no vault
            unsaved = {name: outputs[name] for name in step_vault.fields
                       if name not in run.stored and outputs.get(name) is not None}
            if unsaved:
                run.store_secrets(unsaved)
        refs = {name: ref for name, ref in run.stored.items()
                if isinstance(outputs.get(name), Secret)}
        return outputs, refs

    def _succeeded(self, planned: PlannedStep, arguments: dict[str, Any],
                   outputs: dict[str, Any], refs: dict[str, VaultRef]) -> None:
        if planned.step.id:
            planned.scope.outputs[planned.step.id] = outputs
        site = planned.spec.establishes_session
        if site:
            self._remember_sign_in(planned, site, arguments)

    def _remember_sign_in(self, planned: PlannedStep, site: str, arguments: dict[str, Any]
                          ) -> None:
        spec = planned.spec

        def sign_in_again() -> None:
            logger.info("  signing in again to {}", site)
            run = StepRun(planned.key, "sign in again", self.target, self.vault, self.browser,
                          self.settings.run_dir, self.settings.headed, None, self.ask_human)
            spec.func(run, **arguments)

        self._sign_in_again[site] = sign_in_again
        self.browser.sign_in_hooks[site] = lambda _site: sign_in_again()
        if spec.signed_out is not None:
            self.browser.sign_in_checks[site] = spec.signed_out

    def _restore(self, resume: JournalState) -> None:
        """Outputs of steps done before (secrets re-read from the vault), sessions, pages."""
        self.browser.resume_urls.update(resume.urls)
        for planned in self.plan:
            done = resume.completed.get(planned.key)
            if done is not None:
                self._restore_step(planned, done)

    def _remember_skipped_sign_in(self, planned: PlannedStep) -> None:
        """A sign-in step that --start-at or --tags leaves out can still sign in again where
        a later step finds the site asking for it (if its arguments can be rendered now)."""
        try:
            arguments = planned.arguments(self.env)
        except (TemplateError, RunbookToolError) as exc:
            logger.debug("skipped sign-in {} cannot sign in again: {}", planned.key, exc)
            return
        self._remember_sign_in(planned, str(planned.spec.establishes_session), arguments)

    def _restore_step(self, planned: PlannedStep, done: StepEvent) -> None:
        """A step done by an earlier run: its outputs (secrets re-read from the vault) and,
        if it signed in somewhere, how to sign in there again."""
        outputs: dict[str, Any] = dict(done.outputs)
        for name, ref in done.vault_refs.items():
            outputs[name] = self.vault.read_recorded(ref)
        if planned.step.id:
            planned.scope.outputs[planned.step.id] = outputs
        if planned.spec.establishes_session:
            self._remember_sign_in(planned, planned.spec.establishes_session,
                                   planned.arguments(self.env))

    # -- reporting -------------------------------------------------------------------------

    def _step_error(self, planned: PlannedStep, run: StepRun, exc: BaseException) -> StepError:
        """The report of a failed attempt: the step, where it is, and ``exc``'s first line
        (a site's refusal in the site's words); the typed ``exc`` stays its ``__cause__``."""
        text = REDACTOR.scrub(str(exc) or type(exc).__name__)
        first_line = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
        matched = describe_strict_violation(exc)  # which elements, where Playwright says "2"
        if matched is not None:
            first_line = REDACTOR.scrub(matched)
        locator = _WAITING_FOR.search(text)
        urls = self.browser.urls()
        url = urls.get(run.used_sites[-1]) if run.used_sites else None
        screenshot = self._failure_screenshot(planned, run)
        if self._failed_screen is not None:  # recovery navigated away: show where it failed
            screenshot, url = self._failed_screen
        error = StepError(
            f"step '{planned.key}' ({planned.spec.name}) failed: {first_line}",
            step=planned.key,
            where=planned.step.pos,
            url=url,
            locator=locator.group(1).strip() if locator else None,
            screenshot=screenshot,
        )
        error.__cause__ = exc
        return error

    def _failure_screenshot(self, planned: PlannedStep, run: StepRun) -> str | None:
        if self.camera is None or self._failed_screen is not None:
            return None
        for name, site in self.browser.open_sites():
            if run.used_sites and name != run.used_sites[-1]:
                continue  # the page the step was on, not another site's
            return self.camera.picture(site, planned.key, self._attempt, "failed", run.sensitive)
        return None

    def _watch_failures(self, planned: PlannedStep, run: StepRun, attempt: int) -> None:
        """Pictures of the screen where an intent failed (before recovery navigates away)
        and of a secret being captured, masked, through the camera."""
        self._failed_screen, self._attempt = None, attempt
        camera = self.camera
        if camera is None:
            self.browser.before_recovery = None
            return

        def before_recovery(site: Site) -> None:
            path = camera.picture(site, planned.key, attempt, "failed", run.sensitive)
            if path is not None:
                self._failed_screen = (path, site.page.url)

        def secret_shown() -> None:
            for name, site in self.browser.open_sites():
                if name == _last(run.used_sites):
                    camera.picture(site, planned.key, attempt, "secret-captured", run.sensitive)

        self.browser.before_recovery = before_recovery
        run.on_storing_secrets = secret_shown

    def _progress_of(self, key: str) -> Callable[[int, int, str], None] | None:
        hears = self.progress
        if hears is None:
            return None
        return lambda done, total, what: hears(ProgressEvent(key, done, total, what))

    def _emit(self, planned: PlannedStep, status: Any, title: str, total: int, **fields: Any
              ) -> None:
        event = StepEvent(status=status, key=planned.key, title=title, index=planned.index,
                          total=total, action=planned.spec.name, summary=planned.spec.summary,
                          establishes_session=planned.spec.establishes_session, **fields)
        for subscriber in self.subscribers:
            subscriber.on_step(event)

    def _emit_run(self, event: RunEvent) -> None:
        for subscriber in self.subscribers:
            subscriber.on_run(event)


def _last(items: list[str]) -> str | None:
    return items[-1] if items else None


def _handles_secrets(planned: PlannedStep, arguments: Mapping[str, Any]) -> bool:
    """Whether the step types a secret (a Secret argument) or reads one (a secret output)."""
    def holds_secret(value: Any) -> bool:
        if isinstance(value, Secret):
            return True
        if isinstance(value, Mapping):
            return any(holds_secret(v) for v in value.values())
        if isinstance(value, list | tuple):
            return any(holds_secret(v) for v in value)
        return False

    return any(o.secret for o in planned.spec.outputs) or holds_secret(arguments)


def _public(value: Any) -> Any:
    if isinstance(value, VaultRef):
        return str(value)
    if isinstance(value, Secret):
        return value.describe()
    return value
