"""A Directory user's Edit > Project Settings: new-project checkbox, Add per row and Add All.

Add All exists only below 2,000 active projects (absent above, or disabled, depending on the
portal). Then this page object adds the projects another way, measured on this machine (see
``docs/mock-portal-company.md``): Procore's REST "add user to project" call with the
signed-in session, many at a time from inside the page, which is about two orders of magnitude
faster than pressing Add on every row. Pressing Add per row stays as the fallback when the
session may not use the REST API.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Literal

from playwright.sync_api import Locator, expect

from automation.errors import StepError
from automation.pages.procore.company_picker import OpenCompany
from automation.pages.procore.directory import Directory
from automation.pages.recovery import follow
from automation.pages.visible import action, holding
from automation.progress import Progress, no_progress

__all__ = ["AddToProjectsResult", "ProjectSettings", "Way"]

Way = Literal["none", "add_all", "rest", "row_add"]

_BULK_ADD_JS = """
async ({ids, userId, companyId, concurrency}) => {
  let next = 0, added = 0;
  const failures = [];
  async function worker() {
    while (next < ids.length) {
      const pid = ids[next++];
      for (let attempt = 1; ; attempt++) {
        const response = await fetch(`/rest/v1.0/projects/${pid}/users/${userId}/actions/add`, {
          method: "POST", credentials: "same-origin",
          headers: {"Accept": "application/json", "Procore-Company-Id": String(companyId)},
        });
        if (response.ok) { added++; break; }
        const transient = response.status === 429 || response.status >= 500;
        if (!transient || attempt >= 5) { failures.push([pid, response.status]); break; }
        const wait = Math.min(Number(response.headers.get("Retry-After") || attempt), 30);
        await new Promise((done) => setTimeout(done, wait * 1000));
      }
    }
  }
  await Promise.all(Array.from({length: concurrency}, worker));
  return {added, failures};
}
"""

_COLLECT_IDS_JS = """
async ({heading, startUrl}) => {
  // The table under the heading a person reads ("Projects <user> Does Not Belong To"): the
  // first block around the heading that holds a table; its Next link leads to the next page.
  const norm = (text) => text.replace(/\\s+/g, " ").trim();
  const ids = [];
  let url = startUrl;
  for (let pages = 0; url && pages < 1000; pages++) {
    const response = await fetch(url, {credentials: "same-origin"});
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const title = [...doc.querySelectorAll("h1, h2, h3, h4")]
      .find((h) => norm(h.textContent) === heading);
    let block = title;
    while (block && !block.querySelector("table")) block = block.parentElement;
    const table = block && block.querySelector("table");
    if (!table) break;
    for (const link of table.querySelectorAll("a[href]")) {
      const found = link.getAttribute("href").match(/\\/(\\d+)\\/project\\//);
      if (found) ids.push(Number(found[1]));
    }
    const next = [...block.querySelectorAll("a")].find((a) => norm(a.textContent) === "Next");
    url = next ? new URL(next.getAttribute("href"), url).href : null;
  }
  return ids;
}
"""


@dataclass(frozen=True)
class AddToProjectsResult:
    """How the user was added to every existing project, and how many it took."""

    way: Way
    added: int
    total_projects: int
    seconds: float

    def describe(self) -> str:
        how = {
            "none": "nothing to add",
            "add_all": "Add All",
            "rest": "REST API with the signed-in session (Add All unavailable)",
            "row_add": "Add on each row (Add All unavailable)",
        }[self.way]
        return f"{self.added} projects added by {how} in {self.seconds:.1f} s"


#: Project ids sent to the REST API per round trip: each round trip reports progress, and a
#: few dozen of them cost nothing next to 2,500 POSTs.
_REST_BATCH = 250
_ADDING = "adding projects"


class ProjectSettings:
    def __init__(self, company: OpenCompany, user: str, *,
                 progress: Progress = no_progress) -> None:
        self.company, self.user = company, user
        self.report_progress = progress
        page = self.page = company.site.page
        self.new_projects_checkbox = page.get_by_role(
            "checkbox", name=f"Add {user} to all new projects in {company.name}", exact=True
        )
        self.save = action(page, "Save")
        self.absent_heading = f"Projects {user} Does Not Belong To"
        # Each list: the block holding its heading and its table (procore-portal.md, web app 6).
        self.absent = holding(
            page,
            page.get_by_role("heading", name=self.absent_heading, exact=True),
            page.get_by_role("table"),
        )
        self.current = holding(
            page,
            page.get_by_role("heading", name="Current Project Settings", exact=True),
            page.get_by_role("table"),
        )
        self.absent_table = self.absent.get_by_role("table")
        self.absent_count = self.absent.get_by_text(re.compile(r"^\s*[\d,]+ projects"))
        self.add_all = action(self.absent, "Add All")
        # Add All's progress: a bar with Cancel, then Retry (stalled) or OK (done) *(the bar is
        # inferred; the reference names Cancel, "Complete" and OK)*.
        self.progress = page.get_by_role("progressbar")
        self.ok = action(page, "OK")
        self.retry = action(page, "Retry")
        # Set when this object pressed Save for "all new projects": an attempt cut short after
        # the save (a lost session on the way back) is repeated, and then finds it ticked.
        self._saved_new_projects = False

    def open(self) -> None:
        """The user's Edit page: kept when shown (every change here ends by loading it
        again, so what it shows is current), else through the Directory."""
        heading = self.page.get_by_role("heading", name=f"Edit {self.user}", exact=True)
        if self.page.url.startswith(self.company.site.url(self.company.prefix)) and (
            heading.is_visible()
        ):
            return
        Directory(self.company).edit(self.user)

    def missing(self) -> int:
        """How many active projects the user does not belong to (all pages)."""
        expect(self.absent_count).to_be_visible()
        return int(re.sub(r"\D", "", self.absent_count.inner_text().split(" ")[0]) or 0)

    def joins_new_projects(self) -> bool:
        """Whether "Add [user] to all new projects in [company]" is ticked (looks only)."""
        self.open()
        return self.new_projects_checkbox.is_checked()

    def projects_to_join(self) -> tuple[int, int, bool]:
        """(projects the user misses, active projects, Add All offered): looks only."""
        self.open()
        missing = self.missing()
        offered = self.progress.is_visible() or bool(
            self.add_all.count() and self.add_all.is_enabled())
        return missing, self._total(missing), offered

    def add_to_all_new_projects(self) -> bool:
        """Ticks "Add [user] to all new projects in [company]" and saves; False if already set."""
        self.open()
        if self.new_projects_checkbox.is_checked():
            return self._saved_new_projects
        self.new_projects_checkbox.check()
        self._saved_new_projects = True
        follow(self.page, self.save)  # the page loads again, showing what was saved
        expect(self.new_projects_checkbox).to_be_checked()
        return True

    def add_to_all_existing_projects(
        self, *, way: Literal["auto", "rest", "row_add"] = "auto", concurrency: int = 16
    ) -> AddToProjectsResult:
        """Adds the user to every project they miss, by Add All when it is offered."""
        started = time.perf_counter()
        self.open()
        missing = self.missing()
        if missing == 0:
            return AddToProjectsResult("none", 0, self._total(0), time.perf_counter() - started)
        job_shown = self.progress.is_visible()
        if way == "auto" and (job_shown or (self.add_all.count() and self.add_all.is_enabled())):
            chosen: Way = "add_all"
            self._add_all(missing)
        elif way == "row_add":
            chosen = "row_add"
            self._row_add(total=missing)
        else:
            chosen = "rest"
            if not self._rest_add(concurrency):
                chosen = "row_add"
                self._row_add(total=missing)
        follow(self.page, self.save)
        self.open()
        left = self.missing()
        if left:
            raise StepError(f"{left} projects still miss {self.user}", url=self.page.url)
        return AddToProjectsResult(chosen, missing, self._total(0), time.perf_counter() - started)

    def _total(self, missing: int) -> int:
        """Active projects: those the user belongs to plus the ``missing`` ones."""
        text = self.current.get_by_text(re.compile(r"^\s*[\d,]+ projects")).inner_text()
        return int(re.sub(r"\D", "", text.split(" ")[0]) or 0) + missing

    def _add_all(self, missing: int) -> None:
        if not self.progress.is_visible():  # else a job started before (a retried intent) runs
            self.add_all.click()
        ok, retry = self.ok, self.retry
        timeout_ms = 30_000 + missing * 50
        for _attempt in range(5):  # a stalled job is retried; Procore's stalls are rare
            self._watch_add_all(ok.or_(retry).first, timeout_ms)
            if retry.is_visible():
                retry.click()
                continue
            follow(self.page, ok)  # OK reloads the page with the final tables
            return
        raise StepError("Add All kept stalling", url=self.page.url)

    def _watch_add_all(self, ended: Locator, timeout_ms: float) -> None:
        """Waits for the job to end (``ended`` visible), reporting its bar's count meanwhile."""
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            left_ms = max(1.0, (deadline - time.monotonic()) * 1000)
            try:  # a glance at the bar every second; the last wait takes what is left
                expect(ended).to_be_visible(timeout=min(1000, left_ms))
                return
            except AssertionError:
                if left_ms <= 1000:
                    raise
            if self.progress.count() != 1:
                continue  # no bar to read (yet): only the wait goes on
            shown = self.progress.evaluate("bar => [bar.value, bar.max]")
            if shown and shown[1]:
                self.report_progress(int(shown[0]), int(shown[1]), _ADDING)

    def _missing_project_ids(self) -> list[int]:
        """Project ids from the links of every page of the "Does Not Belong To" table.

        The pages are read with the session's fetch and parsed, not rendered: the same links
        a person would follow, at a tenth of the cost of clicking Next 25 times.
        """
        ids: list[int] = self.page.evaluate(
            _COLLECT_IDS_JS,
            {"heading": self.absent_heading, "startUrl": self.page.url},
        )
        return ids

    def _rest_add(self, concurrency: int) -> bool:
        """Adds through the REST API from inside the page; False when the session may not."""
        found = re.search(r"/(\d+)/company/directory/users/(\d+)/", self.page.url)
        if not found:
            raise StepError("cannot read the company and user ids from the URL", url=self.page.url)
        company_id, user_id = int(found.group(1)), int(found.group(2))
        ids = self._missing_project_ids()
        added, failures = 0, []
        for start in range(0, len(ids), _REST_BATCH):
            self.report_progress(added, len(ids), _ADDING)
            result = self.page.evaluate(_BULK_ADD_JS, {
                "ids": ids[start:start + _REST_BATCH], "userId": user_id,
                "companyId": company_id, "concurrency": concurrency})
            added += result["added"]
            failures += result["failures"]
            if failures and added == 0 and {s for _p, s in failures} <= {401, 403}:
                return False  # the session may not use the REST API: refused from the first
        self.report_progress(added, len(ids), _ADDING)
        if failures:
            raise StepError(
                f"the REST API refused {len(failures)} of {len(ids)} adds "
                f"(statuses {sorted({s for _p, s in failures})})",
                url=self.page.url,
            )
        return True

    def _row_add(self, limit: int | None = None, *, total: int = 0) -> int:
        """Presses Add on each row, page after page; returns how many were added (of
        ``total``, the count shown before, for the progress report)."""
        added = 0
        buttons = action(self.absent_table, "Add")
        while limit is None or added < limit:
            if buttons.count() == 0:
                self.page.reload()
                if buttons.count() == 0:
                    return added
            row = self.absent_table.get_by_role("row").filter(has=action(self.page, "Add")).first
            name = row.get_by_role("link").inner_text()
            action(row, "Add").click()
            expect(
                self.absent_table.get_by_role("row").filter(
                    has=self.page.get_by_role("link", name=name, exact=True)
                )
            ).to_have_count(0)
            added += 1
            self.report_progress(added, max(total, added), _ADDING)
        return added
