"""The Developer Portal at ``/developers``, in either generation.

Pages are server-rendered; dialogs and modals are opened by a little plain JS. Actions that
change state post JSON and get JSON back.

What both generations share, each part registering on one blueprint: ``common`` (the
blueprint, the sign-in guard, no-store pages), ``sign_in`` (home, Sign In through Procore's
login, Sign Out), ``production`` (promotion and the once-shown production client secret) and
``manifest`` (the tools and manifest validation, no views). The generations: ``classic`` (the
manifest editor, the seed's procedure) and ``current`` (the form-based builder Procore serves
today, installed over the classic addresses by ``current.install``).
"""

from __future__ import annotations

from automation.mock_portal.developer_portal import (  # noqa: F401  (imported to register their views)
    production,
    sign_in,
)
from automation.mock_portal.developer_portal.classic import assets as classic_assets
from automation.mock_portal.developer_portal.common import blueprint
from automation.mock_portal.developer_portal.manifest import (
    COMPANY_TOOLS,
    PROJECT_TOOLS,
    tool_key,
    validate_manifest,
)

__all__ = [
    "COMPANY_TOOLS",
    "PROJECT_TOOLS",
    "blueprint",
    "classic_assets",
    "tool_key",
    "validate_manifest",
]
