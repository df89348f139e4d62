"""How fast the Directory Edit page of the 10,000-project company renders (issue 3: < 1 s).

Two users of "Mega Contractors" (10,000 active projects): the app's service account, which
belongs to no project (its "Does Not Belong To" list holds all 10,000), and a person who
belongs to all 10,000 ("Current Project Settings" holds them). For each, the median of
``--runs`` runs of:

- server: the view rendered in-process (Flask test client; no network);
- http: a GET over loopback HTTP to the running mock portal, body read;
- chromium: ``page.goto`` in headless Chromium until the ``load`` event (HTML, CSS, JS).

    python benchmarks/directory_render.py [--runs 7]

Exits 1 when any median reaches one second.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import statistics
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable

from playwright.sync_api import sync_playwright

from automation.execute.browser import launch_options
from automation.mock_portal.procore.apps import install_app
from automation.mock_portal.server import MockPortal
from automation.mock_portal.state import seed_promoted_app
from automation.testing.procore_login import log_in_by_hand

COMPANY_ID = 8091
LOGIN, PASSWORD = "admin@example.com", "Procore-Pass-2026!"  # the seed's test account
LIMIT_S = 1.0


def median_of(runs: int, measure: Callable[[], float]) -> float:
    measure()  # warm-up: templates compiled, connections open
    return statistics.median(measure() for _ in range(runs))


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs

    with MockPortal() as portal:
        state = portal.state
        with state.lock:
            company = state.companies[COMPANY_ID]
            _app, version, _secret = seed_promoted_app(state, "Procore DMSA App")
            installation = install_app(state, company, version.production_key or "")
            person = next(u for u in company.users.values() if u.login == LOGIN)
        users = {
            "service account (0 of 10,000 projects)": installation.service_account_id,
            "person (10,000 of 10,000 projects)": person.id,
        }
        paths = {
            label: f"/app/{COMPANY_ID}/company/directory/users/{uid}/edit"
            for label, uid in users.items()
        }

        # Procore's login (email, then password), then the web app takes the session.
        client = portal.app.test_client()
        client.post("/login/", data={"email": LOGIN})
        client.post("/login/password", data={"password": PASSWORD})
        client.get("/app/login")
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for step, form in (("/login/", {"email": LOGIN}),
                           ("/login/password", {"password": PASSWORD, "return_to": "/app/login"})):
            opener.open(portal.base_url + step, data=urllib.parse.urlencode(form).encode()).read()

        figures: dict[str, dict[str, float]] = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_options())
            page = browser.new_page()
            page.goto(portal.base_url + "/app/login")
            log_in_by_hand(page, LOGIN, PASSWORD)
            page.get_by_role("heading", name="Select a Company").wait_for()
            for label, path in paths.items():
                url = portal.base_url + path

                def server(path: str = path) -> float:
                    return timed(lambda: client.get(path).get_data())

                def over_http(url: str = url) -> float:
                    return timed(lambda: opener.open(url).read())

                def chromium(url: str = url) -> float:
                    return timed(lambda: page.goto(url, wait_until="load"))

                figures[label] = {
                    "server": median_of(runs, server),
                    "http": median_of(runs, over_http),
                    "chromium": median_of(runs, chromium),
                }
                size = len(client.get(path).get_data())
                figures[label]["kib"] = size / 1024
            browser.close()

    print(f"Directory Edit page, Mega Contractors (10,000 projects), median of {runs} runs")
    print(f"{'user':42} {'server':>9} {'http':>9} {'chromium':>9} {'html':>9}")
    worst = 0.0
    for label, figure in figures.items():
        worst = max(worst, figure["server"], figure["http"], figure["chromium"])
        print(
            f"{label:42} {figure['server'] * 1000:7.1f}ms {figure['http'] * 1000:7.1f}ms "
            f"{figure['chromium'] * 1000:7.1f}ms {figure['kib']:6.1f}KiB"
        )
    verdict = "under" if worst < LIMIT_S else "NOT under"
    print(f"slowest median {worst * 1000:.1f} ms: {verdict} {LIMIT_S:.0f} s")
    return 0 if worst < LIMIT_S else 1


if __name__ == "__main__":
    sys.exit(main())
