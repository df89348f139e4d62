"""The sync tool's Procore client: real HTTP to this portal's own OAuth and REST endpoints.

The sync tool is a separate product that talks to Procore over HTTP, so the mock does the
same: it posts to ``/oauth/token`` of the origin it is served from (``request.host_url``) and
reads ``/rest``, going through exactly the code path a runbook's verification step uses.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ProcoreError", "ProcoreHttp", "TokenStore"]

#: The hosts a real sync tool would use per environment (reference: OAuth and REST table).
#: The mock serves all three from its own origin.
ENVIRONMENTS = {
    "Production": ("login.procore.com", "api.procore.com"),
    "Sandbox": ("login-sandbox.procore.com", "sandbox.procore.com"),
    "Monthly Sandbox": ("login-sandbox-monthly.procore.com", "api-monthly.procore.com"),
}


class ProcoreError(Exception):
    """What Procore answered, as a person would read it (never containing a credential)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after_s = 1.0


@dataclass
class ProcoreHttp:
    base_url: str
    timeout_s: float = 15.0

    def _open(self, request: urllib.request.Request) -> tuple[Any, dict[str, str]]:
        """One call; a GET that meets a 5xx or a 429 is tried again (3 attempts in all)."""
        for attempt in range(1, 4):
            try:
                return self._open_once(request)
            except ProcoreError as failure:
                transient = failure.status is not None and (
                    failure.status >= 500 or failure.status == 429
                )
                if not transient or request.get_method() != "GET" or attempt == 3:
                    raise
                time.sleep(min(failure.retry_after_s, 2.0))
        raise AssertionError("unreachable")

    def _open_once(self, request: urllib.request.Request) -> tuple[Any, dict[str, str]]:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                return json.load(response), dict(response.headers.items())
        except urllib.error.HTTPError as error:
            try:
                body = json.load(error)
            except ValueError:
                body = {}
            failure = ProcoreError(_describe(error.code, body), error.code)
            try:
                failure.retry_after_s = float(error.headers.get("Retry-After", "1"))
            except ValueError:
                failure.retry_after_s = 1.0
            raise failure from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise ProcoreError(f"Could not reach Procore: {error}") from None

    def token(self, client_id: str, client_secret: str) -> tuple[str, float]:
        """An access token for the client credentials, and when it expires (monotonic)."""
        form = urllib.parse.urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": client_secret,
            }
        ).encode()
        request = urllib.request.Request(self.base_url + "oauth/token", data=form, method="POST")
        body, _headers = self._open(request)
        return str(body["access_token"]), time.monotonic() + float(body.get("expires_in", 5400))

    def get(
        self, path: str, token: str, company_id: int | None = None
    ) -> tuple[Any, dict[str, str]]:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if company_id is not None:
            headers["Procore-Company-Id"] = str(company_id)
        return self._open(urllib.request.Request(self.base_url + path.lstrip("/"), headers=headers))

    def companies(self, token: str) -> list[dict[str, Any]]:
        body, _headers = self.get("rest/v1.0/companies?per_page=100", token)
        return list(body)

    def readable_projects(self, token: str, company_id: int) -> int:
        """How many projects the credentials can read (every page, not only ``Total``)."""
        count, page = 0, 1
        while True:
            body, headers = self.get(
                f"rest/v1.1/projects?company_id={company_id}&page={page}&per_page=300",
                token,
                company_id,
            )
            count += len(body)
            if 'rel="next"' not in headers.get("Link", "") or not body:
                return count
            page += 1


def _describe(status: int, body: Any) -> str:
    if isinstance(body, dict) and body.get("error") == "invalid_client":
        return (
            "Procore rejected these credentials (invalid_client). Check the Client ID, the "
            "Client Secret and the Environment."
        )
    detail = ""
    if isinstance(body, dict):
        detail = str(body.get("error_description") or body.get("errors") or body.get("error") or "")
    if status == 429:
        return "Procore's rate limit was reached. Try again later."
    return f"Procore answered {status}" + (f": {detail}" if detail else ".")


@dataclass
class TokenStore:
    """Access tokens by integration id, in this process's memory only (never in the state).

    The client secret itself is used once, inside the request that saves the integration, and
    dropped; what the sync tool keeps is the token it earned. When that token expires or stops
    working (the secret was reset), the connection page asks for the secret again.
    """

    #: (integration id, client id) -> (token, expiry). The client id is in the key because ids
    #: restart after ``/__mock__/reset``: a new integration must not inherit an old token.
    tokens: dict[tuple[int, str], tuple[str, float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, key: tuple[int, str], token: str, expires_at: float) -> None:
        with self.lock:
            self.tokens[key] = (token, expires_at)

    def get(self, key: tuple[int, str]) -> str | None:
        with self.lock:
            found = self.tokens.get(key)
        if found is None or found[1] - 60 < time.monotonic():
            return None
        return found[0]

    def forget(self, key: tuple[int, str]) -> None:
        with self.lock:
            self.tokens.pop(key, None)
