"""Encryption at rest: SQLCipher connections and sealed attachment files.

The database is a SQLCipher 4 file (AES-256 pages with an HMAC each) opened with a raw 32-byte
key, so no password hashing happens per connection: the key comes from the keyring
(services/keyring.py) once per login. Attachments are sealed with XSalsa20-Poly1305 (PyNaCl's
SecretBox) under a key derived from the database key, and stored under a keyed name, so neither
their content nor their SHA-256 shows on disk.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.secret
from sqlcipher3 import dbapi2

from intake_app.domain.errors import IntakeError

KEY_BYTES = 32
# 16 KiB pages: SQLCipher's cost is largely per page (a fresh IV, the cipher and HMAC set-up),
# so bigger pages cut it; an import at 20,000 cases measured 1.12x the plain CPU time with
# 4 KiB pages and 1.06x with 16 KiB (bench/bench_encryption.py). It is not stored in clear in
# the file, so every connection to an encrypted file must set it before the first read.
PAGE_SIZE = 16384
# The first 16 bytes of every SQLite file that is not encrypted.
PLAIN_HEADER = b"SQLite format 3\x00"
BLOB_MAGIC = b"INTAKEB1"
SECRET_MAGIC = b"INTAKES1"

# The DB-API module of the store: its exceptions are what a store connection raises.
DatabaseError = dbapi2.DatabaseError
IntegrityError = dbapi2.IntegrityError
OperationalError = dbapi2.OperationalError
Row = dbapi2.Row
Connection = dbapi2.Connection


def key_pragma(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("a database key is 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(path: str, key: bytes | None, **kwargs: Any) -> Any:
    """A connection to an encrypted file (or, with no key, a plain one: in-memory or legacy)."""
    conn = dbapi2.connect(path, **kwargs)
    # A page that fails its HMAC raises an error the desk reports; no log lines on stderr.
    conn.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        conn.execute(key_pragma(key))
        conn.execute(f"PRAGMA cipher_page_size = {PAGE_SIZE}")
    else:
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # a new plain file only (bench)
    # Sorts, temporary indexes and tables stay in memory: nothing in clear in a temp file.
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def attach(conn: Any, path: str, alias: str, key: bytes) -> None:
    """Attach an encrypted file to a connection under `alias`, with the store's page size."""
    conn.execute(f"ATTACH DATABASE ? AS {alias} KEY \"x'{key.hex()}'\"", (path,))
    conn.execute(f"PRAGMA {alias}.cipher_page_size = {PAGE_SIZE}")


def is_plain_sqlite(path: Path) -> bool:
    """True for an unencrypted SQLite file (a database of an earlier version)."""
    try:
        with path.open("rb") as f:
            return f.read(len(PLAIN_HEADER)) == PLAIN_HEADER
    except OSError:
        return False


def _derive(key: bytes, purpose: bytes) -> bytes:
    return hashlib.blake2b(key=key, person=purpose, digest_size=KEY_BYTES).digest()


class BlobCipher:
    """Seals and opens attachment files; names them by a keyed hash of their SHA-256."""

    def __init__(self, db_key: bytes) -> None:
        self._box = nacl.secret.SecretBox(_derive(db_key, b"intake-blob-key"))
        self._name_key = _derive(db_key, b"intake-blob-name")

    def name(self, sha256: str) -> str:
        return hashlib.blake2b(
            sha256.encode("ascii"), key=self._name_key, digest_size=32
        ).hexdigest()

    def seal(self, data: bytes) -> bytes:
        return BLOB_MAGIC + bytes(self._box.encrypt(data))

    def open(self, sealed: bytes, where: str) -> bytes:
        if not sealed.startswith(BLOB_MAGIC):
            raise IntakeError("attachment_tampered", value=where)
        try:
            return bytes(self._box.decrypt(sealed[len(BLOB_MAGIC) :]))
        except nacl.exceptions.CryptoError:
            raise IntakeError("attachment_tampered", value=where) from None


def seal_secret(db_key: bytes, data: bytes) -> bytes:
    """A small secret of the station (its sync signing key) sealed under the store's key."""
    box = nacl.secret.SecretBox(_derive(db_key, b"intake-secret"))
    return SECRET_MAGIC + bytes(box.encrypt(data))


def is_sealed_secret(data: bytes) -> bool:
    return data.startswith(SECRET_MAGIC)


def open_secret(db_key: bytes, sealed: bytes, where: str) -> bytes:
    box = nacl.secret.SecretBox(_derive(db_key, b"intake-secret"))
    try:
        return bytes(box.decrypt(sealed[len(SECRET_MAGIC) :]))
    except nacl.exceptions.CryptoError:
        raise IntakeError("attachment_tampered", value=where) from None
