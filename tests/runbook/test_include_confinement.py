"""Includes stay inside the top runbook's folder (or RUNBOOK_INCLUDE_PATH), symlinks resolved
first, and an error about an included file never quotes what it holds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.runbook.hostile import assert_refused, runbook_cli, write

SHADOW = "alice:$6$FAKESALT$hashhashhash: 19000\nbob:$6$OTHERSALT$hash: 19001\n"
PART = ("runbook: part\ntitle: A part\nsteps:\n"
        "  - {title: Open the portal, do: goto, with: {url: /}}\n")


def top(folder: Path, include: str) -> Path:
    return write(folder, "top/runbook.yaml", "runbook: top\ntitle: Top\nsteps:\n"
                 f"  - include: '{include}'\n")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    write(tmp_path, "outside/shadow", SHADOW)
    write(tmp_path, "outside/part.yaml", PART)
    return tmp_path / "outside"


class TestIncludesStayInTheirFolder:
    """An include that resolves outside the allowed folders is refused; nothing of it shown."""

    def test_parent_folder(self, tmp_path: Path, outside: Path) -> None:
        top(tmp_path, "../outside/shadow")
        outcome = runbook_cli("validate", "top/runbook.yaml", cwd=tmp_path)
        assert_refused(outcome, "include '../outside/shadow' is outside the runbook's folder")
        assert "FAKESALT" not in outcome.err and "alice" not in outcome.err

    def test_absolute_path(self, tmp_path: Path, outside: Path) -> None:
        top(tmp_path, str(outside / "shadow"))
        outcome = runbook_cli("validate", "top/runbook.yaml", cwd=tmp_path)
        assert_refused(outcome, "is outside the runbook's folder")
        assert "FAKESALT" not in outcome.err

    def test_etc_passwd(self, tmp_path: Path) -> None:
        top(tmp_path, "/etc/passwd")
        outcome = runbook_cli("validate", "top/runbook.yaml", cwd=tmp_path)
        assert_refused(outcome, "is outside the runbook's folder")
        assert "root:" not in outcome.err

    def test_symlink_out_of_the_folder(self, tmp_path: Path, outside: Path) -> None:
        top(tmp_path, "link.yaml")
        (tmp_path / "top" / "link.yaml").symlink_to(outside / "part.yaml")
        outcome = runbook_cli("validate", "top/runbook.yaml", cwd=tmp_path)
        assert_refused(outcome, "include 'link.yaml' is outside the runbook's folder")

    def test_symlinked_folder_out_of_the_folder(self, tmp_path: Path, outside: Path) -> None:
        top(tmp_path, "parts/shadow")
        (tmp_path / "top" / "parts").symlink_to(outside)
        outcome = runbook_cli("validate", "top/runbook.yaml", cwd=tmp_path)
        assert_refused(outcome, "is outside the runbook's folder")
        assert "FAKESALT" not in outcome.err


class TestIncludePath:
    """RUNBOOK_INCLUDE_PATH names more folders includes may come from, and are looked up in."""

    def test_a_folder_on_the_path_is_allowed(self, tmp_path: Path, outside: Path) -> None:
        top(tmp_path, "part.yaml")
        env = {**os.environ, "RUNBOOK_INCLUDE_PATH": str(outside)}
        outcome = runbook_cli("plan", "top/runbook.yaml", cwd=tmp_path, env=env)
        assert outcome.code == 0, outcome.err
        assert "Open the portal" in outcome.out

    def test_relative_escape_into_an_allowed_folder(self, tmp_path: Path, outside: Path
                                                    ) -> None:
        top(tmp_path, "../outside/part.yaml")
        env = {**os.environ, "RUNBOOK_INCLUDE_PATH": str(outside)}
        assert runbook_cli("validate", "top/runbook.yaml", cwd=tmp_path, env=env).code == 0


class TestIncludedContentIsNeverQuoted:
    """A file inside the folder that is no runbook is refused at the include, unquoted."""

    def test_not_a_runbook(self, tmp_path: Path) -> None:
        write(tmp_path, "top/notes.yaml", SHADOW)
        top(tmp_path, "notes.yaml")
        outcome = runbook_cli("validate", "top/runbook.yaml", cwd=tmp_path)
        assert_refused(outcome, "included file 'notes.yaml' is not a runbook")
        assert "FAKESALT" not in outcome.err and "alice" not in outcome.err
        assert outcome.err.startswith("top/runbook.yaml:4:")

    def test_not_yaml(self, tmp_path: Path) -> None:
        write(tmp_path, "top/key.pem", "-----BEGIN KEY-----\n\tsecret: [unclosed\n")
        top(tmp_path, "key.pem")
        outcome = runbook_cli("validate", "top/runbook.yaml", cwd=tmp_path)
        assert_refused(outcome, "is not a runbook")
        assert "BEGIN" not in outcome.err and "unclosed" not in outcome.err
