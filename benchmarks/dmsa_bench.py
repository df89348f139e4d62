"""The whole DMSA procedure: the executor against a plain Playwright script, side by side.

Each repetition starts a fresh mock portal and a fresh file vault (demo logins stored) for
each of the two, and times, from browser launch to the last check:

* executor: ``runbooks/dmsa-credentials.yaml`` planned as ``runbook run`` plans it and run
  in-process by the real Executor and BrowserSession (subscribers: StepLog + Journal, as the
  CLI has, or none with ``--subscribers none``; StepLog writes to /dev/null unless ``--log``);
* baseline: ``plain_dmsa.py``, the same browser work written by hand with Playwright.

The order alternates (executor first in odd repetitions). Then: median and best of each, the
ratio executor/baseline, the executor's time outside its steps, each step of the executor
next to the same part of the baseline, and PASS/MISS for the targets (executor within 5% of
the baseline; whole procedure under 8 s). ``--profile`` adds one more run of each that counts,
per step, the Playwright calls (navigations, waits, evaluates, actions, queries, expects) and
the requests the portal served: what the time goes on. Exit 0 whatever the targets say; 1 if
a run failed.

    python benchmarks/dmsa_bench.py [--runs 5] [--warmup 1] [--subscribers cli|none]
                                    [--profile] [--log]
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from flask import request
from plain_dmsa import APP, CREDENTIALS, run_plain  # beside this file (on sys.path as a script)
from playwright.sync_api import BrowserContext, Keyboard, Locator, Page
from playwright.sync_api._generated import LocatorAssertions  # what expect(locator) returns

from automation.actions import REGISTRY
from automation.cli.targets import store_demo_logins
from automation.execute.browser import launch_options
from automation.execute.events import RunEvent, StepEvent, Subscriber
from automation.execute.executor import Executor, RunSettings
from automation.execute.journal import Journal
from automation.execute.session import BrowserSession
from automation.log import StepLog, configure_logging
from automation.mock_portal.server import MockPortal
from automation.procore_api import ProcoreApi
from automation.runbook import build_plan, load_runbook
from automation.runbook.inputs import resolve_inputs
from automation.vault.namespaced import MOCK_NAMESPACE, scoped
from automation.vault.url import open_vault

ROOT = Path(__file__).resolve().parents[1]
DMSA = ROOT / "runbooks" / "dmsa-credentials.yaml"
RATIO_TARGET, WALL_TARGET_S = 1.05, 8.0


@dataclass
class Measured:
    wall_s: float
    steps: dict[str, float]  # step key -> seconds
    titles: dict[str, str] = field(default_factory=dict)
    retries: int = 0
    profile: Profile | None = None


# -- the Playwright call profile (only with --profile: wrapping costs a little) ---------------

_QUERIES = ("count", "is_visible", "is_hidden", "is_checked", "is_enabled", "input_value",
            "inner_text", "inner_html", "get_attribute", "all_inner_texts", "all_text_contents",
            "all", "text_content", "aria_snapshot", "evaluate", "evaluate_all", "wait_for")
_ACTIONS = ("click", "dblclick", "fill", "clear", "check", "uncheck", "set_checked", "press",
            "press_sequentially", "type", "select_option", "focus", "hover")
CATEGORIES = ("nav", "load", "eval", "act", "query", "expect", "ctx")


def _caller() -> str:
    """The innermost frame in automation/ (the page object's line) or in the hand-written
    script, else the outermost."""
    outer = sys._getframe(2)
    frame: FrameType | None = outer
    while frame is not None:
        name = frame.f_code.co_filename
        if f"{os.sep}automation{os.sep}" in name or Path(name).name.startswith("plain_dmsa"):
            return f"{Path(name).relative_to(ROOT)}:{frame.f_lineno}"
        outer, frame = frame, frame.f_back
    return f"{Path(outer.f_code.co_filename).name}:{outer.f_lineno}"


class Profile:
    """Playwright calls and portal requests, counted and timed per section (step)."""

    def __init__(self) -> None:
        self.section = "setup"
        self.calls: dict[str, Counter[str]] = defaultdict(Counter)
        self.ms: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.requests: dict[str, Counter[str]] = defaultdict(Counter)
        #: Per step, the automation/ source line that made each query, expect or evaluate.
        self.sites: dict[str, Counter[str]] = defaultdict(Counter)
        self.site_ms: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))

    def record(self, category: str, seconds: float) -> None:
        self.calls[self.section][category] += 1
        self.ms[self.section][category] += seconds * 1000
        if category in ("query", "expect", "eval"):
            site = f"{category} {_caller()}"
            self.sites[self.section][site] += 1
            self.site_ms[self.section][site] += seconds * 1000

    def count_requests(self, portal: MockPortal) -> None:
        def count() -> None:
            path = request.path
            kind = ("static" if "/static/" in path else "api" if path.startswith(
                ("/rest", "/oauth")) else request.method)
            self.requests[self.section][kind] += 1

        portal.app.before_request(count)

    @contextmanager
    def installed(self) -> Iterator[Profile]:
        targets: list[tuple[type, str, str]] = [(Page, "goto", "nav"), (Page, "reload", "nav"),
                                                (Page, "wait_for_load_state", "load"),
                                                (Page, "evaluate", "eval"),
                                                (Page, "wait_for_url", "nav"),
                                                (Keyboard, "press", "act")]
        targets += [(Locator, name, "act") for name in _ACTIONS]
        targets += [(Locator, name, "query") for name in _QUERIES]
        targets += [(LocatorAssertions, name, "expect") for name in dir(LocatorAssertions)
                    if name.startswith(("to_", "not_to_"))]
        targets += [(BrowserContext, "set_default_timeout", "ctx"),
                    (BrowserContext, "grant_permissions", "ctx")]
        saved = [(cls, name, getattr(cls, name)) for cls, name, _ in targets]
        saved.append((Page, "expect_navigation", Page.expect_navigation))
        for cls, name, category in targets:
            setattr(cls, name, self._timed(getattr(cls, name), category))
        Page.expect_navigation = self._navigation(Page.expect_navigation)  # type: ignore[method-assign]
        try:
            yield self
        finally:
            for cls, name, original in saved:
                setattr(cls, name, original)

    def _timed(self, method: Callable[..., Any], category: str) -> Callable[..., Any]:
        @functools.wraps(method)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.record(category, time.perf_counter() - start)

        return wrapper

    def _navigation(self, method: Callable[..., Any]) -> Callable[..., Any]:
        profile = self

        class Timed:  # times the wait for the page to load, after the click inside returns
            def __init__(self, inner: Any) -> None:
                self.inner = inner

            def __enter__(self) -> Any:
                return self.inner.__enter__()

            def __exit__(self, *exc: Any) -> Any:
                start = time.perf_counter()
                try:
                    return self.inner.__exit__(*exc)
                finally:
                    profile.record("nav", time.perf_counter() - start)

        @functools.wraps(method)
        def wrapper(*args: Any, **kwargs: Any) -> Timed:
            return Timed(method(*args, **kwargs))

        return wrapper


# -- the two contenders -----------------------------------------------------------------------


class StepTimer:
    """Executor subscriber: each step's duration (StepEvent.duration_s), title and retries."""

    def __init__(self, profile: Profile | None) -> None:
        self.steps: dict[str, float] = {}
        self.titles: dict[str, str] = {}
        self.retries = 0
        self.profile = profile

    def on_run(self, event: RunEvent) -> None:
        pass

    def on_step(self, event: StepEvent) -> None:
        if event.status == "started":
            self.retries += event.attempt > 1
            if self.profile is not None:
                self.profile.section = event.key
        elif event.status == "succeeded":
            self.steps[event.key] = event.duration_s
            self.titles[event.key] = event.title


@contextmanager
def fresh_world(profile: Profile | None, ui: str) -> Iterator[tuple[MockPortal, Any, Path]]:
    """A new mock portal (Developer Portal generation ``ui``) and a new file vault holding
    its demo logins."""
    with tempfile.TemporaryDirectory(prefix="dmsa-bench-") as tmp:
        portal = MockPortal(ui=ui)
        if profile is not None:
            profile.count_requests(portal)
        with portal, open_vault(f"file:{tmp}/.runbook/vault.enc", env={}) as opened:
            vault = scoped(opened, MOCK_NAMESPACE)  # where the mock's runs keep secrets
            store_demo_logins(portal.state, vault)
            yield portal, vault, Path(tmp)
            check_world(portal, vault)


def check_world(portal: MockPortal, vault: Any) -> None:
    """Outside the timing: one app, one installation, and the vault's secret gets a token."""
    state = portal.state
    with state.lock:
        apps = [a for a in state.apps.values() if a.name == APP]
        installs = [i for i in state.installations.values() if not i.uninstalled]
    if len(apps) != 1 or len(installs) != 1:
        raise RuntimeError(f"{len(apps)} apps and {len(installs)} installations, expected 1 and 1")
    fields = vault.get(CREDENTIALS)
    ProcoreApi(portal.base_url, portal.base_url).token(fields["client_id"].reveal(),
                                                      fields["client_secret"])


def run_executor(launch: dict[str, Any], subscribers: str, profile: Profile | None,
                 ui: str) -> Measured:
    with fresh_world(profile, ui) as (portal, vault, tmp):
        runbook = load_runbook(DMSA, REGISTRY)  # as automation/cli/run.py does
        plan = build_plan(runbook, resolve_inputs(runbook, {}, {}), REGISTRY)
        target = portal.target()
        browser = BrowserSession(target, dict(launch))
        timer = StepTimer(profile)
        journal = Journal(tmp / "runs" / "bench") if subscribers == "cli" else None
        chosen: list[Subscriber] = [StepLog(), journal] if journal is not None else []
        executor = Executor(plan, target=target, vault=vault, browser=browser,
                            settings=RunSettings(run_dir=tmp / "runs" / "bench"),
                            subscribers=[timer, *chosen])
        try:
            start = time.perf_counter()  # Chromium starts inside the first step
            result = executor.run()
            wall = time.perf_counter() - start
        finally:
            browser.close()
            if journal is not None:
                journal.close()
        if not result.succeeded or not any("37/37" in h for h in result.headlines):
            raise RuntimeError(f"executor run failed at {result.failed_step}: {result.error}")
    return Measured(wall, timer.steps, timer.titles, timer.retries, profile)


def run_baseline(launch: dict[str, Any], profile: Profile | None, ui: str) -> Measured:
    marks: list[tuple[str, float]] = []

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter()))
        if profile is not None:
            profile.section = name

    with fresh_world(profile, ui) as (portal, vault, _tmp):
        start = time.perf_counter()
        result = run_plain(portal.target(), vault, dict(launch), mark, ui)
        if result.visible_projects != 37 or result.synced_projects != 37:
            raise RuntimeError(f"baseline saw {result}, expected 37 projects")
    steps = {name: marks[i + 1][1] - at for i, (name, at) in enumerate(marks[:-1])}
    return Measured(marks[-1][1] - start, steps, profile=profile)


