"""Procore's login (``login.procore.com``), where the Developer Portal's Sign In and the
company web app's sign-in both lead (reference: "Signing in").

Its screens, each found by what a person reads on it:

- email: the "Email" field and **Continue**;
- "Enter Your Password": the email with **Edit**, "Password", **Continue**;
- "How Do You Want to Verify Your Identity": **Authenticator App** | **Use a Phone Number**;
- "Enter Your 6-digit Verification Code": its one field, **Continue**;
- a company to pick (radio buttons named after the companies), **Continue**.

An SSO account never sees a password field: Continue takes it to its company's identity
provider, whose screens are that provider's, not Procore's; automation stops there.

Wording that moves: support.procore.com's "Log in to Procore using MFA" says **Continue** on
"Enter Your Password"; "Log in to Procore Web", the OneLogin and Azure AD tutorials say
**Log In**. Both are accepted on every screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from playwright.sync_api import Locator, Page, expect

from automation.errors import (
    CompanyChoiceRequired,
    LoginRefused,
    SecondFactorRequired,
    SignInRefused,
    SingleSignOnRequired,
    StepError,
)
from automation.pages.recovery import click_and_await_navigation, settle
from automation.pages.screen_read import Shown, read_screen
from automation.pages.visible import action, field
from automation.secret import Secret

__all__ = [
    "CompanyChoiceRequired",
    "Credentials",
    "LoginRefused",
    "ProcoreLogin",
    "SecondFactorRequired",
    "SignInRefused",
    "SingleSignOnRequired",
    "refusal_in",
    "screen_of",
    "shows_email",
    "totp_codes",
]

CONTINUE = re.compile(r"^(Continue|Log In)$")
#: The email field's caption: "Email" (the login today); "Email Address" is accepted as the
#: wording a redesign may bring (inferred: no source shows it).
EMAIL = re.compile(r"^\s*Email( Address)?\s*\*?\s*$", re.IGNORECASE)
PASSWORD_HEADING = re.compile(r"^Enter Your Password$", re.IGNORECASE)
METHOD_HEADING = re.compile(r"^How Do You Want to Verify Your Identity\??$", re.IGNORECASE)
CODE_HEADING = re.compile(r"^Enter Your 6-digit Verification Code$", re.IGNORECASE)
AUTHENTICATOR_APP = re.compile(r"Authenticator App", re.IGNORECASE)
#: Procore does not document its refusal texts; these are the words such texts are made of
#: ("The email or password you entered is incorrect.", "... code ... is invalid").
REFUSAL = re.compile(r"\b(incorrect|invalid|not valid|try again)\b", re.IGNORECASE)
#: How long a Continue may take to start loading the next screen before we look in place
#: (a login that changes screens without loading a page).
NAVIGATION_MS = 5_000
#: Email, password, method, code, company: a login shows at most these five screens (and a
#: passing server error may need a look again).
MAX_SCREENS = 8

Screen = Literal["email", "password", "method", "code", "company"]
#: Screens after which the login may hand back to the site, signed in.
_MAY_BE_LAST: frozenset[Screen | None] = frozenset({"password", "code", "company"})
_SCREEN_HEADINGS: dict[Screen, re.Pattern[str]] = {
    "password": PASSWORD_HEADING,
    "method": METHOD_HEADING,
    "code": CODE_HEADING,
}


@dataclass(frozen=True)
class Credentials:
    email: str
    password: Secret
    #: Gives the authenticator app's current code (from the vault's TOTP seed), if any.
    totp_code: Callable[[], str] | None = None
    #: The company to pick when the login asks (accounts invited to several companies).
    company: str | None = None


def totp_codes(seed: Secret | None) -> Callable[[], str] | None:
    """The current 6-digit code of a base32 TOTP seed (30-second steps), read when asked."""
    if seed is None:
        return None
    import pyotp

    return lambda: pyotp.TOTP(seed.reveal()).now()


class ProcoreLogin:
    """The login in one page; :meth:`log_in` walks whatever screens it shows."""

    def __init__(self, page: Page) -> None:
        self.page = page
        # Each by what the screen shows: Continue drawn as a button or a link, a field by its
        # caption (a label, or the words above the box).
        self.continue_button = action(page, CONTINUE)
        self.email = field(page, EMAIL)
        self.password = field(page, "Password", kind="password")
        self.edit_email = action(page, "Edit")
        self.authenticator_app = action(page, AUTHENTICATOR_APP)
        # The code screen has a single field; its caption is not documented.
        self.code = page.get_by_role("textbox")
        self.refusal = page.get_by_text(REFUSAL).first
        self._headings: dict[Screen, Locator] = {
            screen: page.get_by_role("heading", name=pattern)
            for screen, pattern in _SCREEN_HEADINGS.items()
        }

    @staticmethod
    def is_login_page(page: Page) -> bool:
        """True when the page is a screen of Procore's login (checked at once, no waiting)."""
        return ProcoreLogin(page).screen() is not None

    def screen(self) -> Screen | None:
        """Which screen is shown now (no waiting), None when not the login's."""
        return screen_of(read_screen(self.page))

    def log_in(self, credentials: Credentials, signed_in: Locator) -> None:
        """From any screen of the login until ``signed_in`` (the site's own sign) shows."""
        shown: Screen | None = None
        for _screen in range(MAX_SCREENS):
            # After a screen that may be the last, the site's own sign is the likeliest
            # thing shown: one query, where a read of the whole new page costs several.
            if shown in _MAY_BE_LAST and signed_in.is_visible():
                return
            # One read of the screen tells which it is and what it says: a round trip per
            # candidate heading or field was most of a sign-in's time spent looking.
            previous, seen = shown, read_screen(self.page)
            shown = screen_of(seen)
            if shown is None:
                if signed_in.is_visible():
                    return
                if settle(self.page):  # a passing server error, loaded again: look again
                    shown = previous
                    continue
                if previous == "email":
                    raise SingleSignOnRequired(
                        "this account signs in through its company's identity provider "
                        "(single sign-on), which a headless run cannot do: run with --headed, "
                        "and the sign-in waits for you to finish it in the browser"
                    )
                raise StepError(f"the login ended on a page it does not know: {self.page.url}")
            # Only a screen of the login that answered what we sent refuses (a site's own pages
            # may hold such words: an address at "….invalid").
            refused = refusal_in(seen) if previous is not None else None
            if refused is not None:
                raise SignInRefused(refused)
            self._answer(shown, credentials, seen)
        raise StepError("the login kept asking; it never came back signed in")

    def _answer(self, screen: Screen, credentials: Credentials, seen: list[Shown]) -> None:
        if screen == "email":
            self.email.fill(credentials.email)
            self._submit(self.continue_button, screen)
        elif screen == "password":
            if not shows_email(seen, credentials.email):
                self._submit(self.edit_email, screen)  # another email was typed before: Edit
                return
            self.password.fill(credentials.password.reveal())
            self._submit(self.continue_button, screen)
        elif screen == "method":
            self._need_code(credentials)
            self._submit(self.authenticator_app, screen)
        elif screen == "code":
            code = self._need_code(credentials)
            self.code.fill(code())
            self._submit(self.continue_button, screen)
        else:
            if credentials.company is None:
                raise CompanyChoiceRequired(
                    "the login asks which company to open: name it in the sign-in step "
                    "(company: ...)"
                )
            self.page.get_by_role("radio", name=credentials.company, exact=True).check()
            self._submit(self.continue_button, screen)

    @staticmethod
    def _need_code(credentials: Credentials) -> Callable[[], str]:
        if credentials.totp_code is None:
            raise SecondFactorRequired(
                "the account asks for a verification code: put its TOTP seed in the vault "
                "(field totp_seed) or run with --headed and type the code when asked"
            )
        return credentials.totp_code

    def _submit(self, target: Locator, before: Screen) -> None:
        """Clicks on screen ``before``; waits for the next screen (a new page, or the same
        page changed). Whether it refused is read with the next screen."""
        status = click_and_await_navigation(self.page, target, within_ms=NAVIGATION_MS)
        if status is None:
            changed = self.refusal
            for name, heading in self._headings.items():
                if name != before:
                    changed = changed.or_(heading)
            expect(changed).to_be_visible()
        elif status >= 500:
            settle(self.page)  # a passing server error on the way is loaded again


