"""``trace.zip`` (``--trace``): Playwright's trace of the run, grouped by step, without the
steps that type or read a secret.

Playwright keeps typed values, ``fill()`` arguments, dialog text and page pictures in plain
text in a trace, and its screenshot masks do not apply there. So each step is a chunk of its
own, and tracing is stopped outright while a step handles a secret (a dropped chunk would
leave the session's network log, request bodies included, to the next one) and for any
later step that begins on a page still showing one (a snapshot keeps every input's value).
At the end the saved chunks of every context become one zip the trace viewer opens (one
``N-trace.trace`` per chunk, pictures and ``resources/`` shared). The leak scan reads every
member after.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.sync_api import BrowserContext
from playwright.sync_api import Error as PlaywrightError

from automation.artifacts.masking import shows_secret
from automation.execute.events import RunEvent, StepEvent

if TYPE_CHECKING:
    from automation.execute.session import BrowserSession
    from automation.pages.base import Site

__all__ = ["TRACE_NAME", "TraceRecorder"]

TRACE_NAME = "trace.zip"
#: What each chunk has of its own; pictures and resources are shared.
_PER_CHUNK = frozenset({"trace.trace", "trace.network", "trace.stacks"})


@dataclass
class _Traced:
    context: BrowserContext
    #: "off" (not tracing), "between" (tracing, no chunk open) or "recording".
    state: str = "off"


class TraceRecorder:
    def __init__(self, run_dir: Path, browser: BrowserSession) -> None:
        self.run_dir = run_dir
        self._contexts: list[_Traced] = []
        self._chunks: list[Path] = []
        self._parts = Path(tempfile.mkdtemp(prefix="runbook-trace-"))
        self._step: StepEvent | None = None
        browser.on_site_opened.append(self._site_opened)

    def _site_opened(self, _name: str, site: Site) -> None:
        traced = _Traced(site.page.context)
        self._contexts.append(traced)
        if self._step is not None and not self._step.sensitive:
            self._record(traced, self._step.title)

    def _record(self, traced: _Traced, title: str) -> None:
        if any(shows_secret(page) for page in traced.context.pages):
            self._off(traced)  # a secret typed earlier is still on the page: not this step
            return
        tracing = traced.context.tracing
        if traced.state == "off":
            tracing.start(screenshots=True, snapshots=True, sources=False, title=title)
        else:
            tracing.start_chunk(title=title)
        tracing.group(title)
        traced.state = "recording"

    def on_step(self, event: StepEvent) -> None:
        if event.status == "started":
            self._step = event
            for traced in self._contexts:
                if event.sensitive:
                    self._off(traced)
                else:
                    self._record(traced, event.title)
        elif event.status in ("succeeded", "failed"):
            for traced in self._contexts:
                self._save_chunk(traced)
            self._step = None

    def _save_chunk(self, traced: _Traced) -> None:
        if traced.state != "recording":
            return
        traced.state = "between"
        tracing = traced.context.tracing
        try:
            tracing.group_end()
            path = self._parts / f"{len(self._chunks)}.zip"
            tracing.stop_chunk(path=str(path))
            self._chunks.append(path)
        except PlaywrightError:
            traced.state = "off"  # the context closed under us

    def _off(self, traced: _Traced) -> None:
        """Stops tracing outright: a dropped chunk would still leave the session's network
        log (request bodies, a typed password among them) to the next chunk."""
        if traced.state == "off":
            return
        traced.state = "off"
        with contextlib.suppress(PlaywrightError):
            traced.context.tracing.stop()

    def on_run(self, event: RunEvent) -> None:
        if event.status != "finished":
            return
        for traced in self._contexts:
            self._save_chunk(traced)
            self._off(traced)
        self._merge(self.run_dir / TRACE_NAME)

    def _merge(self, target: Path) -> None:
        """One zip of every saved chunk: the viewer loads each ``*.trace`` it finds."""
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as merged:
            seen: set[str] = set()
            number = 0
            for chunk in self._chunks:
                with zipfile.ZipFile(chunk) as part:
                    if not _acted(part.read("trace.trace")):
                        continue  # a site idle during the step: only its empty group
                    number += 1
                    for member in part.namelist():
                        if member in _PER_CHUNK:
                            merged.writestr(f"{number}-{member}", part.read(member))
                        elif member not in seen:  # named by hash or time: same name, same bytes
                            seen.add(member)
                            merged.writestr(member, part.read(member))
        shutil.rmtree(self._parts)


def _acted(trace: bytes) -> bool:
    """Whether a chunk holds an action besides its step's group."""
    for line in trace.splitlines():
        if b'"type":"before"' in line and json.loads(line).get("method") != "tracingGroup":
            return True
    return False
