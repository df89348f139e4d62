"""The error tree. Each error knows its exit code; none ever carries a secret value.

====================  =========  ==================================================
error                 exit code  meaning
====================  =========  ==================================================
``RunbookError``      2          the input is wrong: a runbook, a ``--var``, a target,
                                 a vault URL. Raised before any browser starts.
``StepError``         1          a step failed at run time: names the step, its
                                 file:line, the page URL and the locator.
``PortalRefused``     1          a StepError: a site said no (a wrong password, a
                                 version number it will not take), in its own words.
``SessionExpired``    1          a StepError: the site sent us to its sign-in page.
``ServerError``       1          a StepError: the site answered a server error (5xx)
                                 that one reload did not cure.
``VaultError``        1          the vault refused, is unreachable, or is corrupt.
``SecretUnsafe``      1          a captured secret could not be stored; it went to a
                                 rescue file (or stayed on screen) instead.
====================  =========  ==================================================

The refusals of each site, under ``PortalRefused``:

- Procore's login (the Developer Portal's and the web app's sign-in): ``LoginRefused`` >
  ``SignInRefused``, ``SecondFactorRequired``, ``SingleSignOnRequired``,
  ``CompanyChoiceRequired``;
- Developer Portal: ``DeveloperPortalError`` > ``VersionRefused``, ``PromotionRefused``;
- company web app: ``CompanyAppRefused`` > ``InstallRefused``;
- sync tool: ``SyncToolRefused`` > ``IntegrationRefused``, ``ConnectionRefused``,
  ``SyncRefused``.

Which of these are tried again is decided in one place, by type:
:mod:`automation.retry`. No code looks for a word in a message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "EXIT_FAILED",
    "EXIT_INVALID",
    "EXIT_OK",
    "CompanyAppRefused",
    "CompanyChoiceRequired",
    "ConnectionRefused",
    "DeveloperNotVerified",
    "DeveloperPortalError",
    "InstallRefused",
    "IntegrationRefused",
    "LoginRefused",
    "PortalRefused",
    "Pos",
    "Problem",
    "PromotionRefused",
    "RunbookError",
    "RunbookToolError",
    "SecondFactorRequired",
    "SecretUnsafe",
    "ServerError",
    "SessionExpired",
    "SignInRefused",
    "SingleSignOnRequired",
    "StepError",
    "SyncRefused",
    "SyncToolRefused",
    "VaultError",
    "VersionRefused",
    "strict_mode_message",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2


@dataclass(frozen=True, order=True)
class Pos:
    """Where a node starts in its file; lines and columns count from 1."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, at a place in a file."""

    pos: Pos
    message: str

    def __str__(self) -> str:
        return f"{self.pos}: {self.message}"


class RunbookToolError(Exception):
    """Base of every error this tool reports to its user (no traceback shown)."""

    exit_code = EXIT_FAILED


class RunbookError(RunbookToolError):
    """Invalid input; carries every problem found, not just the first."""

    exit_code = EXIT_INVALID

    def __init__(self, problems: list[Problem] | str) -> None:
        self.problems = [] if isinstance(problems, str) else sorted(problems)
        text = problems if isinstance(problems, str) else "\n".join(map(str, self.problems))
        super().__init__(text)


class StepError(RunbookToolError):
    """A step failed at run time."""

    def __init__(
        self,
        message: str,
        *,
        step: str = "",
        where: Pos | None = None,
        url: str | None = None,
        locator: str | None = None,
        screenshot: str | None = None,
    ) -> None:
        self.step, self.where, self.url = step, where, url
        self.locator, self.screenshot = locator, screenshot
        self.reason = message
        lines = [f"{where}: {message}" if where else message]
        if url:
            lines.append(f"page: {url}")
        if locator:
            lines.append(f"locator: {locator}")
        if screenshot:
            lines.append(f"screenshot: {screenshot}")
        super().__init__("\n  ".join(lines))


class PortalRefused(StepError):
    """A site refused an intent; the message is the site's own text, never a secret."""


class SessionExpired(StepError):
    """The site sent us to its sign-in page in the middle of an intent.

    ``site`` names the runbook's site (``developer_portal``) when the raiser knows it.
    """

    def __init__(self, message: str, *, site: str | None = None, url: str | None = None
                 ) -> None:
        super().__init__(message, url=url)
        self.site = site


class ServerError(StepError):
    """The site answered a server error (5xx) that loading the page again did not cure."""


# -- Procore's login (where the Developer Portal's and the web app's sign-in lead) ----------

class LoginRefused(PortalRefused):
    """Procore's login did not sign in; never names the email or holds a secret."""


class SignInRefused(LoginRefused):
    """Wrong email, password or one-time code: the login's own words."""


class SecondFactorRequired(LoginRefused):
    """The account asks for a one-time code and no way to produce one was given."""


class SingleSignOnRequired(LoginRefused):
    """The account signs in at its company's identity provider, which automation cannot do."""


class CompanyChoiceRequired(LoginRefused):
    """The account was invited to several companies and no company was named."""


# -- the Developer Portal ----------------------------------------------------------------

class DeveloperPortalError(PortalRefused):
    """The Developer Portal refused an intent."""


class VersionRefused(DeveloperPortalError):
    """Create New Version did not accept the version number or the manifest."""


class PromotionRefused(DeveloperPortalError):
    """Promote Manifest? did not promote the version."""


class DeveloperNotVerified(DeveloperPortalError):
    """The organization is not a verified developer: "Become a Verified Developer" shows
    instead of production options (form-based portal)."""


# -- the company web app -----------------------------------------------------------------

class CompanyAppRefused(PortalRefused):
    """Procore's company web app refused an intent."""


class InstallRefused(CompanyAppRefused):
    """Procore refused the App Version ID; ``reason`` is the message it showed."""


# -- the sync tool -----------------------------------------------------------------------

class SyncToolRefused(PortalRefused):
    """The sync tool refused an intent."""


class IntegrationRefused(SyncToolRefused):
    """The sync tool did not accept the credentials; ``reason`` is what it said."""


class ConnectionRefused(SyncToolRefused):
    """The sync tool would not connect the integration to the company."""


class SyncRefused(SyncToolRefused):
    """The sync tool showed an error instead of a finished sync."""


class VaultError(RunbookToolError):
    """The vault could not do what was asked; names the vault and the path, never a value."""


class SecretUnsafe(RunbookToolError):
    """A captured secret could not be stored in the vault."""


def strict_mode_message(locator: str, matches: Sequence[str], count: int) -> str:
    """A locator that matched several elements where one was meant, with each match on its
    own line (role, accessible name, where), as ``automation.pages.strict_mode`` finds them."""
    lines = [f"{locator} matches {count} elements, not one:"]
    lines += [f"    {number}) {match}" for number, match in enumerate(matches, start=1)]
    if count > len(matches):
        lines.append(f"    ... and {count - len(matches)} more")
    return "\n".join(lines)
