"""A small Procore OAuth/REST client (urllib, no extra dependency), for verifying credentials.

It asks for a client-credentials token, follows ``Link: rel="next"`` pagination, honours
``Retry-After`` on 429 and 503, and never puts a secret in a message.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from automation.errors import StepError
from automation.secret import Secret

__all__ = ["ProcoreApi", "Token"]

_RETRY_STATUSES = (429, 503)


@dataclass(frozen=True)
class Token:
    value: Secret
    expires_in: int


class ProcoreApi:
    def __init__(self, login_url: str, api_url: str, *, timeout_s: float = 30.0,
                 max_retries: int = 5) -> None:
        self.login_url = login_url.rstrip("/")
        self.api_url = api_url.rstrip("/")
        self.timeout_s = timeout_s
        self.max_retries = max_retries

    def token(self, client_id: str, client_secret: Secret) -> Token:
        body = urllib.parse.urlencode({
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret.reveal(),
        }).encode()
        status, payload, _ = self._request("POST", f"{self.login_url}/oauth/token", body=body,
                                           headers={"Content-Type":
                                                    "application/x-www-form-urlencoded"})
        if status != 200:
            error = payload.get("error", "") if isinstance(payload, dict) else ""
            raise StepError(f"{self.login_url}/oauth/token refused the credentials of client "
                            f"{client_id[:8]}…: HTTP {status} {error}".rstrip())
        return Token(Secret(payload["access_token"]), int(payload.get("expires_in", 0)))

    def get_all(self, path: str, token: Token, *, company_id: int | None = None,
                params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a paginated list, following the Link headers."""
        query = urllib.parse.urlencode({**(params or {}), "per_page": 100})
        url: str | None = f"{self.api_url}{path}?{query}"
        while url:
            status, payload, headers = self._request("GET", url, token=token,
                                                     company_id=company_id)
            if status != 200:
                raise StepError(f"GET {url.split('?')[0]}: HTTP {status} "
                                f"{json.dumps(payload)[:200]}")
            yield from payload
            url = _next_link(headers.get("Link", ""))

    def status_of(self, path: str, token: Token, *, company_id: int) -> tuple[int, Any]:
        """One GET's HTTP status and JSON body, whatever the status (a 403 is an answer)."""
        status, payload, _ = self._request("GET", f"{self.api_url}{path}", token=token,
                                           company_id=company_id)
        return status, payload

    def _request(self, method: str, url: str, *, body: bytes | None = None,
                 headers: dict[str, str] | None = None, token: Token | None = None,
                 company_id: int | None = None) -> tuple[int, Any, dict[str, str]]:
        all_headers = {"Accept": "application/json", **(headers or {})}
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token.value.reveal()}"
        if company_id is not None:
            all_headers["Procore-Company-Id"] = str(company_id)
        for attempt in range(self.max_retries + 1):
            request = urllib.request.Request(url, data=body, headers=all_headers, method=method)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                    return response.status, _json(response.read()), dict(response.headers)
            except urllib.error.HTTPError as error:
                if error.code in _RETRY_STATUSES and attempt < self.max_retries:
                    time.sleep(min(float(error.headers.get("Retry-After", 1)), 10.0))
                    continue
                if error.code >= 500 and method == "GET" and attempt < self.max_retries:
                    time.sleep(0.2 * 2 ** attempt)  # idempotent: try again
                    continue
                return error.code, _json(error.read()), dict(error.headers)
            except urllib.error.URLError as error:
                raise StepError(f"{method} {url.split('?')[0]}: {error.reason}") from None
        raise AssertionError("unreachable")


def _json(data: bytes) -> Any:
    try:
        return json.loads(data or b"null")
    except json.JSONDecodeError:
        return {"error": data[:200].decode(errors="replace")}


def _next_link(header: str) -> str | None:
    for part in header.split(","):
        if 'rel="next"' in part:
            return part[part.index("<") + 1:part.index(">")]
    return None
