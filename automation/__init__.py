"""procore-runbooks: browser-automation runbooks for web procedures that have no API.

The command is ``runbook`` (:mod:`automation.cli.main`); runbooks live in ``runbooks/``.
Everything a caller needs beyond the command is named here.
"""

from __future__ import annotations

from automation.errors import RunbookError, RunbookToolError, SecretUnsafe, StepError, VaultError
from automation.secret import Secret

__all__ = [
    "RunbookError",
    "RunbookToolError",
    "Secret",
    "SecretUnsafe",
    "StepError",
    "VaultError",
    "__version__",
]

__version__ = "0.1.0"
