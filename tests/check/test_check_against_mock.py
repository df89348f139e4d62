"""Check mode of the real `runbook` command against the mock portal: it predicts what a real
run then does, changes nothing (the portal's whole state byte for byte, the vault's bytes),
prints no secret, and after a real run predicts no change."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from world import APP, CREDENTIALS, UIS, World, make_world

from automation.mock_portal.procore.apps import install_app
from automation.mock_portal.state import seed_promoted_app

pytestmark = pytest.mark.browser
RUNBOOKS = Path(__file__).parents[2] / "runbooks"
COMPANY_SIDE = RUNBOOKS / "procore" / "company-install.yaml"


def portal_state(world: World) -> bytes:
    """The whole state, as the mock's admin endpoint serializes it."""
    request = urllib.request.Request(world.portal.base_url + "/__mock__/state",
                                     headers=world.portal.admin_headers())
    with urllib.request.urlopen(request, timeout=10) as answer:
        data: bytes = answer.read()
    return data


def vault_bytes(world: World) -> bytes:
    return (world.folder / ".runbook" / "vault.enc").read_bytes()


def secrets_in_play(world: World) -> list[str]:
    """The secrets the vault holds (passwords, a client secret; not the logins or ids)."""
    public = {"email", "login", "client_id"}
    with world.vault() as vault:
        return [value.reveal() for path in vault.list("")
                for name, value in vault.get(path).items() if name not in public]


@dataclass
class Checked:
    """One `runbook run --check` and what it left."""

    result: subprocess.CompletedProcess[str]
    run_dir: Path
    forecasts: list[dict[str, Any]]
    state_before: bytes
    state_after: bytes
    vault_before: bytes
    vault_after: bytes
    secrets: list[str] = field(default_factory=list)

    def definite(self) -> dict[str, list[str]]:
        """Steps the check found would change something, by looking."""
        return {f["step"]: f["changes"] for f in self.forecasts if f["changes"] and not
                f["after"]}

    def waiting(self) -> set[str]:
        """Steps that would change something only after earlier changes (not looked at)."""
        return {f["step"] for f in self.forecasts if f["changes"] and f["after"]}


def check(world: World, *args: str, runbook: Path = RUNBOOKS / "dmsa-credentials.yaml"
          ) -> Checked:
    state, vault = portal_state(world), vault_bytes(world)
    before = set(world.run_dirs()) if (world.folder / "runs").exists() else set()
    result = world.run("--check", *args, runbook=runbook)
    (run_dir,) = set(world.run_dirs()) - before
    finished = world.journal(run_dir)[-1]
    assert finished["event"] == "run_finished", result.stderr
    return Checked(result, run_dir, finished["check"]["steps"], state, portal_state(world),
                   vault, vault_bytes(world), secrets_in_play(world))


#: How a real run's journal shows that a step changed something, by the step's outputs.
CHANGED_BY_OUTPUTS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "developer_portal.create_app": lambda out: bool(out["created"]),
    "procore.install_custom_app": lambda out: bool(out["installed_now"]),
    "procore.add_to_all_new_projects": lambda out: bool(out["changed"]),
    "procore.add_to_all_existing_projects": lambda out: out["added"] > 0,
    "sync_tool.create_integration": lambda out: bool(out["created"]),
    "sync_tool.create_connection": lambda out: bool(out["created"]),
    "sync_tool.start_sync": lambda out: True,
}


def changed_steps(journal: list[dict[str, Any]], before: dict[str, Any]) -> set[str]:
    """The steps a real run changed something in, from its journal and the state before."""
    versions_before = {(a["name"], v["semver"]) for a in before["apps"] for v in a["versions"]}
    promoted_before = {v["production_key"] for a in before["apps"] for v in a["versions"]}
    permitted_before = sum(len(i["permitted_project_ids"]) for i in before["installations"])
    changed = set()
    for event in journal:
        if event["event"] != "step_succeeded":
            continue
        out, action = event["outputs"], event["action"]
        if action in ("developer_portal.add_client_credentials_component",
                      "developer_portal.set_tool_permissions"):
            did = (APP, out["version"]) not in versions_before
        elif action == "developer_portal.promote_to_production":
            did = out["app_version_key"] not in promoted_before
        elif action == "procore.permit_projects":
            did = out["permitted"] > permitted_before
        else:
            did = CHANGED_BY_OUTPUTS.get(action, lambda out: False)(out)
        if did:
            changed.add(event["key"])
    return changed


def assert_changed_nothing(checked: Checked) -> None:
    assert checked.result.returncode == 0, checked.result.stderr
    assert checked.state_after == checked.state_before
    assert (checked.run_dir / "report.html").is_file()
    assert not (checked.run_dir / "procedure.md").exists()  # nothing was done to tell
    assert checked.vault_after == checked.vault_before
    shown = checked.result.stdout + checked.result.stderr
    assert checked.secrets  # the passwords at least
    files = [p.read_bytes() for p in checked.run_dir.rglob("*") if p.is_file()]
    for secret in checked.secrets:
        assert secret not in shown
        assert not any(secret.encode() in data for data in files)


@pytest.fixture(scope="module", params=UIS)
def whole_procedure(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                    ) -> Iterator[tuple[World, Checked, subprocess.CompletedProcess[str],
                                        dict[str, Any], Checked]]:
    """On a fresh world (each Developer Portal generation): a check, a real run, a check."""
    world = make_world(tmp_path_factory.mktemp("check"), ui=request.param)
    first = check(world)
    before = json.loads(portal_state(world))
    real = world.run()
    second = check(world)
    yield world, first, real, before, second
    world.portal.stop()


