"""File vault put/get latency, in-process (one FileVault, the file re-read on every call).

Each call decrypts the whole file (and a put re-encrypts and fsyncs it), so the figures
depend on how much the vault holds: measured on a vault with one path and on one holding
PATHS paths of VERSIONS versions each (the benchmarked put path gains a version per call).
Also: the one-off scrypt cost of a passphrase vault, and the CLI
(`python -m automation.vault.cli get`, interpreter start-up included).

    python benchmarks/vault_bench.py [--calls 200] [--paths 100] [--versions 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from automation.secret import Secret
from automation.vault.file import FileVault

FIELDS = {"client_id": "cid-" + "a" * 28, "client_secret": "cs-" + "b" * 61}


def timed(call: Callable[[], object], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(
        f"{label:<46} median {statistics.median(samples):7.2f} ms   "
        f"p95 {p95:7.2f} ms   n={len(samples)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--paths", type=int, default=100)
    parser.add_argument("--versions", type=int, default=3)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        small = FileVault(Path(tmp) / "small" / "vault.enc")
        small.put("procore/app", FIELDS)
        report("put, vault with 1 path", timed(lambda: small.put("bench", FIELDS), options.calls))
        report("get, vault with 1 path", timed(lambda: small.get("procore/app"), options.calls))

        large = FileVault(Path(tmp) / "large" / "vault.enc")
        for index in range(options.paths):
            for _ in range(options.versions):
                large.put(f"procore/apps/app {index}/production", FIELDS)
        size = large.file.stat().st_size
        label = f"{options.paths} paths x {options.versions} versions, {size // 1024} KiB"
        report(f"put, {label}", timed(lambda: large.put("bench", FIELDS), options.calls))
        report(
            f"get, {label}",
            timed(lambda: large.get("procore/apps/app 7/production"), options.calls),
        )

        phrase = Secret("correct horse battery staple")
        sealed = FileVault(Path(tmp) / "phrase" / "vault.enc", passphrase=phrase)
        report(
            "passphrase vault, first put (scrypt n=2^17)", timed(lambda: sealed.put("p", FIELDS), 1)
        )
        # The derived key stays in this process's memory: later calls pay no scrypt.
        report("passphrase vault, later gets", timed(lambda: sealed.get("p"), options.calls))

        url = f"file:{small.file}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
        command = [sys.executable, "-m", "automation.vault.cli", "--vault", url, "get"]
        command += ["procore/app", "--field", "client_id"]

        def cli() -> None:
            subprocess.run(command, env=env, check=True, capture_output=True)

        report("CLI vault get --field (with process start)", timed(cli, 10))


if __name__ == "__main__":
    main()
