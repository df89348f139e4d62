"""What must not be in a picture: password fields, the given elements, and every element
whose value or text is a secret in play.

The page finds the last kind itself, so no secret value crosses the protocol (where a trace
or a log could keep it): it is given each secret's length and the first 16 bits of its
SHA-256, hashes each input's value and each element's own text of a matching length, and
marks the hits for the mask. 16 bits say almost nothing of a secret (a trace may hold them);
a chance match with other text of the same length only masks a little more.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Sequence

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from automation.artifacts.leak_scan import secrets_in_play

__all__ = ["MARK", "PASSWORD_FIELDS", "mark_secrets", "masks", "shows_secret", "unmark"]

#: The attribute the page puts on an element showing a secret (ours, never Procore's).
MARK = "data-runbook-secret"
PASSWORD_FIELDS = "input[type=password]"
#: Hex digits of each secret's SHA-256 the page is given (16 bits).
DIGEST_PREFIX = 4

_MARK_JS = """async ({digests, lengths, mark, prefix}) => {
  const wanted = new Set(digests), sizes = new Set(lengths);
  const hex = async (text) => Array.from(new Uint8Array(await crypto.subtle.digest(
      'SHA-256', new TextEncoder().encode(text)))).map(b => b.toString(16).padStart(2, '0'))
      .join('');
  let found = 0;
  for (const el of (document.body ? document.body.querySelectorAll('*') : [])) {
    const own = ('value' in el && typeof el.value === 'string' && el.tagName !== 'BUTTON')
      ? el.value : Array.from(el.childNodes).filter(n => n.nodeType === 3)
          .map(n => n.textContent).join('');
    const text = own.trim();
    if (!sizes.has(text.length) || !crypto.subtle) continue;
    if (wanted.has((await hex(text)).slice(0, prefix))) {
      el.setAttribute(mark, ''); found += 1;
    }
  }
  return found;
}"""

_UNMARK_JS = """(mark) => document.querySelectorAll('[' + mark + ']')
  .forEach(el => el.removeAttribute(mark))"""


def _digests(secrets: Iterable[str]) -> tuple[list[str], list[int]]:
    values = [s.strip() for s in secrets if s.strip()]
    return ([hashlib.sha256(v.encode()).hexdigest()[:DIGEST_PREFIX] for v in values],
            sorted({len(v) for v in values}))


def mark_secrets(page: Page, secrets: Iterable[str] | None = None) -> int:
    """Marks the elements showing a secret in play; how many it found."""
    digests, lengths = _digests(secrets_in_play() if secrets is None else secrets)
    if not digests:
        return 0
    try:
        found: int = page.evaluate(_MARK_JS, {"digests": digests, "lengths": lengths,
                                              "mark": MARK, "prefix": DIGEST_PREFIX})
    except PlaywrightError:
        return 0  # a page that is navigating: nothing of its old content is shown
    return found


def unmark(page: Page) -> None:
    with contextlib.suppress(PlaywrightError):
        page.evaluate(_UNMARK_JS, MARK)


def masks(page: Page, extra: Sequence[Locator] = ()) -> list[Locator]:
    """The locators to give ``page.screenshot(mask=...)`` after :func:`mark_secrets`."""
    return [*extra, page.locator(PASSWORD_FIELDS), page.locator(f"[{MARK}]")]


def shows_secret(page: Page) -> bool:
    """Whether the page shows a secret in play right now (a value typed earlier, say)."""
    found = mark_secrets(page)
    if found:
        unmark(page)
    return found > 0
