"""A company's identity provider, as far as the mock needs one (SSO accounts end up here).

On Procore this is another company's site (Okta, OneLogin, Entra ID) on its own host, with its
own wording. Here it is one page under ``/login/idp``: the provider's own email and password,
then back through the login to ``return_to``. A person can finish it in a headed run; runbook
automation does not try (it cannot know a provider's screens or hold its credentials).
"""

from __future__ import annotations

from flask import render_template, request
from werkzeug.wrappers import Response

from automation.mock_portal.login.common import (
    account_in_progress,
    blueprint,
    go_to,
    pending,
    return_to,
    set_pending,
)
from automation.mock_portal.login.views import advance

__all__ = ["identity_provider", "submit_identity_provider"]

WRONG_IDP_PASSWORD = "Unable to sign in."


def _provider_screen(provider: str, error: str | None) -> str:
    return render_template("login/idp.html", provider=provider, email=pending().get("email", ""),
                           return_to=return_to(), error=error)


@blueprint.get("/idp")
def identity_provider() -> str | Response:
    account = account_in_progress()
    if account is None or not account.identity_provider:
        return go_to("login.email")
    return _provider_screen(account.identity_provider, None)


@blueprint.post("/idp")
def submit_identity_provider() -> tuple[str, int] | Response:
    account = account_in_progress()
    if account is None or not account.identity_provider:
        return go_to("login.email")
    if request.form.get("password", "") != account.idp_password:
        return _provider_screen(account.identity_provider, WRONG_IDP_PASSWORD), 401
    step = pending()
    step["password"] = True  # the provider vouches for the person: no Procore password
    set_pending(step)
    return advance(account)
