"""What can go wrong in the Developer Portal, as the person at the keyboard would say it."""

from __future__ import annotations

__all__ = [
    "DeveloperNotVerified",
    "DeveloperPortalError",
    "PromotionRefused",
    "SecondFactorRequired",
    "SignInRefused",
    "VersionRefused",
]


class DeveloperPortalError(Exception):
    """The portal refused an intent; the message is the portal's own text, never a secret."""


class SignInRefused(DeveloperPortalError):
    """Wrong email, password or one-time code."""


class SecondFactorRequired(DeveloperPortalError):
    """The account asks for a one-time code and no way to produce one was given."""


class VersionRefused(DeveloperPortalError):
    """Create New Version did not accept the version number or the manifest."""


class PromotionRefused(DeveloperPortalError):
    """Promote Manifest? did not promote the version."""


class DeveloperNotVerified(DeveloperPortalError):
    """The organization is not a verified developer: "Become a Verified Developer" shows
    instead of production options (form-based portal)."""
