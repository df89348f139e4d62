"""The shipped runbooks (``runbooks/``, installed as ``automation.shipped``): run by name,
listed, copied out for editing; and the commands that need no mock never load Flask."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from automation.cli.main import main
from automation.cli.shipped import shipped_dir, shipped_runbooks

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_FILES = sorted(str(p.relative_to(ROOT / "runbooks"))
                       for p in [*ROOT.glob("runbooks/**/*.yaml"),
                                 ROOT / "runbooks" / "runbook.schema.json"])


@pytest.fixture(autouse=True)
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test runs in an empty folder: no runbook file is at hand by its name."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


class TestRunByName:
    """A runbook argument that is no file and has no path shape names a shipped runbook."""

    def test_plan_by_name_resolves_the_shipped_runbook_and_its_includes(
            self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["plan", "dmsa-credentials"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("Create Procore credentials with a Developer Managed Service "
                              "Account (dmsa-credentials): ")
        # A step of each included part (and of the part that part includes), found beside
        # the shipped runbook.
        for key in ("developer.promote", "company.install", "company.projects.existing",
                    "sync.step4"):
            assert f"[{key}]\n" in out

    def test_an_included_part_runs_by_its_own_name(
            self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["validate", "dmsa-sync-tool"]) == 0
        assert capsys.readouterr().out == f"{shipped_dir() / 'procore' / 'sync-tool.yaml'}: ok\n"

    def test_an_unknown_name_is_invalid_input_listing_the_names(
            self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as exit_:
            main(["run", "dmsa-credential"])
        assert exit_.value.code == 2
        err = capsys.readouterr().err
        assert ("dmsa-credential: no such file, and no shipped runbook has that name (shipped: "
                "dmsa-app-update, dmsa-credentials, dmsa-add-to-projects, "
                "dmsa-app-update-company, dmsa-company-install, dmsa-developer-portal, "
                "dmsa-sync-tool;") in err
        assert "Traceback" not in err

    def test_a_missing_file_path_is_reported_by_the_loader_not_looked_up(
            self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["validate", "dmsa-credentials.yaml"]) == 2
        assert capsys.readouterr().err.startswith("dmsa-credentials.yaml:1:1: cannot read")

    def test_a_file_of_that_name_wins_over_the_shipped_runbook(
            self, elsewhere: Path, capsys: pytest.CaptureFixture[str]) -> None:
        (elsewhere / "dmsa-credentials").write_text("runbook: mine\nsteps: []\n")
        main(["validate", "dmsa-credentials"])
        assert str(shipped_dir()) not in capsys.readouterr().out


class TestList:
    """`runbook list` names every shipped runbook with its file, title and description."""

    def test_lists_each_runbook(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["list"]) == 0
        out = capsys.readouterr().out
        runbooks = shipped_runbooks()
        assert [r.name for r in runbooks] == [
            "dmsa-app-update", "dmsa-credentials", "dmsa-add-to-projects",
            "dmsa-app-update-company", "dmsa-company-install", "dmsa-developer-portal",
            "dmsa-sync-tool"]
        assert ("dmsa-credentials  (dmsa-credentials.yaml)\n    Create Procore "
                "credentials with a Developer Managed Service Account\n") in out
        for runbook in runbooks:
            assert f"{runbook.name}  ({runbook.path.relative_to(shipped_dir())})\n" in out
            assert runbook.title and runbook.title in out
        assert "the sync tool connected." in " ".join(out.split())  # the description, wrapped


class TestInit:
    """`runbook init DIR` copies the shipped runbooks out; existing files only with --force."""

    def test_copies_every_runbook_the_includes_and_the_schema(
            self, elsewhere: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["init", "mine"]) == 0
        copied = sorted(str(p.relative_to(elsewhere / "mine"))
                        for p in (elsewhere / "mine").rglob("*") if p.is_file())
        assert copied == SHIPPED_FILES
        assert (elsewhere / "mine" / "procore" / "sync-tool.yaml").read_bytes() == (
            ROOT / "runbooks" / "procore" / "sync-tool.yaml").read_bytes()
        capsys.readouterr()
        assert main(["validate", "mine/dmsa-credentials.yaml"]) == 0  # includes found there

    def test_refuses_to_overwrite_without_force(
            self, elsewhere: Path, capsys: pytest.CaptureFixture[str]) -> None:
        edited = elsewhere / "mine" / "procore" / "sync-tool.yaml"
        edited.parent.mkdir(parents=True)
        edited.write_text("my edits\n")
        assert main(["init", "mine"]) == 2
        err = capsys.readouterr().err
        assert f"init: {Path('mine/procore/sync-tool.yaml')} exists; nothing was copied" in err
        assert edited.read_text() == "my edits\n"
        assert not (elsewhere / "mine" / "dmsa-credentials.yaml").exists()
        assert main(["init", "mine", "--force"]) == 0
        assert edited.read_text() != "my edits\n"


class TestFlaskOnlyForTheMock:
    """Commands that need no mock portal never import Flask (nor the mock's app)."""

    @pytest.mark.parametrize("command", [
        "import automation.cli.main",
        "from automation.cli.main import main; main(['validate', 'dmsa-credentials'])",
        "from automation.cli.main import main; main(['plan', 'dmsa-credentials'])",
        "from automation.cli.main import main; main(['list'])",
    ])
    def test_no_flask_in_sys_modules(self, command: str) -> None:
        script = (f"import sys\n{command}\n"
                  "print(sorted(m for m in sys.modules if m.split('.')[0] in "
                  "('flask', 'werkzeug') or m == 'automation.mock_portal.app'))")
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              timeout=60, check=True)
        assert done.stdout.splitlines()[-1] == "[]", done.stdout
