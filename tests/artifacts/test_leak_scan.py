"""The leak scan finds a secret in any common encoding, in files and zip members, moves the
file out of the run directory and names it, never the value."""

from __future__ import annotations

import base64
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from automation.artifacts.leak_scan import (
    needles,
    quarantine,
    scan_bytes,
    scan_tree,
    secrets_in_play,
)
from automation.secret import Secret

SECRET = "kT9-Zq2Lw8Rv4Xp1Nm7Bc5Hd3Jf6Gs0Y"


class TestEncodings:
    """Raw, any case, URL, base64 at any alignment, hex and any 16-character slice are found."""

    @pytest.mark.parametrize("encoded", [
        SECRET.encode(),
        SECRET.upper().encode(),
        SECRET.swapcase().encode(),
        urllib.parse.quote(SECRET, safe="").encode(),
        urllib.parse.quote_plus(SECRET).encode(),
        SECRET.encode().hex().encode(),
        SECRET.encode().hex().upper().encode(),
        base64.b64encode(SECRET.encode()),
        base64.b64encode(b"x" + SECRET.encode() + b"tail"),
        base64.b64encode(b"xy" + SECRET.encode()),
        base64.urlsafe_b64encode(b"xyz?" + SECRET.encode()),
        SECRET[5:21].encode(),
    ])
    def test_found(self, encoded: bytes) -> None:
        assert scan_bytes(b"before " + encoded + b" after", needles([SECRET]))

    def test_unrelated_text_is_clean(self) -> None:
        assert not scan_bytes(b"kT9-Zq2Lw8 and Gs0Y apart, short slices only",
                              needles([SECRET]))

    def test_short_values_are_not_searched(self) -> None:
        assert needles(["short"]) == set()


class TestScanTree:
    """Every file is read, zip members decompressed; hits are quarantined by name."""

    def test_zip_member_hit_is_quarantined(self, tmp_path: Path) -> None:
        run = tmp_path / "run"
        (run / "screenshots").mkdir(parents=True)
        (run / "clean.txt").write_text("nothing here")
        with zipfile.ZipFile(run / "trace.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("0-trace.network", '{"postData":"password=' + SECRET + '"}')
        (run / "screenshots" / "captions.vtt").write_text(
            "WEBVTT\n\n" + base64.b64encode(SECRET.encode()).decode())
        hits = scan_tree(run, [SECRET])
        assert [p.name for p in hits] == ["captions.vtt", "trace.zip"]
        names = quarantine(hits, run, tmp_path / "quarantine")
        assert names == ["screenshots/captions.vtt", "trace.zip"]
        assert not (run / "trace.zip").exists()
        assert (tmp_path / "quarantine" / "trace.zip").stat().st_mode & 0o777 == 0o600
        assert scan_tree(run, [SECRET]) == []
        assert all(SECRET not in name for name in names)


class TestSecretsInPlay:
    """Credentials are in play; values the vault keeps as identifiers are not."""

    def test_identifiers_left_out(self) -> None:
        password = Secret("Pw-for-secrets-in-play-1", source="vault:x/login#password")
        email = Secret("someone-in-play@example.com", source="vault:x/login#email")
        client_id = Secret("client-id-in-play-0123456789", source="vault:x/app#client_id")
        token = Secret("access-token-in-play-abcdef")
        in_play = secrets_in_play()
        assert password.reveal() in in_play and token.reveal() in in_play
        assert email.reveal() not in in_play and client_id.reveal() not in in_play
