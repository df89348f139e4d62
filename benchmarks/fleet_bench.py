"""Fleet throughput and memory: the company side for 50 companies, sequential against
``--parallel 2, 4, 8``, through the real ``runbook fleet`` command, in one run.

Each setting gets a fresh mock portal with the companies seeded and the developer side done
(an app promoted to production, its credentials and every administrator's login in a file
vault), then ``runbook fleet runbooks/procore/company-install.yaml`` runs for every company.
Sequential is the same command with ``--parallel 1`` (one worker, one browser, a fresh context
per company). While it runs the process tree (the fleet's Python, one Playwright driver per
worker, the browsers) is sampled from /proc: the peak RSS and PSS, divided by the parallel
members, and the CPU seconds it used (per company, and as cores used over the wall time).
Printed: a table per setting (wall time, companies a minute, the ratio against sequential,
CPU, memory per parallel member), the CPU seconds per member by process (the fleet's Python,
Playwright's drivers, each kind of Chromium process, the mock portal), the ceiling this
machine's cores put on the ratio, what a process per worker would add (one more Python with
the imports), the load average before and after, and PASS/MISS for the floor (at least 2x
sequential at the best setting). Exit 0 whatever the floor says; 1 if a fleet
failed.

    python benchmarks/fleet_bench.py [--companies 50] [--settings 1,2,4,8]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from automation.mock_portal.companies import (
    COMPANY_ADMIN_PASSWORD,
    admin_vault_path,
    fleet_members,
)
from automation.mock_portal.server import MockPortal
from automation.mock_portal.state import seed_promoted_app
from automation.targets import MOCK_NAMESPACE
from automation.vault.namespaced import scoped
from automation.vault.url import open_vault

ROOT = Path(__file__).resolve().parents[1]
COMPANY_INSTALL = ROOT / "runbooks" / "procore" / "company-install.yaml"
APP = "Procore DMSA App"
FLOOR = 2.0
MB = 1024 * 1024


@dataclass
class Sample:
    rss: int = 0
    pss: int = 0
    python: int = 0
    drivers: int = 0
    browsers: int = 0


_TICK = os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry))
    return tree


def _cpu_seconds(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(stat[11]) + int(stat[12])) / _TICK  # utime + stime


def _memory(pid: int) -> tuple[int, int, str]:
    """RSS and PSS in bytes and the command name of one process (zeros if it is gone)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        name = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return 0, 0, ""
    fields = {line.split(":")[0]: int(line.split()[1]) * 1024 for line in rollup[1:]
              if line.split()[-1] == "kB"}
    return fields.get("Rss", 0), fields.get("Pss", 0), name


def sample_tree(root: int) -> Sample:
    tree, sample, todo = _children(), Sample(), [root]
    while todo:
        pid = todo.pop()
        todo += tree.get(pid, [])
        rss, pss, name = _memory(pid)
        sample.rss += rss
        sample.pss += pss
        if pid == root:
            sample.python += rss
        elif name.startswith("node"):  # Playwright's driver ("node-MainThread")
            sample.drivers += rss
        else:
            sample.browsers += rss
    return sample


