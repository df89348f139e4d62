"""The company Directory: find a user (or an app's service account) and open its Edit page."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from automation.errors import StepError
from automation.pages.procore.company_picker import OpenCompany
from automation.pages.recovery import follow

__all__ = ["Directory"]


class Directory:
    def __init__(self, company: OpenCompany) -> None:
        self.company = company
        self.page = company.site.page
        self.users = self.page.get_by_role("table", name="Users")
        self.search = self.page.get_by_role("searchbox", name="Search users")

    def open(self) -> None:
        self.company.open_tool("Directory")  # waits for the Directory's load

    def _find(self, text: str) -> Locator:
        """The rows matching ``text`` after a Search (it loads the page of results)."""
        self.open()
        self.search.fill(text)
        follow(self.page, self.page.get_by_role("button", name="Search", exact=True))
        return self.users.get_by_role("row").filter(has_text=text)

    def service_account_of(self, app_name: str) -> str:
        """The Directory name of the app's service account: "<app name> (<suffix>)"."""
        rows = self._find(app_name)
        pattern = re.compile(rf"^{re.escape(app_name)} \([^)]+\)")
        for text in rows.all_inner_texts():
            found = pattern.match(text.strip())
            if found:
                return found.group(0)
        raise StepError(f"no service account of {app_name!r} in the Directory", url=self.page.url)

    def edit(self, user: str) -> None:
        """Opens the user's Edit page (its Project Settings)."""
        rows = self._find(user)
        # The name cell may carry a badge ("App" for service accounts): match its start.
        row = rows.filter(has_text=re.compile(rf"^\s*{re.escape(user)}(\s|$)")).first
        follow(self.page, row.get_by_role("link", name=re.compile(r"^Edit")))
        expect(self.page.get_by_role("heading", name=f"Edit {user}")).to_be_visible()
