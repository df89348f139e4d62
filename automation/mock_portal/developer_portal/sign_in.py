"""Developer Portal home, Sign In (through Procore's login, ``/login``), Sign Out.

**Sign In** sends the browser to Procore's login with this page as ``return_to``; the login
sends it back here signed in, and this page opens the page it was sent from (``next``), but
only a path of this site (``common.local_path``).
"""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as BaseResponse

from automation.mock_portal.developer_portal.common import blueprint, local_path, portal_state
from automation.mock_portal.login import forget_sign_in, login_url, signed_in_email

__all__ = ["home", "sign_in", "sign_out"]


@blueprint.get("/")
def home() -> str:
    return render_template("developer/home.html", email=session.get("developer_email"))


@blueprint.get("/sign_in")
def sign_in() -> tuple[str, int] | BaseResponse:
    back = local_path(request.args.get("next")) or url_for("developer.my_apps")
    email = signed_in_email()
    if email is None:
        return redirect(login_url(url_for("developer.sign_in", next=back)))
    if email not in portal_state().developers:
        # A Procore account that never registered as a developer.
        return render_template("developer/sign_in.html", signed_in_as=email), 403
    session["developer_email"] = email
    return redirect(back)


@blueprint.post("/sign_out")
def sign_out() -> BaseResponse:
    session.pop("developer_email", None)
    forget_sign_in()
    return redirect(url_for("developer.home"))
