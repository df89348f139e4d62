"""Templates are bounded in size and time, and a secret inside a template stays a secret.

Operations that keep a secret whole (``~``, ``+``, ``%``, ``lower``, ``upper``, ``trim``,
``urlencode``, ``format``, ``string``, ``default``) give a new secret that the log scrubber
knows; every other operation on a secret is refused, at validation with ``file:line:col``
where the secret can be seen there, and at run time in any case.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest

from automation.actions import REGISTRY
from automation.actions.primitives import goto, screenshot_path
from automation.errors import StepError
from automation.runbook import check_runbook
from automation.runbook.sandbox import time_budget
from automation.runbook.templating import TemplateError, render
from automation.secret import REDACTOR, Secret
from tests.runbook.hostile import assert_refused, runbook_cli, runbook_main, write

PASSWORD = "Portal-Pass-2026!"


def runbook_with(value: str, *, action: str = "fill", argument: str = "value") -> str:
    target = "target: {label: Password}, " if action == "fill" else ""
    return f"""runbook: secrets
title: Secrets in templates
inputs:
  password: {{secret: true, default: "vault:portal#password"}}
steps:
  - id: promote
    title: Promote
    do: developer_portal.promote_to_production
    with: {{app: "1", version: "1.0.0", release_notes: First}}
    vault: {{path: apps/x, fields: [client_id, client_secret]}}
  - title: Use it
    do: {action}
    with: {{{target}{argument}: "{value}"}}
