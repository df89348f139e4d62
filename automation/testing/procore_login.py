"""For tests of the mock's other screens: through Procore's login by hand, in plain Playwright.

(The runbooks' way is the page object, :mod:`automation.pages.procore_login`; tests of the
mock itself do not lean on it.)
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

__all__ = ["log_in_by_hand"]


def log_in_by_hand(page: Page, email: str, password: str) -> None:
    """From the login's email screen (where a signed-out visit lands): email, password, back."""
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Enter Your Password")).to_be_visible()
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Enter Your Password")).to_have_count(0)
