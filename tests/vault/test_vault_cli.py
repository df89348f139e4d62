"""``runbook vault ...``: values in only from files or stdin, out only through ``get --field``."""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from automation.errors import RunbookError, VaultError
from automation.vault import open_vault
from automation.vault.cli import register

VALUE = "cs-77e6d5c4b3a29180f7e6"
OTHER = "cid-5a4b3c2d1e0f"


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="runbook")
    register(root.add_subparsers(dest="command", required=True))
    return root


def run(*argv: str) -> int:
    args = parser().parse_args(list(argv))
    code: int = args.handler(args)
    return code


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"file:{tmp_path / 'vault.enc'}"


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(VALUE + "\n")
    return path


class TestParser:
    """Every subcommand has a handler; --vault works before or after the subcommand."""

    @pytest.mark.parametrize(
        "argv",
        [
            ["vault", "list"],
            ["vault", "get", "p", "--field", "f"],
            ["vault", "put", "p", "f=-"],
            ["vault", "history", "p"],
            ["vault", "delete", "p"],
            ["vault", "rescue", "x.rescue", "--key", "x.key"],
        ],
    )
    def test_handlers(self, argv: list[str]) -> None:
        assert callable(parser().parse_args(argv).handler)

    def test_vault_option_in_either_place(self) -> None:
        assert parser().parse_args(["vault", "--vault", "memory:", "list"]).vault == "memory:"
        assert parser().parse_args(["vault", "list", "--vault", "memory:"]).vault == "memory:"
        assert parser().parse_args(["vault", "list"]).vault is None


class TestPut:
    """put takes field=@FILE or field=- (stdin) and refuses a value on the command line."""

    def test_from_file_and_stdin(
        self,
        url: str,
        secret_file: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(OTHER))
        argv = ["vault", "put", "procore/app", f"client_secret=@{secret_file}", "client_id=-"]
        assert run(*argv, "--vault", url) == 0
        out, err = capsys.readouterr()
        assert "stored version 1" in out and VALUE not in out + err and OTHER not in out + err
        stored = open_vault(url, env={}).get("procore/app")
        assert stored["client_secret"].reveal() == VALUE  # one trailing newline dropped
        assert stored["client_id"].reveal() == OTHER

    def test_value_on_argv_is_refused_without_repeating_it(self, url: str) -> None:
        with pytest.raises(RunbookError, match="refusing a value on the command line") as error:
            run("vault", "put", "procore/app", f"client_secret={VALUE}", "--vault", url)
        assert VALUE not in str(error.value)
        assert "client_secret=@FILE" in str(error.value)
        assert open_vault(url, env={}).list() == []

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            (["a=-", "b=-"], "only one field"),
            (["a=@x", "a=@y"], "given twice"),
            (["novalue"], "expected FIELD=@FILE"),
            (["a=@/no/such/file"], "cannot read /no/such/file"),
        ],
    )
    def test_bad_fields(self, url: str, fields: list[str], message: str) -> None:
        with pytest.raises(RunbookError, match=message):
            run("vault", "put", "p", *fields, "--vault", url)

    def test_cas(self, url: str, secret_file: Path) -> None:
        assert run("vault", "put", "p", f"f=@{secret_file}", "--cas", "0", "--vault", url) == 0
        with pytest.raises(VaultError, match="changed"):
            run("vault", "put", "p", f"f=@{secret_file}", "--cas", "0", "--vault", url)


class TestReadCommands:
    """get --field prints the value alone; get, list, history and delete never print a value."""

    @pytest.fixture(autouse=True)
    def stored(self, url: str) -> None:
        vault = open_vault(url, env={})
        vault.put("procore/app", {"client_secret": "cs-first-version-0001", "client_id": OTHER})
        vault.put("procore/app", {"client_secret": VALUE, "client_id": OTHER})

    def test_get_field_prints_exactly_the_value(
        self, url: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert run("vault", "get", "procore/app", "--field", "client_secret", "--vault", url) == 0
        assert capsys.readouterr().out == VALUE
        assert (
            run(
                "vault",
                "get",
                "procore/app",
                "--field",
                "client_secret",
                "--version",
                "1",
                "--vault",
                url,
            )
            == 0
        )
        assert capsys.readouterr().out == "cs-first-version-0001"

    def test_get_without_field_names_fields(
        self, url: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert run("vault", "get", "procore/app", "--vault", url) == 0
        out, err = capsys.readouterr()
        assert "client_id, client_secret" in out and VALUE not in out + err
        assert "--field" in err

    def test_get_unknown_field(self, url: str) -> None:
        with pytest.raises(VaultError, match="no field 'password'"):
            run("vault", "get", "procore/app", "--field", "password", "--vault", url)

    def test_list_history_delete(self, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        assert run("vault", "list", "--vault", url) == 0
        assert capsys.readouterr().out == "procore/app\n"
        assert run("vault", "history", "procore/app", "--vault", url) == 0
        history = capsys.readouterr().out.splitlines()
        assert len(history) == 2 and "client_id, client_secret" in history[1]
        assert run("vault", "delete", "procore/app", "--vault", url) == 0
        assert run("vault", "history", "procore/app", "--vault", url) == 0
        out = capsys.readouterr().out
        assert "deleted" in out.splitlines()[-1]
        assert VALUE not in out and OTHER not in out
        with pytest.raises(VaultError, match="no history"):
            run("vault", "history", "procore/none", "--vault", url)


class TestAsAProgram:
    """python -m automation.vault.cli: exit codes, no traceback, values only from get --field."""

    def run_module(self, *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
        return subprocess.run(
            [sys.executable, "-m", "automation.vault.cli", *argv],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    def test_round_trip_and_errors(self, url: str) -> None:
        put = self.run_module("--vault", url, "put", "procore/app", "client_secret=-", stdin=VALUE)
        assert put.returncode == 0 and VALUE not in put.stdout + put.stderr
        got = self.run_module("--vault", url, "get", "procore/app", "--field", "client_secret")
        assert (got.returncode, got.stdout) == (0, VALUE)
        missing = self.run_module("--vault", url, "get", "procore/none", "--field", "x")
        assert missing.returncode == 1 and "no secret at procore/none" in missing.stderr
        argv_value = self.run_module("--vault", url, "put", "p", f"client_secret={VALUE}")
        assert argv_value.returncode == 2 and VALUE not in argv_value.stderr
        bad_url = self.run_module("--vault", "s3://bucket", "list")
        assert bad_url.returncode == 2 and "Accepted forms" in bad_url.stderr
        for result in (missing, argv_value, bad_url):
            assert "Traceback" not in result.stderr
