"""Runbook items run for real: Chromium against the mock portal, in a scratch project's
pytest (a process of its own, as a CI job would start it)."""

from __future__ import annotations

import base64
import re
import shutil
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml

from automation.execute.journal import read_journal
from automation.mock_portal.server import MockPortal
from automation.targets import MOCK_NAMESPACE
from automation.vault.base import Vault
from automation.vault.namespaced import scoped
from automation.vault.url import open_vault
from tests.plugin.scratch import BROKEN, dedent

pytestmark = pytest.mark.browser


def mock_vault(project: Path) -> Vault:
    """The project's file vault as runs against a mock read it: under ``mock/``."""
    return scoped(open_vault(f"file:{project / 'vault' / 'vault.enc'}"), MOCK_NAMESPACE)


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def junit_cases(path: Path) -> dict[str, dict[str, list[str]]]:
    """Each test case's properties (name: values), by the case's name."""
    root = ElementTree.parse(path).getroot()
    cases: dict[str, dict[str, list[str]]] = {}
    for case in root.iter("testcase"):
        properties: dict[str, list[str]] = {}
        for prop in case.iter("property"):
            properties.setdefault(prop.get("name", ""), []).append(prop.get("value", ""))
        cases[case.get("name", "")] = properties
    return cases


def no_traceback(output: str) -> None:
    assert "Traceback" not in output
    assert not re.search(r"\.py:\d+", output), "a Python location is shown"


class TestPassingRunbook:
    """A runbook that succeeds is a passing test; its JUnit case links the run's report."""

    def test_pass_and_junit(self, runbook_project: pytest.Pytester) -> None:
        result = run(runbook_project, "runbooks/log-in-page.yaml", "--junitxml=junit.xml")
        result.assert_outcomes(passed=1)
        case = junit_cases(runbook_project.path / "junit.xml")["log-in-page"]
        [report], [run_dir] = case["report"], case["run_dir"]
        assert report == f"{run_dir}/report.html"
        assert run_dir.startswith("runs/")  # beside the project, as `runbook run` puts them
        assert "See the heading Build on Procore" in (runbook_project.path / report).read_text()
        assert "screenshot" not in case  # --screenshot is off


class TestFailureReport:
    """A failure shows the step's file:line, title, locator, picture and report; no traceback."""

    def test_own_step(self, runbook_project: pytest.Pytester) -> None:
        result = run(runbook_project, "runbooks/parts/missing-button.yaml",
                     "--junitxml=junit.xml")
        result.assert_outcomes(failed=1)
        output = result.stdout.str()
        result.stdout.fnmatch_lines([
            "runbooks/parts/missing-button.yaml:7:5: Press the Launch button "
            "(step 'press', click)",
            "  step 'press' (click) failed: Locator.click: Timeout 1000ms exceeded.",
            '  locator: get_by_role("button", name="Launch")',
            "  screenshot: runs/*-missing-button/screenshots/press.1.failed.png",
            "  report: runs/*-missing-button/report.html",
        ])
        no_traceback(output.split("Captured")[0])
        for kind in ("screenshot", "report"):
            shown = re.search(rf"^  {kind}: (\S+)$", output, re.MULTILINE)
            assert shown and (runbook_project.path / shown.group(1)).is_file()
        case = junit_cases(runbook_project.path / "junit.xml")["missing-button"]
        assert case["screenshot"] == [shown_path(output, "screenshot")]
        assert case["report"] == [shown_path(output, "report")]

    def test_included_step(self, runbook_project: pytest.Pytester) -> None:
        result = run(runbook_project, "runbooks/outer.yml")
        result.assert_outcomes(failed=1)
        result.stdout.fnmatch_lines([
            "runbooks/parts/missing-button.yaml:7:5: Press the Launch button "
            "(step 'part.press', click)",
            "  included from runbooks/outer.yml:4:5",
        ])

    def test_bad_input(self, runbook_project: pytest.Pytester) -> None:
        (runbook_project.path / "runbooks" / "broken.yaml").write_text(dedent(BROKEN))
        result = run(runbook_project, "runbooks/broken.yaml")
        result.assert_outcomes(failed=1)
        result.stdout.re_match_lines([r"^runbooks/broken.yaml:5:\d+: .*'gotoo'"])
        no_traceback(result.stdout.str())
        assert not (runbook_project.path / "runs").exists()  # refused before any run


def shown_path(output: str, kind: str) -> str:
    found = re.search(rf"^  {kind}: (\S+)$", output, re.MULTILINE)
    assert found
    return found.group(1)


WHERE = """\
    runbook: where
    title: Sign-in page of the given target, with the email the vault holds
    inputs:
      heading: {required: true, help: the sign-in page's heading}
    steps:
      - title: Open the Developer Portal
        do: goto
        with: {url: /sign_in, site: developer_portal}
      - title: Type the developer's email
        do: fill
        with:
          target: {label: Email}
          value: "{{ vault('people/developer#email') }}"
          site: developer_portal
      - title: See the sign-in page
        do: expect_text
        with:
          target: {role: heading, name: "{{ inputs.heading }}"}
          text: "{{ inputs.heading }}"
          site: developer_portal
        timeout: 5s
    """


