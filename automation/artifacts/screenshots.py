"""A masked picture after every step (the screen where it ended), and the executor's camera
for the screen where a step failed and for a secret being captured.

Every picture is its own file, named by step, attempt and moment:
``screenshots/developer.permissions.2.failed.png``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from automation.artifacts.masking import mark_secrets, masks, unmark
from automation.execute.events import RunEvent, StepEvent
from automation.execute.journal import RunDirUnwritable, unwritable_message

if TYPE_CHECKING:
    from automation.execute.session import BrowserSession
    from automation.pages.base import Site

__all__ = ["Picture", "Screenshots"]

SCREENSHOTS = "screenshots"


@dataclass(frozen=True)
class Picture:
    step: str
    attempt: int
    moment: str  # "ended", "failed", "secret-captured"
    path: Path  # relative to the run directory
    taken_at: float = 0.0  # wall clock (the video places stills by it)


class Screenshots:
    """Subscriber (a picture when a step ends) and :class:`~automation.execute.events.Camera`."""

    def __init__(self, run_dir: Path, browser: BrowserSession) -> None:
        self.run_dir, self.browser = run_dir, browser
        self.pictures: list[Picture] = []

    def picture(self, site: Site, step: str, attempt: int, moment: str,
                hidden: Sequence[Locator] = ()) -> str | None:
        """A masked picture of ``site``'s page; its path, or None if the page is gone."""
        name = f"{step}.{attempt}.{moment}"
        relative = Path(SCREENSHOTS) / f"{name}.png"
        number = 1
        while (self.run_dir / relative).exists():  # each failure of an attempt its own file
            number += 1
            relative = Path(SCREENSHOTS) / f"{name}-{number}.png"
        path = self.run_dir / relative
        page = site.page
        if page.is_closed():
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            mark_secrets(page)
            page.screenshot(path=str(path), mask=masks(page, hidden), timeout=5000,
                            animations="disabled", caret="hide")
        except PlaywrightError:
            return None
        except OSError as error:  # a full or read-only --out: the run cannot keep its record
            raise RunDirUnwritable(unwritable_message("the screenshot", path, error)) from None
        finally:
            unmark(page)
        self.pictures.append(Picture(step, attempt, moment, relative, time.time()))
        return str(path)

    def of(self, step: str) -> list[Picture]:
        return [p for p in self.pictures if p.step == step]

    def on_step(self, event: StepEvent) -> None:
        if event.status not in ("succeeded", "failed") or event.site is None:
            return
        for name, site in self.browser.open_sites():
            if name == event.site:
                self.picture(site, event.key, event.attempt, "ended")

    def on_run(self, event: RunEvent) -> None:
        pass
