"""Runs the screens' visits in one browser, signed in as the runbooks sign in, and reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from automation.errors import StepError, VaultError
from automation.pages.base import Site
from automation.probe._browser import ProbeBrowser
from automation.probe._check import LocatorReport, check_locators
from automation.probe._screens import SCREENS, NotVisited, Screen
from automation.targets import Target
from automation.vault.base import Vault
from automation.vault.namespaced import scoped

__all__ = ["ProbeOptions", "Prober", "ScreenReport", "screen_names"]

_MAX_REASON = 300


@dataclass(frozen=True)
class ProbeOptions:
    """What the probe looks for and as whom (the DMSA runbook's defaults)."""

    app_name: str = "Procore DMSA App"
    company: str = "HingePoint"
    #: Vault paths of the logins, as the runbooks read them.
    developer_login: str = "procore/developer-portal"
    company_admin_login: str = "procore/company-admin"
    sync_login: str = "sync-tool/login"
    #: How long one action or look may wait (a renamed label costs at most this).
    timeout_s: float = 10.0
    headed: bool = False


@dataclass(frozen=True)
class ScreenReport:
    name: str
    title: str
    site: str
    visited: bool
    #: Why the screen was not visited (or what stopped the visit half way).
    reason: str | None = None
    #: The Developer Portal generation the screen showed (classic, current), if it says.
    generation: str | None = None
    locators: tuple[LocatorReport, ...] = field(default=())

    @property
    def problems(self) -> list[LocatorReport]:
        return [report for report in self.locators if not report.ok]

    @property
    def ok(self) -> bool:
        """Visited, and every locator found exactly once."""
        return self.visited and not self.problems

    def lines(self) -> list[str]:
        """The report as a person reads it: one line a screen, one more a problem."""
        shown = f" [{self.generation}]" if self.generation else ""
        if not self.visited:
            return [f"{self.name}{shown}: not visited: {self.reason}"]
        head = f"{self.name}{shown}: {len(self.locators)} locators, " + (
            "all found once" if not self.problems else f"{len(self.problems)} not right")
        lines = [head] + [f"  {report.describe()}" for report in self.problems]
        if self.reason:
            lines.append(f"  stopped early: {self.reason}")
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "title": self.title, "site": self.site,
            "visited": self.visited, "reason": self.reason, "generation": self.generation,
            "ok": self.ok,
            "locators": [
                {"name": r.name, "found": r.found, "count": r.count,
                 "missing": [{"roles": list(m.roles), "wanted": m.wanted,
                              "candidates": [{"role": c.role, "text": c.text, "score": c.score}
                                             for c in m.candidates]}
                             for m in r.missing]}
                for r in self.locators
            ],
        }


def screen_names(target: Target | None = None) -> list[str]:
    """Every screen the probe knows, in visiting order; with ``target``, those of the sites
    it has (the built-in ``sandbox`` target has no sync tool)."""
    return [s.name for s in SCREENS if target is None or s.site in target.sites]


class Prober:
    """One browser for the probe: ``with Prober(target, vault) as probe: probe.screen(name)``.

    Signs in to a site the first time a screen needs it (as the runbooks do, with the logins
    the vault holds) and again if the site asks; nothing else it does changes anything.
    """

    def __init__(self, target: Target, vault: Vault, options: ProbeOptions | None = None, *,
                 browser: Browser | None = None) -> None:
        """``browser``: one to open the probe's pages in (a test runner's); default: a
        Chromium launched here, found as ``runbook run`` finds it. The logins are read
        under the target's vault namespace, as a run reads them."""
        self.target = target
        self.vault = scoped(vault, target.vault_namespace)
        self.options = options or ProbeOptions()
        self.app_name = self.options.app_name
        self.company = self.options.company
        self._browser = ProbeBrowser(
            target, browser=browser, headed=self.options.headed,
            timeout_s=self.options.timeout_s, is_sign_in_page=_sign_in_checks(),
            sign_in={"developer_portal": self._developer_sign_in,
                     "procore": self._procore_sign_in, "sync_tool": self._sync_sign_in})
        self._signed_in: set[str] = set()
        self._generation: str | None = None

    def __enter__(self) -> Prober:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._browser.close()

    # -- what a visit uses (automation.probe._screens.Visit) -----------------------------------

    def site(self, name: str) -> Site:
        if name not in self.target.sites:
            raise NotVisited(f"the target {self.target.name!r} has no {name} site")
        site = self._browser.site(name)
        if name not in self._signed_in and site.sign_in is not None:
            site.sign_in(site)
            self._signed_in.add(name)
        return site

    def note_generation(self, generation: str) -> None:
        self._generation = generation

    # -- probing ----------------------------------------------------------------------------

    def screen(self, name: str) -> ScreenReport:
        """Visits one screen (``developer_portal.my_apps``...) and counts its locators."""
        screen = next((s for s in SCREENS if s.name == name), None)
        if screen is None:
            raise ValueError(f"no screen {name!r}; known: {', '.join(screen_names())}")
        return self._probe(screen)

    def screens(self, names: list[str] | None = None) -> list[ScreenReport]:
        """The screens named, else every screen of the sites the target has (the built-in
        ``sandbox`` target has no sync tool)."""
        return [self.screen(name) for name in (names or screen_names(self.target))]

    def _probe(self, screen: Screen) -> ScreenReport:
        self._generation = None
        found: list[LocatorReport] = []
        looked = False
        reason: str | None = None
        try:
            for locators in screen.visit(self):
                page = self._browser.site(screen.site).page
                found += check_locators(page, locators)
                looked = True
        except NotVisited as refused:
            reason = str(refused)
        except (PlaywrightError, AssertionError, StepError, VaultError) as failed:
            reason = _first_line(failed)
        finally:
            self._leave(screen)
        return ScreenReport(screen.name, screen.title, screen.site, looked, reason,
                            self._generation, tuple(found))

    def _leave(self, screen: Screen) -> None:
        """Loads the screen's page again: a dialog it opened closes without being submitted."""
        site = self._browser.sites.get(screen.site)
        if site is not None and site.page.url.startswith("http"):
            site.load(site.page.url)

    # -- signing in, as the runbooks' sign-in steps do ------------------------------------------

    def _developer_sign_in(self, site: Site) -> None:
        from automation.pages.developer_portal import SignInPage
        from automation.pages.procore_login import totp_codes

        login = self.vault.get(self.options.developer_login)
        SignInPage(site).sign_in(login["email"].reveal(), login["password"],
                                 totp_codes(login.get("totp_seed")))

    def _procore_sign_in(self, site: Site) -> None:
        from automation.pages.procore import ProcoreSignIn

        login = self.vault.get(self.options.company_admin_login)
        ProcoreSignIn(site).sign_in(login["login"].reveal(), login["password"],
                                    company=self.company)

    def _sync_sign_in(self, site: Site) -> None:
        from automation.pages.sync_tool.sign_in import SyncSignIn

        login = self.vault.get(self.options.sync_login)
        SyncSignIn(site).sign_in(login["login"].reveal(), login["password"])


def _sign_in_checks() -> dict[str, Callable[[Page], bool]]:
    """How each site's page says it wants a sign-in (then the site signs in again)."""
    from automation.pages.developer_portal import SignInPage
    from automation.pages.procore import ProcoreSignIn
    from automation.pages.sync_tool.sign_in import SyncSignIn

    return {"developer_portal": SignInPage.is_sign_in_page,
            "procore": ProcoreSignIn.is_sign_in_page, "sync_tool": SyncSignIn.is_sign_in_page}


def _first_line(error: BaseException) -> str:
    text = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return text[:_MAX_REASON]
