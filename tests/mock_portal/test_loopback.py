"""The mock portal holds credentials: it must listen on the loopback interface only."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from automation.mock_portal.seeds import DEFAULT_SEED
from automation.mock_portal.server import MockPortal
from automation.targets import load_target


def non_loopback_addresses() -> list[str]:
    """This machine's IPv4 addresses other than 127.x (from the routing choice and the name)."""
    found: set[str] = set()
    for destination in ("10.254.254.254", "192.0.2.1", "8.8.8.8"):
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            # A UDP connect sends no packet: it only picks the source address of a route.
            probe.connect((destination, 9))
            found.add(probe.getsockname()[0])
        except OSError:
            pass
        finally:
            probe.close()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(str(info[4][0]))
    except OSError:
        pass
    return sorted(a for a in found if not a.startswith("127.") and a != "0.0.0.0")


def refused(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=2):
            return False
    except OSError:
        return True


class TestLoopbackOnly:
    """The server socket is bound to 127.0.0.1 and unreachable on other addresses."""

    def test_bound_socket_is_loopback(self) -> None:
        with MockPortal() as portal:
            host, port = portal._server.socket.getsockname()[:2]
            assert host == "127.0.0.1" and port == portal.port
            assert portal.base_url.startswith("http://127.0.0.1:")

    def test_other_addresses_are_refused(self) -> None:
        addresses = non_loopback_addresses()
        if not addresses:
            pytest.skip("this machine has no non-loopback IPv4 address")
        with MockPortal() as portal:
            assert not refused("127.0.0.1", portal.port)
            for address in addresses:
                assert refused(address, portal.port), f"reachable on {address}:{portal.port}"


@pytest.fixture
def cli_portal(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    profile = tmp_path / "mock-profile.yaml"
    code = (
        "import argparse, sys\n"
        "from automation.mock_portal.cli import register\n"
        "parser = argparse.ArgumentParser(prog='runbook')\n"
        "register(parser.add_subparsers(dest='command'))\n"
        "args = parser.parse_args(sys.argv[1:])\n"
        "sys.exit(args.handler(args))\n"
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            code,
            "mock-portal",
            "--projects",
            "12",
            "--faults",
            "seed=3",
            "--profile-out",
            str(profile),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        yield process, profile
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


class TestCommand:
    """`runbook mock-portal` prints its URLs, writes a usable profile, stops on Ctrl-C with 0."""

    def test_serves_writes_profile_and_stops_cleanly(
        self, cli_portal: tuple[subprocess.Popen[str], Path]
    ) -> None:
        process, profile = cli_portal
        deadline = time.monotonic() + 20
        while not profile.exists():
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "no profile written"
            time.sleep(0.05)
        target = load_target(str(profile))
        assert target.is_mock and set(target.sites) >= {"developer_portal", "api", "procore"}
        developer = target.url("developer_portal")
        assert developer.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(developer + "/") as reply:
            assert reply.status == 200
        assert target.mock_admin_token
        admin = {"Authorization": f"Bearer {target.mock_admin_token}"}
        state_request = urllib.request.Request(target.url("api", "__mock__/state"), headers=admin)
        with urllib.request.urlopen(state_request) as reply:
            assert json.load(reply)["companies"][0]["project_count"] == 12
        port = int(developer.split(":")[2].split("/")[0])
        for address in non_loopback_addresses():
            assert refused(address, port)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
        assert process.returncode == 0, err
        assert developer in out and "Mock portal stopped." in out
        assert f"Authorization: Bearer {target.mock_admin_token}" in out
        assert "Portal-Pass" not in out + err  # seed passwords are never printed

    def test_bad_faults_are_input_errors(self) -> None:
        from automation.errors import RunbookError
        from automation.mock_portal.cli import run_mock_portal

        class Args:
            faults = "nonsense=1"
            seed = DEFAULT_SEED
            projects = None
            port = 0
            profile_out = None

        with pytest.raises(RunbookError, match="--faults: unknown fault 'nonsense'"):
            run_mock_portal(Args())  # type: ignore[arg-type]
