"""Fuzzing the loader and validator: no input gives a traceback, an exit other than 0 or 2,
more than 2 s of CPU or more than 200 MB.

Inputs are random YAML-ish text and random mutations of the shipped runbooks
(``runbooks/*.yaml``, ``runbooks/procore/*.yaml``, validated with their includes). Each runs
``runbook validate`` in this process (``main()``: fast, and it is the command's own code
path) under tracemalloc. CPU time, not wall time, is measured: the machine is shared.

The example count is modest so the suite stays fast; run longer with
``RUNBOOK_FUZZ_EXAMPLES=5000 pytest tests/runbook/test_fuzz.py``.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from automation.cli.main import main

RUNBOOKS = Path(__file__).parents[2] / "runbooks"
SHIPPED = sorted(p.relative_to(RUNBOOKS) for p in [*RUNBOOKS.glob("*.yaml"),
                                                    *RUNBOOKS.glob("procore/*.yaml")])
TOP = Path("dmsa-credentials.yaml")
MAX_CPU_S = 2.0
MAX_BYTES = 200 * 2**20

FUZZ = settings(
    max_examples=int(os.environ.get("RUNBOOK_FUZZ_EXAMPLES", "25")),
    deadline=None,  # time is checked below, as CPU time
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)

#: Pieces of YAML, runbook keys and template syntax that hostile inputs are made of.
TOKENS = [
    "runbook: x\n", "title: t\n", "steps:\n", "  - ", "inputs:\n", "  a: {default: 1}\n",
    "do: goto\n", "with: {url: /}\n", "include: x.yaml\n", "include: ../../etc/passwd\n",
    "id: s1\n", "when: ", "retries: 99999999999999999999\n", "timeout: 1e309\n",
    "{", "}", "[", "]", ", ", ": ", "\n", "  ", "\t", "- ", "? ", "&a ", "*a", "&b ", "*b",
    "<<: ", "!!python/object:os.system ", "!!binary ", "---\n", "...\n", "# c\n", "'", '"',
    "|\n", ">\n", "{{ ", " }}", "{% ", " %}", "{% for i in range(9) %}", "{% endfor %}",
    "inputs.a", "steps.s1.url", "vault('p#f')", ".reveal()", "|reverse", "|center(999999999)",
    "10**", "(", ")", "~", "2020-13-45", "9" * 5000, "lol", "\\u0000", "\x00", "é", "\ufeff",
]


def yamlish() -> st.SearchStrategy[str]:
    pieces = st.one_of(st.sampled_from(TOKENS), st.text(max_size=8))
    return st.lists(pieces, max_size=60).map("".join)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Path, str]:
    """A shipped runbook with a few random edits: deletes, copies, inserts, swaps."""
    relative = draw(st.sampled_from(SHIPPED))
    text = (RUNBOOKS / relative).read_text()
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 200)))
        kind = draw(st.sampled_from(["delete", "copy", "insert", "lines"]))
        if kind == "delete":
            text = text[:start] + text[end:]
        elif kind == "copy":
            text = text[:start] + text[start:end] * draw(st.integers(2, 20)) + text[start:]
        elif kind == "insert":
            text = text[:start] + draw(st.sampled_from(TOKENS)) + text[start:]
        else:
            lines = text.splitlines(keepends=True)
            if len(lines) > 2:
                i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
                text = "".join(lines)
    return relative, text


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of runbooks/ whose files the examples overwrite (and put back)."""
    copy = tmp_path_factory.mktemp("fuzz") / "runbooks"
    shutil.copytree(RUNBOOKS, copy)
    return copy


def validate_within_bounds(folder: Path, relative: Path, text: str) -> None:
    path = folder / relative
    original = path.read_text() if path.exists() else None
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    top = TOP if relative.parent.name == "procore" else relative
    out, err = io.StringIO(), io.StringIO()
    tracemalloc.start()
    started = time.process_time()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["validate", str(folder / top)])
    finally:
        spent = time.process_time() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        if original is None:
            path.unlink()
        else:
            path.write_text(original)
    shown = out.getvalue() + err.getvalue()
    assert code in (0, 2), shown[-2000:]
    assert "Traceback" not in shown and "internal error" not in shown, shown[-2000:]
    assert spent < MAX_CPU_S, f"{spent:.2f} s of CPU"
    assert peak < MAX_BYTES, f"{peak / 2**20:.0f} MB"
    assert max(map(len, shown.splitlines()), default=0) < 1000


class TestFuzzedRunbooks:
    """Random and mutated runbooks end in ok or file:line:col problems, cheaply."""

    @FUZZ
    @given(text=yamlish())
    def test_random_yaml(self, folder: Path, text: str) -> None:
        validate_within_bounds(folder, Path("fuzzed.yaml"), text)

    @FUZZ
    @given(case=mutated())
    def test_mutated_shipped_runbooks(self, folder: Path, case: tuple[Path, str]) -> None:
        validate_within_bounds(folder, *case)