"""


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, "secrets.yaml", text)
    _, problems = check_runbook(path, REGISTRY)
    assert all(problem.pos.line == 13 for problem in problems), problems
    return [p.message for p in problems]


REFUSED = {
    "{{ inputs.password.reveal() }}": "a secret has no attributes ('reveal' is not reachable)",
    "{{ vault('portal#password').reveal() }}": "a secret has no attributes",
    "{{ inputs.password | reverse }}": "filter 'reverse' cannot be applied to a secret",
    "{{ inputs.password[::-1] }}": "a secret cannot be indexed or sliced",
    "{{ inputs.password[0] }}": "a secret cannot be indexed or sliced",
    "{{ inputs.password | length }}": "filter 'length' cannot be applied to a secret",
    "{{ inputs.password | join(' ') }}": "filter 'join' cannot be applied to a secret",
    "{{ [inputs.password, 'x'] | join(' ') }}": "filter 'join' cannot be applied",
    "{{ inputs.password | list | first }}": "filter 'list' cannot be applied to a secret",
    "{{ inputs.password | truncate(4) }}": "filter 'truncate' cannot be applied",
    "{{ steps.promote.client_secret | reverse }}": "filter 'reverse' cannot be applied",
    "{{ inputs.password * 2 }}": "operator '*' cannot be applied to a secret",
    "{{ 'yes' if inputs.password == 'guess' else 'no' }}": "a secret cannot be compared",
    "{{ dict(p=inputs.password) }}": "a secret cannot be passed to a function",
}
KEPT = {
    "{{ inputs.password | lower }}": PASSWORD.lower(),
    "{{ inputs.password | upper }}": PASSWORD.upper(),
    "{{ inputs.password | trim }}": PASSWORD,
    "{{ inputs.password | urlencode }}": "Portal-Pass-2026%21",
    "{{ inputs.password ~ '#1' }}": PASSWORD + "#1",
    "{{ 'pre-' + inputs.password }}": "pre-" + PASSWORD,
    "{{ '%s/x' % inputs.password }}": PASSWORD + "/x",
    "{{ '%s/y' | format(inputs.password) }}": PASSWORD + "/y",
    "{{ inputs.password | default('none') }}": PASSWORD,
    "Bearer {{ inputs.password | urlencode }}": "Bearer Portal-Pass-2026%21",
}


class TestOperationsOnSecrets:
    """Each operation on a secret is refused at validation, or yields a secret."""

    @pytest.mark.parametrize("template", REFUSED)
    def test_refused_at_validation(self, tmp_path: Path, template: str) -> None:
        assert REFUSED[template] in " | ".join(problems_of(tmp_path, runbook_with(template)))

    # A comparison is refused at validation only: at run time a secret equals no plain text.
    @pytest.mark.parametrize("template", [t for t in REFUSED if "==" not in t])
    def test_refused_at_run_time_without_the_value(self, template: str) -> None:
        secret = Secret(PASSWORD)
        context = {"inputs": {"password": secret}, "vault": lambda ref: secret,
                   "steps": {"promote": {"client_secret": secret}}}
        with pytest.raises(TemplateError) as raised:
            render(template, context)
        assert PASSWORD not in str(raised.value) and PASSWORD[::-1] not in str(raised.value)

    @pytest.mark.parametrize("template", KEPT)
    def test_kept_secret(self, tmp_path: Path, template: str) -> None:
        assert problems_of(tmp_path, runbook_with(template)) == []
        result = render(template, {"inputs": {"password": Secret(PASSWORD)}})
        assert isinstance(result, Secret) and result.reveal() == KEPT[template]
        # The new secret is known to the scrubber: the console and journal show *** instead.
        assert REDACTOR.scrub(f"typed {KEPT[template]} here") == "typed *** here"


class TestSecretsStayOutOfAddressesAndLocators:
    """A secret in a goto URL or a locator is refused at validation, and at run time."""

    def test_goto_url(self, tmp_path: Path) -> None:
        text = runbook_with("/login?token={{ inputs.password }}", action="goto",
                            argument="url")
        assert problems_of(tmp_path, text) == [
            "argument 'url' of 'goto' cannot hold a secret (it would show in addresses, "
            "locators and messages)"]

    def test_click_target(self, tmp_path: Path) -> None:
        text = runbook_with("x", action="click", argument="target").replace(
            'target: "x"', "target: {role: button, name: \"{{ vault('a#b') }}\"}")
        messages = problems_of(tmp_path, text)
        assert messages and "argument 'target' of 'click' cannot hold a secret" in messages[0]

    def test_goto_refuses_a_secret_it_is_given(self) -> None:
        with pytest.raises(StepError) as raised:
            goto(cast(Any, None), url=cast(Any, Secret(f"https://x/?t={PASSWORD}")))
        assert PASSWORD not in str(raised.value)
        assert "argument 'url' holds a secret" in str(raised.value)

    def test_include_cannot_launder_a_secret(self, tmp_path: Path) -> None:
        write(tmp_path, "part.yaml", "runbook: part\ntitle: Part\ninputs:\n  u: {}\n"
              "steps:\n  - {title: Go, do: goto, with: {url: '{{ inputs.u }}'}}\n")
        path = write(tmp_path, "top.yaml", "runbook: top\ntitle: Top\nsteps:\n"
                     "  - {include: part.yaml, with: {u: \"{{ vault('a#b') }}\"}}\n")
        _, problems = check_runbook(path, REGISTRY)
        assert [str(p).split(": ", 1)[1] for p in problems] == [
            "input 'u' of 'part' is given a secret: declare it 'secret: true'"]


class TestTemplatesAreBounded:
    """Huge powers, widths, repeats and ranges are refused before they run; time is bounded."""

    @pytest.mark.parametrize(("template", "message"), [
        ("{{ 10**(10**8) }}", "an integer of (bits) 400,000,000 is over the limit of 4,096"),
        ("{{ 'x'|center(2000000000) }}", "a width of 2,000,000,000 is over the limit"),
        ("{{ 'x' * 10**9 }}", "a repeated text or list of 1,000,000,000 is over the limit"),
        ("{{ range(10**9) | list }}", "range() of 1,000,000,000 is over the limit of 10,000"),
        ("{{ '%2000000000s' % 'x' }}", "a format width of 2,000,000,000 is over the limit"),
        ("{{ '%2000000000s'|format('x') }}", "a format width of 2,000,000,000 is over"),
        ("{{ 'x'|indent(2000000000) }}", "a width of 2,000,000,000 is over the limit"),
        ("{% for i in range(9) %}{{ i }}{% endfor %}", "'{% for %}' is not allowed"),
        ("{{ lipsum(1000000) }}", "undefined template variable 'lipsum'"),
    ])
    def test_refused_by_validate(self, tmp_path: Path, template: str, message: str) -> None:
        path = write(tmp_path, "big.yaml", "runbook: big\ntitle: Big\nsteps:\n"
                     f"  - {{title: \"{template}\", do: goto, with: {{url: /}}}}\n")
        assert_refused(runbook_main("validate", path.name, cwd=tmp_path), message)

    def test_width_from_an_input_is_refused_by_plan(self, tmp_path: Path) -> None:
        path = write(tmp_path, "wide.yaml", "runbook: wide\ntitle: Wide\ninputs:\n"
                     "  width: {type: integer, default: 3}\nsteps:\n"
                     "  - {title: Open, do: goto,\n"
                     "     with: {url: \"/{{ 'x'|center(inputs.width) }}\"}}\n")
        outcome = runbook_cli("plan", path.name, "--var", "width=2000000000", "--json",
                              cwd=tmp_path)
        assert outcome.code == 0, outcome.err
        assert "a width of 2,000,000,000 is over the limit of 100,000" in outcome.out
        assert len(outcome.out) < 2000

    def test_wall_clock_budget(self) -> None:
        with time_budget(-1.0), pytest.raises(TemplateError, match="took longer than"):
            render("{{ range(10) | list | sort }}", {})


class TestScreenshotNames:
    """A screenshot's name is a plain file name inside the run directory."""

    @pytest.mark.parametrize("name", ["../../../../x", "/tmp/x", "a/b", "..", "x" * 101])
    def test_refused_by_validate(self, tmp_path: Path, name: str) -> None:
        path = write(tmp_path, "shot.yaml", "runbook: shot\ntitle: Shot\nsteps:\n"
                     f"  - {{title: Picture, do: screenshot, with: {{name: '{name}'}}}}\n")
        assert_refused(runbook_main("validate", path.name, cwd=tmp_path),
                       "argument 'name' of 'screenshot': a screenshot name is a plain file name")

    @pytest.mark.parametrize("name", ["../x", "/etc/x", "a/../../b"])
    def test_templated_name_refused_at_run_time(self, tmp_path: Path, name: str) -> None:
        with pytest.raises(StepError, match="screenshot name"):
            screenshot_path(tmp_path, name)

    def test_plain_name_stays_inside(self, tmp_path: Path) -> None:
        path = screenshot_path(tmp_path, "after sign-in 2")
        assert path == (tmp_path / "screenshots" / "after sign-in 2.png").resolve()