# -- the report -------------------------------------------------------------------------------


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(executor: list[Measured], baseline: list[Measured]) -> None:
    ex = [m.wall_s for m in executor]
    base = [m.wall_s for m in baseline]
    # Runs are paired (back to back): their ratio cancels most of a busy machine's drift.
    paired = median([e / b for e, b in zip(ex, base, strict=True)])
    outside = [m.wall_s - sum(m.steps.values()) for m in executor]
    print(f"\n{'':10}{'median':>9}{'best':>9}")
    print(f"{'executor':10}{median(ex):8.2f}s{min(ex):8.2f}s")
    print(f"{'baseline':10}{median(base):8.2f}s{min(base):8.2f}s")
    print(f"ratio executor/baseline: median of the paired runs {paired:.3f}; of the medians "
          f"{median(ex) / median(base):.3f}; of the bests {min(ex) / min(base):.3f}")
    print(f"executor outside its steps (rendering, vault reads, events, set_timeout): median "
          f"{median(outside) * 1000:.0f} ms ({median(outside) / median(ex):.1%} of its wall time)")
    retries = sum(m.retries for m in executor)
    if retries:
        print(f"note: {retries} step retries in the executor runs (their time is included)")
    print("\nTargets:")
    print(f"  {'PASS' if paired <= RATIO_TARGET else 'MISS'}  executor within 5% of the baseline"
          f" (median paired ratio {paired:.3f}, target <= {RATIO_TARGET})")
    print(f"  {'PASS' if median(ex) < WALL_TARGET_S else 'MISS'}  whole procedure under "
          f"{WALL_TARGET_S:.0f} s (executor median {median(ex):.2f} s; baseline "
          f"{median(base):.2f} s)")

    titles = executor[0].titles
    print(f"\nPer step, median seconds over {len(executor)} runs (baseline: the same work "
          "written by hand; '-': no such part)")
    print(f"{'step':30}{'executor':>9}{'baseline':>9}{'diff':>8}  title")
    for key in titles:
        e = median([m.steps[key] for m in executor if key in m.steps])
        found = [m.steps[key] for m in baseline if key in m.steps]
        b = f"{median(found):9.2f}{e - median(found):+8.2f}" if found else f"{'-':>9}{'':8}"
        print(f"{key:30}{e:9.2f}{b}  {titles[key][:64]}")
    print(f"{'(outside steps)':30}{median(outside):9.2f}")
    print(f"{'total':30}{median(ex):9.2f}{median(base):9.2f}{median(ex) - median(base):+8.2f}")


