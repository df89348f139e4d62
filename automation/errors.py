"""The error tree. Each error knows its exit code; none ever carries a secret value.

====================  =========  ==================================================
error                 exit code  meaning
====================  =========  ==================================================
``RunbookError``      2          the input is wrong: a runbook, a ``--var``, a target,
                                 a vault URL. Raised before any browser starts.
``StepError``         1          a step failed at run time: names the step, its
                                 file:line, the page URL and the locator.
``VaultError``        1          the vault refused, is unreachable, or is corrupt.
``SecretUnsafe``      1          a captured secret could not be stored; it went to a
                                 rescue file (or stayed on screen) instead.
====================  =========  ==================================================
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "EXIT_FAILED",
    "EXIT_INVALID",
    "EXIT_OK",
    "Pos",
    "Problem",
    "RunbookError",
    "RunbookToolError",
    "SecretUnsafe",
    "StepError",
    "VaultError",
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


class VaultError(RunbookToolError):
    """The vault could not do what was asked; names the vault and the path, never a value."""


class SecretUnsafe(RunbookToolError):
    """A captured secret could not be stored in the vault."""
