"""Schema migrations, numbered and recorded in `_sqlite_migrations`; safe to re-run.

Never edit a migration that has shipped: add a new one. tests/test_migrations.py builds a
database with only the first migration and upgrades it.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from intake_app.store.schema import MIGRATION_SET

migrations = Migrations(MIGRATION_SET)


def run_script(db: Database, script: str) -> None:
    """Run statements one by one inside the migration's transaction.

    (`executescript` would commit first and break the all-or-nothing migration.)
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:60]}")


@migrations()
def m001_initial(db: Database) -> None:
    run_script(
        db,
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE officers (
            badge TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('officer', 'supervisor', 'admin')),
            password_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            created_by TEXT
        );
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            case_no TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL CHECK (status IN ('registered', 'voided')),
            revision INTEGER NOT NULL,
            station_code TEXT NOT NULL,
            reported_at TEXT NOT NULL,
            reported_utc TEXT NOT NULL,
            source TEXT NOT NULL,
            fraud_type TEXT NOT NULL,
            reporter_name TEXT NOT NULL,
            reporter_id_masked TEXT NOT NULL,
            total_loss_fen INTEGER NOT NULL,
            registered_at TEXT NOT NULL,
            registered_by TEXT NOT NULL REFERENCES officers (badge),
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL REFERENCES officers (badge),
            voided_at TEXT,
            voided_by TEXT REFERENCES officers (badge),
            void_reason TEXT
        );
        CREATE INDEX cases_reported ON cases (reported_utc);
        CREATE INDEX cases_type_reported ON cases (fraud_type, reported_utc);
        CREATE INDEX cases_status_reported ON cases (status, reported_utc);
        CREATE INDEX cases_updated ON cases (updated_at);

        -- Every revision of every case, never changed or deleted.
        CREATE TABLE case_revisions (
            case_id INTEGER NOT NULL REFERENCES cases (id),
            revision INTEGER NOT NULL,
            data TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL REFERENCES officers (badge),
            note TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (case_id, revision)
        ) WITHOUT ROWID;
        CREATE TRIGGER case_revisions_no_update BEFORE UPDATE ON case_revisions
        BEGIN SELECT RAISE(ABORT, 'case revisions are immutable'); END;
        CREATE TRIGGER case_revisions_no_delete BEFORE DELETE ON case_revisions
        BEGIN SELECT RAISE(ABORT, 'case revisions are immutable'); END;

        -- Normalized search terms of the current revision:
        -- identifiers, accounts, phones, ID numbers, names.
        CREATE TABLE case_terms (
            case_id INTEGER NOT NULL REFERENCES cases (id),
            kind TEXT NOT NULL,
            term TEXT NOT NULL
        );
        CREATE INDEX case_terms_term ON case_terms (term);
        CREATE INDEX case_terms_case ON case_terms (case_id);

        -- Substring search over names, narrative and identifiers (trigram works for Chinese).
        CREATE VIRTUAL TABLE case_fts USING fts5 (
            names, narrative, identifiers, tokenize = 'trigram'
        );

        CREATE TABLE case_counters (
            year INTEGER PRIMARY KEY,
            last_seq INTEGER NOT NULL
        );

        CREATE TABLE drafts (
            uuid TEXT PRIMARY KEY,
            officer TEXT NOT NULL REFERENCES officers (badge),
            case_id INTEGER REFERENCES cases (id),
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE attachments (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            media_type TEXT NOT NULL,
            stored_at TEXT NOT NULL
        );
        CREATE TABLE case_attachments (
            case_id INTEGER NOT NULL REFERENCES cases (id),
            revision INTEGER NOT NULL,
            sha256 TEXT NOT NULL REFERENCES attachments (sha256),
            name TEXT NOT NULL,
            PRIMARY KEY (case_id, revision, sha256, name)
        ) WITHOUT ROWID;

        -- Append-only, hash-chained. The triggers stop mistakes; the chain exposes tampering.
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            officer TEXT,
            action TEXT NOT NULL,
            object_type TEXT NOT NULL,
            object_id TEXT NOT NULL,
            detail TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """,
    )


@migrations()
def m002_draft_lifecycle(db: Database) -> None:
    """Drafts are kept after they are registered or discarded (nothing is hard-deleted)."""
    run_script(
        db,
        """
        ALTER TABLE drafts ADD COLUMN status TEXT NOT NULL DEFAULT 'open'
            CHECK (status IN ('open', 'registered', 'discarded'));
        ALTER TABLE drafts ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
        UPDATE drafts SET created_at = updated_at WHERE created_at = '';
        CREATE INDEX drafts_officer_status ON drafts (officer, status, updated_at);
        """,
    )


@migrations()
def m003_case_list_indexes(db: Database) -> None:
    """The case list sorts by reporter and by total loss (services/case_list.py); case number,
    reported time, fraud type and status are served by the indexes of m001."""
    run_script(
        db,
        """
        CREATE INDEX cases_reporter ON cases (reporter_name);
        CREATE INDEX cases_total_loss ON cases (total_loss_fen);
        """,
    )


@migrations()
def m004_case_terms_by_case(db: Database) -> None:
    """Term look-ups answer from the index alone, newest case first."""
    run_script(
        db,
        """
        CREATE INDEX case_terms_term_case ON case_terms (term, case_id);
        DROP INDEX case_terms_term;
        """,
    )


@migrations()
def m005_case_list_type_status_index(db: Database) -> None:
    """The case list filtered by fraud type and status together, newest first, and counted,
    from the index alone (services/case_list.py)."""
    run_script(
        db,
        """
        CREATE INDEX cases_type_status_reported ON cases (fraud_type, status, reported_utc);
        """,
    )


@migrations()
def m007_sync(db: Database) -> None:
    """Sync with the city center (services/sync.py): batches sent and their acknowledgements,
    the records the center has acknowledged, attachments it still lacks, and the feed."""
    run_script(
        db,
        """
        CREATE TABLE sync_batches (
            seq INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL,
            prev TEXT NOT NULL,
            created_at TEXT NOT NULL,
            envelope BLOB NOT NULL,
            records INTEGER NOT NULL,
            acked_at TEXT,
            ack BLOB,
            via TEXT
        );
        CREATE TABLE sync_batch_records (
            seq INTEGER NOT NULL REFERENCES sync_batches (seq),
            kind TEXT NOT NULL,
            uuid TEXT NOT NULL,
            revision INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            PRIMARY KEY (seq, kind, uuid, revision)
        ) WITHOUT ROWID;
        -- What the center answered for each record; never deleted.
        CREATE TABLE sync_acked (
            kind TEXT NOT NULL,
            uuid TEXT NOT NULL,
            revision INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            seq INTEGER NOT NULL,
            acked_at TEXT NOT NULL,
            PRIMARY KEY (kind, uuid, revision)
        ) WITHOUT ROWID;
        CREATE TABLE sync_attachments (
            sha256 TEXT PRIMARY KEY,
            state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
            updated_at TEXT NOT NULL
        );
        CREATE TABLE sync_watchlist (
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            cases INTEGER NOT NULL,
            stations INTEGER NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (kind, value)
        ) WITHOUT ROWID;
        CREATE TABLE sync_instructions (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            deadline TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            received_at TEXT NOT NULL
        );
        """,
    )


def known_names() -> set[str]:
    return {m.name for m in migrations._migrations}