class Sampler(threading.Thread):
    """The peak memory of the fleet's process tree, sampled every half second, and the CPU
    seconds each of its processes used (the last reading of each)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, Sample(), threading.Event()
        self.cpu: dict[int, float] = {}
        self.kind: dict[int, str] = {}

    def run(self) -> None:
        while not self.done.wait(0.5):
            now = sample_tree(self.pid)
            if now.rss > self.peak.rss:
                self.peak = now
            tree, todo = _children(), [self.pid]
            while todo:
                pid = todo.pop()
                todo += tree.get(pid, [])
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), _cpu_seconds(pid))
                if pid not in self.kind:
                    self.kind[pid] = _kind(pid, self.pid)

    def cpu_by_kind(self) -> dict[str, float]:
        split: dict[str, float] = {}
        for pid, seconds in self.cpu.items():
            kind = self.kind.get(pid, "other")
            split[kind] = split.get(kind, 0.0) + seconds
        return split


def _kind(pid: int, root: int) -> str:
    """python (the fleet), driver (Playwright's node), or the Chromium process's --type."""
    if pid == root:
        return "python"
    try:
        # (Chromium's children rewrite their title: the arguments may come as one string)
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").split()
    except OSError:
        return "other"
    if any(arg.endswith(b"node") for arg in argv[:1]):
        return "driver"
    kind = next((a.split(b"=", 1)[1].decode() for a in argv if a.startswith(b"--type=")),
                "browser")
    return {"gpu-process": "gpu", "renderer": "renderer", "utility": "utility",
            "zygote": "zygote"}.get(kind, kind)


def run_fleet(companies: int, parallel: int
              ) -> tuple[float, Sample, dict[str, float], str]:
    with tempfile.TemporaryDirectory(prefix="fleet-bench-") as folder, \
            MockPortal(companies=companies) as portal:
        work = Path(folder)
        vault_url = f"file:{work}/vault.enc"
        with portal.state.lock:
            app, version, secret = seed_promoted_app(portal.state, APP)
        with scoped(open_vault(vault_url), MOCK_NAMESPACE) as vault:
            vault.put(f"procore/apps/{APP}/production",
                      {"client_id": app.production_client_id or "", "client_secret": secret})
            for company in portal.companies:
                vault.put(admin_vault_path(company), {"login": company.admin_login,
                                                      "password": COMPANY_ADMIN_PASSWORD})
        profile, members = work / "mock.yaml", work / "members.yaml"
        profile.write_text(yaml.safe_dump(portal.target().to_profile()))
        members.write_text(yaml.safe_dump(fleet_members(companies)))
        env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
        argv = [sys.executable, "-m", "automation.cli.main", "fleet", str(COMPANY_INSTALL),
                "--members", str(members), "--target", str(profile), "--vault", vault_url,
                "--var", f"app_version_id={version.production_key}",
                "--parallel", str(parallel)]
        started, mock_cpu = time.perf_counter(), time.process_time()
        process = subprocess.Popen(argv, cwd=work, env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        sampler = Sampler(process.pid)
        sampler.start()
        out, err = process.communicate(timeout=3600)
        elapsed = time.perf_counter() - started
        sampler.done.set()
        cpu = {**sampler.cpu_by_kind(), "mock": time.process_time() - mock_cpu}
        if process.returncode != 0:
            raise SystemExit(f"--parallel {parallel} failed:\n{out[-3000:]}\n{err[-2000:]}")
        return elapsed, sampler.peak, cpu, out.strip().splitlines()[-1]


def python_worker_rss() -> int:
    """What a process per worker would add: one more Python with the fleet's imports."""
    code = ("import automation.cli.main, automation.fleet.runner, playwright.sync_api, "
            "pathlib; print(next(l for l in pathlib.Path('/proc/self/status').read_text()"
            ".splitlines() if l.startswith('VmRSS')).split()[1])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    return int(done.stdout) * 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=50)
    parser.add_argument("--settings", default="1,2,4,8",
                        help="--parallel values; the first is the baseline (default 1,2,4,8)")
    args = parser.parse_args()
    settings = [int(s) for s in args.settings.split(",")]
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    print(f"{args.companies} companies, company-install.yaml; load average before: "
          f"{' '.join(load_before)}; {os.cpu_count()} cores", flush=True)
    results = []
    for parallel in settings:
        seconds, peak, cpu, summary = run_fleet(args.companies, parallel)
        results.append((parallel, seconds, peak, cpu))
        print(f"  --parallel {parallel}: {seconds:.1f} s ({summary}); load "
              f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])}", flush=True)
    base = results[0][1]
    print()
    print(f"{'setting':<12}{'wall s':>8}{'per min':>9}{'ratio':>7}{'CPU s/member':>14}"
          f"{'cores used':>12}{'peak RSS MB':>13}{'RSS/member':>12}{'PSS/member':>12}"
          "  (python / drivers / browsers MB)")
    for parallel, seconds, peak, split in results:
        fleet_cpu = sum(v for k, v in split.items() if k != "mock")
        name = "sequential" if parallel == 1 else f"parallel {parallel}"
        print(f"{name:<12}{seconds:>8.1f}{args.companies * 60 / seconds:>9.1f}"
              f"{base / seconds:>7.2f}{fleet_cpu / args.companies:>14.2f}"
              f"{fleet_cpu / seconds:>12.2f}"
              f"{peak.rss / MB:>13.0f}{peak.rss / MB / parallel:>12.0f}"
              f"{peak.pss / MB / parallel:>12.0f}  ({peak.python / MB:.0f} / "
              f"{peak.drivers / MB:.0f} / {peak.browsers / MB:.0f})")
    print("\nCPU seconds per member, by process (mock: the portal, in this benchmark's process)")
    for parallel, _seconds, _peak, split in results:
        name = "sequential" if parallel == 1 else f"parallel {parallel}"
        print(f"{name:<12}" + "  ".join(f"{kind} {seconds / args.companies:.2f}"
                                       for kind, seconds in sorted(split.items(),
                                                                   key=lambda kv: -kv[1])))
    best = max(base / seconds for _p, seconds, _s, _c in results)
    # Sequential already keeps this many cores busy (the mock's included: it shares them);
    # no setting can do better than every core busy with the same work.
    _p, seq_seconds, _s, seq_split = results[0]
    busy = sum(seq_split.values()) / seq_seconds
    cores = os.cpu_count() or 1
    print(f"\nCeiling on this machine: {cores} cores / {busy:.2f} cores busy in sequential "
          f"= {cores / busy:.2f}x at most, if more members cost no more CPU each")
    print(f"\nA process per worker instead of a thread would add {python_worker_rss() / MB:.0f}"
          " MB RSS per worker (one more Python with the imports; the driver and the browser "
          "are per worker either way).")
    print(f"load average after: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    pressure = Path("/proc/pressure/cpu")
    if pressure.is_file():  # how starved of CPU the machine was (some: a task waited)
        print(f"CPU pressure: {pressure.read_text().splitlines()[0]}")
    print(f"best throughput ratio {best:.2f} (floor {FLOOR:.1f}): "
          f"{'PASS' if best >= FLOOR else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
