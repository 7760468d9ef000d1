"""Evidence files, stored once by SHA-256 under the data folder, sealed.

A file is sealed with the store's key (store/cipher.py: XSalsa20-Poly1305) and stored under a
keyed name derived from its SHA-256, so the folder shows neither content nor hashes. It is
written to a temporary name, flushed and renamed into place, so a power cut never leaves half a
file under a real name.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

from intake_app.domain.errors import IntakeError

from intake_app.store.cipher import BlobCipher

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
_CHUNK = 1024 * 1024


class BlobStore:
    def __init__(
        self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES, cipher: BlobCipher | None = None
    ) -> None:
        self.root = root
        self.max_bytes = max_bytes
        # None only for the plain attachment folder of an earlier version (being migrated).
        self.cipher = cipher

    def path_for(self, sha256: str) -> Path:
        """Where a file is stored: by a keyed name, so the name does not give the hash away."""
        name = self.cipher.name(sha256) if self.cipher is not None else sha256
        return self.root / name[:2] / name

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def check_size(self, size: int, field: str) -> None:
        if size > self.max_bytes:
            raise IntakeError(
                "attachment_too_large",
                field,
                size=size,
                limit=self.max_bytes,
                limit_mb=f"{self.max_bytes / (1024 * 1024):g}",
            )

    def hash_file(self, source: Path, field: str) -> tuple[str, int]:
        """(sha256, size) of a file, checking that it exists and is within the size limit."""
        try:
            size = source.stat().st_size
            if not source.is_file():
                raise OSError
        except OSError:
            raise IntakeError("attachment_missing", field, value=str(source)) from None
        self.check_size(size, field)
        digest = hashlib.sha256()
        with source.open("rb") as src:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
        return digest.hexdigest(), size

    def put_file(self, source: Path, field: str, expected_sha256: str = "") -> tuple[str, int]:
        """Seal a file into the store; returns (sha256, size). Idempotent."""
        try:
            size = source.stat().st_size
        except OSError:
            raise IntakeError("attachment_missing", field, value=str(source)) from None
        self.check_size(size, field)
        try:
            data = source.read_bytes()
        except OSError:
            raise IntakeError("attachment_missing", field, value=str(source)) from None
        self.check_size(len(data), field)
        sha = hashlib.sha256(data).hexdigest()
        if expected_sha256 and expected_sha256.lower() != sha:
            raise IntakeError("attachment_hash_mismatch", field)
        self.put_bytes(sha, data)
        return sha, len(data)

    def put_bytes(self, sha256: str, data: bytes) -> Path:
        final = self.path_for(sha256)
        if final.exists():
            return final
        sealed = self.cipher.seal(data) if self.cipher is not None else data
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(sealed)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp_name, final)
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise
        return final

    def read(self, sha256: str) -> bytes:
        """The file's content, checked against its seal and its hash."""
        path = self.path_for(sha256)
        sealed = path.read_bytes()
        data = self.cipher.open(sealed, str(path)) if self.cipher is not None else sealed
        if hashlib.sha256(data).hexdigest() != sha256:
            raise IntakeError("attachment_tampered", value=str(path))
        return data


def record(conn: sqlite3.Connection, sha256: str, size: int, media_type: str, at: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO attachments (sha256, size, media_type, stored_at) "
        "VALUES (?, ?, ?, ?)",
        (sha256, size, media_type, at),
    )


def known(conn: sqlite3.Connection, sha256: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM attachments WHERE sha256 = ?", (sha256,)).fetchone() is not None
    )