class TestRunOptions:
    """``--runbook-target``, ``--runbook-vault`` and ``--runbook-var`` are what the run uses."""

    def test_target_vault_and_var(self, runbook_project: pytest.Pytester,
                                  portal: MockPortal) -> None:
        project = runbook_project.path
        (project / "runbooks" / "where.yaml").write_text(dedent(WHERE))
        profile = project / "portal.yaml"
        profile.write_text(yaml.safe_dump(portal.target().to_profile()))
        with mock_vault(project) as vault:
            vault.put("people/developer", {"email": "dev@example.com"})
        result = run(runbook_project, "runbooks/where.yaml", "--runbook-target", "portal.yaml",
                     "--runbook-vault", "file:vault/vault.enc", "--runbook-var", "heading=Log In")
        result.assert_outcomes(passed=1)
        [run_dir] = (project / "runs").iterdir()
        journal = read_journal(run_dir)
        assert journal.target["sites"] == portal.target().sites
        assert journal.inputs == {"heading": "Log In"}

    def test_var_reaches_the_inputs(self, runbook_project: pytest.Pytester) -> None:
        result = run(runbook_project, "runbooks/log-in-page.yaml", "--runbook-var", "nosuch=1")
        result.assert_outcomes(failed=1)
        assert "nosuch" in result.stdout.str()
        no_traceback(result.stdout.str())


class TestRunRecords:
    """``--tracing``, ``--video``, ``--screenshot`` keep their files (``*-failure``: on failure)."""

    def test_on(self, runbook_project: pytest.Pytester) -> None:
        result = run(runbook_project, "runbooks/log-in-page.yaml", "--tracing", "on",
                     "--video", "on", "--screenshot", "on", "--junitxml=junit.xml")
        result.assert_outcomes(passed=1)
        case = junit_cases(runbook_project.path / "junit.xml")["log-in-page"]
        run_dir = runbook_project.path / case["run_dir"][0]
        for name in ("trace.zip", "video.webm", "captions.vtt"):
            assert (run_dir / name).stat().st_size > 0, name
        [picture] = case["screenshot"]
        assert picture.startswith(case["run_dir"][0]) and picture.endswith(".png")
        assert (runbook_project.path / picture).is_file()

    def test_on_failure_only(self, runbook_project: pytest.Pytester) -> None:
        result = run(runbook_project, "runbooks/log-in-page.yaml",
                     "runbooks/parts/missing-button.yaml", "--tracing", "retain-on-failure",
                     "--video", "retain-on-failure", "--screenshot", "only-on-failure",
                     "--junitxml=junit.xml")
        result.assert_outcomes(passed=1, failed=1)
        cases = junit_cases(runbook_project.path / "junit.xml")
        passed, failed = cases["log-in-page"], cases["missing-button"]
        passed_dir = runbook_project.path / passed["run_dir"][0]
        failed_dir = runbook_project.path / failed["run_dir"][0]
        assert [p.name for p in passed_dir.iterdir() if p.suffix in (".zip", ".webm")] == []
        assert (failed_dir / "trace.zip").is_file() and (failed_dir / "video.webm").is_file()
        assert "screenshot" not in passed
        assert (runbook_project.path / failed["screenshot"][0]).is_file()


class TestXdist:
    """Under pytest-xdist each runbook runs on a worker, with its own mock and run directory."""

    def test_two_workers(self, runbook_project: pytest.Pytester) -> None:
        runbooks = runbook_project.path / "runbooks"
        second = runbooks / "log-in-page-again.yaml"
        shutil.copy(runbooks / "log-in-page.yaml", second)
        second.write_text(second.read_text().replace("runbook: log-in-page",
                                                     "runbook: log-in-page-again"))
        result = run(runbook_project, "-n", "2", "-v", "runbooks/log-in-page.yaml",
                     str(second.relative_to(runbook_project.path)))
        result.assert_outcomes(passed=2)
        result.stdout.re_match_lines_random([r"\[gw0\].* PASSED runbooks/log-in-page",
                                             r"\[gw1\].* PASSED runbooks/log-in-page"])
        run_dirs = sorted(p.name for p in (runbook_project.path / "runs").iterdir())
        assert [name.split("Z-", 1)[1] for name in run_dirs] in (
            ["log-in-page", "log-in-page-again"], ["log-in-page-again", "log-in-page"])


class TestSecretsStayOut:
    """A failing run's pytest output and JUnit XML never hold a secret the run used."""

    def test_failure_after_typing_a_secret(self, runbook_project: pytest.Pytester) -> None:
        project = runbook_project.path
        (project / "runbooks" / "where.yaml").write_text(dedent(WHERE))
        secret = "plugin-secret-4417@example.com"
        with mock_vault(project) as vault:
            vault.put("people/developer", {"email": secret})
        result = run(runbook_project, "runbooks/where.yaml", "--runbook-vault",
                     "file:vault/vault.enc", "--runbook-var", "heading=Welcome Back",
                     "--junitxml=junit.xml", "-rA")
        result.assert_outcomes(failed=1)
        shown = "\n".join(result.outlines + result.errlines).encode()
        written = (project / "junit.xml").read_bytes()
        for encoded in (secret.encode(), base64.b64encode(secret.encode()),
                        secret.replace("@", "%40").encode()):
            assert encoded not in shown and encoded not in written
        assert b"Welcome Back" in written  # the failure itself is there


class TestHeaded:
    """``--headed`` runs in a window on a screen, and is refused plainly without one."""

    def test_without_a_display(self, runbook_project: pytest.Pytester,
                               monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("DISPLAY", raising=False)
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        result = run(runbook_project, "runbooks/log-in-page.yaml", "--headed")
        result.assert_outcomes(failed=1)
        result.stdout.fnmatch_lines(["--headed needs a display*"])
        no_traceback(result.stdout.str())

    @pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run")
    def test_on_a_virtual_screen(self, runbook_project: pytest.Pytester) -> None:
        result = runbook_project.run("xvfb-run", "-a", sys.executable, "-m", "pytest",
                                     "-p", "no:cacheprovider", "--basetemp=inner-tmp",
                                     "runbooks/log-in-page.yaml",
                                     "--headed", "--slowmo", "20", timeout=300)
        assert result.ret == 0, result.stdout.str()
        result.stdout.fnmatch_lines(["*1 passed*"])
