"""The members file, the fleet's input checks, and the mock's many companies (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.cli.main import main
from automation.errors import RunbookError
from automation.fleet.members import load_members
from automation.mock_portal.companies import admin_vault_path, fleet_members
from automation.mock_portal.mock_admin import reset_state
from automation.mock_portal.server import MockPortal

ROOT = Path(__file__).parents[2]
COMPANY_INSTALL = ROOT / "runbooks" / "procore" / "company-install.yaml"


class TestMembersFile:
    """YAML and CSV files give the same members; a row without a name gets member-NNN."""

    def test_yaml_and_csv_agree(self, tmp_path: Path) -> None:
        (tmp_path / "m.yaml").write_text(
            "- {name: north, company: North Co, admin_login: procore/north}\n"
            "- company: South Co\n  admin_login: procore/south\n")
        (tmp_path / "m.csv").write_text(
            "name,company,admin_login\nnorth,North Co,procore/north\n,South Co,procore/south\n")
        from_yaml, from_csv = load_members(tmp_path / "m.yaml"), load_members(tmp_path / "m.csv")
        assert [(m.name, m.variables) for m in from_yaml] == [
            ("north", {"company": "North Co", "admin_login": "procore/north"}),
            ("member-002", {"company": "South Co", "admin_login": "procore/south"})]
        assert [(m.name, m.variables) for m in from_csv] == [
            (m.name, m.variables) for m in from_yaml]
        assert str(from_csv[1].value_pos["company"]) == f"{tmp_path / 'm.csv'}:3:2"


class TestMembersFileErrors:
    """A bad members file is reported at file:line:col with exit 2, before anything starts."""

    @pytest.mark.parametrize(("name", "text", "where", "message"), [
        ("m.yaml", "- {name: a, company: X}\n- name: a\n  company: Y\n", ":2:9:",
         "member name 'a' repeats"),
        ("m.yaml", "- {company: X}\n- just a string\n", ":2:3:", "a member is a mapping"),
        ("m.yaml", "company: X\n", ":1:1:", "expected a list of members"),
        ("m.yaml", "- {company: X, compnay: Y}\n", ":1:16:",
         "compnay: not an input of runbook 'dmsa-company-install' (did you mean 'company'?)"),
        ("m.csv", "name,company\nok,X\nnot ok,Y\n", ":3:1:", "member name 'not ok'"),
        ("m.csv", "name,company\nok,X,extra\n", ":2:1:", "3 values for 2 columns"),
        ("m.csv", "company,colour\nX,blue\n", ":1:9:", "colour: not an input"),
    ])
    def test_reported_where_it_is(self, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  name: str, text: str, where: str, message: str) -> None:
        members = tmp_path / name
        members.write_text(text)
        code = main(["fleet", str(COMPANY_INSTALL), "--members", str(members),
                     "--var", "app_version_id=x", "--out", str(tmp_path / "runs")])
        err = capsys.readouterr().err
        assert code == 2
        assert f"{members}{where}" in err and message in err, err
        assert "Traceback" not in err
        assert not (tmp_path / "runs").exists()  # nothing started, no fleet directory

    def test_a_bad_endpoint_is_invalid_input(self, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
        members = tmp_path / "m.yaml"
        members.write_text("- {company: X}\n")
        code = main(["fleet", str(COMPANY_INSTALL), "--members", str(members),
                     "--var", "app_version_id=x", "--browser-endpoint", "ftp://example",
                     "--out", str(tmp_path / "runs")])
        assert code == 2
        assert "--browser-endpoint ftp://example: expected ws://" in capsys.readouterr().err

    def test_resume_needs_a_fleet_directory(self, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["fleet", "--resume", str(tmp_path)]) == 2
        assert "no fleet.json there" in capsys.readouterr().err


class TestManyCompanies:
    """Each seeded company has its own administrator, of that company only, and its projects;
    a reset seeds them again."""

    def test_companies_and_their_administrators(self) -> None:
        with MockPortal(companies=3) as portal:
            state = portal.state
            seeded = {c.name: c for c in portal.companies}
            companies = [c for c in state.companies.values() if c.name in seeded]
            assert len(companies) == 3
            for company in companies:
                spec = seeded[company.name]
                assert company.admins == {spec.admin_login}
                assert state.procore_logins[spec.admin_login]
                assert len(company.projects) == spec.project_count
                others = [c for c in state.companies.values()
                          if spec.admin_login in c.admins and c is not company]
                assert others == []
            reset_state(portal.app)
            assert sum(c.name in seeded for c in state.companies.values()) == 3

    def test_members_rows_match_the_companies(self) -> None:
        with MockPortal(companies=2) as portal:
            rows = fleet_members(2)
            assert [r["company"] for r in rows] == [c.name for c in portal.companies]
            assert [r["admin_login"] for r in rows] == [
                admin_vault_path(c) for c in portal.companies]

    def test_too_many_is_refused(self) -> None:
        with pytest.raises(ValueError, match="companies must be between"):
            MockPortal(companies=100_000)


def test_load_members_missing_file(tmp_path: Path) -> None:
    """A members file that is not there is named, exit 2 (RunbookError)."""
    with pytest.raises(RunbookError, match="No such file"):
        load_members(tmp_path / "absent.yaml")
