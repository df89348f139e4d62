"""OAuth 2.0 token endpoints and the REST API, at the root of the mock's origin.

``/oauth/*`` stands for ``login.procore.com``, ``/rest/*`` for ``api.procore.com``.

Who sees what: a token belongs to an app (production or sandbox credentials). In a company
where that app is installed, the token acts as the installation's service account, which sees
exactly the *active* projects it is a member of and its app is permitted on; every other
project is invisible (404). ``tools`` holds endpoints gated by the installed version's tool
permissions (403 without them). An
app installed nowhere gets 401, an app installed elsewhere but not in the company asked for
gets 403. REST calls name the company in the ``Procore-Company-Id`` header.

Adding or removing a project user (``.../actions/add|remove``) takes either a token whose
installed manifest grants company-level Directory (or Admin) ``admin``, or the signed-in
session of a company administrator in the Procore web app (``session["procore_login"]``),
which is how browser automation adds thousands of projects when Add All is unavailable.
Adding an installation's service account also permits the project to the app.

Only a SHA-256 of each access token is kept; client secrets are checked against their hash.

The parts, each registering on one blueprint: ``common`` (the blueprint, ``ApiError``,
token lookup), ``oauth`` (``/oauth/*``), ``access`` (the caller's app, installation
and company; the rate limit), ``rest`` (``/rest/*`` resources, JSON and pagination)
and ``tools`` (endpoints gated by tool permissions).
"""

from __future__ import annotations

from automation.mock_portal.api import (  # noqa: F401  (imported to register their views)
    access,
    oauth,
    rest,
    tools,
)
from automation.mock_portal.api.access import reset_rate_limits
from automation.mock_portal.api.common import ApiError, blueprint, token_hash

__all__ = ["ApiError", "blueprint", "reset_rate_limits", "token_hash"]
