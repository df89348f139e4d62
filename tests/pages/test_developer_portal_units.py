"""The Developer Portal page objects' pure parts, and their public names (no browser)."""

from __future__ import annotations

import pytest

import automation.pages.developer_portal as developer_portal
from automation.pages.developer_portal import (
    VersionRefused,
    client_credentials_instance,
    manifest_permissions,
    next_version,
)
from automation.pages.developer_portal.create_version_dialog import parse_snippet
from automation.pages.developer_portal.permission_builder import permissions_of, tool_label


class TestPublicNames:
    """The package exports exactly what the actions build on."""

    def test_all(self) -> None:
        assert developer_portal.__all__ == [
            "AnyAppPage",
            "AppPage",
            "BuilderAppPage",
            "CreateAppDialog",
            "CreateVersionDialog",
            "DeveloperNotVerified",
            "DeveloperPortalError",
            "EditComponentsModal",
            "MyAppsPage",
            "PermissionBuilderDialog",
            "PermissionsGrid",
            "ProductionCredentialsDialog",
            "PromoteDialog",
            "PromotionRefused",
            "ResetClientSecretDialog",
            "SaveVersionModal",
            "SecondFactorRequired",
            "SignInPage",
            "SignInRefused",
            "VersionBuilderPage",
            "VersionRefused",
            "VersionRow",
            "client_credentials_instance",
            "developer_portal_site",
            "manifest_permissions",
            "next_version",
            "open_app_page",
        ]
        assert all(hasattr(developer_portal, name) for name in developer_portal.__all__)


class TestManifestPermissions:
    """What a person picks becomes the manifest's permissions; None is omitted."""

    def test_seed_choice(self) -> None:
        seed = {"Admin": "Admin", "Directory": "Admin", "Documents": "Admin", "Home": "Read-Only"}
        expected = {
            "admin": "admin",
            "directory": "admin",
            "documents": "admin",
            "home": "readonly",
        }
        assert manifest_permissions(seed, seed) == {"company": expected, "project": expected}

    def test_spellings_and_none(self) -> None:
        assert manifest_permissions(
            {"Daily Log": "read only", "cost_catalog": "STANDARD"}, {"Home": "None"}
        ) == {"company": {"daily_log": "readonly", "cost_catalog": "standard"}, "project": {}}

    def test_refusals(self) -> None:
        with pytest.raises(ValueError, match="only None or Admin"):
            manifest_permissions({"Admin": "Standard"}, {})
        with pytest.raises(ValueError, match="'Owner' is not None, Read-Only, Standard or Admin"):
            manifest_permissions({}, {"Home": "Owner"})

    def test_labels_and_instances(self) -> None:
        assert tool_label("coordination_issues") == "Coordination Issues"
        instance = {
            "grant_type": "client_credentials",
            "permissions": {"company": {"home": "admin"}},
        }
        manifest = {
            "components": {"oauth": {"instances": [{"grant_type": "authorization_code"}, instance]}}
        }
        assert client_credentials_instance(manifest) is instance
        assert client_credentials_instance({"components": {}}) is None
        assert permissions_of(instance) == {"company": {"home": "admin"}, "project": {}}


class TestVersionsAndSnippets:
    """Version numbers count on; a pasted snippet parses however it was copied."""

    def test_next_version(self) -> None:
        assert next_version(None) == "1.0.0"
        assert next_version("1.3.2") == "1.4.0"

    @pytest.mark.parametrize(
        "text",
        [
            '"oauth": {"instances": [{"uuid": "u", "grant_type": "authorization_code"}]}',
            '{"oauth": {"instances": [{"uuid": "u", "uid": "i", "grant_type": "x"}]}},',
            '{"components": {"oauth": {"instances": [{"uuid": "u"}]}}}',
        ],
    )
    def test_parse_snippet(self, text: str) -> None:
        assert parse_snippet(text)["oauth"]["instances"][0]["uuid"] == "u"

    def test_not_json(self) -> None:
        with pytest.raises(VersionRefused, match="not JSON"):
            parse_snippet("copy failed")
