"""What an action receives: its step's view of the run (sites, vault, target, settings)."""

from __future__ import annotations

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

__all__ = ["StepRun"]


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

    def store_secrets(self, fields: Mapping[str, str | Secret]) -> dict[str, VaultRef]:
        """Writes ``fields`` to this step's vault path, reads them back, compares.

        Only after this returns may the action let the secret go (close the dialog). If the
        vault refuses, the values go to an encrypted rescue file and SecretUnsafe stops the run.
        """
        if self.vault_path is None:
            raise RunbookError(f"step {self.key} captures secrets but has no 'vault:' path")
        path = self.vault_path
        if self.on_storing_secrets is not None:
            self.on_storing_secrets()
        try:
            current = self.vault.history(path)
            if current and not current[-1].deleted:
                existing = self.vault.get(path)
                if all(existing.get(k) == Secret(v) for k, v in fields.items()):
                    return self._remember(path, fields)
            self.vault.put(path, fields, cas=current[-1].version if current else 0)
            readback = self.vault.get(path)
            mismatched = [k for k, v in fields.items() if readback.get(k) != Secret(v)]
            if mismatched:
                raise VaultError(f"{self.vault.url}: {path}: read-back differs for "
                                 f"{', '.join(mismatched)}")
        except VaultError as exc:
            from automation.vault.rescue import key_file_for

            rescue = self._rescue(path, fields)
            raise SecretUnsafe(
                f"the vault refused the captured secret ({exc}).\n"
                f"  It is NOT lost: it was sealed in {rescue} (key: {key_file_for(rescue)}).\n"
                f"  Fix the vault, then run: runbook vault rescue {rescue} --vault URL\n"
                "  The credentials dialog was left open."
            ) from None
        return self._remember(path, fields)

    def _remember(self, path: str, fields: Mapping[str, str | Secret]) -> dict[str, VaultRef]:
        refs = {name: VaultRef(path, name) for name in fields}
        self.stored.update(refs)
        return refs

    def _rescue(self, path: str, fields: Mapping[str, str | Secret]) -> Path:
        from automation.vault.rescue import write_rescue_file

        return write_rescue_file(self.rescue_dir, path, fields)
