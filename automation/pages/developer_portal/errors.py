"""What can go wrong in the Developer Portal, as the person at the keyboard would say it."""

from __future__ import annotations

# Signing in happens on Procore's login, shared with the company web app.
from automation.pages.procore_login import SecondFactorRequired, SignInRefused

__all__ = [
    "DeveloperPortalError",
    "PromotionRefused",
    "SecondFactorRequired",
    "SignInRefused",
    "VersionRefused",
]


class DeveloperPortalError(Exception):
    """The portal refused an intent; the message is the portal's own text, never a secret."""


class VersionRefused(DeveloperPortalError):
    """Create New Version did not accept the version number or the manifest."""


class PromotionRefused(DeveloperPortalError):
    """Promote Manifest? did not promote the version."""
