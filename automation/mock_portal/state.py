"""The mock portal's whole world, in memory, behind one lock.

Plain dataclasses: the Developer Portal views, the company web app views, the sync tool and the
REST API all read and change these under ``state.lock``. Secrets are never stored: the server
keeps a salted hash of each client secret and shows the value once, as Procore does.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import threading
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "AddAllMode",
    "App",
    "Company",
    "Developer",
    "Installation",
    "LoginAccount",
    "ManifestVersion",
    "PortalState",
    "Project",
    "SyncConnection",
    "SyncIntegration",
    "Token",
    "User",
    "hash_secret",
    "load_seed",
]

AddAllMode = Literal["absent", "disabled"]
#: Procore: "Add All" only exists when the company has fewer than 2,000 active projects.
ADD_ALL_LIMIT = 2000


def now() -> datetime:
    return datetime.now(UTC)


def hash_secret(value: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()


def new_client_id() -> str:
    return secrets.token_hex(32)  # 64 hex characters, like Procore's client ids


def new_client_secret() -> str:
    return secrets.token_hex(32)


@dataclass
class Developer:
    email: str
    password: str  # a seed account's password (test data, not a captured secret)
    name: str
    totp_seed: str | None = None  # base32; when set, sign-in asks for a one-time code
    #: False: the organization is not a verified developer; the form-based portal then
    #: shows "Become a Verified Developer" instead of production options.
    verified: bool = True


@dataclass
class LoginAccount:
    """An account Procore's login knows beyond the sites' own seed records (``login_accounts``).

    ``identity_provider`` set: single sign-on, the login never asks for a Procore password and
    sends the person to that provider, whose own password is ``idp_password``.
    ``companies``: the person was invited to these companies and picks one at login.
    """

    email: str
    name: str
    password: str | None = None  # a seed account's password (test data, not a captured secret)
    totp_seed: str | None = None
    identity_provider: str | None = None
    idp_password: str | None = None
    companies: list[int] = field(default_factory=list)


@dataclass
class ManifestVersion:
    semver: str
    manifest: dict[str, Any]
    sandbox_key: str  # App Version Key of the sandbox row (36-character UUID)
    created_at: datetime = field(default_factory=now)
    production_key: str | None = None  # set when promoted
    promoted_at: datetime | None = None
    release_notes: str | None = None


@dataclass
class App:
    id: int
    name: str
    owner_email: str
    sandbox_client_id: str
    sandbox_secret_hash: str
    salt: str
    created_at: datetime = field(default_factory=now)
    versions: list[ManifestVersion] = field(default_factory=list)
    production_client_id: str | None = None
    production_secret_hash: str | None = None
    #: Bumped by each Reset client secret, so tokens of the old secret stop working.
    secret_generation: int = 0

    def check_production_secret(self, value: str) -> bool:
        if self.production_secret_hash is None:
            return False
        return hmac.compare_digest(self.production_secret_hash, hash_secret(value, self.salt))

    def check_sandbox_secret(self, value: str) -> bool:
        return hmac.compare_digest(self.sandbox_secret_hash, hash_secret(value, self.salt))


@dataclass
class Project:
    id: int
    name: str
    company_id: int
    active: bool = True
    created_at: datetime = field(default_factory=now)


@dataclass
class User:
    id: int
    name: str
    login: str
    company_id: int
    #: Set for the service account an installed DMSA app creates in the Directory.
    app_id: int | None = None
    add_to_new_projects: bool = False
    default_template: str | None = None
    permission_template: str = "Standard"
    #: project id -> project permission template chosen with "Change Template" (Directory).
    project_templates: dict[int, str] = field(default_factory=dict)


@dataclass
class Installation:
    id: int
    company_id: int
    app_id: int
    app_version_key: str
    service_account_id: int
    installed_at: datetime = field(default_factory=now)
    permitted_project_ids: set[int] = field(default_factory=set)
    uninstalled: bool = False


@dataclass
class Company:
    id: int
    name: str
    projects: dict[int, Project] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    #: user id -> the ids of the projects that user belongs to.
    memberships: dict[int, set[int]] = field(default_factory=dict)
    admins: set[str] = field(default_factory=set)  # logins of company administrators

    def active_projects(self) -> list[Project]:
        return [p for p in self.projects.values() if p.active]


@dataclass
class Token:
    app_id: int
    environment: Literal["production", "sandbox"]
    secret_generation: int
    created_at: datetime
    expires_in: int = 5400


@dataclass
class SyncIntegration:
    id: int
    name: str
    environment: str
    client_id: str
    owner: str


@dataclass
class SyncConnection:
    id: int
    integration_id: int
    company_id: int
    last_sync_projects: int | None = None


@dataclass
class PortalState:
    """Everything; take ``lock`` around every read-modify-write."""

    developers: dict[str, Developer] = field(default_factory=dict)
    apps: dict[int, App] = field(default_factory=dict)
    companies: dict[int, Company] = field(default_factory=dict)
    installations: dict[int, Installation] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)  # sha256(access token) -> Token
    #: Company web app logins: login -> password.
    procore_logins: dict[str, str] = field(default_factory=dict)
    sync_users: dict[str, str] = field(default_factory=dict)  # login -> password
    #: Procore's login: the SSO and several-company accounts (email -> account).
    login_accounts: dict[str, LoginAccount] = field(default_factory=dict)
    sync_integrations: dict[int, SyncIntegration] = field(default_factory=dict)
    sync_connections: dict[int, SyncConnection] = field(default_factory=dict)
    add_all_mode: AddAllMode = "absent"
    add_all_limit: int = ADD_ALL_LIMIT
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000), repr=False)

    def next_id(self) -> int:
        return next(self._ids)

    # -- lookups shared by every site -------------------------------------------------------

    def find_version(self, app_version_key: str) -> tuple[App, ManifestVersion, str] | None:
        """The app and version an App Version Key names, and which kind of key it is."""
        for app in self.apps.values():
            for version in app.versions:
                if version.production_key == app_version_key:
                    return app, version, "production"
                if version.sandbox_key == app_version_key:
                    return app, version, "sandbox"
        return None

    def app_by_client_id(
        self, client_id: str
    ) -> tuple[App, Literal["production", "sandbox"]] | None:
        for app in self.apps.values():
            if app.production_client_id == client_id:
                return app, "production"
            if app.sandbox_client_id == client_id:
                return app, "sandbox"
        return None

    def verify_client(self, client_id: str, client_secret: str) -> tuple[App, str] | None:
        """The app whose credentials these are, or None (the token endpoint's check)."""
        found = self.app_by_client_id(client_id)
        if found is None:
            return None
        app, environment = found
        ok = (
            app.check_production_secret(client_secret)
            if environment == "production"
            else app.check_sandbox_secret(client_secret)
        )
        return (app, environment) if ok else None

    def installation_of(self, app_id: int, company_id: int) -> Installation | None:
        for installation in self.installations.values():
            if (
                installation.app_id == app_id
                and installation.company_id == company_id
                and not installation.uninstalled
            ):
                return installation
        return None

    def new_app(self, name: str, owner_email: str) -> tuple[App, str]:
        """Creates an app with sandbox credentials; returns it and its sandbox secret."""
        salt = secrets.token_hex(8)
        sandbox_secret = new_client_secret()
        app = App(
            id=self.next_id(),
            name=name,
            owner_email=owner_email,
            sandbox_client_id=new_client_id(),
            sandbox_secret_hash=hash_secret(sandbox_secret, salt),
            salt=salt,
        )
        self.apps[app.id] = app
        return app, sandbox_secret

    def issue_production_secret(self, app: App) -> str:
        """First promotion or Reset client secret: a new secret, shown once, old one void."""
        if app.production_client_id is None:
            app.production_client_id = new_client_id()
        value = new_client_secret()
        app.production_secret_hash = hash_secret(value, app.salt)
        app.secret_generation += 1
        return value

    def new_project(self, company: Company, name: str, active: bool = True) -> Project:
        """Creates a project; service accounts set to join all new projects join it."""
        project = Project(self.next_id(), name, company.id, active)
        company.projects[project.id] = project
        for user in company.users.values():
            if user.add_to_new_projects:
                company.memberships.setdefault(user.id, set()).add(project.id)
                # A service account's projects are its app's permitted projects too.
                installation = self.installation_of(user.app_id or 0, company.id)
                if installation is not None and installation.service_account_id == user.id:
                    installation.permitted_project_ids.add(project.id)
        return project

    # -- export ------------------------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        """A JSON-ready snapshot for ``GET /__mock__/state``: hashes, never secrets."""
        with self.lock:
            return {
                "apps": [_jsonable(asdict(app)) for app in self.apps.values()],
                "companies": [
                    {
                        "id": c.id,
                        "name": c.name,
                        "project_count": len(c.projects),
                        "active_project_count": len(c.active_projects()),
                        "users": [_jsonable(asdict(u)) for u in c.users.values()],
                        "memberships": {
                            str(uid): sorted(pids) for uid, pids in c.memberships.items()
                        },
                    }
                    for c in self.companies.values()
                ],
                "installations": [_jsonable(asdict(i)) for i in self.installations.values()],
                "sync_integrations": [
                    _jsonable(asdict(s)) for s in self.sync_integrations.values()
                ],
                "sync_connections": [_jsonable(asdict(s)) for s in self.sync_connections.values()],
                "add_all_mode": self.add_all_mode,
            }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, set):
        return sorted(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def load_seed(path: Path, *, project_count: int | None = None) -> PortalState:
    """Builds the world from a seed file (see ``automation/mock_portal/seeds/default.json``).

    A company's ``projects`` is either a list of names or ``{"count": N, "name": "Project
    {n:05d}"}``; ``project_count`` sets how many the first company has (``--projects``).
    """
    seed = json.loads(path.read_text())
    state = PortalState(add_all_mode=seed.get("add_all_mode", "absent"))
    for dev in seed.get("developers", []):
        state.developers[dev["email"]] = Developer(**dev)
    state.procore_logins.update(seed.get("procore_logins", {}))
    state.sync_users.update(seed.get("sync_users", {}))
    for account in seed.get("login_accounts", []):
        state.login_accounts[account["email"]] = LoginAccount(**account)
    for index, spec in enumerate(seed.get("companies", [])):
        company = Company(id=spec["id"], name=spec["name"], admins=set(spec.get("admins", [])))
        state.companies[company.id] = company
        projects = spec.get("projects", [])
        if isinstance(projects, dict):
            names = [projects["name"].format(n=n) for n in range(1, projects["count"] + 1)]
        else:
            names = list(projects)
        if index == 0 and project_count is not None:
            names = names[:project_count] + [
                f"Project {n:05d}" for n in range(len(names) + 1, project_count + 1)
            ]
        for name in names:
            project = Project(state.next_id(), name, company.id)
            company.projects[project.id] = project
        for user in spec.get("users", []):
            member = User(state.next_id(), user["name"], user["login"], company.id)
            company.users[member.id] = member
            company.memberships[member.id] = set(company.projects)
    return state


def new_version_key() -> str:
    return str(uuid.uuid4())


def seed_promoted_app(
    state: PortalState,
    name: str,
    *,
    owner_email: str = "consultant@example.com",
    semver: str = "1.0.0",
    permissions: dict[str, dict[str, str]] | None = None,
) -> tuple[App, ManifestVersion, str]:
    """An app as if created and promoted in the Developer Portal; returns its production secret.

    For tests and demos of the company side that should not depend on driving the Developer
    Portal first. Call under ``state.lock`` when the portal is serving.
    """
    app, _sandbox_secret = state.new_app(name, owner_email)
    manifest: dict[str, Any] = {
        "schema_version": "3",
        "app_manifest": {"id": str(uuid.uuid4())},
        "components": {
            "oauth": {
                "instances": [
                    {
                        "uuid": str(uuid.uuid4()),
                        "uid": secrets.token_hex(16),
                        "grant_type": "client_credentials",
                        "permissions": permissions or {},
                    }
                ]
            }
        },
    }
    version = ManifestVersion(semver, manifest, sandbox_key=new_version_key())
    version.production_key = new_version_key()
    version.promoted_at = now()
    version.release_notes = "First production version"
    app.versions.append(version)
    return app, version, state.issue_production_secret(app)
