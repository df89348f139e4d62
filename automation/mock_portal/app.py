"""The mock portal's WSGI app: every site under one loopback origin, by path prefix.

=====================  ============================================================
prefix                 site
=====================  ============================================================
``/developers``        Procore Developer Portal (form-based, or the classic manifest UI)
``/app``               Procore web app, as a company administrator
``/sync``              the sync tool
``/login``             Procore's login (``login.procore.com``): email, password, MFA
``/oauth``             OAuth 2.0 token endpoints (``login.procore.com``)
``/rest``              REST API (``api.procore.com``)
``/__mock__``          test-only: state export, reset, project creation (admin token)
=====================  ============================================================

Every site is as strict as Procore (``security``): CSRF tokens, SameSite cookies, body
limits, rate limits on failed sign-ins and client secrets.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from automation.mock_portal import api, developer_portal, login, mock_admin, procore, sync_tool
from automation.mock_portal.developer_portal import current
from automation.mock_portal.faults import Faults, install_faults
from automation.mock_portal.security import install_security
from automation.mock_portal.seeds import DEFAULT_SEED
from automation.mock_portal.state import PortalState
from automation.mock_portal.variants import install_variants

__all__ = ["DEFAULT_SEED", "create_app"]


def create_app(
    state: PortalState,
    faults: Faults | None = None,
    *,
    seed: Path = DEFAULT_SEED,
    project_count: int | None = None,
    admin_token: str,
    ui: str = "current",
    variants: tuple[str, ...] = (),
) -> Flask:
    """``ui``: which generation of the Developer Portal to serve, ``current`` (form based,
    what Procore serves today) or ``classic`` (the manifest editor of the seed procedure)."""
    if ui not in current.UIS:
        raise ValueError(f"ui must be one of {', '.join(current.UIS)}, not {ui!r}")
    app = Flask(__name__)
    app.config["PORTAL_STATE"] = state
    # What ``POST /__mock__/reset`` rebuilds the state from.
    app.config["PORTAL_SEED"] = (seed, project_count)
    # What ``/__mock__/*`` asks for (``Authorization: Bearer ...``).
    app.config["MOCK_ADMIN_TOKEN"] = admin_token
    # Sessions are signed cookies; a fresh key per process is enough for a mock.
    app.secret_key = __import__("secrets").token_hex(16)
    # Stylesheets and scripts never change while a portal runs: let the browser keep them
    # instead of revalidating each on every page load (as a CDN-served portal would).
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 3600
    for blueprint in (
        developer_portal.blueprint,
        developer_portal.classic_assets,
        procore.blueprint,
        sync_tool.blueprint,
        login.blueprint,
        api.blueprint,
        mock_admin.blueprint,
    ):
        app.register_blueprint(blueprint)
    if ui == "current":
        current.install(app)
    app.config["DEVELOPER_UI"] = ui
    install_faults(app, faults or Faults())
    install_security(app)
    install_variants(app, variants)  # names checked by variants.parse_variants
    return app
