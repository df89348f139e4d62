"""The Select Projects multi-select and the "Add Permitted Projects" dialog after an install."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from playwright.sync_api import Locator, Page, expect

from automation.pages.recovery import follow
from automation.pages.visible import action, holding
from automation.progress import Progress, no_progress

__all__ = ["ALL", "AddPermittedProjectsDialog", "AppSetupDialog", "ProjectSelect"]

ALL: Literal["all"] = "all"
Projects = Sequence[str] | Literal["all"]


class ProjectSelect:
    """The "Select Projects" drop-down inside ``scope`` (the one drop-down of its dialog or
    section; its placeholder reads "Select Projects" until a project is chosen): searchable,
    with Select All."""

    def __init__(self, scope: Locator, *, progress: Progress = no_progress) -> None:
        self.progress = progress
        self.combobox = scope.get_by_role("combobox")
        self.listbox = scope.get_by_role("listbox")

    def choose(self, projects: Projects) -> int:
        """Selects the projects not yet permitted; returns how many were offered and chosen."""
        if projects == ALL:
            if self.combobox.input_value():  # a search left in the box would filter the list
                self.combobox.fill("")
            self.combobox.click()
            select_all = self.listbox.get_by_role("option", name=re.compile(r"^Select All"))
            expect(select_all.or_(self.listbox.get_by_text("No projects found"))).to_be_visible()
            if not select_all.is_visible():
                return 0
            # (Two small reads: all_inner_texts() here measured slower than both together.)
            count = int(re.sub(r"\D", "", select_all.inner_text()) or 0)
            select_all.click()
            return count
        chosen = 0
        for looked_at, name in enumerate(projects):
            self.progress(looked_at, len(projects), "choosing projects")
            self.combobox.fill(name)
            option = self.listbox.get_by_role("option", name=name, exact=True)
            nothing = self.listbox.get_by_text("No projects found")
            expect(option.or_(nothing).first).to_be_visible()
            if option.is_visible() and option.get_attribute("aria-selected") != "true":
                option.click()
                chosen += 1
        self.combobox.press("Escape")
        return chosen


    def offered(self, projects: Projects) -> int:
        """How many of ``projects`` :meth:`choose` would select, choosing none (check mode):
        the list is opened, read and closed."""
        if self.combobox.input_value():
            self.combobox.fill("")
        self.combobox.click()
        if projects == ALL:
            select_all = self.listbox.get_by_role("option", name=re.compile(r"^Select All"))
            expect(select_all.or_(self.listbox.get_by_text("No projects found"))).to_be_visible()
            offered = (int(re.sub(r"\D", "", select_all.inner_text()) or 0)
                       if select_all.is_visible() else 0)
        else:
            offered = 0
            for name in projects:
                self.combobox.fill(name)
                option = self.listbox.get_by_role("option", name=name, exact=True)
                nothing = self.listbox.get_by_text("No projects found")
                expect(option.or_(nothing).first).to_be_visible()
                if option.is_visible() and option.get_attribute("aria-selected") != "true":
                    offered += 1
            self.combobox.fill("")
        self.combobox.press("Escape")
        return offered


class AppSetupDialog:
    """The optional setup step after Install: only Skip is needed."""

    def __init__(self, page: Page) -> None:
        self.dialog = holding(
            page, page.get_by_role("heading", name="App Setup", exact=True), action(page, "Skip")
        )

    def skip(self) -> None:
        action(self.dialog, "Skip").click()
        expect(self.dialog).to_be_hidden()


class AddPermittedProjectsDialog:
    def __init__(self, page: Page) -> None:
        self.page = page
        # dmsa-add-permitted-projects-modal.png: heading, the drop-down, Skip / Add.
        self.dialog = holding(
            page,
            page.get_by_role("heading", name="Add Permitted Projects", exact=True),
            action(page, "Add"),
        )
        self.select = ProjectSelect(self.dialog)
        self.add_button = action(self.dialog, "Add")
        self.skip_button = action(self.dialog, "Skip")

    def wait(self) -> None:
        expect(self.dialog).to_be_visible()

    def add(self, projects: Projects) -> int:
        """Permits the projects (or Skip when there is nothing to add); ends on the app list."""
        chosen = self.select.choose(projects)
        if chosen == 0:
            self.skip()
            return 0
        follow(self.page, self.add_button)  # both end on the app list
        return chosen

    def skip(self) -> None:
        follow(self.page, self.skip_button)
