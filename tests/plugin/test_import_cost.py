"""What a project pays for having the package installed: its plugin loads, nothing heavy."""

from __future__ import annotations

import json

import pytest

#: Writes the modules loaded by the end of the session (after every hook has run).
RECORD_MODULES = """\
import json, sys

def pytest_unconfigure(config):
    with open("modules.json", "w") as out:
        json.dump(sorted(sys.modules), out)
"""

HEAVY = ("flask", "werkzeug", "automation.mock_portal", "automation.testing.vault_servers",
         "automation.execute.executor", "automation.cli", "automation.actions")


class TestNoHeavyImports:
    """A session without runbook tests imports no Flask, mock, vault server or executor."""

    @pytest.mark.parametrize("arguments", [(), ("tests/",)], ids=["testpaths", "folder"])
    def test_session(self, runbook_project: pytest.Pytester, arguments: tuple[str, ...]
                     ) -> None:
        runbook_project.makeconftest(RECORD_MODULES)
        result = runbook_project.runpytest_subprocess("-p", "no:cacheprovider", *arguments)
        result.assert_outcomes(passed=1)
        modules = json.loads((runbook_project.path / "modules.json").read_text())
        assert "automation.testing.pytest_plugin" in modules  # the plugin was loaded
        loaded = [m for m in modules if m.split(".")[0] in HEAVY or m.startswith(HEAVY)]
        assert loaded == []
