"""The center's own SQLite database (sqlite-utils migrations, set `intake_center`).

One connection per `CenterStore`, shared by the HTTP service's worker threads under a lock;
every write is `BEGIN IMMEDIATE`, so the CLI (e.g. `intake-center import`) can write while the
service runs. Received records are never updated or deleted (triggers refuse it).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from intake_app.store.migrations import run_script

DB_FILENAME = "center.db"
BUSY_TIMEOUT_S = 15.0

migrations = Migrations("intake_center")


@migrations()
def c001_initial(db: Database) -> None:
    run_script(
        db,
        """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE stations (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            public_key BLOB NOT NULL,
            fingerprint TEXT NOT NULL,
            added_at TEXT NOT NULL,
            last_seq INTEGER NOT NULL DEFAULT 0,
            last_hash TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE batches (
            station TEXT NOT NULL REFERENCES stations (code),
            seq INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            received_at TEXT NOT NULL,
            via TEXT NOT NULL,
            records INTEGER NOT NULL,
            ack BLOB NOT NULL,
            PRIMARY KEY (station, seq)
        ) WITHOUT ROWID;
        -- Every record as received, of every kind; never changed.
        CREATE TABLE records (
            kind TEXT NOT NULL,
            uuid TEXT NOT NULL,
            revision INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            station TEXT NOT NULL,
            seq INTEGER NOT NULL,
            data TEXT NOT NULL,
            received_at TEXT NOT NULL,
            PRIMARY KEY (kind, uuid, revision)
        ) WITHOUT ROWID;
        CREATE TRIGGER records_no_update BEFORE UPDATE ON records
        BEGIN SELECT RAISE(ABORT, 'records are immutable'); END;
        CREATE TRIGGER records_no_delete BEFORE DELETE ON records
        BEGIN SELECT RAISE(ABORT, 'records are immutable'); END;
        -- Same uuid and revision, other content: kept aside, never overwriting.
        CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            uuid TEXT NOT NULL,
            revision INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            existing_sha256 TEXT NOT NULL,
            station TEXT NOT NULL,
            seq INTEGER NOT NULL,
            data TEXT NOT NULL,
            received_at TEXT NOT NULL
        );
        -- The newest revision of each case, for listing and linking.
        CREATE TABLE cases (
            uuid TEXT PRIMARY KEY,
            station TEXT NOT NULL,
            case_no TEXT NOT NULL,
            revision INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            reported_at TEXT NOT NULL,
            fraud_type TEXT NOT NULL,
            received_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'registered'
        );
        CREATE INDEX cases_station ON cases (station, case_no);
        CREATE TABLE identifiers (
            uuid TEXT NOT NULL,
            station TEXT NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL
        );
        CREATE INDEX identifiers_value ON identifiers (kind, value, station);
        CREATE INDEX identifiers_uuid ON identifiers (uuid);
        CREATE TABLE case_attachments (
            uuid TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            PRIMARY KEY (uuid, sha256)
        ) WITHOUT ROWID;
        CREATE INDEX case_attachments_sha ON case_attachments (sha256);
        CREATE TABLE attachments (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            received INTEGER NOT NULL,
            complete INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE instructions (
            id TEXT PRIMARY KEY,
            station TEXT NOT NULL REFERENCES stations (code),
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            deadline TEXT NOT NULL,
            issued_at TEXT NOT NULL
        );
        CREATE TABLE watch (
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (kind, value)
        );
        """,
    )


@migrations()
def c002_station_records(db: Database) -> None:
    """What stations send besides cases, each linked to its station (and case) by code and uuid;
    the received records themselves stay in `records`."""
    run_script(
        db,
        """
        CREATE TABLE stop_outcomes (
            uuid TEXT PRIMARY KEY,
            station TEXT NOT NULL,
            case_uuid TEXT NOT NULL,
            case_no TEXT NOT NULL,
            item_uuid TEXT NOT NULL,
            tx_index INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            at TEXT NOT NULL,
            amount_fen INTEGER,
            until_utc TEXT,
            officer TEXT NOT NULL,
            received_at TEXT NOT NULL
        );
        CREATE INDEX stop_outcomes_case ON stop_outcomes (case_uuid);
        -- The newest revision of each lead and prevention event.
        CREATE TABLE outreach (
            uuid TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            station TEXT NOT NULL,
            revision INTEGER NOT NULL,
            day TEXT NOT NULL,
            summary TEXT NOT NULL,
            received_at TEXT NOT NULL
        );
        CREATE TABLE instruction_results (
            uuid TEXT PRIMARY KEY,
            instruction_id TEXT NOT NULL,
            station TEXT NOT NULL,
            outcome TEXT NOT NULL,
            at TEXT NOT NULL,
            officer TEXT NOT NULL,
            note TEXT NOT NULL,
            received_at TEXT NOT NULL
        );
        CREATE INDEX instruction_results_instruction ON instruction_results (instruction_id);
        -- What the center knows of the person or lead: {name, phone, identifiers}.
        ALTER TABLE instructions ADD COLUMN subject TEXT NOT NULL DEFAULT '{}';
        """,
    )


class CenterStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        self.conn.row_factory = sqlite3.Row
        self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.lock = threading.RLock()
        db = Database(self.conn)
        with self.write():
            migrations.apply(db)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            if self.conn.in_transaction:
                yield self.conn
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")

    def all(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        with self.lock:
            return list(self.conn.execute(sql, params))

    def one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        with self.lock:
            row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
            return row

    def setting(self, key: str) -> str | None:
        row = self.one("SELECT value FROM settings WHERE key = ?", (key,))
        return str(row[0]) if row else None

    def close(self) -> None:
        with self.lock:
            self.conn.close()
