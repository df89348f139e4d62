"""The mock portal's seeds: the world a fresh mock portal starts from (package data).

Kept apart from the Flask app so that choosing a seed (``runbook mock-portal --seed``'s
default) does not import Flask.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DEFAULT_SEED"]

#: Two companies, their administrators, the demo developers and sync tool users.
DEFAULT_SEED = Path(__file__).resolve().parent / "default.json"
