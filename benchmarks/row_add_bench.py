"""What adding a project row by row costs (the way below Procore's Add All), to compare with
the REST way the page objects take above 2,000 projects.

On "Large Builders" (2,500 projects): installs a promoted app, then presses Add on ``--rows``
rows of the service account's "Does Not Belong To" list and reports the time per row and
what 2,500 rows would take (tests/pages/test_procore_pages.py checks that the rows are added):

    python benchmarks/row_add_bench.py [--rows 20]
"""

from __future__ import annotations

import argparse
import sys
import time

from playwright.sync_api import sync_playwright

from automation.execute.browser import launch_options
from automation.mock_portal.server import MockPortal
from automation.mock_portal.state import seed_promoted_app
from automation.pages.procore import CompanyAdmin, ProcoreSignIn, ProjectSettings
from automation.secret import Secret

ADMIN = "admin@example.com"
PASSWORD = Secret("Procore-Pass-2026!", source="seed")  # the seed's test account
COMPANY, PROJECTS = "Large Builders", 2500


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20)
    rows = parser.parse_args().rows
    with MockPortal() as portal, sync_playwright() as playwright:
        with portal.state.lock:
            _app, version, _secret = seed_promoted_app(portal.state, "Row Add App")
        browser = playwright.chromium.launch(**launch_options())
        page = browser.new_page()
        site = ProcoreSignIn.site_for(page, portal.target().url("procore"), ADMIN, PASSWORD)
        company_admin = CompanyAdmin(site)
        company_admin.sign_in(ADMIN, PASSWORD)
        company_admin.open_company(COMPANY)
        account = company_admin.install_custom_app(version.production_key or "").service_account
        settings = ProjectSettings(company_admin.company, account)
        settings.open()
        started = time.perf_counter()
        added = settings._row_add(limit=rows)
        per_row = (time.perf_counter() - started) / max(added, 1)
        browser.close()
    print(f"row Add: {added} rows, {per_row * 1000:.0f} ms a project, "
          f"{per_row * PROJECTS:.0f} s for {PROJECTS:,}")
    return 0 if added == rows else 1


if __name__ == "__main__":
    sys.exit(main())