def screen_of(seen: list[Shown]) -> Screen | None:
    """Which of the login's screens ``seen`` (a read of the page) is, None when none."""
    for thing in seen:
        if thing.role == "heading":
            heading = " ".join(thing.text.split())
            for name, pattern in _SCREEN_HEADINGS.items():
                if pattern.match(heading):
                    return name
    if not any(thing.role in ("button", "link") and CONTINUE.match(thing.text)
               for thing in seen):
        return None
    if any(thing.role == "radio" for thing in seen):
        return "company"
    # The email field: named "Email" by its label, or a box under the caption "Email".
    named = any(t.role == "textbox" and EMAIL.match(t.text) for t in seen)
    captioned = (any(t.role == "text" and EMAIL.match(t.text) for t in seen)
                 and any(t.role == "textbox" for t in seen))
    return "email" if named or captioned else None


def shows_email(seen: list[Shown], email: str) -> bool:
    """The password screen names the email typed before it (with **Edit** to change it)."""
    typed = re.compile(rf"(?<![\w.@+-]){re.escape(email)}(?![\w.@-])", re.IGNORECASE)
    return any(typed.search(thing.text) for thing in seen)


def refusal_in(seen: list[Shown]) -> str | None:
    return next((thing.text for thing in seen if REFUSAL.search(thing.text)), None)
