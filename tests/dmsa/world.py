"""A mock Procore world for end-to-end runs of the real ``runbook`` command.

The mock portal runs in the test process (so a SIGKILLed ``runbook`` leaves it serving); the
command runs in a subprocess against it through a target profile, with a file vault in the
test's folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from automation.cli.targets import store_demo_logins
from automation.errors import StepError
from automation.mock_portal.faults import Faults
from automation.mock_portal.server import MockPortal
from automation.procore_api import ProcoreApi
from automation.secret import Secret
from automation.vault.base import Vault
from automation.vault.namespaced import MOCK_NAMESPACE, scoped
from automation.vault.url import open_vault

ROOT = Path(__file__).parents[2]
DMSA = ROOT / "runbooks" / "dmsa-credentials.yaml"
APP = "Procore DMSA App"
CREDENTIALS = f"procore/apps/{APP}/production"
#: The Developer Portal generations a test can run on (``indirect`` parametrization of world).
UIS = ["current", "classic"]


@dataclass
class World:
    portal: MockPortal
    folder: Path
    #: Default: the built-in file vault in the world's folder.
    vault_url: str = ""
    #: What the vault needs from the environment (tokens, the D-Bus address).
    vault_env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.vault_url = self.vault_url or f"file:{self.folder}/.runbook/vault.enc"

    def vault(self) -> Vault:
        """The vault as the mock's runs see it: under ``mock/`` (see targets.vault_namespace)."""
        return scoped(open_vault(self.vault_url, env=self.vault_env), MOCK_NAMESPACE)

    def profile(self) -> Path:
        path = self.folder / "mock-target.yaml"
        path.write_text(yaml.safe_dump(self.portal.target().to_profile()))
        return path

    def run(self, *args: str, kill_after: int | None = None, runbook: Path = DMSA,
            resume: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
        env.update(self.vault_env)
        if kill_after is not None:
            env["RUNBOOK_KILL_AFTER_STEPS"] = str(kill_after)
        command = [sys.executable, "-m", "automation.cli.main", "run"]
        command += ["--resume", str(resume)] if resume else [str(runbook)]
        command += ["--target", str(self.profile()), "--vault", self.vault_url, *args]
        return subprocess.run(command, cwd=self.folder, env=env, capture_output=True,
                              text=True, timeout=600, check=False)

    def run_dirs(self) -> list[Path]:
        return sorted((self.folder / "runs").iterdir())

    # -- what the world looks like -------------------------------------------------------

    def apps(self, name: str = APP) -> list[Any]:
        with self.portal.state.lock:
            return [a for a in self.portal.state.apps.values() if a.name == name]

    def installations(self, company: str) -> list[Any]:
        state = self.portal.state
        with state.lock:
            company_id = self.company_id(company)
            return [i for i in state.installations.values()
                    if i.company_id == company_id and not i.uninstalled]

    def company_id(self, name: str) -> int:
        return next(c.id for c in self.portal.state.companies.values() if c.name == name)

    def missing_projects(self, company: str) -> int:
        """Active projects the installed app's service account does not belong to."""
        (installation,) = self.installations(company)
        company_obj = self.portal.state.companies[self.company_id(company)]
        with self.portal.state.lock:
            member = company_obj.memberships.get(installation.service_account_id, set())
            return sum(1 for p in company_obj.active_projects() if p.id not in member)

    def stored_credentials(self) -> tuple[str, Secret]:
        with self.vault() as vault:
            fields = vault.get(CREDENTIALS)
        return fields["client_id"].reveal(), fields["client_secret"]

    def token_works(self) -> bool:
        """Whether the vault's credentials get a token: False only when the token endpoint
        refuses them (HTTP 401 invalid_client); anything else (no credentials in the vault,
        a server error, no server) is raised, not taken for a refusal."""
        client_id, secret = self.stored_credentials()
        api = ProcoreApi(self.portal.base_url, self.portal.base_url)
        try:
            api.token(client_id, secret)
        except StepError as error:
            if str(error).endswith(": HTTP 401 invalid_client"):
                return False
            raise
        return True

    def journal(self, run_dir: Path) -> list[dict[str, Any]]:
        return [json.loads(line) for line in (run_dir / "journal.jsonl").read_text().splitlines()]


def make_world(folder: Path, *, faults: Faults | None = None, vault_url: str = "",
               vault_env: dict[str, str] | None = None, ui: str = "current",
               **portal_options: Any) -> World:
    """``ui``: the Developer Portal generation the mock serves (current: form based);
    ``portal_options``: more MockPortal options (``variants=``)."""
    portal = MockPortal(faults=faults, ui=ui, **portal_options).start()
    world = World(portal, folder, vault_url, dict(vault_env or {}))
    with world.vault() as vault:
        store_demo_logins(portal.state, vault)
    return world
