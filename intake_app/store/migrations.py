"""Schema migrations, numbered and recorded in `_sqlite_migrations`; safe to re-run.

Never edit a migration that has shipped: add a new one. tests/test_migrations.py builds a
database with only the first migration and upgrades it.
"""

from __future__ import annotations

import re
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
def m006_stop_payment(db: Database) -> None:
    """Emergency stop-payment: one item per transaction naming a payee account, and its
    outcomes, append-only (each with a uuid, so the center can receive them). Items for the
    cases already registered are made from their newest revision."""
    run_script(
        db,
        """
        CREATE TABLE stop_items (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            case_id INTEGER NOT NULL REFERENCES cases (id),
            tx_index INTEGER NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            transfer_at TEXT NOT NULL,
            transfer_utc TEXT NOT NULL,
            amount_fen INTEGER NOT NULL,
            method TEXT NOT NULL DEFAULT '',
            payer_bank TEXT NOT NULL DEFAULT '',
            payer_account TEXT NOT NULL DEFAULT '',
            payee_name TEXT NOT NULL DEFAULT '',
            payee_bank TEXT NOT NULL DEFAULT '',
            payee_account TEXT NOT NULL,
            serial_no TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'pending',
            created_at TEXT NOT NULL,
            UNIQUE (case_id, tx_index)
        );
        CREATE INDEX stop_items_state ON stop_items (state, active);

        CREATE TABLE stop_outcomes (
            uuid TEXT PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES stop_items (id),
            seq INTEGER NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('requested', 'stopped', 'stopped_again',
                'failed', 'frozen', 'freeze_renewed', 'released', 'returned')),
            at TEXT NOT NULL,
            at_utc TEXT NOT NULL,
            amount_fen INTEGER,
            until_utc TEXT,
            reason TEXT NOT NULL DEFAULT '',
            approval TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            officer TEXT NOT NULL REFERENCES officers (badge),
            recorded_at TEXT NOT NULL,
            UNIQUE (item_id, seq)
        );
        CREATE INDEX stop_outcomes_outcome_at ON stop_outcomes (outcome, at_utc);
        CREATE TRIGGER stop_outcomes_no_update BEFORE UPDATE ON stop_outcomes
        BEGIN SELECT RAISE(ABORT, 'stop-payment outcomes are append-only'); END;
        CREATE TRIGGER stop_outcomes_no_delete BEFORE DELETE ON stop_outcomes
        BEGIN SELECT RAISE(ABORT, 'stop-payment outcomes are append-only'); END;
        """,
    )
    from intake_app.store.stop_payment import backfill_items

    backfill_items(db.conn)


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


@migrations()
def m008_dashboard(db: Database) -> None:
    """The station dashboard (issue 7): leads (线索) and prevention events (宣防), each with a
    uuid and immutable revisions like cases, so that sync can send them up; and an index that
    answers the statistics (services/statistics.py) from the index alone: registered cases by
    Beijing day, with their fraud type and loss."""
    run_script(
        db,
        """
        CREATE TABLE leads (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            revision INTEGER NOT NULL,
            station_code TEXT NOT NULL,
            received_at TEXT NOT NULL,
            received_utc TEXT NOT NULL,
            source TEXT NOT NULL,
            source_detail TEXT NOT NULL,
            summary TEXT NOT NULL,
            identifier_count INTEGER NOT NULL,
            registered_at TEXT NOT NULL,
            registered_by TEXT NOT NULL REFERENCES officers (badge),
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL REFERENCES officers (badge)
        );
        CREATE INDEX leads_received ON leads (received_utc);
        CREATE INDEX leads_updated ON leads (updated_at);
        -- Normalized identifiers of a lead's newest revision (as case_terms for cases).
        CREATE TABLE lead_terms (
            lead_id INTEGER NOT NULL REFERENCES leads (id),
            kind TEXT NOT NULL,
            term TEXT NOT NULL
        );
        CREATE INDEX lead_terms_term ON lead_terms (term, lead_id);
        CREATE INDEX lead_terms_lead ON lead_terms (lead_id);

        CREATE TABLE prevention_events (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            revision INTEGER NOT NULL,
            station_code TEXT NOT NULL,
            held_on TEXT NOT NULL,
            kind TEXT NOT NULL,
            place TEXT NOT NULL,
            target_group TEXT NOT NULL,
            audience INTEGER NOT NULL,
            notes TEXT NOT NULL,
            registered_at TEXT NOT NULL,
            registered_by TEXT NOT NULL REFERENCES officers (badge),
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL REFERENCES officers (badge)
        );
        CREATE INDEX prevention_held ON prevention_events (held_on, target_group, kind, audience);
        CREATE INDEX prevention_updated ON prevention_events (updated_at);

        -- Every revision of every lead and prevention event, never changed or deleted.
        CREATE TABLE record_revisions (
            record_type TEXT NOT NULL CHECK (record_type IN ('lead', 'prevention')),
            uuid TEXT NOT NULL,
            revision INTEGER NOT NULL,
            data TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL REFERENCES officers (badge),
            PRIMARY KEY (uuid, revision)
        ) WITHOUT ROWID;
        CREATE TRIGGER record_revisions_no_update BEFORE UPDATE ON record_revisions
        BEGIN SELECT RAISE(ABORT, 'record revisions are immutable'); END;
        CREATE TRIGGER record_revisions_no_delete BEFORE DELETE ON record_revisions
        BEGIN SELECT RAISE(ABORT, 'record revisions are immutable'); END;

        -- Statistics: registered cases of a range of Beijing days, grouped by day or by fraud
        -- type, read from this index alone (the expression must match store/statistics.py;
        -- reported_utc is in it too, as SQLite before 3.41 counts an index as covering only
        -- when it holds every column the expression reads).
        CREATE INDEX cases_stats_day ON cases (
            status, date(substr(reported_utc, 1, 19), '+8 hours'), fraud_type, total_loss_fen,
            reported_utc
        );
        """,
    )


