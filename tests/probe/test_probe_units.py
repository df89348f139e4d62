"""The drift probe's parts that need no browser: reading a locator's words, ranking what the
screen shows, the label-drift fault, the command's bad input."""

from __future__ import annotations

import subprocess
import sys

from drift_expectations import BROKEN_BY_DRIFT, COMPANY_BROKEN_BY_DRIFT

from automation.mock_portal.faults import Faults
from automation.mock_portal.label_drift import LABEL_DRIFT
from automation.pages.screen_read import Shown, parse_snapshot
from automation.probe._atoms import Wanted, atoms_of, chain_of
from automation.probe._candidates import closest

#: Selectors as Playwright builds them for the page objects' locators (from their reprs).
DIALOG_BUTTON = (
    'div, section, article, aside, dialog, form, li >> internal:and="internal:role=heading'
    '[name=/^Create (a )?New App$/] >> xpath=ancestor::*" >> internal:has="internal:text='
    '\\"App Name\\"i" >> nth=-1 >> internal:role=button[name=/^Create( App)?$/]'
)
NAMED = 'internal:role=button[name="Create a New App"s] >> internal:or="internal:role=link' \
        '[name=\\"Create a New App\\"s]"'
FIELD = ("internal:label=/^\\s*App\\ Name\\s*\\*?\\s*$/ >> internal:and=\"internal:role=textbox\""
         " >> nth=0")


class TestLocatorWords:
    """A locator's role, text and label parts are read from its selector, nested ones too."""

    def test_nested_parts(self) -> None:
        atoms = atoms_of(DIALOG_BUTTON)
        assert [(a.kind, a.wanted.wordings()) for a in atoms] == [
            ("heading", ["Create a New App"]), ("text", ["App Name"]), ("button", ["Create App"])]
        assert atoms[0].selector == "internal:role=heading[name=/^Create (a )?New App$/]"

    def test_or_gives_each_role(self) -> None:
        assert [(a.kind, str(a.wanted)) for a in atoms_of(NAMED)] == [
            ("button", '"Create a New App"'), ("link", '"Create a New App"')]

    def test_label(self) -> None:
        (label,) = atoms_of(FIELD)
        assert (label.kind, label.wanted.wordings()) == ("label", ["App Name"])

    def test_chain_keeps_quoted_steps_whole(self) -> None:
        assert len(chain_of(DIALOG_BUTTON)) == 5

    def test_pattern_wordings(self) -> None:
        cases = {
            r"^\s*(?:Create|Create App)\s*$": ["Create", "Create App"],
            r"^(App Details & Versions|Configuration Builder)$":
                ["App Details & Versions", "Configuration Builder"],
            r"^(OAuth )?Credentials$": ["OAuth Credentials"],
            r"^Production App Version Key:?$": ["Production App Version Key"],
            r"^\s*Install App\b(?! from)": ["Install App"],
        }
        for pattern, wordings in cases.items():
            assert Wanted("pattern", pattern).wordings() == wordings


SNAPSHOT = """\
- heading "My Apps" [level=1]
- button "Create a New App"
- table:
  - rowgroup:
    - row "App Name Date Created":
      - columnheader "App Name"
- text: Client ID
- textbox "Client Secret": s3cr3t-value
- paragraph: You have no apps yet.
"""


class TestCandidates:
    """The renamed thing comes first: same role nearby, same role anywhere, then the rest."""

    def test_snapshot_lines(self) -> None:
        shown = parse_snapshot(SNAPSHOT)
        assert Shown("button", "Create a New App") in shown
        assert Shown("columnheader", "App Name") in shown
        assert Shown("text", "Client ID") in shown
        assert Shown("text", "You have no apps yet.") in shown
        assert Shown("textbox", "Client Secret") in shown
        assert not [thing for thing in shown if "s3cr3t" in thing.text], "a field's value"

    def test_same_role_first(self) -> None:
        (atom,) = atoms_of('internal:role=button[name="Reset client secret"s]')
        shown = [Shown("text", "Client Secret"), Shown("button", "Regenerate client secret")]
        assert [c.text for c in closest([atom], shown)][:1] == ["Regenerate client secret"]

    def test_nearby_before_elsewhere(self) -> None:
        (atom,) = atoms_of("internal:role=button[name=/^Create( App)?$/]")
        page = [Shown("button", "Create a New App"), Shown("button", "New App")]
        dialog = [Shown("button", "New App"), Shown("button", "Cancel")]
        assert closest([atom], page, dialog)[0].text == "New App"

    def test_words_in_common_count(self) -> None:
        (atom,) = atoms_of('internal:role=heading[name="Permitted Projects"s]')
        shown = [Shown("heading", "Permissions Requested"), Shown("heading", "Allowed Projects")]
        assert closest([atom], shown)[0].text == "Allowed Projects"


class TestLabelDriftFault:
    """label_drift=1 renames the labels of LABEL_DRIFT; a rename= given as well wins."""

    def test_parse_and_label(self) -> None:
        faults = Faults.parse("label_drift=1,rename=Promote:Publish")
        assert faults.label("Create App") == "New App"
        assert faults.label("Promote") == "Publish"
        assert faults.label("Cancel") == "Cancel"
        assert Faults().label("Create App") == "Create App"

    def test_every_rename_breaks_a_locator(self) -> None:
        """Each rename is one the page objects fail on (the browser tests show where)."""
        olds = {old for by_ui in BROKEN_BY_DRIFT.values() for old in by_ui.values()}
        assert olds | set(COMPANY_BROKEN_BY_DRIFT.values()) == set(LABEL_DRIFT)


class TestBadInput:
    """Bad options: a message and exit 2, no browser started."""

    def test_unknown_screen(self) -> None:
        done = subprocess.run([sys.executable, "-m", "automation.cli.main", "probe", "--screen",
                               "nope"], capture_output=True, text=True, check=False)
        assert done.returncode == 2
        assert "--screen nope: no such screen" in done.stderr
        assert "Traceback" not in done.stderr

    def test_unknown_target(self) -> None:
        done = subprocess.run([sys.executable, "-m", "automation.cli.main", "probe", "--target",
                               "nowhere.yaml"], capture_output=True, text=True, check=False)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr


def test_public_api() -> None:
    """What a test runner's plugin may use (the rest is private)."""
    import automation.probe

    assert sorted(automation.probe.__all__) == [
        "Candidate", "JSON_SCHEMA_VERSION", "LocatorReport", "Missing", "ProbeOptions",
        "Prober", "ScreenReport", "probe_screen", "probe_screens", "screen_names"]
