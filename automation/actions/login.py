"""What the sign-in actions of Procore's sites share: a person finishes what automation cannot.

Procore's login may want a verification code with no TOTP seed in the vault, or send an SSO
account to its company's identity provider. Headless, that is the step's error (it says how to
get through); headed, the person at the keyboard finishes it in the browser and the sign-in,
run again, finds itself signed in.
"""

from __future__ import annotations

from collections.abc import Callable

from automation.execute.context import StepRun
from automation.pages.procore_login import SecondFactorRequired, SingleSignOnRequired

__all__ = ["sign_in_with_a_person_if_needed"]

_ASK = {
    SecondFactorRequired: "Finish signing in in the browser: choose Authenticator App and "
    "enter the code, then press Enter here",
    SingleSignOnRequired: "Finish signing in at your company's identity provider in the "
    "browser, then press Enter here",
}


def sign_in_with_a_person_if_needed(run: StepRun, sign_in: Callable[[], None]) -> None:
    try:
        sign_in()
    except (SecondFactorRequired, SingleSignOnRequired) as needed:
        if not run.headed or run.ask_human is None:
            raise
        run.ask_human(_ASK[type(needed)])
        sign_in()  # signed in by the person: nothing left to do but check
