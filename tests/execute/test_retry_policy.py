"""One error tree and one retry policy: refusals are StepErrors, retries are decided by type,
and a failing step takes exactly what the policy (and ``runbook plan``) says. No browser."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_actions import CALLS, FAILURES, REGISTRY
from loguru import logger
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from test_executor import TARGET, run

import automation.errors as errors
from automation.cli.main import main
from automation.cli.plan_view import render_plan
from automation.errors import (
    EXIT_FAILED,
    PortalRefused,
    RunbookError,
    SecretUnsafe,
    ServerError,
    SessionExpired,
    StepError,
    VaultError,
    VersionRefused,
)
from automation.retry import RERUNS_PER_ATTEMPT, RetryPolicy
from automation.runbook import build_plan, load_runbook
from automation.runbook.templating import TemplateError


@pytest.fixture(autouse=True)
def fresh_counters() -> Iterator[None]:
    CALLS.clear()
    FAILURES.clear()
    yield


REFUSALS = [errors.SignInRefused, errors.SecondFactorRequired, errors.VersionRefused,
            errors.PromotionRefused, errors.InstallRefused, errors.IntegrationRefused,
            errors.ConnectionRefused, errors.SyncRefused]


class TestOneErrorTree:
    """Every refusal a site can give is a StepError (a PortalRefused), importable as before."""

    @pytest.mark.parametrize("refusal", REFUSALS)
    def test_refusals_are_step_errors(self, refusal: type[StepError]) -> None:
        error = refusal("Version must be greater than 1.1.0")
        assert isinstance(error, PortalRefused) and isinstance(error, StepError)
        assert error.exit_code == EXIT_FAILED
        assert error.reason == "Version must be greater than 1.1.0"

    def test_lost_sessions_and_server_errors_are_step_errors(self) -> None:
        assert issubclass(SessionExpired, StepError) and issubclass(ServerError, StepError)
        assert not issubclass(SessionExpired, PortalRefused)

    def test_old_import_places_still_work(self) -> None:
        from automation.pages.base import SessionExpired as FromBase
        from automation.pages.developer_portal import DeveloperPortalError
        from automation.pages.developer_portal.errors import SignInRefused
        from automation.pages.procore.install_custom_app_dialog import InstallRefused
        from automation.pages.sync_tool.integration_form import IntegrationRefused

        assert FromBase is SessionExpired and SignInRefused is errors.SignInRefused
        assert issubclass(DeveloperPortalError, PortalRefused)
        assert InstallRefused is errors.InstallRefused
        assert IntegrationRefused is errors.IntegrationRefused


REFUSE = """
runbook: refuse
title: Refuse
steps:
  - title: Create version 1.0.0
    do: fake.refuse
    with: {message: "Version 1.0.0 must be greater than 1.1.0 (session 42)"}
    retries: 2
"""


class TestRefusalReported:
    """A refusal fails its step once, in the portal's words, exit 1, not as an action's bug."""

    def test_refusal_is_the_portals_message(self, tmp_path: Path) -> None:
        debug: list[str] = []
        sink = logger.add(lambda message: debug.append(str(message)), level="DEBUG")
        try:
            result, recorder, _ = run(tmp_path, REFUSE)
        finally:
            logger.remove(sink)
        assert not result.succeeded and result.error is not None
        assert result.error.exit_code == EXIT_FAILED
        assert str(result.error).splitlines()[0].endswith(
            "step 'step1' (fake.refuse) failed: Version 1.0.0 must be greater than 1.1.0 "
            "(session 42)")
        assert isinstance(result.error.__cause__, VersionRefused)
        assert not [line for line in debug if "raised" in line]  # not filed as a bug
        # 'session' in the message changes nothing: a refusal is never retried.
        assert CALLS["refuse"] == 1
        assert [e.attempt for e in recorder.steps if e.status == "failed"] == [1]


LOSE_SESSION = """
runbook: session
title: Session
steps:
  - {title: Sign in, do: fake.sign_in}
  - title: Work
    do: fake.lose_session
    with: {name: work}
    retries: RETRIES
