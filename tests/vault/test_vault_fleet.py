"""The vault under a fleet: many members writing and reading at once lose no update, on every
backend (memory, file with its lock, OpenBao with KV v2 check-and-set, the Secret Service
keyring with its lock)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from automation.secret import Secret
from automation.testing.vault_servers import (
    SECRET_SERVICE_BACKEND,
    OpenBao,
    SecretService,
    start_secret_service,
)
from automation.vault import open_vault
from automation.vault.base import Vault
from automation.vault.namespaced import NamespacedVault

MEMBERS = 5
ROUNDS = 4
SHARED = "fleet/shared"
OWN = "procore/apps/App/production"
WRITER = Path(__file__).with_name("fleet_writer.py")

Opener = Callable[[], Vault]


@pytest.fixture(scope="module")
def fleet_secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretService]:
    """A keyring daemon of this module's own: the session's shared one is not put through
    a fleet's load (gnome-keyring has aborted under many clients at once on a loaded machine,
    which would fail every later keyring test)."""
    service = start_secret_service(tmp_path_factory.mktemp("fleet-keyring"))
    yield service
    service.stop()


@pytest.fixture(params=["memory", "file", "openbao", "keyring"])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Opener]]:
    """(URL, a function opening a new client of one vault): each member has its own client,
    as members in other processes would; memory has only one."""
    kind: str = request.param
    if kind == "memory":
        shared = open_vault("memory:", env={})
        yield "memory:", lambda: shared
        return
    env: dict[str, str] = {}
    if kind == "file":
        url = f"file:{tmp_path / 'vault.enc'}"
    elif kind == "openbao":
        server: OpenBao = request.getfixturevalue("openbao")
        url = server.url(server.new_mount())
        env = {"VAULT_TOKEN": server.token}
        os.environ["VAULT_TOKEN"] = server.token  # for the member processes
        request.addfinalizer(lambda: os.environ.pop("VAULT_TOKEN", None))
    else:
        service: SecretService = request.getfixturevalue("fleet_secret_service")
        service.check_alive()
        monkeypatch = request.getfixturevalue("monkeypatch")
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", service.bus_address)
        monkeypatch.setenv("XDG_RUNTIME_DIR", service.env["XDG_RUNTIME_DIR"])
        url = f"keyring:fleet-{uuid.uuid4().hex[:8]}?backend={SECRET_SERVICE_BACKEND}"
    yield url, lambda: open_vault(url, env=env)


def check_nothing_lost(vault: Vault, members: int, rounds: int) -> None:
    # Every merge is a version of its own (counted by number: OpenBao keeps only the last
    # 10 versions' metadata, its mounts' default max_versions).
    version, _fields = vault.latest(SHARED)
    assert version == members * rounds
    latest = {k: v.reveal() for k, v in vault.get(SHARED).items()}
    assert latest == {f"w{m}": str(rounds - 1) for m in range(members)}
    for member in range(members):
        own = NamespacedVault(vault, f"member-{member}")
        assert [v.version for v in own.history(OWN)] == list(range(1, rounds + 1))
        assert own.get(OWN)["client_id"] == Secret(f"{member}-{rounds - 1}")


class TestThreads:
    """Members in threads of one process, each with its own client: no update is lost."""

    def test_merges_and_own_paths_all_kept(self, opener: tuple[str, Opener]) -> None:
        _url, open_one = opener
        start = threading.Barrier(MEMBERS)
        errors: list[BaseException] = []

        def member(index: int) -> None:
            vault = open_one()
            own = NamespacedVault(vault, f"member-{index}")
            start.wait()
            try:
                for n in range(ROUNDS):
                    vault.update(SHARED, {f"w{index}": str(n)})
                    own.put(OWN, {"client_id": f"{index}-{n}"})
                    vault.get(SHARED)
            except BaseException as error:  # reported below: a thread's failure is the test's
                errors.append(error)

        threads = [threading.Thread(target=member, args=(i,)) for i in range(MEMBERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        check_nothing_lost(open_one(), MEMBERS, ROUNDS)


class TestProcesses:
    """Members in processes of their own: the lock or check-and-set holds across them."""

    @pytest.mark.parametrize("opener", ["file", "openbao", "keyring"], indirect=True)
    def test_merges_and_own_paths_all_kept(self, opener: tuple[str, Opener]) -> None:
        url, open_one = opener
        members = [subprocess.Popen([sys.executable, str(WRITER), url, str(i), str(ROUNDS)],
                                    stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for i in range(MEMBERS)]
        for process in members:  # all of them are waiting: go
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        for process in members:
            _out, err = process.communicate(timeout=180)
            assert process.returncode == 0, err
        check_nothing_lost(open_one(), MEMBERS, ROUNDS)


class TestSameSecretCapturedTwice:
    """Two members capturing into one path with check-and-set: both versions are kept."""

    def test_loser_writes_on_top(self, opener: tuple[str, Opener]) -> None:
        _url, open_one = opener
        first, second = open_one(), open_one()
        assert first.put(OWN, {"client_secret": "a"}, cas=0) == 1
        with pytest.raises(Exception, match="changed"):
            second.put(OWN, {"client_secret": "b"}, cas=0)  # it saw no version: refused
        version, _fields = second.latest(OWN)
        assert second.put(OWN, {"client_secret": "b"}, cas=version) == 2
        assert [v.version for v in first.history(OWN)] == [1, 2]
