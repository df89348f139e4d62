"""The Data Connector components of a form-based version, and the manifest they make.

A person picks components and permissions; the portal writes the same schema_version 3
manifest the classic editor holds (the company install, the REST API and the sync tool read
only that): an ``authorization_code`` oauth instance for User Level Authentication and a
``client_credentials`` one, carrying the permissions, for Service Account Authentication.
Two instances rather than one is *(inferred)*: Procore does not publish the manifest its form
writes.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from automation.mock_portal.developer_portal.manifest import tool_key

__all__ = [
    "COMPANY_TOOLS",
    "GRID_LEVELS",
    "PROJECT_TOOLS",
    "Components",
    "components_of",
    "levels_of",
    "manifest_with",
]

#: "Permissions for Service Account" rows (form-based-manifest-dmsa-perms-builder.png, and
#: the classic builder's tools that the picture's scroll hides).
COMPANY_TOOLS = [
    "Account Onboarding", "Admin", "App Management", "Bid Board", "Calendar", "Checklists",
    "Concierge", "Connection Manager", "Cost Catalog", "Directory", "Documents", "Equipment",
    "Home", "Inspections", "Permissions", "Planroom", "Portfolio", "Schedule", "Timecard",
    "Timesheets",
]  # fmt: skip
PROJECT_TOOLS = [
    "Admin", "Budgeting", "Commitments", "Coordination Issues", "Daily Log", "Directory",
    "Documents", "Home",
]  # fmt: skip
#: Grid columns: the manifest's value and the header a person reads ("" is None).
GRID_LEVELS = [
    ("", "None"), ("readonly", "Read-only"), ("standard", "Standard"), ("admin", "Admin"),
]  # fmt: skip
#: Levels a tool does not offer (greyed out in the picture): Admin is None or Admin only.
_NOT_OFFERED = {"admin": {"readonly", "standard"}, "concierge": {"readonly"}}


def levels_of(tool: str) -> list[str]:
    """The manifest values the tool's row offers."""
    return [value for value, _ in GRID_LEVELS if value not in _NOT_OFFERED.get(tool_key(tool), ())]


@dataclass
class Components:
    user_level: bool = False
    service_account: bool = False
    permissions: dict[str, dict[str, str]] = field(
        default_factory=lambda: {"company": {}, "project": {}}
    )

    def problems(self) -> list[str]:
        found = []
        if self.service_account and not self.user_level:
            found.append(
                "Service Account Authentication is added on top of User Level Authentication."
            )
        for level, tools in (("company", COMPANY_TOOLS), ("project", PROJECT_TOOLS)):
            offered = {tool_key(t): levels_of(t) for t in tools}
            for key, value in self.permissions.get(level, {}).items():
                if value not in offered.get(key, ()):
                    found.append(f"{level.capitalize()} Level {key} cannot be {value!r}.")
        return found


def components_of(manifest: dict[str, Any]) -> Components:
    """What the form shows for a version: its oauth instances read back as components."""
    instances = (manifest.get("components") or {}).get("oauth", {}).get("instances") or []
    grants = {i.get("grant_type"): i for i in instances if isinstance(i, dict)}
    account = grants.get("client_credentials")
    found = (account or {}).get("permissions") or {}
    return Components(
        user_level="authorization_code" in grants,
        service_account=account is not None,
        permissions={level: dict(found.get(level) or {}) for level in ("company", "project")},
    )


def manifest_with(base: dict[str, Any], chosen: Components, app_manifest_id: str) -> dict[str, Any]:
    """``base`` (the last version's manifest) with its oauth component made from ``chosen``;
    an instance that stays keeps its uuid and uid, as a form that edits in place would."""
    old = {
        i.get("grant_type"): i
        for i in (base.get("components") or {}).get("oauth", {}).get("instances") or []
        if isinstance(i, dict)
    }

    def instance(grant_type: str) -> dict[str, Any]:
        kept = old.get(grant_type) or {}
        return {
            "uuid": kept.get("uuid") or str(uuid.uuid4()),
            "uid": kept.get("uid") or secrets.token_hex(32),
            "grant_type": grant_type,
        }

    instances = []
    if chosen.user_level:
        instances.append(instance("authorization_code"))
    if chosen.service_account:
        permissions = {
            level: dict(chosen.permissions.get(level) or {}) for level in ("company", "project")
        }
        instances.append({**instance("client_credentials"), "permissions": permissions})
    components = {k: v for k, v in (base.get("components") or {}).items() if k != "oauth"}
    if instances:
        components["oauth"] = {"instances": instances}
    manifest = {
        "schema_version": "3",
        **{k: v for k, v in base.items() if k not in {"schema_version", "components"}},
        "app_manifest": {**(base.get("app_manifest") or {}), "id": app_manifest_id},
        "components": components,
    }
    return manifest
