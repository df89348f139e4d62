"""The sealed format shared by the vault file and rescue files: AES-256-GCM, header authenticated.

Layout (big-endian)::

    magic        8 bytes   b"RBVAULT\\0" or b"RBRESCUE": what kind of file this is
    version      1 byte    format version (1); a newer one is refused, never guessed at
    key kind     1 byte    1 = 32-byte key from a key file, 2 = scrypt over a passphrase
    scrypt       3 bytes   log2(n), r, p (zeros for a key file)
    salt        16 bytes   scrypt salt (zeros for a key file)
    key check   16 bytes   HKDF(master, "check"): tells "wrong key" apart from "tampered"
    meta length  4 bytes   length of the clear, authenticated metadata that follows
    body length  8 bytes   length of ciphertext + tag: a cut file is reported as truncated
    nonce       12 bytes   fresh for every write
    meta         n bytes   non-secret JSON (a rescue file's vault path and field names)
    body         m bytes   AES-GCM ciphertext and 16-byte tag

Everything before the body is the GCM associated data, so changing any header byte (the
version, the lengths, the metadata) fails authentication just as changing the ciphertext does.
The master key never encrypts directly: HKDF derives the encryption key and the key check
separately, so publishing the check reveals nothing about the encryption key.
"""

from __future__ import annotations

import hmac
import os
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from automation.errors import VaultError

__all__ = [
    "KEY_FILE",
    "PASSPHRASE",
    "KeyMaterial",
    "Sealed",
    "open_sealed",
    "read_header",
    "seal",
]

FORMAT_VERSION = 1
KEY_FILE = 1
PASSPHRASE = 2
KEY_BYTES = 32
# OWASP's scrypt recommendation (n=2^17, r=8, p=1): about 0.5 s and 128 MiB, paid once per
# process because the derived key is kept in memory (never on disk).
DEFAULT_SCRYPT_LOG_N = 17

_FIXED = struct.Struct(">8sBBBBB16s16sIQ12s")
_TAG_BYTES = 16


@dataclass(frozen=True)
class KeyMaterial:
    """What opens a file: 32 raw bytes from a key file, or a passphrase for scrypt."""

    kind: int
    secret: bytes  # never printed: this class has no value-bearing repr
    describe: str  # "key file .runbook/vault.key" / "passphrase from RUNBOOK_VAULT_PASSPHRASE"

    def __repr__(self) -> str:
        return f"KeyMaterial({self.describe})"


@dataclass(frozen=True)
class Header:
    magic: bytes
    version: int
    kind: int
    log_n: int
    r: int
    p: int
    salt: bytes
    check: bytes
    meta: bytes
    body_length: int
    nonce: bytes
    header_length: int


@dataclass(frozen=True)
class Sealed:
    """A decrypted file: its clear metadata, its plaintext, and how to seal the next version."""

    meta: bytes
    plaintext: bytes
    kdf: tuple[int, int, int, int, bytes]  # kind, log_n, r, p, salt: reused on rewrite


class _KeyCache:
    """Derived scrypt keys by (passphrase, salt, params), for this process only."""

    def __init__(self) -> None:
        self._keys: dict[bytes, bytes] = {}

    def derive(self, material: KeyMaterial, log_n: int, r: int, p: int, salt: bytes) -> bytes:
        if material.kind == KEY_FILE:
            return material.secret
        ident = hmac.digest(salt, material.secret + bytes([log_n, r, p]), "sha256")
        if ident not in self._keys:
            kdf = Scrypt(salt=salt, length=KEY_BYTES, n=2**log_n, r=r, p=p)
            self._keys[ident] = kdf.derive(material.secret)
        return self._keys[ident]


_CACHE = _KeyCache()


def _subkeys(master: bytes, magic: bytes) -> tuple[bytes, bytes]:
    def hkdf(label: bytes, length: int) -> bytes:
        info = b"procore-runbooks/" + magic.rstrip(b"\0") + b"/" + label
        return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(master)

    return hkdf(b"encrypt", KEY_BYTES), hkdf(b"check", 16)


