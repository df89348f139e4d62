"""An installed app's View > Permissions tab: Permitted Projects (Select Projects, Add, Delete)."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from automation.pages.procore.add_permitted_projects_dialog import Projects, ProjectSelect
from automation.pages.procore.app_management import AppManagement
from automation.pages.procore.company_picker import OpenCompany
from automation.pages.recovery import follow
from automation.pages.visible import action, holding, tab
from automation.progress import Progress, no_progress

__all__ = ["AppPermissions"]


class AppPermissions:
    def __init__(self, company: OpenCompany, *, progress: Progress = no_progress) -> None:
        self.company = company
        self.page = company.site.page
        page = self.page
        # The block under the "Permitted Projects" heading that holds the Select Projects
        # drop-down (procore-portal.md, web app 4).
        self.section = holding(
            page,
            page.get_by_role("heading", name="Permitted Projects", exact=True),
            page.get_by_role("combobox"),
        )
        self.select = ProjectSelect(self.section, progress=progress)
        self.add_button = action(self.section, "Add")
        # "1,234 permitted projects" above the list *(inferred)*.
        self.count = self.section.get_by_text(re.compile(r"^\s*[\d,]+ permitted projects"))
        self.table = self.section.get_by_role("table")
        self.permissions_tab = tab(page, "Permissions")

    def locators(self) -> dict[str, Locator]:
        """What the intents find on View > Permissions, by name (for the drift probe)."""
        return {"Permissions tab": self.permissions_tab, "Permitted Projects": self.section,
                "Select Projects": self.select.combobox, "Add": self.add_button,
                "permitted count": self.count, "projects table": self.table}

    def open(self, app_name: str) -> None:
        AppManagement(self.company).view(app_name)
        follow(self.page, self.permissions_tab)
        expect(self.section).to_be_visible()

    def permitted_count(self) -> int:
        return self._shown_count()  # (the read waits for the count to be there)

    def _shown_count(self) -> int:
        return int(re.sub(r"\D", "", self.count.inner_text().split(" ")[0]) or 0)

    def permit_projects(self, app_name: str, projects: Projects) -> int:
        """Adds the projects not yet permitted (all, or by name); returns the permitted total."""
        self.open(app_name)
        before = self.permitted_count()
        if self.select.choose(projects) == 0:
            return before
        follow(self.page, self.add_button)  # the page reloads with the new rows
        expect(self.count).not_to_have_text(re.compile(rf"^{before:,} permitted"))
        return self._shown_count()  # not_to_have_text waited for the new count

    def delete(self, app_name: str, project: str) -> None:
        self.open(app_name)
        row = self.table.get_by_role("row").filter(has=self.page.get_by_text(project, exact=True))
        if row.count() == 0:
            return
        action(row, "Delete").click()
        expect(row).to_have_count(0)

    def projects_to_permit(self, app_name: str, projects: Projects) -> tuple[int, int]:
        """(permitted now, how many Select Projects would add): opens the list, adds none."""
        self.open(app_name)
        return self.permitted_count(), self.select.offered(projects)