"""


class TestRetryDecidedByType:
    """SessionExpired is retried after signing in again; a refusal or a bug never is."""

    def test_session_expired_retried_after_a_sign_in(self, tmp_path: Path) -> None:
        FAILURES["work"] = 1
        result, recorder, _ = run(tmp_path, LOSE_SESSION.replace("RETRIES", "2"))
        assert result.succeeded
        assert CALLS["sign_in"] == 2  # the step's own, and once again before attempt 2
        assert CALLS["work"] == 2 and CALLS["work after sign-ins:2"] == 1
        assert [(e.status, e.attempt) for e in recorder.steps if e.key == "step2"] == [
            ("started", 1), ("failed", 1), ("started", 2), ("succeeded", 2)]

    def test_without_retries_a_lost_session_fails_the_step(self, tmp_path: Path) -> None:
        FAILURES["work"] = 1
        result, _, _ = run(tmp_path, LOSE_SESSION.replace("RETRIES", "0"))
        assert not result.succeeded and result.failed_step == "step2"
        assert CALLS["sign_in"] == 1 and CALLS["work"] == 1

    def test_a_bug_is_not_retried(self, tmp_path: Path) -> None:
        result, _, _ = run(tmp_path, "runbook: r\ntitle: r\nsteps:\n"
                           "  - {title: Crash, do: fake.crash, retries: 2}\n")
        assert not result.succeeded and CALLS["crash"] == 1

    @pytest.mark.parametrize(("error", "retried"), [
        (SessionExpired("asks to sign in"), True),
        (ServerError("503"), True),
        (PlaywrightTimeoutError("Timeout 30000ms exceeded"), True),
        (PlaywrightError("net::ERR_CONNECTION_RESET"), True),
        (AssertionError("Locator expected to be visible"), True),
        (StepError("3 projects still miss the service account"), True),
        (VersionRefused("session expired? no: version must be greater"), False),
        (PortalRefused("session"), False),
        (RunbookError("bad input"), False),
        (TemplateError("steps.x is undefined"), False),
        (ValueError("'Owner' is not None, Read-Only, Standard or Admin"), False),
        (VaultError("vault sealed"), False),
        (SecretUnsafe("rescued"), False),
        (KeyError("a bug"), False),
    ])
    def test_the_policy_table(self, error: BaseException, retried: bool) -> None:
        assert RetryPolicy.retried(error) is retried


TIME_OUT = """
runbook: slow
title: Slow
steps:
  - title: Wait for what never comes
    do: fake.time_out
    with: {intents: INTENTS}
    timeout: 50ms
    retries: 2
"""


def plan_row(tmp_path: Path, text: str, policy: RetryPolicy | None = None) -> dict[str, Any]:
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    [row] = render_plan(build_plan(load_runbook(path, REGISTRY), {}, REGISTRY), TARGET, policy)
    return row


class TestWorstCase:
    """A step that keeps failing transiently takes attempts x waits x timeout + backoff, the
    product `runbook plan` shows, however many intents its action has."""

    @pytest.mark.parametrize("intents", [1, 3])
    def test_measured_equals_the_product_plan_shows(self, tmp_path: Path, intents: int) -> None:
        text = TIME_OUT.replace("INTENTS", str(intents))
        worst = plan_row(tmp_path, text, RetryPolicy(backoff_s=0.02))["worst_case"]
        waits = 1 + RERUNS_PER_ATTEMPT
        assert (worst["attempts"], worst["waits_per_attempt"]) == (3, waits)
        assert worst["seconds"] == pytest.approx(3 * waits * 0.05 + 0.02 + 0.04)

        result, recorder, _ = run(tmp_path / "run", text, retry_backoff_s=0.02)
        assert not result.succeeded
        failed = [e for e in recorder.steps if e.status == "failed"]
        assert [e.attempt for e in failed] == [1, 2, 3]
        # Each attempt: one wait, then a sign-in and a wait per re-run; then the attempt ends,
        # whether the action had one intent or three.
        assert CALLS["time_out"] == worst["attempts"] * worst["waits_per_attempt"]
        assert CALLS["time_out sign-ins"] == worst["attempts"] * RERUNS_PER_ATTEMPT
        measured = failed[-1].duration_s
        assert measured is not None
        # At least the product (each wait is a real timeout); how much more depends on the
        # machine's load, so no upper bound here: the call counts above prove the structure.
        assert worst["seconds"] <= measured

    def test_unsafe_action_gets_one_attempt_and_no_backoff(self, tmp_path: Path) -> None:
        row = plan_row(tmp_path, "runbook: r\ntitle: r\nsteps:\n"
                       "  - {title: Once, do: fake.once, with: {name: x}, timeout: 2s}\n")
        assert row["worst_case"]["text"] == "1 attempts x 3 waits x 2 s + 0 s backoff = 6 s"


class TestPlanCommand:
    """`runbook plan` prints each step's worst case from the run's numbers (--timeout too)."""

    def test_text_and_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["plan", "runbooks/dmsa-credentials.yaml"]) == 0
        lines = capsys.readouterr().out.splitlines()
        worst = [line.strip() for line in lines if "worst case:" in line]
        assert len(worst) == 16
        assert set(worst) == {
            "worst case: 3 attempts x 3 waits x 30 s + 1.5 s backoff = 271.5 s"}
        assert main(["plan", "runbooks/dmsa-credentials.yaml", "--json", "--timeout", "10"]) == 0
        rows = json.loads(capsys.readouterr().out)
        assert {r["worst_case"]["seconds"] for r in rows} == {3 * 3 * 10 + 0.5 + 1.0}
