"""The mock Procore web app at ``/app``, as a company administrator sees it.

Screens, each in its own module registering on one blueprint:
``company_auth`` (sign in, company picker, portfolio, New Project), ``company_apps``
(Admin > App Management, Install Custom App, View > Permissions), ``company_directory``
(Directory, a user's Edit > Project Settings) and ``company_add_all`` (the Add All job).
"""

from __future__ import annotations

from automation.mock_portal import (  # noqa: F401  (imported to register their views)
    company_add_all,
    company_apps,
    company_auth,
    company_directory,
)
from automation.mock_portal.company_common import blueprint

__all__ = ["blueprint"]
