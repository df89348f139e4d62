"""Procore's sign-in page (Email, Password, Log In)."""

from __future__ import annotations

from automation.pages.password_sign_in import PasswordSignIn

__all__ = ["ProcoreSignIn"]


class ProcoreSignIn(PasswordSignIn):
    BUTTON = "Log In"
