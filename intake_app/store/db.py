"""Opening the store: the key, pragmas, migrations, and the one write path.

The file is encrypted with SQLCipher (store/cipher.py); `Store.open(path, key=...)` applies the
32-byte key before anything is read, so a wrong key or a tampered file fails at once.

A connection belongs to one thread. Writes go through `Store.write()`, which takes SQLite's
write lock up front (BEGIN IMMEDIATE) and waits up to BUSY_TIMEOUT_S for another process, so two
copies of the desk never lose a write; WAL lets readers go on meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.domain.errors import IntakeError

from intake_app.store import cipher
from intake_app.store.schema import MIGRATION_NAMES, MIGRATION_SET, applied_names

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_S = 15.0
DB_FILENAME = "desk.db"
# Page cache per connection, in KiB (negative: a size, not a page count). SQLCipher decrypts a
# page each time it is read into the cache, so a bigger cache than SQLite's 2 MiB default
# keeps the index pages an import keeps touching decrypted (bench/bench_encryption.py).
CACHE_KIB = -65536


class Store:
    """One SQLite file with its schema up to date."""

    def __init__(self, conn: Any, path: Path | None, key: bytes | None = None) -> None:
        self.conn = conn
        self.path = path
        # Kept for second connections (backups, a worker's desk); never written anywhere.
        self.key = key
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        """sqlite-utils' view of the connection, imported only when it is needed."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn)
        return self._db

    @classmethod
    def open(
        cls, path: Path, *, key: bytes | None, create: bool = True, migrate: bool = True
    ) -> Store:
        """Open (or create) the file; `key=None` only for a plain file of an earlier version."""
        if not create and not path.exists():
            raise IntakeError("not_initialised", value=str(path.parent))
        conn = None
        try:
            conn = cipher.connect(
                str(path),
                key,
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,
                check_same_thread=True,
            )
            store = cls(conn, path, key)
            store._configure()
            if migrate:
                store.migrate()
            return store
        except cipher.DatabaseError as exc:
            if conn is not None:
                conn.close()
            raise _translate(exc, path, encrypted=key is not None) from exc

    @classmethod
    def memory(cls) -> Store:
        conn = cipher.connect(":memory:", None, isolation_level=None)
        store = cls(conn, None)
        store._configure()
        store.migrate()
        return store

    def _configure(self) -> None:
        self.conn.row_factory = cipher.Row
        self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        # Reading the schema fails fast on a file that is not a database.
        self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if self.path is not None:
            mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise IntakeError("database_locked", value=str(self.path))
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute(f"PRAGMA cache_size = {CACHE_KIB}")

    def migrate(self) -> None:
        applied = set(applied_names(self.conn))
        unknown = applied - set(MIGRATION_NAMES)
        if unknown:
            raise IntakeError("schema_too_new", value=", ".join(sorted(unknown)))
        if applied != set(MIGRATION_NAMES):
            from intake_app.store.migrations import migrations

            with self.write():
                migrations.apply(self.db)

    def schema_version(self) -> list[str]:
        return applied_names(self.conn)

    @contextmanager
    def write(self) -> Iterator[Any]:
        """The one write path: BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error."""
        if self.conn.in_transaction:
            # Nested use joins the outer transaction.
            yield self.conn
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except cipher.OperationalError as exc:
            raise _translate(exc, self.path, encrypted=self.key is not None) from exc
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except cipher.OperationalError as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise _translate(exc, self.path, encrypted=self.key is not None) from exc

    def one(self, sql: str, params: Any = ()) -> Any:
        row: Any = self.conn.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Any = ()) -> list[Any]:
        return list(self.conn.execute(sql, params).fetchall())

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.one("SELECT value FROM settings WHERE key = ?", (key,))
        return row["value"] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _translate(exc: Exception, path: Path | None, *, encrypted: bool = False) -> IntakeError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return IntakeError("database_locked", value=str(path))
    if encrypted and ("not a database" in text or "malformed" in text):
        # SQLCipher checks each page's HMAC: a changed byte reads as "not a database".
        return IntakeError("database_tampered", value=str(path))
    return IntakeError("database_corrupt", value=str(path), detail=str(exc))


__all__ = ["BUSY_TIMEOUT_S", "DB_FILENAME", "MIGRATION_SET", "Store"]
