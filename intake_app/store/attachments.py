"""Evidence files, stored once by SHA-256 under the data folder.

A file is written to a temporary name, flushed and renamed into place, so a power cut never
leaves half a file under a real hash.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

from intake_app.domain.errors import IntakeError

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
_CHUNK = 1024 * 1024


class BlobStore:
    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

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
        """Copy a file into the store; returns (sha256, size). Idempotent."""
        try:
            size = source.stat().st_size
        except OSError:
            raise IntakeError("attachment_missing", field, value=str(source)) from None
        self.check_size(size, field)
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            if expected_sha256 and expected_sha256.lower() != sha:
                raise IntakeError("attachment_hash_mismatch", field)
            final = self.path_for(sha)
            if final.exists():
                os.unlink(tmp_name)
            else:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp_name, final)
            return sha, size
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise

    def read(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()


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
