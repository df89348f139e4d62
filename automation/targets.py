"""Targets: the base URLs of every site a runbook drives.

A target profile is a small YAML or JSON file::

    name: mock
    sites:
      developer_portal: http://127.0.0.1:8765/developers
      procore: http://127.0.0.1:8765/app
      sync_tool: http://127.0.0.1:8765/sync
      login: http://127.0.0.1:8765     # OAuth token host
      api: http://127.0.0.1:8765       # REST host

A mock's profile (``runbook mock-portal --profile-out``) also says ``mock: true`` and holds
``mock_admin_token``, what the mock's ``/__mock__/*`` endpoints ask for.

``sandbox`` and ``production`` are built in; ``mock`` (the default) is made by starting the
built-in mock portal. Real targets are never chosen implicitly.

Each target keeps its secrets under its own vault namespace (:attr:`Target.vault_namespace`):
``mock/`` for every mock portal, else the target's name, so a profile's ``name`` must be one
word that can head a vault path.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from automation.errors import RunbookError, VaultError

__all__ = ["BUILTIN_TARGETS", "GENERIC_SITE", "MOCK_NAMESPACE", "SITES", "Target",
           "check_namespace", "load_target"]

#: Where every mock portal's secrets live in the vault (the built-in one, ``mock: true``).
MOCK_NAMESPACE = "mock"
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def check_namespace(name: str) -> str:
    """``name`` if it can head a vault path (one segment: letters, digits, ``.``, ``_``, ``-``)."""
    if not _SEGMENT.match(name):
        raise VaultError(
            f"target name {name!r} cannot name a vault namespace: use one word of letters, "
            "digits, '.', '_' or '-' (it heads every vault path of the target's runs)"
        )
    return name

#: Every site a runbook can address, with what it is.
SITES: dict[str, str] = {
    "developer_portal": "the Procore Developer Portal",
    "procore": "the Procore web app of the customer's company",
    "sync_tool": "the sync tool that consumes the credentials",
    "login": "the OAuth token host",
    "api": "the REST API host",
}


#: Pages addressed by absolute URL (the primitives' default) belong to this pseudo-site.
GENERIC_SITE = "web"


@dataclass(frozen=True)
class Target:
    name: str
    sites: dict[str, str] = field(default_factory=dict)
    is_mock: bool = False
    #: The mock's ``/__mock__/*`` token; kept out of reprs and of journaled profiles.
    mock_admin_token: str | None = field(default=None, repr=False)

    def url(self, site: str, path: str = "") -> str:
        try:
            base = self.sites[site]
        except KeyError:
            raise RunbookError(f"target {self.name!r} has no URL for site {site!r}") from None
        return base.rstrip("/") + ("/" + path.lstrip("/") if path else "")

    @property
    def vault_namespace(self) -> str:
        """Where this target's secrets live in the vault: ``mock`` for every mock portal,
        else the target's name (``sandbox``, ``production``, a profile's ``name``)."""
        return MOCK_NAMESPACE if self.is_mock else self.name

    def to_profile(self, *, include_admin_token: bool = False) -> dict[str, object]:
        """The profile file's content; the admin token only where asked (not in journals)."""
        profile: dict[str, object] = {"name": self.name, "sites": dict(self.sites)}
        if self.is_mock:
            profile["mock"] = True
        if include_admin_token and self.mock_admin_token:
            profile["mock_admin_token"] = self.mock_admin_token
        return profile


BUILTIN_TARGETS: dict[str, Target] = {
    "production": Target(
        "production",
        {
            "developer_portal": "https://developers.procore.com",
            "procore": "https://app.procore.com",
            "login": "https://login.procore.com",
            "api": "https://api.procore.com",
        },
    ),
    "sandbox": Target(
        "sandbox",
        {
            "developer_portal": "https://developers.procore.com",
            "procore": "https://sandbox.procore.com",
            "login": "https://login-sandbox.procore.com",
            "api": "https://sandbox.procore.com",
        },
    ),
}


def load_target(spec: str) -> Target:
    """A built-in target name or a profile file (``mock`` is started by the caller)."""
    if spec in BUILTIN_TARGETS:
        return BUILTIN_TARGETS[spec]
    path = Path(spec)
    if not path.is_file():
        names = ", ".join(["mock", *BUILTIN_TARGETS])
        raise RunbookError(f"--target {spec}: not a target name ({names}) nor a profile file")
    try:
        data = yaml.safe_load(path.read_text()) if path.suffix != ".json" else json.loads(
            path.read_text()
        )
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise RunbookError(f"{path}: not a valid target profile: {exc}") from None
    sites = data.get("sites") if isinstance(data, dict) else None
    if not isinstance(sites, dict) or not all(isinstance(v, str) for v in sites.values()):
        raise RunbookError(f"{path}: expected a mapping 'sites' of site name to base URL")
    unknown = set(sites) - set(SITES)
    if unknown:
        raise RunbookError(f"{path}: unknown site(s) {sorted(unknown)}; known: {sorted(SITES)}")
    token = data.get("mock_admin_token")
    if token is not None and not isinstance(token, str):
        raise RunbookError(f"{path}: mock_admin_token must be a string")
    name, is_mock = str(data.get("name", path.stem)), bool(data.get("mock", False))
    if not is_mock:
        _check_real_name(path, name)
    return Target(name, dict(sites), is_mock, token)


def _check_real_name(path: Path, name: str) -> None:
    """A real target's name heads its vault paths: one safe word, never the mocks' own."""
    if name == MOCK_NAMESPACE:
        raise RunbookError(f"{path}: name 'mock' is kept for mock portals (their secrets live "
                           "under mock/ in the vault): give this target another name, or say "
                           "'mock: true' if it is a mock portal")
    try:
        check_namespace(name)
    except VaultError as error:
        raise RunbookError(f"{path}: {error}") from None
