"""Developer Portal home, Sign In (email and password, then a TOTP code if set up), Sign Out.

After signing in, the browser goes back to the page it was sent from (``next``), but only to
a path of this site (``common.local_path``).
"""

from __future__ import annotations

import re

import pyotp
from flask import redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as BaseResponse

from automation.mock_portal.developer_portal.common import blueprint, local_path, portal_state

__all__ = ["home", "sign_in", "sign_out", "verify"]


class _TOTP(pyotp.TOTP):
    # pyotp 2.10+ refuses seeds under 112 bits; authenticator apps (and the seed file's
    # 80-bit demo seed) still use them, and a sign-in page checks codes, not seed policy.
    min_secret_length_bits = 80


@blueprint.get("/")
def home() -> str:
    return render_template("developer/home.html", email=session.get("developer_email"))


@blueprint.route("/sign_in", methods=["GET", "POST"])
def sign_in() -> tuple[str, int] | BaseResponse:
    back = local_path(request.values.get("next")) or url_for("developer.my_apps")
    error = None
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()
        developer = portal_state().developers.get(email)
        if developer is None or developer.password != request.form.get("password", ""):
            error = "Invalid email or password."
        elif developer.totp_seed:
            session.pop("developer_email", None)
            session["developer_pending"] = email
            return redirect(url_for("developer.verify", next=back))
        else:
            session["developer_email"] = email
            return redirect(back)
    return render_template("developer/sign_in.html", error=error, next=back), (
        401 if error else 200
    )


@blueprint.route("/sign_in/verify", methods=["GET", "POST"])
def verify() -> tuple[str, int] | BaseResponse:
    back = local_path(request.values.get("next")) or url_for("developer.my_apps")
    pending = session.get("developer_pending")
    developer = portal_state().developers.get(pending) if isinstance(pending, str) else None
    if developer is None or not developer.totp_seed:
        return redirect(url_for("developer.sign_in", next=back))
    error = None
    if request.method == "POST":
        code = re.sub(r"\s", "", request.form.get("code", ""))
        if re.fullmatch(r"\d{6}", code) and _TOTP(developer.totp_seed).verify(code, valid_window=1):
            session.pop("developer_pending", None)
            session["developer_email"] = developer.email
            return redirect(back)
        error = "That code is not valid. Enter the current 6-digit code."
    return render_template("developer/verify.html", error=error, next=back), (401 if error else 200)


@blueprint.post("/sign_out")
def sign_out() -> BaseResponse:
    session.pop("developer_email", None)
    return redirect(url_for("developer.home"))
