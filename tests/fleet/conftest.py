"""Fixtures for fleets: a mock with many companies, and real browsers on loopback to connect to.

The browser endpoints are the real servers a fleet meets elsewhere: Debian's Chromium with a
DevTools port (what Browserless and Selenium Grid 4 expose) and Playwright's own browser server
(``playwright launch-server``, what ``BrowserType.connect`` speaks). Each runs in a process group
of its own, so a test can kill one whole browser mid-fleet, and each is stopped by its group id.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
from fleet_world import FleetWorld

from automation.execute.browser import CHROMIUM_ARGS, find_chromium
from automation.mock_portal.server import MockPortal

_DEVTOOLS = re.compile(r"DevTools listening on (ws://([\d.]+:\d+)/\S+)")


@pytest.fixture
def fleet_world(tmp_path: Path) -> Iterator[Callable[[int], FleetWorld]]:
    """A world of N customer companies, its developer side done (call it with N)."""
    portals: list[MockPortal] = []

    def make(companies: int) -> FleetWorld:
        portal = MockPortal(companies=companies).start()
        portals.append(portal)
        return FleetWorld(portal, tmp_path)

    yield make
    for portal in portals:
        portal.stop()


@dataclass
class Endpoint:
    url: str
    process: subprocess.Popen[str]
    #: A DevTools endpoint's browser WebSocket, as ``cdp+ws://...`` (what Browserless gives).
    websocket: str = ""

    def kill(self) -> None:
        """The whole browser at once, as a crashed machine would go."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


def _drain(stream: IO[str]) -> None:
    threading.Thread(target=stream.read, daemon=True).start()  # a full pipe would block it


def _first_match(stream: IO[str], pattern: re.Pattern[str]) -> re.Match[str]:
    for line in stream:
        found = pattern.search(line)
        if found:
            _drain(stream)
            return found
    raise AssertionError(f"the browser server never printed {pattern.pattern}")


def start_cdp_endpoint(profile: Path) -> Endpoint:
    """Debian's Chromium, headless, its DevTools on a free loopback port (read from stderr)."""
    process = subprocess.Popen(
        [find_chromium(headless=False), "--headless", "--remote-debugging-port=0",
         "--remote-debugging-address=127.0.0.1", f"--user-data-dir={profile}",
         "--no-sandbox",  # as root (CI) Chromium refuses to start without it
         *CHROMIUM_ARGS, "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert process.stderr is not None
    found = _first_match(process.stderr, _DEVTOOLS)
    return Endpoint(f"http://{found.group(2)}", process, websocket=f"cdp+{found.group(1)}")


def start_playwright_server(folder: Path) -> Endpoint:
    """``playwright launch-server`` driving Debian's Chromium (no download: works offline)."""
    config = folder / "launch-server.json"
    config.write_text(json.dumps({"executablePath": find_chromium(), "headless": True,
                                  "host": "127.0.0.1", "port": 0, "args": CHROMIUM_ARGS}))
    process = subprocess.Popen(
        [sys.executable, "-m", "playwright", "launch-server", "--browser", "chromium",
         "--config", str(config)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    assert process.stdout is not None
    found = _first_match(process.stdout, re.compile(r"^(ws://127\.0\.0\.1:\d+/\S*)"))
    return Endpoint(found.group(1), process)


@pytest.fixture
def endpoints(tmp_path: Path) -> Iterator[list[Endpoint]]:
    """Two real browsers on loopback: a DevTools endpoint and a Playwright browser server."""
    started = [start_cdp_endpoint(tmp_path / "cdp-profile"), start_playwright_server(tmp_path)]
    yield started
    for endpoint in started:
        endpoint.kill()
