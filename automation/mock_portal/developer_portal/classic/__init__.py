"""The classic generation of the Developer Portal: the JSON manifest editor the seed procedure
shows (My Apps, the app page with Manage Manifests, Create New Version with Copy Code Snippet
and Open Builder, per-row Promote).

Its views (``views``) register on the Developer Portal's blueprint, beside what both
generations share (sign-in, promotion and the once-shown secret, the manifest's tools). Its
templates and scripts are served by ``assets``, a blueprint without views, so that they stay in
this package. The form-based generation (``current``) takes over the same addresses when it
is served.
"""

from __future__ import annotations

from flask import Blueprint

from automation.mock_portal.developer_portal.classic import views  # noqa: F401  (registers them)

__all__ = ["assets"]

assets = Blueprint(
    "developer_classic",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/developers/classic/static",
)
