"""Runs the members, ``parallel`` at a time, each in its own browser context.

Worker threads take members from one queue. A member that fails is done (its journal says
why) and the others go on. A member whose browser died under it (an endpoint that stopped
answering) goes back to the queue and resumes its own run directory in another browser: the
steps it finished are not done again.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loguru import logger
from playwright.sync_api import sync_playwright

from automation.fleet.browsers import EndpointPool, NoBrowserLeft, WorkerBrowser
from automation.fleet.member_run import run_member
from automation.fleet.members import Member
from automation.fleet.record import FLEET_ERROR
from automation.runbook.model import Runbook
from automation.targets import Target

__all__ = ["FleetRun", "Progress"]

#: How often one member may move to another browser before it counts as failed.
MAX_MOVES = 3


@dataclass
class Progress:
    """Members done, failed, running and waiting; prints a line at every change."""

    total: int
    done: int = 0
    failed: int = 0
    running: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def line(self) -> str:
        waiting = self.total - self.done - self.failed - len(self.running)
        return (f"{self.done} done, {self.failed} failed, {len(self.running)} running, "
                f"{waiting} waiting")

    def started(self, name: str) -> None:
        with self.lock:
            self.running[name] = "starting"
            logger.info("fleet: {} started ({})", name, self.line())

    def step(self, name: str, where: str) -> None:
        with self.lock:
            self.running[name] = where

    def finished(self, name: str, succeeded: bool, seconds: float) -> None:
        with self.lock:
            self.running.pop(name, None)
            if succeeded:
                self.done += 1
            else:
                self.failed += 1
            logger.info("fleet: {} {} in {:.1f} s ({})", name,
                        "succeeded" if succeeded else "FAILED", seconds, self.line())

    def moved(self, name: str) -> None:
        with self.lock:
            self.running.pop(name, None)
            logger.warning("fleet: {} lost its browser: it resumes in another ({})", name,
                           self.line())


@dataclass
class FleetRun:
    runbook: Runbook
    members: list[Member]
    shared: dict[str, str]
    target: Target
    vault_url: str | None
    fleet_dir: Path
    parallel: int
    pool: EndpointPool
    launch_options: dict[str, Any]
    timeout_s: float
    #: Run the first member alone, then the rest: what the members share (an app in the
    #: Developer Portal) is made once, and the others find it.
    first_alone: bool = False
    leaked: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.progress = Progress(len(self.members))
        self._queue: deque[tuple[Member, int]] = deque((m, 0) for m in self.members)
        self._lock = threading.Lock()
        self._first_done = threading.Event()
        self.stopping = threading.Event()

    def run(self) -> None:
        """Runs every member; returns when all are done (or on Ctrl-C, after which the
        members under way stay resumable)."""
        if not self.first_alone:
            self._first_done.set()
        count = max(1, min(self.parallel, len(self.members)))
        workers = [threading.Thread(target=self._work, args=(n,), name=f"fleet-worker-{n}",
                                    daemon=True) for n in range(count)]
        for worker in workers:
            worker.start()
        try:
            for worker in workers:
                while worker.is_alive():
                    worker.join(timeout=0.5)  # wakes for Ctrl-C
        except KeyboardInterrupt:
            self.stopping.set()
            self._first_done.set()
            with self.progress.lock:  # where each stopped: --resume goes on from there
                for name, where in self.progress.running.items():
                    logger.error("fleet: {} interrupted at {}", name, where)
            raise

    def _next(self, worker: int) -> tuple[Member, int] | None:
        if worker > 0:
            self._first_done.wait()
        with self._lock:
            if self.stopping.is_set() or not self._queue:
                return None
            return self._queue.popleft()

    def _work(self, worker: int) -> None:
        with sync_playwright() as playwright:
            browser = WorkerBrowser(playwright, self.pool, self.launch_options)
            try:
                while (item := self._next(worker)) is not None:
                    self._run_one(browser, *item)
                    self._first_done.set()
            finally:
                browser.forget()

    def _run_one(self, browser: WorkerBrowser, member: Member, moves: int) -> None:
        self.progress.started(member.name)
        started = time.perf_counter()
        run_dir = self.fleet_dir / member.name
        try:
            succeeded, leaked = run_member(
                self.runbook, member, self.shared, target=self.target,
                vault_url=self.vault_url, browser=browser.get(), run_dir=run_dir,
                timeout_s=self.timeout_s, on_step=self.progress.step)
            if leaked:
                self.leaked.add(member.name)
        except NoBrowserLeft as error:
            self._note_failure(run_dir, str(error))
            succeeded = False
        except Exception as error:  # one member's trouble must not stop the others
            logger.opt(exception=True).debug("member {} raised", member.name)
            self._note_failure(run_dir, f"{type(error).__name__}: {error}")
            succeeded = False
        if not succeeded and moves < MAX_MOVES and browser.lost():
            self.progress.moved(member.name)
            with self._lock:
                self._queue.appendleft((member, moves + 1))
            return
        self.progress.finished(member.name, succeeded, time.perf_counter() - started)

    def _note_failure(self, run_dir: Path, reason: str) -> None:
        """A member that failed before its run could start keeps why in its directory."""
        run_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        (run_dir / FLEET_ERROR).write_text(reason + "\n", encoding="utf-8")

