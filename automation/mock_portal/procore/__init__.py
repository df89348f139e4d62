"""The mock Procore web app at ``/app``, as a company administrator sees it.

Screens, each in its own module registering on one blueprint:
``auth`` (sign in, company picker, portfolio, New Project), ``apps``
(Admin > App Management, Install Custom App, View > Permissions), ``directory``
(Directory, a user's Edit > Project Settings) and ``add_all`` (the Add All job).
"""

from __future__ import annotations

from automation.mock_portal.procore import (  # noqa: F401  (imported to register their views)
    add_all,
    apps,
    auth,
    directory,
)
from automation.mock_portal.procore.common import blueprint

__all__ = ["blueprint"]
