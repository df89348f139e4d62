"""What an action receives: its step's view of the run (sites, vault, target, settings)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from loguru import logger

from automation.errors import RunbookError, SecretUnsafe, VaultError
from automation.secret import Secret
from automation.targets import GENERIC_SITE, Target
from automation.vault.base import Vault, VaultRef

if TYPE_CHECKING:  # Playwright loads only when a run starts, not for validate or plan
    from playwright.sync_api import Locator, Page

    from automation.execute.session import BrowserSession
    from automation.pages.base import Site

__all__ = ["PROGRESS_EVERY_S", "StepRun"]

#: Progress reaches the display at most this often (the last report always does): a report
#: per item of a 2,500-item loop then costs a clock read.
PROGRESS_EVERY_S = 0.2

#: Check-and-set writes of a captured secret before giving up (each lost one means another
#: writer's version went in first: it stays in the history, ours goes on top).
_CAS_ATTEMPTS = 16


@dataclass
class StepRun:
    """One attempt at one step. Actions use it; they never see YAML or global settings."""

    key: str
    title: str
    target: Target
    vault: Vault
    browser: BrowserSession
    run_dir: Path
    headed: bool
    #: Where this step's secret outputs go (its rendered ``vault.path``), if anywhere.
    vault_path: str | None = None
    #: Asks a person to do something and waits for them (headed runs only).
    ask_human: Callable[[str], None] | None = None
    #: Elements showing secrets right now: masked in every screenshot.
    sensitive: list[Locator] = field(default_factory=list)
    #: Notes for the report and the log ("added 2,500 projects through the REST API").
    notes: list[str] = field(default_factory=list)
    #: The run's conclusions, repeated at its end ("37/37 projects visible ...").
    headlines: list[str] = field(default_factory=list)
    stored: dict[str, VaultRef] = field(default_factory=dict)
    rescue_dir: Path = Path(".runbook") / "rescue"
    #: The sites this step used, last one last (a failure reports where it was).
    used_sites: list[str] = field(default_factory=list)
    #: Called while a captured secret is still on screen, before it is stored (the executor
    #: takes a masked picture of it for the run's record).
    on_storing_secrets: Callable[[], None] | None = None
    #: Where :meth:`progress` reports go (the executor points it at the run's display).
    on_progress: Callable[[int, int, str], None] | None = None
    _progress_at: float = field(default=float("-inf"), repr=False)

    def site(self, name: str = GENERIC_SITE) -> Site:
        if not self.used_sites or self.used_sites[-1] != name:
            self.used_sites.append(name)
        return self.browser.site(name)

    def page(self, name: str = GENERIC_SITE) -> Page:
        return self.site(name).page

    def note(self, text: str, *, headline: bool = False) -> None:
        self.notes.append(text)
        if headline:
            self.headlines.append(text)
        logger.debug("    {}", text)  # the step's line shows its notes once it is done

    def progress(self, done: int, total: int, what: str) -> None:
        """Reports a long piece of work (``progress(1200, 2500, "adding projects")``); call it
        as often as you like: reports closer than ``PROGRESS_EVERY_S`` are dropped."""
        if self.on_progress is None:
            return
        now = time.monotonic()
        if done < total and now - self._progress_at < PROGRESS_EVERY_S:
            return
        self._progress_at = now
        self.on_progress(done, total, what)

    def store_secrets(self, fields: Mapping[str, str | Secret]) -> dict[str, VaultRef]:
        """Seals ``fields`` in a rescue file, writes them to the vault, reads back, compares.

        Write-ahead (see ``vault/custody.py``): the rescue file is on disk before the vault
        write starts and goes only once the read-back matches, so whatever stops the write
        leaves the secret recoverable. Only after this returns may the action let the secret
        go (close the dialog). Any failure, or a SIGINT/SIGTERM, keeps the rescue file and
        raises SecretUnsafe (a SecretInterrupted for a signal), which stops the run.
        """
        from automation.execute.interrupts import Interrupted, deferred, interruptible
        from automation.vault.custody import checkpoint, discard, seal_first

        if self.vault_path is None:
            raise RunbookError(f"step {self.key} captures secrets but has no 'vault:' path")
        path = self.vault_path
        if self.on_storing_secrets is not None:
            self.on_storing_secrets()
        rescue: Path | None = None
        unsealed: list[str] = []
        try:
            with deferred():  # a signal waits until the rescue file is whole on disk
                # The full path: `runbook vault rescue` puts it back where it belongs.
                rescue, unsealed = seal_first(self.rescue_dirs(), self.vault.full_path(path),
                                              fields, self.vault.url)
            checkpoint("capture:sealed")
            with interruptible():
                self._write_and_check(path, fields)
        except Interrupted as stop:
            raise self._unsafe(path, rescue, unsealed, f"{stop.name} during the vault write",
                               stop.exit_code) from None
        except Exception as exc:  # OSError, a vault that refuses, a server that died...
            reason = str(exc) if isinstance(exc, VaultError) else _describe(exc)
            raise self._unsafe(path, rescue, unsealed, f"the vault refused it: {reason}",
                               None) from None
        with deferred():
            checkpoint("capture:checked")
            if rescue is not None:
                discard(rescue)
        return self._remember(path, fields)

    def rescue_dirs(self) -> list[Path]:
        """Where this step seals (and looks for) rescue files, best first."""
        from automation.vault.custody import rescue_dirs

        return rescue_dirs(self.vault, self.rescue_dir, self.run_dir)

    def restore_pending(self, matches: Callable[[Mapping[str, Secret]], bool]
                        ) -> dict[str, Secret] | None:
        """Fields of a rescue file an earlier run left for this step's vault path (``matches``
        picks the right one), stored in the vault and checked; then the file goes."""
        from automation.vault.custody import discard, open_pending, pending_rescues

        if self.vault_path is None:
            return None
        full = self.vault.full_path(self.vault_path)
        for rescue in pending_rescues(self.rescue_dirs(), full):
            fields = open_pending(rescue)
            if fields is None or not matches(fields):
                continue
            try:
                self._write_and_check(self.vault_path, fields)
            except Exception as exc:
                reason = str(exc) if isinstance(exc, VaultError) else _describe(exc)
                raise SecretUnsafe(
                    f"an earlier run left the secret in {rescue}, but the vault refused it "
                    f"({reason}).\n  Fix the vault, then run: runbook vault rescue {rescue} "
                    f"--vault URL"
                ) from None
            discard(rescue)
            self.note(f"recovered the secret an earlier run left in {rescue}: now in "
                      f"vault:{full} (read back and checked)", headline=True)
            self._remember(self.vault_path, fields)
            return fields
        return None

    def forget_settled(self, held: Mapping[str, Secret]) -> None:
        """Removes rescue files for this step's vault path holding exactly what the vault
        holds (left by a run killed after its vault write, before its clean-up)."""
        from automation.vault.custody import discard, open_pending, pending_rescues

        if self.vault_path is None:
            return
        full = self.vault.full_path(self.vault_path)
        for rescue in pending_rescues(self.rescue_dirs(), full):
            if open_pending(rescue) == dict(held):
                discard(rescue)
                self.note(f"removed {rescue}: the vault already holds its secret")

    def _write_and_check(self, path: str, fields: Mapping[str, str | Secret]) -> None:
        from automation.vault.custody import checkpoint

        for attempt in range(_CAS_ATTEMPTS):  # other fleet members may write the same path
            current = self.vault.history(path)
            if current and not current[-1].deleted:
                existing = self.vault.get(path)
                if all(existing.get(k) == Secret(_plain(v)) for k, v in fields.items()):
                    return
            try:
                self.vault.put(path, fields, cas=current[-1].version if current else 0)
                break
            except VaultError as error:  # another writer got there first: look again
                if "changed" not in str(error) or attempt == _CAS_ATTEMPTS - 1:
                    raise
        checkpoint("capture:stored")
        readback = self.vault.get(path)
        mismatched = [k for k, v in fields.items() if readback.get(k) != Secret(_plain(v))]
        if mismatched:
            raise VaultError(f"{self.vault.url}: {path}: read-back differs for "
                             f"{', '.join(mismatched)}")

    def _unsafe(self, path: str, rescue: Path | None, unsealed: list[str], why: str,
                exit_code: int | None) -> SecretUnsafe:
        from automation.vault.custody import SecretInterrupted
        from automation.vault.rescue import key_file_for

        if rescue is not None:
            where = (f"  It is NOT lost: it was sealed in {rescue} (key: {key_file_for(rescue)})."
                     f"\n  Fix the vault, then run: runbook vault rescue {rescue} --vault URL")
        else:
            where = ("  It could not be sealed in a rescue file either:\n    "
                     + "\n    ".join(unsealed) + "\n  Copy it from the dialog before it closes.")
        full = self.vault.full_path(path)
        message = (f"the captured secret for vault:{full} is not in the vault ({why}).\n"
                   f"{where}\n  The credentials dialog was left open.")
        if exit_code is not None:
            return SecretInterrupted(message, exit_code)
        return SecretUnsafe(message)

    def _remember(self, path: str, fields: Mapping[str, str | Secret]) -> dict[str, VaultRef]:
        # Full paths (with the target's namespace): the journal names where they really are.
        refs = {name: VaultRef(self.vault.full_path(path), name) for name in fields}
        self.stored.update(refs)
        return refs


def _plain(value: str | Secret) -> str:
    return value.reveal() if isinstance(value, Secret) else value


def _describe(error: BaseException) -> str:
    """An unexpected error in words, without its repr (which may hold a value)."""
    if isinstance(error, OSError) and error.strerror:
        return f"{error.filename}: {error.strerror}" if error.filename else error.strerror
    return type(error).__name__
