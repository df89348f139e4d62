"""scripts/setup's apt-get waits for the package manager's lock, and the test servers the
setup installs make their tests fail, not skip, when they are missing."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from automation.testing import vault_servers

ROOT = Path(__file__).resolve().parents[2]
LOCKED = "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)"

FAKE_APT_GET = """#!/usr/bin/env bash
# Refuses for a held lock while the countdown lasts, then "succeeds"; logs every call.
echo "$*" >> "$FAKE_APT_LOG"
left=$(cat "$FAKE_APT_LOCKED")
if [ "$left" != 0 ]; then
  echo $((left - 1)) > "$FAKE_APT_LOCKED"
  echo "$FAKE_APT_ERROR" >&2
  exit 100
fi
echo "installed"
"""


def apt_get_wait(tmp_path: Path, *args: str, locked_calls: int, timeout_s: int = 30,
                 error: str = LOCKED) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    fake = tmp_path / "bin" / "apt-get"
    fake.parent.mkdir()
    fake.write_text(FAKE_APT_GET)
    fake.chmod(0o755)
    (tmp_path / "locked").write_text(str(locked_calls))
    env = {**os.environ, "PATH": f"{fake.parent}:{os.environ['PATH']}",
           "FAKE_APT_LOG": str(tmp_path / "calls"), "FAKE_APT_LOCKED": str(tmp_path / "locked"),
           "FAKE_APT_ERROR": error, "SETUP_LOCK_TIMEOUT": str(timeout_s),
           "SETUP_LOCK_RETRY": "0"}
    done = subprocess.run([str(ROOT / "scripts" / "apt-get-wait"), *args], env=env,
                          capture_output=True, text=True, timeout=60)
    return done, (tmp_path / "calls").read_text().splitlines()


class TestAptGetWait:
    """A held lock is waited for (up to the timeout), any other failure is not."""

    def test_waits_while_another_apt_holds_the_lock(self, tmp_path: Path) -> None:
        done, calls = apt_get_wait(tmp_path, "update", "-qq", locked_calls=2)
        assert done.returncode == 0, done.stderr
        assert done.stdout == "installed\n"
        assert calls == ["-o DPkg::Lock::Timeout=30 update -qq"] * 3
        assert done.stderr.count("setup: the package manager is busy") == 2
        assert done.stderr.count(LOCKED) == 2  # apt's own words are shown too

    def test_gives_up_after_the_timeout_saying_why(self, tmp_path: Path) -> None:
        done, calls = apt_get_wait(tmp_path, "install", "-y", "ffmpeg", locked_calls=99,
                                   timeout_s=0)
        assert done.returncode == 1
        assert calls == ["-o DPkg::Lock::Timeout=0 install -y ffmpeg"]
        assert ("setup: gave up after 0 s waiting for the package manager's lock: another "
                "apt-get or dpkg is running") in done.stderr

    def test_another_failure_is_not_retried(self, tmp_path: Path) -> None:
        done, calls = apt_get_wait(tmp_path, "install", "-y", "nope", locked_calls=1,
                                   error="E: Unable to locate package nope")
        assert done.returncode == 100
        assert len(calls) == 1
        assert "busy" not in done.stderr


class TestSetupDependenciesFailNotSkip:
    """A server the setup installs, missing, fails its tests with the way to fix it."""

    def test_no_openbao_binary(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(vault_servers, "bao_binary", lambda: None)
        with pytest.raises(pytest.fail.Exception, match=r"no OpenBao binary .*run scripts/setup"):
            vault_servers.start_openbao(tmp_path)

    def test_no_gnome_keyring(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(vault_servers.shutil, "which",
                            lambda name: None if name == "gnome-keyring-daemon" else "/bin/x")
        with pytest.raises(pytest.fail.Exception,
                           match=r"^gnome-keyring-daemon not installed: run scripts/setup"):
            vault_servers.start_secret_service(tmp_path)

    def test_setup_checks_for_each_of_them(self) -> None:
        setup = (ROOT / "scripts" / "setup").read_text()
        for check in ("bao_binary()", "command -v gnome-keyring-daemon",
                      "command -v dbus-daemon", "import automation.shipped"):
            assert check in setup
