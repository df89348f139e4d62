"""What the company web app refuses; the classes live in :mod:`automation.errors`."""

from __future__ import annotations

from automation.errors import CompanyAppRefused, InstallRefused

__all__ = ["CompanyAppRefused", "InstallRefused"]
