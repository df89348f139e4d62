"""The company picker, and the open company whose Company Tools menu leads to every tool."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

from automation.pages.base import Site
from automation.pages.recovery import follow
from automation.pages.visible import action, holding

__all__ = ["CompanyPicker", "OpenCompany"]


def company_tools(page: Page) -> Locator:
    """The top bar's "Company Tools ▾" button (the caret is part of its words)."""
    return action(page, re.compile(r"^\s*Company Tools"))


@dataclass
class OpenCompany:
    """A company chosen in the picker: its name and its home, to come back to."""

    site: Site
    name: str
    home_path: str

    @property
    def prefix(self) -> str:
        """The address every page of this company starts with (``/8089/``)."""
        return "/" + self.home_path.strip("/").split("/")[0] + "/"

    def open_tool(self, tool: str) -> None:
        """Company Tools > ``tool`` (Admin, Directory, New Project...)."""
        page = self.site.page
        # Every page of the company has the Company Tools menu: go home only from elsewhere.
        if not page.url.startswith(self.site.url(self.prefix)):
            self.site.goto(self.home_path)
        tools = company_tools(page)
        tools.click()
        # The entry in the menu under the button: the admin pages' side menu has a Directory
        # link too, so look in the smallest block holding both.
        menu = holding(page, tools, action(page, tool))
        follow(page, action(menu, tool))


class CompanyPicker:
    def __init__(self, site: Site) -> None:
        self.site = site

    def open_company(self, name: str) -> OpenCompany:
        """Picks the company (ends on its home page), or reuses the home found before."""
        known = self.site.memo.get(f"company-home:{name}")
        if known is not None:
            return OpenCompany(self.site, name, known)
        page = self.site.page
        link = action(page, name)
        if not link.is_visible():  # not on the picker (where signing in ends)
            self.site.goto("")
        follow(page, link)
        # The top bar shows the company's name beside the Company Tools button.
        tools = company_tools(page)
        expect(holding(page, tools, page.get_by_text(name, exact=True))).to_be_visible()
        path = page.url.removeprefix(self.site.base_url)
        self.site.memo[f"company-home:{name}"] = path
        return OpenCompany(self.site, name, path)