def report_sites(executor: Measured, baseline: Measured) -> None:
    """Where the queries, expects and evaluates come from, step by step, with their time."""
    print("\nQueries, expects and evaluates by source line (count, time), per step:")
    for key in executor.titles:
        for who, measured in (("E", executor), ("B", baseline)):
            prof = measured.profile
            sites = prof.sites.get(key) if prof is not None else None
            if prof is not None and sites:
                ms = prof.site_ms[key]
                print(f"  {key} {who}: " + ", ".join(f"{site} x{n} {ms[site]:.0f}ms"
                                                   for site, n in sites.most_common()))


def report_profile(executor: Measured, baseline: Measured) -> None:
    print("\nPlaywright calls per step (count / ms), executor | baseline; nav = goto, reload "
          "and expect_navigation (its wait), load = wait_for_load_state, eval = evaluate")
    print("(settle's status check), ctx = set_default_timeout, grant_permissions; other = "
          "the step's time outside these calls. Requests the portal served: GET, POST, static.")
    header = "".join(f"{c:>14}" for c in CATEGORIES)
    print(f"{'step':28}{header}{'other':>9}{'GET/POST/static':>18}")
    keys = list(executor.titles)
    for key in keys:
        for who, m in (("E", executor), ("B", baseline)):
            prof = m.profile
            if prof is None or (who == "B" and key not in m.steps):
                continue
            cells = "".join(f"{prof.calls[key][c]:>6}/{prof.ms[key][c]:>6.0f}ms"
                            for c in CATEGORIES)
            other = m.steps[key] * 1000 - sum(prof.ms[key].values())  # Python, vault, GIL
            r = prof.requests[key]
            served = f"{r['GET']}/{r['POST']}/{r['static']}"
            print(f"{(key if who == 'E' else ''):26}{who:2}{cells}{other:7.0f}ms{served:>18}")
    for who, m in (("executor", executor), ("baseline", baseline)):
        prof = m.profile
        if prof is None:
            continue
        total = Counter[str]()
        for counts in prof.calls.values():
            total.update(counts)
        requests = Counter[str]()
        for counts in prof.requests.values():
            requests.update(counts)
        print(f"{who} total calls: " + ", ".join(f"{c} {total[c]}" for c in CATEGORIES)
              + f"; requests: GET {requests['GET']}, POST {requests['POST']}, static "
              f"{requests['static']}, api {requests['api']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed repetitions (default 5)")
    parser.add_argument("--warmup", type=int, default=1,
                        help="untimed runs of each first (Chromium and caches warm up)")
    parser.add_argument("--subscribers", choices=("cli", "none"), default="cli",
                        help="cli: StepLog + Journal, as `runbook run` has; none: only the timer")
    parser.add_argument("--profile", action="store_true",
                        help="one more run of each, counting Playwright calls and requests")
    parser.add_argument("--profile-sites", action="store_true",
                        help="with --profile: the source lines of the executor's queries")
    parser.add_argument("--log", action="store_true", help="StepLog to stderr, not /dev/null")
    parser.add_argument("--ui", choices=("current", "classic"), default="current",
                        help="the mock's Developer Portal: current (form based) or classic")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    with open(os.devnull, "w", encoding="utf-8") as devnull:
        configure_logging(stream=sys.stderr if args.log else devnull)
        launch = launch_options()  # finding Chromium is not timed
        print(f"DMSA benchmark: {DMSA.relative_to(ROOT)} through the executor (subscribers: "
              f"{args.subscribers}) vs benchmarks/plain_dmsa.py; {args.ui} Developer Portal")
        print(f"Chromium {launch['executable_path']}, headless; {os.cpu_count()} cores; "
              f"load average {load()}")
        try:
            for _ in range(args.warmup):
                run_executor(launch, args.subscribers, None, args.ui)
                run_baseline(launch, None, args.ui)
            executor: list[Measured] = []
            baseline: list[Measured] = []
            for run in range(1, args.runs + 1):
                before = load()
                first_executor = run % 2 == 1
                for which in ("executor", "baseline") if first_executor else ("baseline",
                                                                               "executor"):
                    if which == "executor":
                        executor.append(run_executor(launch, args.subscribers, None, args.ui))
                    else:
                        baseline.append(run_baseline(launch, None, args.ui))
                print(f"run {run}: executor {executor[-1].wall_s:6.2f} s   baseline "
                      f"{baseline[-1].wall_s:6.2f} s   ratio "
                      f"{executor[-1].wall_s / baseline[-1].wall_s:.3f}   "
                      f"({'executor' if first_executor else 'baseline'} first; load {before})")
            report(executor, baseline)
            if args.profile:
                with Profile().installed() as exec_profile:
                    profiled_executor = run_executor(launch, args.subscribers, exec_profile,
                                                     args.ui)
                with Profile().installed() as base_profile:
                    profiled_baseline = run_baseline(launch, base_profile, args.ui)
                report_profile(profiled_executor, profiled_baseline)
                if args.profile_sites:
                    report_sites(profiled_executor, profiled_baseline)
        except Exception as exc:  # a failed run measures nothing: say where, exit 1
            print(f"\nFAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        print(f"\nload average at the end: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
