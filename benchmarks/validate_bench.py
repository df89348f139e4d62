"""How long `runbook validate` takes over 200 generated runbooks (issue: under 2 s here), and
over one runbook of many steps (hardening issue: validation linear in the number of steps).

Each generated runbook has inputs, 20 steps with templates reading inputs and earlier
outputs, a step that captures into the vault-free primitives, and an include. The figure is
the wall time of the real command in a subprocess (interpreter start-up included), best and
median of five runs. ``--steps 4000,8000,16000,50000`` instead times one runbook of each size
(once each: before the fix, 4k / 8k / 16k steps took 1.4 / 3.5 / 19.8 s and 50k never ended).

    python benchmarks/validate_bench.py [--count 200] [--runs 5] [--steps N,N,...]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PART = """runbook: open-part
title: Open a page
inputs:
  address: {required: true}
steps:
  - id: open
    title: Open {{ inputs.address }}
    do: goto
    with: {url: "{{ inputs.address }}"}
"""


def runbook_text(number: int, steps: int = 20) -> str:
    lines = [
        f"runbook: generated-{number}",
        f"title: Generated runbook {number}",
        "inputs:",
        "  base: {default: 'http://127.0.0.1:9'}",
        "  name: {default: Procore DMSA App, help: the app name}",
        "  count: {type: integer, default: 3}",
        "steps:",
        "  - id: start",
        "    title: Open {{ inputs.name }}",
        "    do: goto",
        "    with: {url: \"{{ inputs.base }}/apps\"}",
    ]
    for index in range(1, steps - 1):
        lines += [
            f"  - id: s{index}",
            f"    title: Step {index} of {{{{ inputs.name }}}} after {{{{ steps.start.url }}}}",
            "    do: fill",
            f"    with: {{target: {{label: Field {index}, within: {{role: dialog, name: Edit}}}},"
            f" value: \"{{{{ inputs.name }}}}-{index}\"}}",
            "    when: inputs.count > 0",
            "    timeout: 10s",
        ]
    lines += [
        "  - include: open-part.yaml",
        "    id: part",
        "    with: {address: \"{{ steps.start.url }}\"}",
    ]
    return "\n".join(lines) + "\n"


def many_steps(sizes: list[int]) -> None:
    """One runbook per size: time per step should stay flat as the runbook grows."""
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        (directory / "open-part.yaml").write_text(PART)
        for steps in sizes:
            path = directory / f"steps-{steps}.yaml"
            path.write_text(runbook_text(0, steps))
            command = [sys.executable, "-m", "automation.cli.main", "validate", str(path)]
            started = time.perf_counter()
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            elapsed = time.perf_counter() - started
            if result.returncode != 0:
                sys.exit(f"validate failed:\n{result.stderr[:2000]}")
            size = path.stat().st_size / 2**20
            print(f"runbook validate: {steps:>6,} steps ({size:.1f} MB): {elapsed:6.2f} s, "
                  f"{elapsed / steps * 1e6:.0f} us a step")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--steps", help="comma-separated sizes of one large runbook each")
    args = parser.parse_args()
    if args.steps:
        many_steps([int(n) for n in args.steps.split(",")])
        return
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        (directory / "open-part.yaml").write_text(PART)
        paths = []
        for number in range(args.count):
            path = directory / f"generated-{number:03d}.yaml"
            path.write_text(runbook_text(number))
            paths.append(str(path))
        command = [sys.executable, "-m", "automation.cli.main", "validate", *paths]
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - started)
            if result.returncode != 0:
                sys.exit(f"validate failed:\n{result.stderr[:2000]}")
        lines = sum(Path(p).read_text().count("\n") for p in paths)
    print(f"runbook validate: {args.count} runbooks ({lines} lines, 20 steps + 1 include each)")
    print(f"  best {min(times):.3f} s, median {statistics.median(times):.3f} s "
          f"over {args.runs} runs (target: under 2 s)")


if __name__ == "__main__":
    main()
