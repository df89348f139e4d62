"""Which screen of Procore's login is shown, told from one read of the page (its ARIA
snapshot: the roles, names and texts a person's assistive technology reads)."""

from __future__ import annotations

import pytest

from automation.pages.procore_login import refusal_in, screen_of, shows_email
from automation.pages.screen_read import parse_snapshot

EMAIL = """
- main:
  - text: procore
  - heading "Log In" [level=1]
  - text: Email
  - textbox "Email"
  - button "Continue"
"""
PASSWORD = """
- main:
  - heading "Enter Your Password" [level=1]
  - text: admin@hingepoint.example
  - link "Edit":
    - /url: /login
  - text: Password
  - textbox "Password": Portal-Pass-2026!
  - button "Log In"
"""
METHOD = """
- heading "How Do You Want to Verify Your Identity?" [level=2]
- link "Authenticator App"
- link "Use a Phone Number"
"""
CODE = """
- heading "Enter Your 6-digit Verification Code" [level=2]
- textbox
- button "Continue"
"""
COMPANY = """
- heading "Choose a company" [level=2]
- radio "HingePoint"
- radio "Customer 001"
- button "Continue"
"""
#: The email screen whose caption is no label (the field has no name): the box under "Email".
EMAIL_CAPTIONED = """
- main:
  - heading "Log In" [level=1]
  - text: Email
  - textbox
  - button "Continue"
"""
#: Another wording a redesign may use (inferred): "Email Address".
EMAIL_ADDRESS = EMAIL.replace('"Email"', '"Email Address"').replace(": Email", ": Email Address")
#: A site's own page with a Continue button: not the login.
WIZARD = """
- heading "App Setup" [level=2]
- textbox "Search"
- button "Continue"
"""


@pytest.mark.parametrize(("snapshot", "screen"), [
    (EMAIL, "email"), (EMAIL_CAPTIONED, "email"), (EMAIL_ADDRESS, "email"),
    (PASSWORD, "password"), (METHOD, "method"), (CODE, "code"), (COMPANY, "company"),
    (WIZARD, None), ("- heading \"My Apps\" [level=1]", None),
])
def test_each_screen_is_told_by_what_it_shows(snapshot: str, screen: str | None) -> None:
    assert screen_of(parse_snapshot(snapshot)) == screen


def test_the_password_screen_names_the_email_typed_before() -> None:
    seen = parse_snapshot(PASSWORD)
    assert shows_email(seen, "admin@hingepoint.example")
    assert shows_email(seen, "Admin@HingePoint.example")  # emails compare without case
    assert not shows_email(seen, "min@hingepoint.example")  # a whole address, not a tail
    assert not shows_email(seen, "other@hingepoint.example")


def test_a_field_value_is_never_read() -> None:
    # The password field's value is in the snapshot; nothing read from it may hold it.
    assert not any("Portal-Pass" in thing.text for thing in parse_snapshot(PASSWORD))


def test_a_refusal_is_the_text_that_says_so() -> None:
    refused = PASSWORD + "  - paragraph: The email or password you entered is incorrect.\n"
    assert refusal_in(parse_snapshot(refused)) == "The email or password you entered is incorrect."
    assert refusal_in(parse_snapshot(PASSWORD)) is None
