"""What makes the mock as strict as Procore: every protection a page object may meet.

=======================  =====================================================================
module                   what it guards
=======================  =====================================================================
``bodies``               413 over ``MAX_BODY_BYTES`` (before reading); 400 for malformed JSON
                         or JSON that is not an object
``csrf``                 a per-session token in every POST form and a ``csrf-token`` meta,
                         checked with the ``Origin`` on every state-changing browser request
``sign_in``              failed sign-ins per login and per address, then 429
``rate_limits``          the windows and budgets behind them, the REST limit and the OAuth
                         token endpoint's (``api/oauth.py``), with Procore's headers
=======================  =====================================================================

The session cookie is ``SameSite=Lax`` and ``HttpOnly``: other sites neither send it with
their forms nor read it from scripts. ``/__mock__`` checks its own admin token
(``mock_admin.py``).
"""

from __future__ import annotations

from flask import Flask

from automation.mock_portal.security.bodies import MAX_BODY_BYTES, install_body_limits
from automation.mock_portal.security.csrf import CSRF_FIELD, CSRF_HEADER, csrf_token, install_csrf
from automation.mock_portal.security.rate_limits import (
    OAUTH_FAILURES,
    SIGN_IN_FAILURES,
    FailureLimit,
    Quota,
    failure_quota,
    rate_windows,
    record_failure,
    reset_rate_limits,
)
from automation.mock_portal.security.sign_in import (
    form_login,
    install_sign_in_limits,
    limit_sign_in,
    session_login,
)

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "MAX_BODY_BYTES",
    "OAUTH_FAILURES",
    "SIGN_IN_FAILURES",
    "FailureLimit",
    "Quota",
    "csrf_token",
    "failure_quota",
    "form_login",
    "install_security",
    "limit_sign_in",
    "rate_windows",
    "record_failure",
    "reset_rate_limits",
    "session_login",
]


def install_security(app: Flask) -> None:
    """After ``install_faults``: an expired session or a fault comes before any check."""
    app.config.update(SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_HTTPONLY=True)
    # Hooks run in this order: a body is measured before the CSRF check reads a form from it.
    install_body_limits(app)
    install_csrf(app)
    install_sign_in_limits(app)
