"""The Developer Portal at ``/developers``: the classic manifest UI the seed procedure shows.

Pages are server-rendered; dialogs are ``<dialog>`` elements opened by a little plain JS
(``static/developer/*.js``). Dialog actions that change state post JSON and get JSON back.

The parts, each registering on one blueprint: ``common`` (the blueprint, the
sign-in guard, no-store pages), ``sign_in`` (home, Sign In with TOTP, Sign Out),
``apps`` (My Apps, the app and version pages, Create New Version),
``production`` (promotion and the once-shown production client secret) and
``manifest`` (Permission Builder tools and manifest validation, no views).
"""

from __future__ import annotations

from automation.mock_portal.developer_portal import (  # noqa: F401  (imported to register their views)
    apps,
    production,
    sign_in,
)
from automation.mock_portal.developer_portal.common import blueprint
from automation.mock_portal.developer_portal.manifest import (
    COMPANY_TOOLS,
    PROJECT_TOOLS,
    tool_key,
    validate_manifest,
)

__all__ = ["COMPANY_TOOLS", "PROJECT_TOOLS", "blueprint", "tool_key", "validate_manifest"]
