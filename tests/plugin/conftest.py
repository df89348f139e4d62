"""The plugin's scratch project: a runbook folder beside an ordinary test folder."""

from __future__ import annotations

import pytest

from tests.plugin.scratch import CI_CONFIG, DATA_FILE, FAILING, INCLUDES_FAILING, PASSING, dedent


@pytest.fixture
def runbook_project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project with runbooks/ (a passing and a failing runbook, a part and its includer,
    YAML that is not a runbook) and an ordinary Python test in tests/."""
    (pytester.path / "runbooks" / "parts").mkdir(parents=True)
    for name, text in {"runbooks/log-in-page.yaml": PASSING,
                       "runbooks/parts/missing-button.yaml": FAILING,
                       "runbooks/outer.yml": INCLUDES_FAILING,
                       "runbooks/gitlab-ci.yaml": CI_CONFIG,
                       "runbooks/data.yaml": DATA_FILE,
                       ".github/workflows/ci.yml": CI_CONFIG}.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    pytester.makepyfile(**{"tests/test_plain": "def test_plain():\n    assert 1 + 1 == 2\n"})
    return pytester
