"""On a terminal, a run shows the running step and how far its long work is, live.

The real ``runbook`` command runs on a pseudo-terminal (``os.openpty``) against the mock's
company with 40 projects, adding the service account to them row by row.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from world import APP, World, make_world

from automation.mock_portal.procore.apps import install_app
from automation.mock_portal.state import seed_promoted_app

pytestmark = pytest.mark.browser

ROW_BY_ROW = """runbook: add-row-by-row
title: Add the service account to every project, pressing Add on each row
inputs:
  service_account: {required: true}
steps:
  - title: Log in to Procore as a company administrator
    do: procore.sign_in
    with:
      login: "{{ vault('procore/company-admin#login') }}"
      password: "{{ vault('procore/company-admin#password') }}"
  - title: Add {{ inputs.service_account }} to every project, row by row
    do: procore.add_to_all_existing_projects
    with: {company: HingePoint, user: "{{ inputs.service_account }}", way: row_add}
"""
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def on_a_terminal(command: list[str], cwd: Path, timeout_s: float = 300) -> tuple[int, str]:
    """Runs ``command`` with a 200-column pseudo-terminal as its stdin, stdout and stderr;
    its exit code, and everything it wrote, escape sequences removed."""
    main, side = os.openpty()
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    # COLUMNS (pytest-xdist's workers set it to 80) would win over the terminal's own size.
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    process = subprocess.Popen(command, stdin=side, stdout=side, stderr=side, cwd=cwd,
                               env={**environ, "TERM": "xterm-256color"})
    os.close(side)
    written = bytearray()
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 1.0)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the command exited and closed its side
                break
            if not chunk:
                break
            written += chunk
    finally:
        os.close(main)
        if process.poll() is None:
            process.kill()
        process.wait()
    return process.returncode, _ESCAPES.sub("", written.decode(errors="replace"))


@pytest.fixture
def sixty(tmp_path: Path) -> Iterator[World]:
    """A fresh world whose company HingePoint has 40 active projects."""
    made = make_world(tmp_path, project_count=40)
    yield made
    made.portal.stop()


class TestLiveStatusOnATerminal:
    """The running step shows as it starts; a long step counts its work with an estimate."""

    def test_start_line_and_counts(self, sixty: World) -> None:
        world = sixty
        state = world.portal.state
        with state.lock:
            _app, version, _secret = seed_promoted_app(state, APP)
            company = state.companies[world.company_id("HingePoint")]
            installation = install_app(state, company, version.production_key or "")
            account = company.users[installation.service_account_id].name
        path = world.folder / "row-by-row.yaml"
        path.write_text(ROW_BY_ROW)
        code, shown = on_a_terminal(
            [sys.executable, "-m", "automation.cli.main", "run", str(path), "--target",
             str(world.profile()), "--vault", world.vault_url, "--var",
             f"service_account={account}"], cwd=world.folder)
        assert code == 0, shown
        title = f"[2/2] Add {account} to every project, row by row"
        screens = shown.replace("\r", "\n").splitlines()
        running = [line for line in screens if title in line and not line.startswith("✓")]
        (done,) = [i for i, line in enumerate(screens) if line.startswith(f"✓ {title}  ")]
        assert running and screens.index(running[0]) < done
        counts = [re.search(r"adding projects (\d+)/40(, about \d+ s left)?", line)
                  for line in running]
        counted = [int(found.group(1)) for found in counts if found]
        assert counted and 0 < min(counted) < 40, "\n".join(running[-20:])
        assert any(found and found.group(2) for found in counts)  # an estimate, once measured
        assert "40 projects added by Add on each row" in shown
