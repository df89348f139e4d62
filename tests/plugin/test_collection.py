"""Which files the plugin collects: runbooks, only where a project asked for them."""

from __future__ import annotations

import pytest


def collected(pytester: pytest.Pytester, *args: str) -> tuple[list[str], str]:
    """The node ids ``pytest --co -q ARGS`` lists, and its whole output."""
    result = pytester.runpytest("--co", "-q", *args)
    output = result.stdout.str()
    return [line for line in result.stdout.lines if "::" in line], output


class TestOnlyRunbooks:
    """Each runbook named (a file, or in a folder) is one item; other YAML is none."""

    def test_folder(self, runbook_project: pytest.Pytester) -> None:
        ids, output = collected(runbook_project, "runbooks/")
        assert ids == ["runbooks/log-in-page.yaml::log-in-page", "runbooks/outer.yml::outer"]
        assert "1 deselected" in output  # the part, run inside outer.yml

    def test_whole_project_named(self, runbook_project: pytest.Pytester) -> None:
        ids, _ = collected(runbook_project, ".")
        assert ids == ["runbooks/log-in-page.yaml::log-in-page", "runbooks/outer.yml::outer",
                       "tests/test_plain.py::test_plain"]

    def test_one_file_named(self, runbook_project: pytest.Pytester) -> None:
        ids, _ = collected(runbook_project, "runbooks/log-in-page.yaml")
        assert ids == ["runbooks/log-in-page.yaml::log-in-page"]


class TestIncludedParts:
    """A part a collected runbook includes runs inside it, unless it is named itself."""

    def test_part_named_runs_on_its_own(self, runbook_project: pytest.Pytester) -> None:
        ids, output = collected(runbook_project, "runbooks/parts/missing-button.yaml")
        assert ids == ["runbooks/parts/missing-button.yaml::missing-button"]
        assert "deselected" not in output

    def test_part_in_its_folder_alone(self, runbook_project: pytest.Pytester) -> None:
        ids, _ = collected(runbook_project, "runbooks/parts/")
        assert ids == ["runbooks/parts/missing-button.yaml::missing-button"]


class TestOffUnlessAsked:
    """Without a runbook path on the command line or the ini setting, nothing changes."""

    def test_no_arguments(self, runbook_project: pytest.Pytester) -> None:
        ids, _ = collected(runbook_project)
        assert ids == ["tests/test_plain.py::test_plain"]

    def test_testpaths_without_the_setting(self, runbook_project: pytest.Pytester) -> None:
        runbook_project.makeini("[pytest]\ntestpaths = tests runbooks\n")
        ids, _ = collected(runbook_project)
        assert ids == ["tests/test_plain.py::test_plain"]

    def test_other_folder_named(self, runbook_project: pytest.Pytester) -> None:
        ids, _ = collected(runbook_project, "tests/")
        assert ids == ["tests/test_plain.py::test_plain"]


class TestIniSetting:
    """``runbook_paths`` turns collection on for the folders it names, and only there."""

    def test_folder(self, runbook_project: pytest.Pytester) -> None:
        runbook_project.makeini("[pytest]\ntestpaths = tests runbooks\n"
                                "runbook_paths = runbooks\n")
        ids, _ = collected(runbook_project)
        assert ids == ["tests/test_plain.py::test_plain",
                       "runbooks/log-in-page.yaml::log-in-page", "runbooks/outer.yml::outer"]

    def test_glob(self, runbook_project: pytest.Pytester) -> None:
        runbook_project.makeini("[pytest]\nrunbook_paths = runbooks/*.yaml\n")
        ids, _ = collected(runbook_project, ".")
        assert ids == ["runbooks/log-in-page.yaml::log-in-page",
                       "tests/test_plain.py::test_plain"]

    def test_limits_a_named_folder(self, runbook_project: pytest.Pytester) -> None:
        (runbook_project.path / "fixtures").mkdir()
        (runbook_project.path / "runbooks" / "log-in-page.yaml").rename(
            runbook_project.path / "fixtures" / "log-in-page.yaml")
        runbook_project.makeini("[pytest]\nrunbook_paths = runbooks\n")
        ids, _ = collected(runbook_project, ".")
        assert ids == ["runbooks/outer.yml::outer", "tests/test_plain.py::test_plain"]
