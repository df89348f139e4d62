"""The Developer Portal as Procore serves it now: the form-based builder (late-2026 wording).

The classic manifest editor (the seed's screens) and this generation share everything below
the screens: the ``developer`` blueprint's sign-in, the state (apps, versions, manifests,
promotion, hashed secrets), and the promote and reset endpoints (``production``). Only what a
person sees differs: My Apps and the app page, whose views :func:`install` puts behind the
same addresses (``/developers/apps``, ``/developers/apps/<id>``), so that every link, redirect
and bookmark works on either generation; and the version builder, with its own addresses.

Modules: ``components`` (the Data Connector choices and the manifest they make) and ``views``.
"""

from __future__ import annotations

from flask import Flask

from automation.mock_portal.developer_portal.current import views
from automation.mock_portal.developer_portal.current.common import blueprint

__all__ = ["UIS", "blueprint", "install"]

#: The generations the mock can serve; ``current`` is what Procore serves today.
UIS = ("current", "classic")


def install(app: Flask) -> None:
    """Serves this generation's screens at the classic screens' addresses (call after the
    ``developer`` blueprint is registered)."""
    app.register_blueprint(blueprint)
    for endpoint, view in views.SCREENS.items():
        app.view_functions[f"developer.{endpoint}"] = view
