"""What the sync tool refuses; the classes live in :mod:`automation.errors`."""

from __future__ import annotations

from automation.errors import ConnectionRefused, IntegrationRefused, SyncRefused, SyncToolRefused

__all__ = ["ConnectionRefused", "IntegrationRefused", "SyncRefused", "SyncToolRefused"]