@migrations()
def m010_instruction_results(db: Database) -> None:
    """What the officers did with the center's instructions: acknowledged (once), and one
    outcome each, never changed; and what the center knew of the person or lead."""
    run_script(
        db,
        """
        ALTER TABLE sync_instructions ADD COLUMN subject TEXT NOT NULL DEFAULT '{}';
        CREATE TABLE instruction_acks (
            instruction_id TEXT PRIMARY KEY REFERENCES sync_instructions (id),
            officer TEXT NOT NULL REFERENCES officers (badge),
            at TEXT NOT NULL
        );
        CREATE TABLE instruction_results (
            uuid TEXT PRIMARY KEY,
            instruction_id TEXT NOT NULL UNIQUE REFERENCES sync_instructions (id),
            outcome TEXT NOT NULL CHECK (outcome IN ('dissuaded', 'not_reached',
                'already_defrauded', 'lead_confirmed', 'lead_not_confirmed')),
            at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            officer TEXT NOT NULL REFERENCES officers (badge),
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX instruction_results_day ON instruction_results (substr(at, 1, 10), outcome);
        CREATE TRIGGER instruction_results_no_update BEFORE UPDATE ON instruction_results
        BEGIN SELECT RAISE(ABORT, 'instruction results are never changed'); END;
        CREATE TRIGGER instruction_results_no_delete BEFORE DELETE ON instruction_results
        BEGIN SELECT RAISE(ABORT, 'instruction results are never changed'); END;
        """,
    )


def known_names() -> set[str]:
    return {m.name for m in migrations._migrations}


@migrations()
def m011_stop_item_keys(db: Database) -> None:
    """Stop-payment items follow their transaction by payee account, time and amount, not by
    position (store/stop_payment.py `sync_case`): an item a revision drops keeps its last
    position while inactive, so only the active items of a case need distinct positions.

    SQLite cannot drop a table constraint, so both tables are rebuilt from their own schema
    text (columns added since stay), the outcomes before the items they reference; rows,
    indexes and triggers are kept.
    """
    conn = db.conn
    schema = {
        name: sql
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND name IN ('stop_items', 'stop_outcomes')"
        )
    }
    extras = [
        sql
        for (sql,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            "AND tbl_name IN ('stop_items', 'stop_outcomes') AND sql IS NOT NULL "
            "ORDER BY type, name"
        )
    ]
    unique = re.compile(r",\s*UNIQUE\s*\(\s*case_id\s*,\s*tx_index\s*\)")
    items_sql, found = unique.subn("", schema["stop_items"])
    if found != 1:
        raise RuntimeError("m011: stop_items has no UNIQUE (case_id, tx_index) to drop")
    items_sql = items_sql.replace("CREATE TABLE stop_items", "CREATE TABLE stop_items_new", 1)
    outcomes_sql = (
        schema["stop_outcomes"]
        .replace("CREATE TABLE stop_outcomes", "CREATE TABLE stop_outcomes_new", 1)
        .replace("REFERENCES stop_items", "REFERENCES stop_items_new", 1)
    )
    for sql in (
        items_sql,
        "INSERT INTO stop_items_new SELECT * FROM stop_items",
        outcomes_sql,
        "INSERT INTO stop_outcomes_new SELECT * FROM stop_outcomes",
        # Dropping runs no triggers; the outcomes go first, so no row is left pointing nowhere.
        "DROP TABLE stop_outcomes",
        "DROP TABLE stop_items",
        # Renaming also renames the outcomes' reference to the items.
        "ALTER TABLE stop_items_new RENAME TO stop_items",
        "ALTER TABLE stop_outcomes_new RENAME TO stop_outcomes",
        *extras,
        "CREATE INDEX stop_items_case ON stop_items (case_id, tx_index)",
        "CREATE UNIQUE INDEX stop_items_position ON stop_items (case_id, tx_index) "
        "WHERE active = 1",
    ):
        db.execute(sql)
