"""What recording costs: the DMSA runbook through the real ``runbook`` command, plain against
``--video`` (and ``--trace --video``), then one ``runbook demo``.

Each repetition starts a fresh mock portal and file vault per variant (demo logins stored)
and times the whole command, as a person waits for it: start, browser, steps, the run
directory finished (report, leak scan, for ``--video`` the encoding). The variants alternate
in a rotating order. Printed: each variant's median and best, the median of the paired ratios
against the plain run, the video encoding time, and PASS/MISS for the target (``--video`` at
most 35% slower than plain). Exit 0 whatever the target says; 1 if a run failed.

    python benchmarks/record_bench.py [--runs 5] [--no-demo]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from automation.cli.targets import store_demo_logins
from automation.mock_portal.server import MockPortal
from automation.vault.url import open_vault

ROOT = Path(__file__).resolve().parents[1]
DMSA = ROOT / "runbooks" / "dmsa-credentials.yaml"
VIDEO_TARGET = 1.35
VARIANTS: dict[str, list[str]] = {
    "plain": ["run"],
    "video": ["run", "--video"],
    "trace+video": ["run", "--trace", "--video"],
}
_ENCODED = re.compile(r"video: (\d+) frames encoded in ([\d.]+) s")


def run_once(command: list[str]) -> tuple[float, float | None]:
    """Seconds for one command against a fresh world; and the video encoding's seconds."""
    with tempfile.TemporaryDirectory(prefix="record-bench-") as folder, MockPortal() as portal:
        work = Path(folder)
        vault_url = f"file:{work}/vault.enc"
        with open_vault(vault_url) as vault:
            store_demo_logins(portal.state, vault)
        profile = work / "mock.yaml"
        profile.write_text(yaml.safe_dump(portal.target().to_profile()))
        env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
        argv = [sys.executable, "-m", "automation.cli.main", "-v", *command[:1], str(DMSA),
                *command[1:], "--target", str(profile), "--vault", vault_url]
        started = time.perf_counter()
        done = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True,
                              check=False, timeout=900)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
        encoded = _ENCODED.search(done.stderr)
        return elapsed, float(encoded.group(2)) if encoded else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-demo", action="store_true", help="skip the runbook demo run")
    args = parser.parse_args()
    names = list(VARIANTS)
    times: dict[str, list[float]] = {name: [] for name in names}
    encodes: list[float] = []
    run_once(VARIANTS["plain"])  # warm-up: disk caches, Chromium's first start
    for repetition in range(args.runs):
        order = names[repetition % len(names):] + names[:repetition % len(names)]
        for name in order:
            seconds, encode = run_once(VARIANTS[name])
            times[name].append(seconds)
            if encode is not None:
                encodes.append(encode)
            print(f"  run {repetition + 1} {name:<12} {seconds:6.2f} s"
                  + (f"  (encoding {encode:.2f} s)" if encode is not None else ""), flush=True)
    print(f"\nDMSA runbook, {args.runs} runs each (median / best):")
    for name in names:
        print(f"  {name:<12} {statistics.median(times[name]):6.2f} s / "
              f"{min(times[name]):6.2f} s")
    for name in names[1:]:
        ratios = [v / p for v, p in zip(times[name], times["plain"], strict=True)]
        ratio = statistics.median(ratios)
        verdict = ("PASS" if ratio <= VIDEO_TARGET else "MISS") if name == "video" else ""
        print(f"  {name} / plain: {ratio:.2f} (paired median) {verdict}")
    if encodes:
        print(f"  video encoding: median {statistics.median(encodes):.2f} s")
    if not args.no_demo:
        seconds, encode = run_once(["demo"])
        print(f"  runbook demo (slowed down, highlighted): {seconds:.2f} s, encoding "
              f"{encode or 0:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
