"""Opening the store: pragmas, migrations, and the one write path.

A connection belongs to one thread. Writes go through `Store.write()`, which takes SQLite's
write lock up front (BEGIN IMMEDIATE) and waits up to BUSY_TIMEOUT_S for another process, so two
copies of the desk never lose a write; WAL lets readers go on meanwhile.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.domain.errors import IntakeError

from intake_app.store.schema import MIGRATION_NAMES, MIGRATION_SET, applied_names

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_S = 15.0
DB_FILENAME = "desk.db"


class Store:
    """One SQLite file with its schema up to date."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        """sqlite-utils' view of the connection, imported only when it is needed."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn)
        return self._db

    @classmethod
    def open(cls, path: Path, *, create: bool = True, migrate: bool = True) -> Store:
        if not create and not path.exists():
            raise IntakeError("not_initialised", value=str(path.parent))
        try:
            conn = sqlite3.connect(
                str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=True
            )
            store = cls(conn, path)
            store._configure()
            if migrate:
                store.migrate()
            return store
        except sqlite3.DatabaseError as exc:
            raise _translate(exc, path) from exc

    @classmethod
    def memory(cls) -> Store:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        store = cls(conn, None)
        store._configure()
        store.migrate()
        return store

    def _configure(self) -> None:
        self.conn.row_factory = sqlite3.Row
        self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        # Reading the schema fails fast on a file that is not a database.
        self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if self.path is not None:
            mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise IntakeError("database_locked", value=str(self.path))
        self.conn.execute("PRAGMA synchronous = NORMAL")

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
    def write(self) -> Iterator[sqlite3.Connection]:
        """The one write path: BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error."""
        if self.conn.in_transaction:
            # Nested use joins the outer transaction.
            yield self.conn
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _translate(exc, self.path) from exc
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise _translate(exc, self.path) from exc

    def one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
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


def _translate(exc: sqlite3.DatabaseError, path: Path | None) -> IntakeError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return IntakeError("database_locked", value=str(path))
    return IntakeError("database_corrupt", value=str(path), detail=str(exc))


__all__ = ["BUSY_TIMEOUT_S", "DB_FILENAME", "MIGRATION_SET", "Store"]
