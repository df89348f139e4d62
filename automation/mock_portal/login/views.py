"""The login's screens, one step each, in Procore's order.

Email > **Continue**; an SSO account goes to its identity provider (``idp.py``), any other to
"Enter Your Password" > **Continue**; with MFA "How Do You Want to Verify Your Identity" >
**Authenticator App** > "Enter Your 6-digit Verification Code" > **Continue**; an account
invited to several companies picks one > **Continue**; then back to ``return_to``.

The POST views that check what a person typed are few and named ``submit_*`` (the place for a
rate limit). An unknown email is not told apart from a known one: it fails at the password.
"""

from __future__ import annotations

import re

import pyotp
from flask import redirect, render_template, request
from werkzeug.wrappers import Response

from automation.mock_portal.login.common import (
    Account,
    account_in_progress,
    blueprint,
    find_account,
    finish,
    go_to,
    pending,
    portal_state,
    return_to,
    set_pending,
)

__all__ = [
    "advance",
    "company",
    "email",
    "forgot_password",
    "password",
    "submit_code",
    "submit_company",
    "submit_email",
    "submit_password",
    "verification_code",
    "verify_method",
]

#: The login's own words for a refusal (shown under the screen's heading).
WRONG_PASSWORD = "The email or password you entered is incorrect."
WRONG_CODE = "The verification code you entered is invalid. Try again."
NO_EMAIL = "Enter your email address."
NO_COMPANY = "Select a company."


class _TOTP(pyotp.TOTP):
    # pyotp 2.10+ refuses seeds under 112 bits; authenticator apps (and the seed file's
    # 80-bit demo seed) still use them, and a login checks codes, not seed policy.
    min_secret_length_bits = 80


def advance(account: Account) -> Response:
    """The next screen this account has not passed yet, or back where the person came from."""
    step = pending()
    if not step.get("password"):
        return go_to("login.password")
    if account.totp_seed and not step.get("code"):
        return go_to("login.verify_method")
    chosen = step.get("company")
    if len(account.companies) > 1 and not isinstance(chosen, int):
        return go_to("login.company")
    if not isinstance(chosen, int):
        chosen = account.companies[0] if account.companies else None
    finish(account.email, chosen)
    return redirect(return_to())


# -- Email ---------------------------------------------------------------------------------


@blueprint.get("/")
def email() -> str:
    return render_template("login/email.html", email=request.args.get("email", ""),
                           return_to=return_to(), error=None)


@blueprint.post("/")
def submit_email() -> tuple[str, int] | Response:
    typed = request.form.get("email", "").strip().lower()
    if not typed:
        return render_template("login/email.html", email="", return_to=return_to(),
                               error=NO_EMAIL), 422
    set_pending({"email": typed})
    account = find_account(typed)
    if account is not None and account.identity_provider:
        # Procore recognises an SSO account and never shows it a password field.
        return go_to("login.identity_provider")
    return go_to("login.password")


# -- Enter Your Password -------------------------------------------------------------------


def _password_screen(error: str | None) -> str:
    return render_template("login/password.html", email=pending().get("email", ""),
                           return_to=return_to(), error=error)


@blueprint.get("/password")
def password() -> str | Response:
    if "email" not in pending():
        return go_to("login.email")
    return _password_screen(None)


@blueprint.post("/password")
def submit_password() -> tuple[str, int] | Response:
    step = pending()
    if "email" not in step:
        return go_to("login.email")
    account = account_in_progress()
    typed = request.form.get("password", "")
    if account is None or account.password is None or typed != account.password:
        return _password_screen(WRONG_PASSWORD), 401
    step["password"] = True
    set_pending(step)
    return advance(account)


@blueprint.route("/forgot", methods=["GET", "POST"])
def forgot_password() -> str:
    """Forgot Password: says instructions were sent, whatever the email (nothing changes)."""
    sent = request.method == "POST"
    return render_template("login/forgot.html", sent=sent, return_to=return_to(),
                           email=request.values.get("email", pending().get("email", "")))


# -- Verify your identity ------------------------------------------------------------------


@blueprint.get("/verify")
def verify_method() -> str | Response:
    account = account_in_progress()
    if account is None or not pending().get("password"):
        return go_to("login.email")
    return render_template("login/verify_method.html", return_to=return_to())


def _code_screen(method: str, error: str | None) -> str:
    return render_template("login/code.html", method=method, return_to=return_to(),
                           error=error)


@blueprint.get("/verify/<any(app, phone):method>")
def verification_code(method: str) -> str | Response:
    account = account_in_progress()
    if account is None or not pending().get("password") or not account.totp_seed:
        return go_to("login.email")
    return _code_screen(method, None)


@blueprint.post("/verify/app")
def submit_code() -> tuple[str, int] | Response:
    account = account_in_progress()
    step = pending()
    if account is None or not step.get("password") or not account.totp_seed:
        return go_to("login.email")
    code = re.sub(r"\s", "", request.form.get("code", ""))
    if not (re.fullmatch(r"\d{6}", code) and _TOTP(account.totp_seed).verify(code, valid_window=1)):
        return _code_screen("app", WRONG_CODE), 401
    step["code"] = True
    set_pending(step)
    return advance(account)


# -- Several companies ---------------------------------------------------------------------


def _company_screen(account: Account, error: str | None) -> str:
    state = portal_state()
    with state.lock:
        choices = [state.companies[c] for c in account.companies if c in state.companies]
    return render_template("login/company.html", companies=choices, return_to=return_to(),
                           error=error)


@blueprint.get("/company")
def company() -> str | Response:
    account = account_in_progress()
    if account is None or not pending().get("password"):
        return go_to("login.email")
    return _company_screen(account, None)


@blueprint.post("/company")
def submit_company() -> tuple[str, int] | Response:
    account = account_in_progress()
    step = pending()
    if account is None or not step.get("password"):
        return go_to("login.email")
    try:
        chosen = int(request.form.get("company", ""))
    except ValueError:
        chosen = 0
    if chosen not in account.companies:
        return _company_screen(account, NO_COMPANY), 422
    step["company"] = chosen
    set_pending(step)
    return advance(account)