class TestCheckOfAFreshWorld:
    """A check of a fresh portal and company predicts what the real run then does."""

    def test_it_changes_nothing_and_shows_no_secret(self, whole_procedure: Any) -> None:
        _, first, *_ = whole_procedure
        assert_changed_nothing(first)

    def test_it_says_what_it_would_do(self, whole_procedure: Any) -> None:
        _, first, *_ = whole_procedure
        assert first.definite() == {
            "developer.app": ["would create app 'Procore DMSA App'"],
            "sync.step3": ["would connect 'Procore DMSA' to HingePoint"],
        }
        assert first.waiting() == {
            "developer.oauth", "developer.permissions", "developer.promote", "company.install",
            "company.permitted", "company.projects.new_projects", "company.projects.existing",
            "sync.step2", "sync.step4"}
        stderr = first.result.stderr
        assert "Check: a real run would make 2 changes:" in stderr
        assert "and then look at 9 steps that wait for those changes:" in stderr
        assert "developer.promote (after developer.app, developer.permissions)" in stderr

    def test_the_real_run_makes_the_predicted_changes(self, whole_procedure: Any) -> None:
        world, first, real, before, _ = whole_procedure
        assert real.returncode == 0, real.stderr
        changed = changed_steps(world.journal(world.run_dirs()[1]), before)
        assert set(first.definite()) <= changed
        assert changed <= set(first.definite()) | first.waiting()
        # What waited and still changed nothing: the service account joined every project
        # when they were permitted.
        assert first.waiting() - changed == {"company.projects.existing"}


class TestCheckAfterARealRun:
    """A check right after a real run predicts no change but the sync every run starts."""

    def test_it_predicts_no_change(self, whole_procedure: Any) -> None:
        *_, second = whole_procedure
        assert_changed_nothing(second)
        assert second.definite() == {
            "sync.step4": ["would start a sync of 'Procore DMSA' with HingePoint"]}
        assert second.waiting() == set()
        nothing = {f["step"]: f["unchanged"] for f in second.forecasts if not f["changes"]}
        assert nothing["developer.promote"].startswith("nothing to do: version ")
        assert nothing["company.install"] == f"nothing to do: '{APP}' is installed"


@pytest.fixture(scope="module")
def company_side(tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[tuple[World, str, Checked, subprocess.CompletedProcess[str],
                                     Checked]]:
    """The app promoted and installed, nothing permitted: the company side checked, run,
    checked again."""
    world = make_world(tmp_path_factory.mktemp("company"))
    state = world.portal.state
    with state.lock:
        app, version, secret = seed_promoted_app(state, APP)
        company = state.companies[world.company_id("HingePoint")]
        installation = install_app(state, company, version.production_key or "")
        account = company.users[installation.service_account_id].name
    with world.vault() as vault:
        vault.put(CREDENTIALS, {"client_id": app.production_client_id or "",
                                "client_secret": secret})
    key = f"app_version_id={version.production_key}"
    first = check(world, "--var", key, runbook=COMPANY_SIDE)
    real = world.run("--var", key, runbook=COMPANY_SIDE)
    second = check(world, "--var", key, runbook=COMPANY_SIDE)
    yield world, account, first, real, second
    world.portal.stop()


class TestCheckOfTheCompanySide:
    """Counted predictions ("would permit 37 projects") are what the real run does."""

    def test_it_predicts_counts_and_changes_nothing(self, company_side: Any) -> None:
        _, account, first, _, _ = company_side
        assert_changed_nothing(first)
        assert first.definite() == {
            "permitted": [f"would permit 37 projects to '{APP}'"],
            "projects.new_projects": [
                f"would tick 'Add {account} to all new projects in HingePoint' and Save"],
        }
        # Permitting adds the service account to the projects: that look waits for it.
        assert first.waiting() == {"projects.existing"}

    def test_the_real_run_does_it(self, company_side: Any) -> None:
        world, _, _, real, _ = company_side
        assert real.returncode == 0, real.stderr
        (installation,) = world.installations("HingePoint")
        assert len(installation.permitted_project_ids) == 37
        assert world.missing_projects("HingePoint") == 0

    def test_then_a_check_predicts_nothing(self, company_side: Any) -> None:
        *_, second = company_side
        assert_changed_nothing(second)
        assert second.definite() == {} and second.waiting() == set()
        assert "Check: a real run would make 0 changes." in second.result.stderr


PRIMITIVES = """
runbook: primitives
title: Log in by hand
steps:
  - {title: Open Procore's login, do: goto, with: {url: "{{ target.login }}/login/"}}
  - title: Type the email
    do: fill
    with: {target: {label: Email}, value: consultant@example.com}
  - {title: Continue, do: click, with: {target: {role: button, name: Continue}}}
  - title: Still on the first screen (a real run would be on the password screen)
    do: expect_text
    with: {target: {role: heading, level: 1}, text: Log In}
"""


class TestPrimitivesInCheckMode:
    """click and fill are not done: the element is looked for and the would-be act said."""

    def test_said_not_done(self, tmp_path: Path) -> None:
        world = make_world(tmp_path)
        try:
            runbook = tmp_path / "primitives.yaml"
            runbook.write_text(PRIMITIVES.replace("{role: heading, level: 1}", "{text: Log In, "
                                                  "exact: true}"))
            checked = check(world, runbook=runbook)
            assert_changed_nothing(checked)
            assert checked.definite() == {
                "step2": ["would fill label \"Email\" with 'consultant@example.com'"],
                "step3": ['would click button "Continue"'],
            }
            missing = runbook.read_text().replace("name: Continue", "name: Sign Up")
            runbook.write_text(missing.replace("- {title: Continue,",
                                               "- {timeout: 2s, title: Continue,"))
            failed = world.run("--check", runbook=runbook)
            assert failed.returncode == 1
            assert 'get_by_role("button", name="Sign Up")' in failed.stderr
        finally:
            world.portal.stop()
