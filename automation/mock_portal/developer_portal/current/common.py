"""The blueprint of the form-based generation's own addresses (builder, static files)."""

from __future__ import annotations

from flask import Blueprint

__all__ = ["blueprint"]

blueprint = Blueprint(
    "developer_current",
    __name__,
    url_prefix="/developers",
    template_folder="templates",
    static_folder="static/developer_current",
    static_url_path="/builder-static",
)
