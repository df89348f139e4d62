"""What every page object stands on: a site of the target, driven through one ``Page``.

Page objects wrap a :class:`Site`, build their locators from what a person sees (role,
accessible name, label text) and expose user intents that end in a known state. They know
nothing of YAML, runbooks or vaults: secrets arrive as :class:`~automation.secret.Secret` and
are revealed only inside the Playwright call that types them.

Page objects never repeat an intent: how often anything is tried again is decided by
:mod:`automation.retry`. A passing 5xx on a GET is loaded again (twice at most, at once);
what still fails raises a typed :class:`~automation.errors.StepError` (``ServerError``,
``SessionExpired``, a site's ``PortalRefused``) for the executor to decide on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

from automation.errors import ServerError, SessionExpired
from automation.retry import RELOADS_OF_A_SERVER_ERROR

__all__ = ["SessionExpired", "Site"]


class Site:
    """One site (Developer Portal, company web app, sync tool) in one browser page.

    ``sign_in`` is called when a navigation lands on the sign-in page instead of where it
    was going (a new browser after ``--resume``, or an expired session): the page objects then
    carry on where they meant to be.
    """

    def __init__(
        self,
        page: Page,
        base_url: str,
        *,
        sign_in: Callable[[Site], None] | None = None,
        is_sign_in_page: Callable[[Page], bool] | None = None,
    ) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.sign_in = sign_in
        self._is_sign_in_page = is_sign_in_page
        #: What page objects learned about this site and may reuse (a company's home path).
        self.memo: dict[str, Any] = {}
        #: Called when an intent failed, before recovery navigates away (the executor sets it
        #: to take a picture of the screen that failed).
        self.before_recovery: Callable[[Site], None] | None = None

    def url(self, path: str = "") -> str:
        return self.base_url + ("/" + path.lstrip("/") if path else "")

    def on_sign_in_page(self) -> bool:
        return bool(self._is_sign_in_page and self._is_sign_in_page(self.page))

    def goto(self, path: str = "") -> None:
        """Opens ``path``; signs in first (once) if the site asks for it.

        A passing server error (5xx) on this GET is loaded again (see :meth:`load`).
        """
        url = self.url(path)
        self.load(url)
        # A site asks to sign in by redirecting: no redirect, no need to look.
        if self.page.url.split("#")[0] != url and self.on_sign_in_page():
            if self.sign_in is None:
                raise SessionExpired(f"{url} asks to sign in and no sign-in is known")
            self.sign_in(self)
            self.load(url)

    def load(self, url: str) -> None:
        """Opens ``url`` as it is (no sign-in check).

        A passing 5xx is loaded again ``RELOADS_OF_A_SERVER_ERROR`` (2) times at most; one
        that stays raises :class:`ServerError` at once rather than let the next wait run out.
        """
        status = 0
        for _load in range(1 + RELOADS_OF_A_SERVER_ERROR):
            response = self.page.goto(url)
            status = response.status if response is not None else 0
            if status < 500:
                return
        raise ServerError(f"{url} answered {status} (a server error), also when loaded again",
                          url=url)
