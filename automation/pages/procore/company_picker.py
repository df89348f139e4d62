"""The company picker, and the open company whose Company Tools menu leads to every tool."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import expect

from automation.pages.base import Site
from automation.pages.recovery import follow

__all__ = ["CompanyPicker", "OpenCompany"]


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
        page.get_by_role("button", name="Company Tools").click()
        follow(
            page,
            page.get_by_role("menu", name="Company Tools").get_by_role(
                "menuitem", name=tool, exact=True
            ),
        )


class CompanyPicker:
    def __init__(self, site: Site) -> None:
        self.site = site

    def open_company(self, name: str) -> OpenCompany:
        """Picks the company (ends on its home page), or reuses the home found before."""
        known = self.site.memo.get(f"company-home:{name}")
        if known is not None:
            return OpenCompany(self.site, name, known)
        page = self.site.page
        link = page.get_by_role("link", name=name, exact=True)
        if not link.is_visible():  # not on the picker (where signing in ends)
            self.site.goto("")
        follow(page, link)
        expect(page.get_by_role("banner")).to_contain_text(name)
        path = page.url.removeprefix(self.site.base_url)
        self.site.memo[f"company-home:{name}"] = path
        return OpenCompany(self.site, name, path)
