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
             "--runbook-out", str(tmp_path / "runs"), "-p", "no:cacheprovider",
             f"--basetemp={tmp_path / 'basetemp'}",
             f"--junitxml={tmp_path / 'junit.xml'}"],
            cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
        output = completed.stdout + completed.stderr
        assert completed.returncode == 0, output
        [case] = ElementTree.parse(tmp_path / "junit.xml").getroot().iter("testcase")
        assert case.get("name") == "dmsa-credentials"  # the parts ran inside it
        [run_dir] = (tmp_path / "runs").iterdir()
        assert run_dir.name.endswith("-dmsa-credentials")
        report = {p.get("name"): p.get("value") for p in case.iter("property")}["report"]
        assert report == str(run_dir / "report.html")  # outside the repository: absolute
        assert (run_dir / "report.html").is_file() and (run_dir / "procedure.md").is_file()
