"""--start-at takes what the skipped steps produced from the latest earlier run."""

from __future__ import annotations

from pathlib import Path

from fake_actions import CALLS, FAILURES
from runner import TARGET, journaled_run, plan_of

from automation.execute.journal import latest_outputs
from automation.runbook.selection import Selection, outputs_needed
from automation.vault.memory import MemoryVault

SECRET = "earlier-secret-value"
TEXT = """
runbook: earlier
title: Outputs of earlier steps
steps:
  - {id: app, title: Make the app, do: fake.make, with: {name: app}}
  - id: credentials
    title: Capture the credentials
    do: fake.capture
    with: {secret_value: "{{ vault('seed/source#value') }}"}
    vault: {path: apps/demo, fields: [client_id, client_secret]}
  - id: use
    title: Use the secret of {{ steps.app.id }}
    do: fake.use
    with: {token: "{{ steps.credentials.client_secret }}", label: "{{ steps.app.id }}"}
"""


def seeded_vault() -> MemoryVault:
    vault = MemoryVault()
    vault.put("test/seed/source", {"value": SECRET})  # under the test target's namespace
    return vault


class TestStartAtTakesEarlierOutputs:
    """The steps after --start-at read the skipped steps' outputs from the newest earlier
    run of the same runbook and target; secrets come from the vault, not the journal."""

    def test_outputs_come_from_the_newest_earlier_run(self, tmp_path: Path) -> None:
        runs, vault = tmp_path / "runs", seeded_vault()
        plan = plan_of(tmp_path / "r.yaml", TEXT)
        assert journaled_run(plan, runs / "20260101T000000.000000Z-earlier", vault).succeeded
        CALLS.clear()

        plan = plan_of(tmp_path / "r.yaml", TEXT)
        selection = Selection(start_at="use")
        needs = outputs_needed(plan, selection.skipped(plan))
        assert sorted({(n.producer, n.output) for n in needs}) == [
            ("app", "id"), ("credentials", "client_secret")]
        found = latest_outputs(runs, "earlier", TARGET.name)
        journaled = found["credentials"][0]
        assert journaled.vault_refs == {"client_secret": "vault:test/apps/demo#client_secret"}
        assert "client_secret" not in journaled.outputs
        earlier = {key: event for key, (event, _) in found.items()}
        result = journaled_run(plan, runs / "20260101T000001.000000Z-earlier", vault,
                               start_at="use", earlier_outputs=earlier)
        assert result.succeeded
        assert {"use:secret": 1, f"use-value:{SECRET}": 1} == CALLS

    def test_runs_of_another_target_or_runbook_do_not_count(self, tmp_path: Path) -> None:
        runs = tmp_path / "runs"
        plan = plan_of(tmp_path / "r.yaml", TEXT)
        assert journaled_run(plan, runs / "1-earlier", seeded_vault()).succeeded
        assert set(latest_outputs(runs, "earlier", TARGET.name)) == {
            "app", "credentials", "use"}
        assert latest_outputs(runs, "earlier", "production") == {}
        assert latest_outputs(runs, "other-runbook", TARGET.name) == {}


class TestSkippedSignInStillSignsIn:
    """A sign-in step left out by --start-at signs in again when a later step's site asks."""

    TEXT = """
runbook: signed
title: Sign in, then work
steps:
  - {id: login, title: Sign in, do: fake.sign_in}
  - {id: work, title: Work, do: fake.lose_session, with: {name: work}, retries: 1}
"""

    def test_site_asking_to_sign_in_gets_it(self, tmp_path: Path) -> None:
        FAILURES["work"] = 1  # the site asks to sign in once
        try:
            result = journaled_run(plan_of(tmp_path / "r.yaml", self.TEXT), tmp_path / "run",
                                   start_at="work")
        finally:
            FAILURES.clear()
        assert result.succeeded
        assert CALLS["sign_in"] == 1  # only when asked
        assert CALLS["work after sign-ins:1"] == 1
