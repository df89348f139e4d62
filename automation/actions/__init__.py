"""The action registry: every action a runbook may name, listed explicitly."""

from __future__ import annotations

from automation.action_spec import ActionSpec, Registry, action
from automation.actions import developer_portal, primitives, procore, procore_api, sync_tool

__all__ = ["REGISTRY", "ActionSpec", "Registry", "action"]

REGISTRY = Registry(
    [
        primitives.goto,
        primitives.click,
        primitives.fill,
        primitives.select,
        primitives.expect_text,
        primitives.wait_for,
        primitives.screenshot,
        primitives.pause_for_human,
        developer_portal.sign_in,
        developer_portal.create_app,
        developer_portal.add_client_credentials_component,
        developer_portal.set_tool_permissions,
        developer_portal.promote_to_production,
        procore.sign_in,
        procore.install_custom_app,
        procore.update_app,
        procore.permit_projects,
        procore.find_service_account,
        procore.add_to_all_new_projects,
        procore.add_to_all_existing_projects,
        procore_api.verify_credentials,
        procore_api.verify_tool_access,
        sync_tool.sign_in,
        sync_tool.create_integration,
        sync_tool.create_connection,
        sync_tool.start_sync,
    ]
)
