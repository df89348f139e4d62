"""Operator faults end in a clear message and the right exit code, never ``internal error``."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from automation.errors import EXIT_FAILED, EXIT_INVALID
from automation.execute.journal import Journal, JournalUnwritable, read_journal
from automation.secret import Secret
from automation.vault.file import FileVault

RUNBOOK = Path(__file__).parents[2] / "runbooks" / "procore" / "developer-portal.yaml"
TOKEN = "hvs.CAESIOperatorPastedThisToken42"


def runbook(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "automation.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


class TestBinaryValueForPut:
    """`vault put f=@FILE` with bytes that are not UTF-8: a clear refusal (exit 2)."""

    def test_non_utf8_file(self, tmp_path: Path) -> None:
        value = tmp_path / "value.bin"
        value.write_bytes(b"key-\xff\xfe-\x80rest")
        done = runbook("vault", "--vault", f"file:{tmp_path}/v.enc", "put", "p", f"f=@{value}",
                       cwd=tmp_path)
        assert done.returncode == EXIT_INVALID, done.stderr
        assert "internal error" not in done.stderr
        assert f"field 'f': {value} is not UTF-8 text" in done.stderr
        assert "rest" not in done.stderr and not (tmp_path / "v.enc").exists()


class TestTokenInVaultUrl:
    """A token typed into a vault URL is never printed, wherever the URL is named."""

    @pytest.mark.parametrize("url", [
        f"openbao+http://127.0.0.1:9/secret?token={TOKEN}",
        f"vault+https://127.0.0.1:9/secret?namespace=a&token={TOKEN}",
        f"openbao+http://{TOKEN}@127.0.0.1:9/secret",
        f"openbao+http://user:{TOKEN}@127.0.0.1:9/secret",
        f"keyring:svc?token={TOKEN}",
        f"file:v.enc?token={TOKEN}",
        f"openbao+http://127.0.0.1:9/secret?{TOKEN}",
    ])
    def test_never_echoed(self, url: str, tmp_path: Path) -> None:
        for command in (["vault", "--vault", url, "list"],
                        ["run", "--vault", url, str(RUNBOOK)]):
            done = runbook(*command, cwd=tmp_path)
            assert done.returncode == EXIT_INVALID, done.stderr
            assert TOKEN not in done.stdout + done.stderr
            assert "bad vault URL" in done.stderr


class TestSymlinkedVault:
    """A vault file that is a symlink is written through to its target, the link kept."""

    def test_write_goes_to_the_shared_vault(self, tmp_path: Path) -> None:
        shared_dir, own_dir = tmp_path / "shared", tmp_path / "own"
        shared = FileVault(shared_dir / "vault.enc", key_file=tmp_path / "vault.key")
        shared.put("team/a", {"f": Secret("one")})
        own_dir.mkdir()
        link = own_dir / "vault.enc"
        link.symlink_to(shared_dir / "vault.enc")
        FileVault(link, key_file=tmp_path / "vault.key").put("team/b", {"f": Secret("two")})
        assert link.is_symlink()
        assert shared.list() == ["team/a", "team/b"]
        assert (shared_dir / "vault.enc.lock").exists()
        assert not (own_dir / "vault.enc.lock").exists()
        assert not list(own_dir.glob(".vault.enc.*"))


def _journal_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


class TestJournalOnAFullDisk:
    """A full disk stops the journal with a clear error and never leaves a torn line."""

    def test_no_torn_line_and_resume_reads_it(self, make_tmpfs: Any) -> None:
        disk = make_tmpfs("out", size="16k")
        journal = Journal(disk.path / "run")
        journal.write("run_started", runbook="r.yaml", inputs={}, target={}, vault="memory:")
        disk.fill()
        with pytest.raises(JournalUnwritable, match="No space left on device"):
            for number in range(10_000):
                journal.write("step_succeeded", key=f"s{number}", title="x" * 300, index=1,
                              total=1, action="a", outputs={}, vault_refs={}, urls={})
        journal.close()
        lines = _journal_lines(disk.path / "run" / "journal.jsonl")
        assert lines[0]["event"] == "run_started"
        state = read_journal(disk.path / "run")
        assert len(state.completed) == len(lines) - 1

    def test_torn_tail_is_cut_when_reopened(self, tmp_path: Path) -> None:
        journal = Journal(tmp_path)
        journal.write("run_started", runbook="r.yaml", inputs={}, target={}, vault="memory:")
        journal.close()
        with (tmp_path / "journal.jsonl").open("ab") as torn:  # a power cut mid-line
            torn.write('{"event": "step_succeeded", "title": "caf\u00e9'.encode()[:-1])
        assert read_journal(tmp_path).runbook == "r.yaml"
        resumed = Journal(tmp_path)
        resumed.write("run_resumed", runbook="r.yaml", succeeded=False)
        resumed.close()
        assert [e["event"] for e in _journal_lines(tmp_path / "journal.jsonl")] == [
            "run_started", "run_resumed"]
        assert read_journal(tmp_path).runbook == "r.yaml"


class TestReadOnlyOutputDirectory:
    """--out on a read-only disk: a clear error (exit 1) before any browser starts."""

    def test_clear_error(self, make_tmpfs: Any, portal: Any, tmp_path: Path) -> None:
        from hardening_world import DEVELOPER_PART, world_on

        disk = make_tmpfs("out")
        disk.read_only()
        world = world_on(portal, tmp_path)
        done = world.run("--out", str(disk.path), runbook=DEVELOPER_PART)
        assert done.returncode == EXIT_FAILED, done.stderr
        assert "internal error" not in done.stderr
        assert f"cannot write the run journal {disk.path}" in done.stderr
        assert "Read-only file system" in done.stderr


@pytest.mark.browser
class TestFullOutputDirectory:
    """--out fills up mid-run: a clear error (exit 1), a whole-line journal, resume finishes."""

    def test_clear_error_then_resume(self, make_tmpfs: Any, portal: Any, tmp_path: Path) -> None:
        from hardening_world import DEVELOPER_PART, world_on

        # Room for the resumed run's screenshots once freed; until then one page is left, which
        # the journal or the first step's screenshot outgrows mid-run.
        disk = make_tmpfs("out", size="16m")
        disk.fill(leave_pages=1)
        world = world_on(portal, tmp_path)
        done = world.run("--out", str(disk.path), runbook=DEVELOPER_PART)
        assert done.returncode == EXIT_FAILED, done.stderr
        assert "internal error" not in done.stderr and "Traceback" not in done.stderr
        # The journal or a step's screenshot, whichever outgrows the disk first, is named.
        assert "cannot write the " in done.stderr and "No space left" in done.stderr
        (run_dir,) = [p for p in disk.path.iterdir() if p.is_dir()]
        lines = _journal_lines(run_dir / "journal.jsonl")  # every line whole
        assert len(lines) > 1 and lines[-1]["event"] != "run_finished"
        disk.free()
        resumed = world.run(resume=run_dir)
        assert resumed.returncode == 0, resumed.stderr
        assert world.token_works()
        assert _journal_lines(run_dir / "journal.jsonl")[-1]["event"] == "run_finished"


@pytest.mark.browser
class TestSigterm:
    """SIGTERM between steps: a message, run_finished in the journal, exit 143."""

    def test_stops_like_sigint(self, portal: Any, tmp_path: Path) -> None:
        from hardening_world import start, world_on

        world = world_on(portal, tmp_path)
        run = start(world)
        deadline = time.monotonic() + 120
        while not any("step_succeeded" in j.read_text()
                      for j in tmp_path.glob("runs/*/journal.jsonl")):
            assert run.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        run.send_signal(signal.SIGTERM)
        _out, err = run.communicate(timeout=120)
        assert run.returncode == 143, err
        assert "interrupted by SIGTERM" in err and "internal error" not in err
        (run_dir,) = world.run_dirs()
        last = world.journal(run_dir)[-1]
        assert last["event"] == "run_finished" and last["interrupted"] == "SIGTERM"
        assert not last["succeeded"]
