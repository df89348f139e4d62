"""Global options work before or after the subcommand, and mean the same in both places."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from automation.cli.global_options import settle_global_options
from automation.cli.main import build_parser, main
from automation.vault import open_vault

ROOT = Path(__file__).parents[2]

DMSA = str(ROOT / "runbooks" / "dmsa-credentials.yaml")
TARGETED = """
runbook: targeted
title: Reads the target
steps:
  - {title: Open, do: goto, with: {url: "{{ target.developer_portal }}/apps"}}
"""


def parsed(*argv: str) -> dict[str, object]:
    parser = build_parser()
    args = parser.parse_args(list(argv))
    settle_global_options(parser, args)
    return vars(args)


class TestVaultOptionAnywhere:
    """`runbook --vault X vault list` lists the vault X, as `runbook vault list --vault X`."""

    @pytest.fixture
    def url(self, tmp_path: Path) -> str:
        url = f"file:{tmp_path / 'vault.enc'}"
        open_vault(url, env={}).put("procore/app", {"client_id": "cid-1"})
        return url

    @pytest.mark.parametrize("where", ["before", "between", "after"])
    def test_vault_list(self, url: str, where: str, capsys: pytest.CaptureFixture[str]) -> None:
        argv = {"before": ["--vault", url, "vault", "list"],
                "between": ["vault", "--vault", url, "list"],
                "after": ["vault", "list", "--vault", url]}[where]
        assert main(argv) == 0
        assert capsys.readouterr().out == "procore/app\n"

    def test_run_takes_it_before_too(self) -> None:
        assert parsed("--vault", "memory:", "run", DMSA)["vault"] == "memory:"
        assert parsed("run", DMSA, "--vault", "memory:")["vault"] == "memory:"
        assert parsed("run", DMSA)["vault"] is None

    def test_refused_where_it_means_nothing(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as stop:
            main(["--vault", "memory:", "validate", DMSA])
        assert stop.value.code == 2
        assert "--vault does not apply to `runbook validate`" in capsys.readouterr().err


class TestTargetOptionAnywhere:
    """`--target` before `plan` is the plan's target; without it, plan's own default (mock)."""

    @pytest.mark.parametrize("argv", [["--target", "production", "plan"],
                                      ["plan", "--target", "production"]])
    def test_plan_target(self, argv: list[str], tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
        (tmp_path / "t.yaml").write_text(TARGETED)
        assert main([*argv, str(tmp_path / "t.yaml"), "--json"]) == 0
        url = json.loads(capsys.readouterr().out)[0]["with"]["url"]
        assert url.startswith("https://") and "127.0.0.1" not in url

    def test_plan_default_is_the_mock(self, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
        (tmp_path / "t.yaml").write_text(TARGETED)
        assert main(["plan", str(tmp_path / "t.yaml"), "--json"]) == 0
        url = json.loads(capsys.readouterr().out)[0]["with"]["url"]
        assert url == "http://127.0.0.1:<port>/developers/apps"


class TestLoggingOptionsAnywhere:
    """-v and --log-json work after the subcommand as before it."""

    def test_verbose(self) -> None:
        assert parsed("-v", "validate", DMSA)["verbose"] == 1
        assert parsed("validate", DMSA, "-vv")["verbose"] == 2
        assert parsed("vault", "list", "-v")["verbose"] == 1
        assert parsed("validate", DMSA)["verbose"] == 0

    def test_log_json(self, tmp_path: Path) -> None:
        log = tmp_path / "log.jsonl"
        assert parsed("validate", DMSA, "--log-json", str(log))["log_json"] == str(log)
        assert parsed("--log-json", str(log), "validate", DMSA)["log_json"] == str(log)
