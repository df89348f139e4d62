"""Looks for every secret in play, in its common encodings, in every file a run wrote.

Secrets in play are the values the :data:`~automation.secret.REDACTOR` knows: every
:class:`~automation.secret.Secret` made in this process (passwords, TOTP seeds, the client
secret, access and vault tokens). A file is searched as it is and, for a zip, member by
member, for each value raw, in any letter case, URL-encoded, base64 (at each alignment, plain
and URL-safe), hex, and for any 16-character slice of it. A hit names the file, never the
value.
"""

from __future__ import annotations

import base64
import shutil
import urllib.parse
import zipfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["MIN_LENGTH", "SLICE", "LeakScan", "needles", "quarantine", "scan_bytes", "scan_tree",
           "secrets_in_play"]

#: Shorter values are not credentials, and would match by chance in binary files.
MIN_LENGTH = 8
SLICE = 16
#: Vault fields that identify rather than authenticate.
IDENTIFIERS = frozenset({"email", "login", "username", "client_id"})


def secrets_in_play() -> frozenset[str]:
    """The credentials among the values the redactor knows.

    A value the vault keeps as an identifier (an e-mail, a login, a client id) is left out:
    logs still redact it, but the sites show it on their pages (who is signed in, the
    integration's Client ID column); it identifies, it does not authenticate.
    """
    from automation.secret import REDACTOR

    return frozenset(v for v in REDACTOR.values()
                     if not any(s.rpartition("#")[2] in IDENTIFIERS for s in REDACTOR.sources(v)))


def _base64_forms(raw: bytes) -> set[bytes]:
    """The base64 text of ``raw`` wherever it sits in a longer encoded stream: for each of
    the three alignments, only the characters that depend on ``raw`` alone."""
    forms = set()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw)
        start, end = -(-8 * offset // 6), 8 * (offset + len(raw)) // 6
        core = encoded[start:end]
        forms |= {core, core.replace(b"+", b"-").replace(b"/", b"_")}
    return forms


def needles(secrets: Iterable[str]) -> set[bytes]:
    """Lower-cased byte strings to look for (the haystack is lower-cased too)."""
    found: set[bytes] = set()
    for value in secrets:
        if len(value) < MIN_LENGTH:
            continue
        raw = value.encode()
        found |= {raw, urllib.parse.quote(value, safe="").encode(),
                  urllib.parse.quote_plus(value).encode(), raw.hex().encode()}
        found |= _base64_forms(raw)
        found |= {value[i:i + SLICE].encode() for i in range(len(value) - SLICE + 1)}
    return {n.lower() for n in found if len(n) >= MIN_LENGTH}


def scan_bytes(data: bytes, wanted: set[bytes]) -> bool:
    haystack = data.lower()
    return any(needle in haystack for needle in wanted)


def _holds(path: Path, wanted: set[bytes]) -> bool:
    data = path.read_bytes()
    if scan_bytes(data, wanted):
        return True
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return any(scan_bytes(archive.read(member), wanted)
                       for member in archive.namelist())
    return False


def scan_tree(root: Path, secrets: Iterable[str]) -> list[Path]:
    """Every file under ``root`` that holds a secret (zip members included)."""
    wanted = needles(secrets)
    return [path for path in sorted(root.rglob("*"))
            if path.is_file() and _holds(path, wanted)]


def quarantine(files: Iterable[Path], root: Path, into: Path) -> list[str]:
    """Moves the files out of the run directory (people share it); their names, relative."""
    names = []
    for path in files:
        relative = path.relative_to(root)
        target = into / relative
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.move(str(path), target)
        target.chmod(0o600)
        names.append(str(relative))
    return names


class LeakScan:
    """Collects the run's console output (a loguru sink) to scan it with the files."""

    def __init__(self) -> None:
        self.output: list[str] = []

    def write(self, message: str) -> None:
        from automation.secret import REDACTOR

        self.output.append(REDACTOR.scrub(message))  # as the console printed it

    def output_leaks(self, secrets: Iterable[str]) -> bool:
        return scan_bytes("".join(self.output).encode(), needles(secrets))
