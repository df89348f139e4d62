"""The sync tool at ``/sync``: views in ``views``, its Procore client in ``procore_client``."""

from __future__ import annotations

from automation.mock_portal.sync_tool.views import blueprint

__all__ = ["blueprint"]
