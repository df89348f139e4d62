"""What can go wrong in the Developer Portal, as the person at the keyboard would say it.

The classes live in :mod:`automation.errors` (one error tree, refusals under
``PortalRefused``); they are importable from here as before.
"""

from __future__ import annotations

from automation.errors import (
    DeveloperNotVerified,
    DeveloperPortalError,
    PromotionRefused,
    SecondFactorRequired,
    SignInRefused,
    VersionRefused,
)

__all__ = [
    "DeveloperNotVerified",
    "DeveloperPortalError",
    "PromotionRefused",
    "SecondFactorRequired",
    "SignInRefused",
    "VersionRefused",
]
