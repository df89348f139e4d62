"""Hostile runbooks and vars files cost little: aliases, includes, nesting and echoes are bounded.

Each test is one attack from the hardening issue, run through the real command in a subprocess
under a memory limit (tests/runbook/hostile.py): before the fix each one took seconds to
minutes and gigabytes, or ended in a traceback.
"""

from __future__ import annotations

from pathlib import Path

from tests.runbook.hostile import assert_refused, runbook_cli, write

STEP = "steps:\n  - {title: Open the portal, do: goto, with: {url: /}}\n"


def alias_bomb(levels: int, indent: str = "") -> str:
    """The billion laughs: each level lists the one before nine times (9**levels strings)."""
    lines = [f'{indent}l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"{indent}l{level}: &l{level} [{refs}]")
    return "\n".join(lines) + "\n"


RUNBOOK_WITH_COMPANY = f"""runbook: company
title: Needs a company
inputs:
  company: {{required: true}}
{STEP}"""


class TestAliasBombs:
    """A YAML alias bomb is refused at the alias that crosses the limit, in a runbook or a
    vars file, in bounded time and memory."""

    def test_alias_bomb_runbook_is_refused(self, tmp_path: Path) -> None:
        for levels in (8, 9):
            path = write(tmp_path, f"bomb{levels}.yaml", "runbook: bomb\ntitle: Laughs\n"
                         "description:\n" + alias_bomb(levels, "  ") + STEP)
            assert len(path.read_bytes()) < 700
            outcome = runbook_cli("validate", path.name, cwd=tmp_path)
            assert_refused(outcome, "alias")
            assert "lol" not in outcome.err

    def test_alias_bomb_vars_file_is_refused(self, tmp_path: Path) -> None:
        write(tmp_path, "company.yaml", RUNBOOK_WITH_COMPANY)
        write(tmp_path, "vars.yaml", alias_bomb(9) + "company: *l8\n")
        outcome = runbook_cli("plan", "company.yaml", "--vars-file", "vars.yaml", cwd=tmp_path)
        assert_refused(outcome, "alias")
        assert outcome.problems()[0] and outcome.err.startswith("vars.yaml:")

    def test_a_few_aliases_still_work(self, tmp_path: Path) -> None:
        path = write(tmp_path, "ok.yaml", "runbook: ok\ntitle: Fine\ndescription: &d Text\n"
                     "steps:\n  - {title: *d, do: goto, with: {url: /}}\n")
        outcome = runbook_cli("validate", path.name, cwd=tmp_path)
        assert outcome.code == 0, outcome.err


class TestEchoedValuesAreShort:
    """A message quotes at most a short excerpt of any value, however large the value."""

    def test_large_vars_file_value_is_shortened(self, tmp_path: Path) -> None:
        write(tmp_path, "company.yaml", RUNBOOK_WITH_COMPANY)
        items = ", ".join(['"lol"'] * 50_000)
        write(tmp_path, "vars.yaml", f"company: [{items}]\n")
        outcome = runbook_cli("plan", "company.yaml", "--vars-file", "vars.yaml", cwd=tmp_path)
        assert_refused(outcome, "input 'company' must be a string, got ['lol', 'lol'",
                       longest_line=300)
        assert len(outcome.err) < 1000

    def test_large_key_and_value_in_runbook_are_shortened(self, tmp_path: Path) -> None:
        key, value = "k" * 100_000, "v" * 100_000
        path = write(tmp_path, "big.yaml", f"runbook: big\ntitle: Big\n? {key}\n: 1\n"
                     f"steps:\n  - {{title: t, do: goto, with: {{url: /}}, retries: {value}}}\n")
        outcome = runbook_cli("validate", path.name, cwd=tmp_path)
        assert_refused(outcome, "unknown key 'kkkk", "'retries' must be a whole number",
                       longest_line=300)


class TestIncludesAreParsedOnce:
    """Each file is parsed and validated once however often it is included; a plan that would
    expand past the step limit is refused at validation."""

    @staticmethod
    def diamond(folder: Path, levels: int) -> Path:
        for level in range(levels):
            includes = "".join(f"  - {{include: p{level + 1}.yaml, id: {side}}}\n"
                               for side in ("left", "right"))
            write(folder, f"p{level}.yaml", f"runbook: p{level}\ntitle: Part {level}\n"
                  f"steps:\n{includes}")
        write(folder, f"p{levels}.yaml", f"runbook: p{levels}\ntitle: Leaf\n{STEP}")
        return write(folder, "top.yaml", "runbook: top\ntitle: Diamond\nsteps:\n"
                     "  - {include: p0.yaml, id: root}\n")

    def test_twenty_level_diamond_is_refused_quickly(self, tmp_path: Path) -> None:
        top = self.diamond(tmp_path, 20)
        outcome = runbook_cli("validate", top.name, cwd=tmp_path)
        assert_refused(outcome, "steps")

    def test_small_diamond_is_valid_and_plans(self, tmp_path: Path) -> None:
        top = self.diamond(tmp_path, 4)
        assert runbook_cli("validate", top.name, cwd=tmp_path).code == 0
        outcome = runbook_cli("plan", top.name, cwd=tmp_path)
        assert outcome.code == 0, outcome.err
        assert "16 steps" in outcome.out
        assert "root.left.left.left.left.step1" in outcome.out


class TestDeepNesting:
    """Deep nesting in YAML or in a template is an input error (exit 2), not RecursionError."""

    def test_deeply_nested_yaml(self, tmp_path: Path) -> None:
        depth = 20_000
        path = write(tmp_path, "deep.yaml", "runbook: deep\ntitle: Deep\ndescription: "
                     + "[" * depth + "]" * depth + "\n" + STEP)
        assert_refused(runbook_cli("validate", path.name, cwd=tmp_path), "nest")

    def test_deeply_nested_mappings(self, tmp_path: Path) -> None:
        depth = 2_000
        path = write(tmp_path, "deep.yaml", "runbook: deep\ntitle: Deep\ndescription: "
                     + "{a: " * depth + "1" + "}" * depth + "\n" + STEP)
        assert_refused(runbook_cli("validate", path.name, cwd=tmp_path), "nested")

    def test_deeply_nested_template(self, tmp_path: Path) -> None:
        depth = 3_000
        title = "{{ " + "(" * depth + "1" + ")" * depth + " }}"
        path = write(tmp_path, "deep.yaml", "runbook: deep\ntitle: Deep\nsteps:\n"
                     f"  - {{title: '{title}', do: goto, with: {{url: /}}}}\n")
        assert_refused(runbook_cli("validate", path.name, cwd=tmp_path), "nested")

    def test_deep_include_chain(self, tmp_path: Path) -> None:
        for level in range(200):
            write(tmp_path, f"c{level}.yaml", f"runbook: c{level}\ntitle: Chain\nsteps:\n"
                  f"  - {{include: c{level + 1}.yaml}}\n")
        write(tmp_path, "c200.yaml", f"runbook: leaf\ntitle: Leaf\n{STEP}")
        assert_refused(runbook_cli("validate", "c0.yaml", cwd=tmp_path), "nested")
