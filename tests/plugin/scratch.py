"""Small runbooks against the mock portal's real screens, for the plugin's scratch projects."""

from __future__ import annotations

import textwrap

#: Opens the Developer Portal's home page and finds its heading.
PASSING = """\
    runbook: log-in-page
    title: The Developer Portal greets a visitor
    steps:
      - title: Open the Developer Portal
        do: goto
        with: {url: /, site: developer_portal}
      - title: See the heading Build on Procore
        do: expect_text
        with:
          target: {role: heading, name: Build on Procore}
          text: Build on Procore
          site: developer_portal
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
