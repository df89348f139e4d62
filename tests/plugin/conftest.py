"""Small runbooks against the mock portal's real screens, for the plugin's scratch projects."""

from __future__ import annotations

import textwrap

import pytest

#: Opens the Developer Portal, which sends a visitor to Procore's "Log In" page.
PASSING = """\
    runbook: log-in-page
    title: The Developer Portal asks a visitor to log in
    steps:
      - title: Open the Developer Portal
        do: goto
        with: {url: /, site: developer_portal}
      - title: See the Log In page
        do: expect_text
        with: {target: {role: heading, name: Log In}, text: Log In, site: developer_portal}
    """

#: Fails at its second step (line 7): the button is not on the page.
FAILING = """\
    runbook: missing-button
    title: Press a button that is not there
    steps:
      - title: Open the Developer Portal
        do: goto
        with: {url: /, site: developer_portal}
      - id: press
        title: Press the Launch button
        do: click
        with: {target: {role: button, name: Launch}, site: developer_portal}
        timeout: 1s
    """

#: Includes FAILING (as parts/missing-button.yaml): its failure is placed in the part.
INCLUDES_FAILING = """\
    runbook: outer
    title: A runbook whose part fails
    steps:
      - include: parts/missing-button.yaml
        id: part
    """

#: Unknown action on line 5: invalid input, refused before any browser starts.
BROKEN = """\
    runbook: broken
    title: A runbook with a typo
    steps:
      - title: Open the Developer Portal
        do: gotoo
        with: {url: /, site: developer_portal}
    """

#: Not runbooks: a CI configuration and a data file.
CI_CONFIG = """\
    stages: [test]
    test:
      script: [pytest]
    """
DATA_FILE = """\
    steps:
      - one
      - two
    """


def dedent(text: str) -> str:
    return textwrap.dedent(text)


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
