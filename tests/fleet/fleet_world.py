"""A mock Procore world with many customer companies, for fleets of the real ``runbook`` command.

The mock portal runs in the test process with N seeded companies, so it outlives each
``runbook fleet`` (as a real Procore does, and as ``--resume`` needs); the developer side is
seeded (an app promoted to production, its credentials in the file vault), so the fleet runs
the company side only, as a consultant does after building the app once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from automation.cli.targets import store_demo_logins
from automation.mock_portal.companies import (
    COMPANY_ADMIN_PASSWORD,
    SeededCompany,
    admin_vault_path,
    fleet_members,
)
from automation.mock_portal.server import MockPortal
from automation.mock_portal.state import seed_promoted_app
from automation.targets import MOCK_NAMESPACE
from automation.vault.namespaced import scoped
from automation.vault.url import open_vault

ROOT = Path(__file__).parents[2]
COMPANY_INSTALL = ROOT / "runbooks" / "procore" / "company-install.yaml"
FLEET_COMPANY_INSTALL = ROOT / "runbooks" / "fleet-company-install.yaml"
APP = "Procore DMSA App"
CREDENTIALS = f"procore/apps/{APP}/production"


@dataclass
class FleetWorld:
    portal: MockPortal
    folder: Path
    app_version_id: str = ""
    #: The production client secret the vault holds (for the tests' leak scans).
    client_secret: str = ""

    @property
    def vault_url(self) -> str:
        return f"file:{self.folder}/.runbook/vault.enc"

    def vault(self) -> Any:
        """The world's vault as runs against its mock see it: under ``mock/``."""
        return scoped(open_vault(self.vault_url), MOCK_NAMESPACE)

    def prepare(self, *, skip_admins: tuple[str, ...] = (), developer_side: bool = True
                ) -> None:
        """The developer side done once (unless not ``developer_side``: then its login is in
        the vault instead); every company's admin login in the vault except those of
        ``skip_admins`` (company slugs)."""
        state = self.portal.state
        if not developer_side:
            with self.vault() as vault:
                store_demo_logins(state, vault)
                for company in self.portal.companies:
                    self.store_admin(company, vault)
            return
        with state.lock:
            app, version, secret = seed_promoted_app(state, APP)
        assert version.production_key is not None
        self.app_version_id, self.client_secret = version.production_key, secret
        with self.vault() as vault:
            vault.put(CREDENTIALS, {"client_id": app.production_client_id or "",
                                    "client_secret": secret})
            for company in self.portal.companies:
                if company.slug not in skip_admins:
                    self.store_admin(company, vault)

    def store_admin(self, company: SeededCompany, vault: Any = None) -> None:
        if vault is None:
            with self.vault() as opened:
                self.store_admin(company, opened)
            return
        vault.put(admin_vault_path(company), {"login": company.admin_login,
                                               "password": COMPANY_ADMIN_PASSWORD})

    def profile(self) -> Path:
        path = self.folder / "mock-target.yaml"
        path.write_text(yaml.safe_dump(self.portal.target().to_profile()))
        return path

    def members(self, count: int | None = None) -> Path:
        path = self.folder / "members.yaml"
        rows = fleet_members(count or len(self.portal.companies))
        path.write_text(yaml.safe_dump(rows, sort_keys=False))
        return path

    def fleet(self, *args: str, resume: Path | None = None, members: Path | None = None,
              runbook: Path = COMPANY_INSTALL, timeout: float = 900
              ) -> subprocess.CompletedProcess[str]:
        """``runbook fleet`` against this world (the company side, unless ``runbook``)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
        command = [sys.executable, "-m", "automation.cli.main", "fleet"]
        if resume is not None:
            command += ["--resume", str(resume)]
        else:
            command += [str(runbook), "--members", str(members or self.members()),
                        "--target", str(self.profile()), "--vault", self.vault_url]
            if runbook == COMPANY_INSTALL:
                command += ["--var", f"app_version_id={self.app_version_id}"]
        return subprocess.run([*command, *args], cwd=self.folder, env=env,
                              capture_output=True, text=True, timeout=timeout, check=False)

    def leaks(self, *outputs: str) -> list[str]:
        """Every file of the world's runs, and each output, that holds a secret in play:
        the administrators' password or the client secret, in plain text or base64."""
        import base64

        secrets = [COMPANY_ADMIN_PASSWORD, self.client_secret]
        forms = [s.encode() for s in secrets if s] + [
            base64.b64encode(s.encode()) for s in secrets if s]
        found = [str(path) for path in (self.folder / "runs").rglob("*")
                 if path.is_file() and any(f in path.read_bytes() for f in forms)]
        return found + [f"output {n}" for n, text in enumerate(outputs)
                        if any(f in text.encode() for f in forms)]

    def fleet_dirs(self) -> list[Path]:
        return sorted((self.folder / "runs").glob("fleet-*"))

    # -- what the world looks like -------------------------------------------------------

    def installations(self, company: SeededCompany) -> list[Any]:
        state = self.portal.state
        with state.lock:
            ids = [c.id for c in state.companies.values() if c.name == company.name]
            return [i for i in state.installations.values()
                    if i.company_id in ids and not i.uninstalled]

    def service_accounts(self, company: SeededCompany) -> list[Any]:
        state = self.portal.state
        with state.lock:
            found = next(c for c in state.companies.values() if c.name == company.name)
            return [u for u in found.users.values() if u.app_id is not None]

    def fully_installed(self, company: SeededCompany) -> bool:
        """Installed once, one service account, on every project, added to new ones."""
        state = self.portal.state
        installed = self.installations(company)
        accounts = self.service_accounts(company)
        if len(installed) != 1 or len(accounts) != 1:
            return False
        with state.lock:
            found = next(c for c in state.companies.values() if c.name == company.name)
            account = accounts[0]
            return (found.memberships.get(account.id, set()) == set(found.projects)
                    and account.add_to_new_projects
                    and installed[0].permitted_project_ids == set(found.projects))
