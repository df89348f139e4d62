"""Placeholder: replaced by the module's real views."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("mock_admin", __name__)
