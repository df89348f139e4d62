"""The company Directory: find a user (or an app's service account) and open its Edit page."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from automation.errors import StepError
from automation.pages.procore.company_picker import OpenCompany
from automation.pages.recovery import follow
from automation.pages.visible import action, column_values

__all__ = ["Directory"]


class Directory:
    def __init__(self, company: OpenCompany) -> None:
        self.company = company
        page = self.page = company.site.page
        # The list of users under the Users tab, read by its "Name" column *(inferred: the
        # reference shows no Directory list)*.
        self.users = page.get_by_role("table")
        # The Directory's one search box (its placeholder reads "Search users") and the Search
        # button beside it *(inferred)*.
        self.search = page.get_by_role("searchbox")

    def open(self) -> None:
        self.company.open_tool("Directory")  # waits for the Directory's load

    def _find(self, text: str) -> None:
        """Searches for ``text`` (the Search button loads the page of results)."""
        self.open()
        self.search.fill(text)
        follow(self.page, action(self.page, "Search"))

    def service_account_of(self, app_name: str) -> str:
        """The Directory name of the app's service account: "<app name> (<suffix>)"."""
        self._find(app_name)
        pattern = re.compile(rf"^{re.escape(app_name)} \([^)]+\)")
        for (name,) in column_values(self.users, "Name"):
            found = pattern.match(name)
            if found:
                return found.group(0)
        raise StepError(f"no service account of {app_name!r} in the Directory", url=self.page.url)

    def row(self, user: str) -> Locator:
        """The row whose name cell reads ``user`` (a service account's cell adds an "App"
        badge: match its start)."""
        name = self.page.get_by_role("cell", name=re.compile(rf"^\s*{re.escape(user)}(\s|$)"))
        return self.users.get_by_role("row").filter(has=name).first

    def edit(self, user: str) -> None:
        """Opens the user's Edit page (its Project Settings)."""
        self._find(user)
        follow(self.page, action(self.row(user), "Edit"))
        expect(self.page.get_by_role("heading", name=f"Edit {user}", exact=True)).to_be_visible()
