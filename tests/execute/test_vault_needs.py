"""What a run will read from the vault, found from the runbook before anything starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.actions import REGISTRY
from automation.errors import RunbookError
from automation.execute.vault_needs import check_before_run, vault_needs
from automation.runbook import build_plan, load_runbook
from automation.runbook.inputs import resolve_inputs
from automation.targets import Target
from automation.vault.memory import MemoryVault
from automation.vault.namespaced import NamespacedVault

DMSA = Path(__file__).parents[2] / "runbooks" / "dmsa-credentials.yaml"
EU = Target("sandbox-eu", {"developer_portal": "http://127.0.0.1:9/developers"})


def needs_of(variables: dict[str, str], path: Path = DMSA) -> dict[str, dict[str, bool]]:
    runbook = load_runbook(path, REGISTRY)
    inputs = resolve_inputs(runbook, variables)
    return {n.path: n.fields for n in vault_needs(runbook, inputs, REGISTRY, EU)}


class TestNeeds:
    """The vault() references, rendered with the inputs; what a step writes is not needed."""

    def test_the_dmsa_runbook_needs_its_three_logins(self) -> None:
        assert needs_of({}) == {
            "procore/developer-portal": {"email": False, "password": False, "totp_seed": True},
            "procore/company-admin": {"login": False, "password": False},
            "sync-tool/login": {"login": False, "password": False},
        }  # not procore/apps/…/production: the promote step writes it

    def test_inputs_choose_the_paths(self) -> None:
        part = DMSA.parent / "procore" / "developer-portal.yaml"
        assert list(needs_of({"developer_login": "procore/developer-portal-mfa"}, part)) == [
            "procore/developer-portal-mfa"]


class TestCheckBeforeRun:
    """Missing secrets stop the run before it starts, with the commands that store them."""

    def run_check(self, vault: MemoryVault, **options: object) -> None:
        runbook = load_runbook(DMSA, REGISTRY)
        inputs = resolve_inputs(runbook, {})
        plan = build_plan(runbook, inputs, REGISTRY)
        check_before_run(plan, inputs, REGISTRY, EU, vault, target_spec="eu.yaml",
                         **options)  # type: ignore[arg-type]

    def test_a_fresh_namespace_is_told_what_to_store(self) -> None:
        vault = MemoryVault()
        vault.put("procore/company-admin", {"login": "x", "password": "y"})  # un-namespaced
        with pytest.raises(RunbookError) as stopped:
            self.run_check(vault)
        text = str(stopped.value)
        assert "sandbox-eu/procore/developer-portal: email, password" in text
        assert "totp_seed" not in text  # optional: read with a default
        assert ("runbook vault put 'procore/company-admin' login=@LOGIN_FILE "
                "password=@PASSWORD_FILE --target eu.yaml --vault 'memory:'") in text
        assert ("`runbook vault move 'procore/company-admin' --namespace sandbox-eu`" in text)

    def test_a_missing_field_is_named_alone(self) -> None:
        vault = NamespacedVault(MemoryVault(), "sandbox-eu")
        vault.put("procore/developer-portal", {"email": "a@b.c", "password": "p"})
        vault.put("procore/company-admin", {"login": "x"})
        vault.put("sync-tool/login", {"login": "x", "password": "y"})
        with pytest.raises(RunbookError) as stopped:
            self.run_check(vault.base)
        text = str(stopped.value)
        lines = [line for line in text.splitlines() if line.startswith("  sandbox-eu/")]
        assert lines == ["  sandbox-eu/procore/company-admin: password (read by "
                         "company.step1, company.projects.step1)"]

    def test_steps_that_will_not_run_need_nothing(self) -> None:
        vault = NamespacedVault(MemoryVault(), "sandbox-eu")
        vault.put("sync-tool/login", {"login": "x", "password": "y"})
        self.run_check(vault.base, start_at="sync.step1")  # only the sync part runs
        self.run_check(vault.base, completed=["developer.step1", "company.step1",
                                              "company.projects.step1"])
