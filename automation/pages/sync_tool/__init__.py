"""Page objects of the sync tool that consumes the DMSA credentials (``site: sync_tool``)."""

from __future__ import annotations

from automation.pages.sync_tool.connection import ConnectionPage, NewConnectionForm
from automation.pages.sync_tool.dashboard import SyncDashboard
from automation.pages.sync_tool.integration_form import IntegrationRefused, NewIntegrationForm
from automation.pages.sync_tool.sign_in import SyncSignIn
from automation.pages.sync_tool.sync_tool import SyncTool

__all__ = [
    "ConnectionPage",
    "IntegrationRefused",
    "NewConnectionForm",
    "NewIntegrationForm",
    "SyncDashboard",
    "SyncSignIn",
    "SyncTool",
]