def seal(
    magic: bytes,
    plaintext: bytes,
    material: KeyMaterial,
    *,
    meta: bytes = b"",
    kdf: tuple[int, int, int, int, bytes] | None = None,
    scrypt_log_n: int = DEFAULT_SCRYPT_LOG_N,
) -> bytes:
    """Encrypts ``plaintext``; ``kdf`` keeps an existing file's salt (one derivation a process)."""
    if kdf is None or kdf[0] != material.kind:
        if material.kind == PASSPHRASE:
            kdf = (PASSPHRASE, scrypt_log_n, 8, 1, os.urandom(16))
        else:
            kdf = (KEY_FILE, 0, 0, 0, bytes(16))
    kind, log_n, r, p, salt = kdf
    master = _CACHE.derive(material, log_n, r, p, salt)
    enc_key, check = _subkeys(master, magic)
    nonce = os.urandom(12)
    body_length = len(plaintext) + _TAG_BYTES
    fixed = _FIXED.pack(
        magic, FORMAT_VERSION, kind, log_n, r, p, salt, check, len(meta), body_length, nonce
    )
    aad = fixed + meta
    return aad + AESGCM(enc_key).encrypt(nonce, plaintext, aad)


def read_header(data: bytes, magic: bytes, label: str) -> Header:
    """Parses the clear header; VaultError if this is not such a file or it was cut short."""
    head = data[: len(magic)]
    if head != magic[: len(head)]:
        raise VaultError(f"{label}: not a procore-runbooks sealed file of this kind (bad magic)")
    if len(data) < _FIXED.size:
        raise VaultError(f"{label}: truncated ({len(data)} bytes, shorter than its header)")
    fields = _FIXED.unpack_from(data)
    (got_magic, version, kind, log_n, r, p, salt, check, meta_len, body_len, nonce) = fields
    if version > FORMAT_VERSION:
        raise VaultError(
            f"{label}: format version {version} is newer than this tool reads "
            f"({FORMAT_VERSION}); upgrade procore-runbooks"
        )
    if version != FORMAT_VERSION or kind not in (KEY_FILE, PASSPHRASE):
        raise VaultError(f"{label}: corrupt header (version {version}, key kind {kind})")
    expected = _FIXED.size + meta_len + body_len
    if len(data) < expected:
        raise VaultError(
            f"{label}: truncated ({len(data)} of {expected} bytes); restore it from a backup"
        )
    if len(data) > expected:
        raise VaultError(f"{label}: corrupt ({len(data) - expected} unexpected trailing bytes)")
    meta = data[_FIXED.size : _FIXED.size + meta_len]
    return Header(
        got_magic,
        version,
        kind,
        log_n,
        r,
        p,
        salt,
        check,
        meta,
        body_len,
        nonce,
        _FIXED.size + meta_len,
    )


def open_sealed(data: bytes, magic: bytes, material: KeyMaterial, label: str) -> Sealed:
    """Decrypts a sealed file; clear VaultErrors for wrong key, truncation and tampering."""
    header = read_header(data, magic, label)
    if header.kind != material.kind:
        sealed_with = "a passphrase" if header.kind == PASSPHRASE else "a key file"
        raise VaultError(f"{label}: sealed with {sealed_with}, but {material.describe} was given")
    if header.kind == PASSPHRASE and not (10 <= header.log_n <= 22 and header.r and header.p):
        raise VaultError(f"{label}: corrupt header (scrypt parameters out of range)")
    master = _CACHE.derive(material, header.log_n, header.r, header.p, header.salt)
    enc_key, check = _subkeys(master, magic)
    if not hmac.compare_digest(check, header.check):
        raise VaultError(f"{label}: wrong key: {material.describe} does not open this file")
    aad = data[: header.header_length]
    try:
        plaintext = AESGCM(enc_key).decrypt(header.nonce, data[header.header_length :], aad)
    except InvalidTag:
        raise VaultError(
            f"{label}: corrupt or tampered (authentication failed); "
            "nothing was changed; restore it from a backup"
        ) from None
    kdf = (header.kind, header.log_n, header.r, header.p, header.salt)
    return Sealed(header.meta, plaintext, kdf)
