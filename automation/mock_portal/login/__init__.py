"""Procore's login (``login.procore.com``) at ``/login``: where the Developer Portal's Sign In
and the company web app's sign-in send a signed-out browser, and whence it returns.

Parts: ``common`` (the blueprint, the accounts, the flow's session, ``return_to``), ``views``
(the screens, in Procore's order) and ``idp`` (an SSO account's identity provider). The OAuth
token endpoints of the same host stay in ``api`` (``/oauth``).

Sites use :func:`login_url` to send a browser here and :func:`signed_in_email` /
:func:`signed_in_company` to learn who came back; :func:`forget_sign_in` on Sign Out.
"""

from __future__ import annotations

from automation.mock_portal.login import idp, views  # noqa: F401  (imported to register their views)
from automation.mock_portal.login.common import (
    blueprint,
    forget_sign_in,
    login_url,
    signed_in_company,
    signed_in_email,
)

__all__ = [
    "blueprint",
    "forget_sign_in",
    "login_url",
    "signed_in_company",
    "signed_in_email",
]
