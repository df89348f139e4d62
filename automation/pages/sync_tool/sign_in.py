"""The sync tool's sign-in page (Email, Password, Sign In)."""

from __future__ import annotations

from automation.pages.password_sign_in import PasswordSignIn

__all__ = ["SyncSignIn"]


class SyncSignIn(PasswordSignIn):
    BUTTON = "Sign In"
