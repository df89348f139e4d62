"""The README's regression check: ``pytest runbooks/ --runbook-target mock`` passes."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.browser
@pytest.mark.slow
class TestRepositoryRunbooks:
    """``pytest runbooks/`` passes against the mock, each part run inside its includer."""

    def test_runbooks_folder(self, tmp_path: Path) -> None:
        completed = subprocess.run(
            [sys.executable, "-m", "pytest", "runbooks/", "--runbook-target", "mock",
             "--runbook-out", str(tmp_path), "-p", "no:cacheprovider",
             f"--junitxml={tmp_path / 'junit.xml'}"],
            cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
        output = completed.stdout + completed.stderr
        assert completed.returncode == 0, output
        cases = ElementTree.parse(tmp_path / "junit.xml").getroot().iter("testcase")
        assert [case.get("name") for case in cases] == ["dmsa-credentials"]
        [run_dir] = [p for p in tmp_path.iterdir() if p.is_dir()]
        assert run_dir.name.endswith("-dmsa-credentials")
        assert (run_dir / "report.html").is_file() and (run_dir / "procedure.md").is_file()
