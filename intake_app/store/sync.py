"""The station's sync tables (m007_sync): batches, acknowledged records, attachments, feed.

Nothing here deletes a record or a batch: a batch is stored when it is built, and later marked
acknowledged with the center's signed answer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class BatchRow:
    seq: int
    sha256: str
    prev: str
    created_at: str
    envelope: bytes
    records: int
    acked_at: str | None
    ack: bytes | None
    via: str | None


_BATCH_COLUMNS = "seq, sha256, prev, created_at, envelope, records, acked_at, ack, via"


def _batch(row: sqlite3.Row | None) -> BatchRow | None:
    if row is None:
        return None
    return BatchRow(*tuple(row))


def open_batch(conn: sqlite3.Connection) -> BatchRow | None:
    """The batch built but not yet acknowledged (at most one at a time)."""
    return _batch(
        conn.execute(
            f"SELECT {_BATCH_COLUMNS} FROM sync_batches WHERE acked_at IS NULL ORDER BY seq LIMIT 1"
        ).fetchone()
    )


def batch(conn: sqlite3.Connection, seq: int) -> BatchRow | None:
    return _batch(
        conn.execute(f"SELECT {_BATCH_COLUMNS} FROM sync_batches WHERE seq = ?", (seq,)).fetchone()
    )


def last_batch(conn: sqlite3.Connection) -> BatchRow | None:
    return _batch(
        conn.execute(
            f"SELECT {_BATCH_COLUMNS} FROM sync_batches ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    )


def add_batch(
    conn: sqlite3.Connection,
    seq: int,
    sha256: str,
    prev: str,
    created_at: str,
    envelope: bytes,
    records: Iterable[tuple[str, str, int, str]],
) -> None:
    rows = list(records)
    conn.execute(
        "INSERT INTO sync_batches (seq, sha256, prev, created_at, envelope, records) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (seq, sha256, prev, created_at, envelope, len(rows)),
    )
    conn.executemany(
        "INSERT INTO sync_batch_records (seq, kind, uuid, revision, sha256) VALUES (?, ?, ?, ?, ?)",
        [(seq, *r) for r in rows],
    )


def batch_records(conn: sqlite3.Connection, seq: int) -> dict[tuple[str, str, int], str]:
    return {
        (r[0], r[1], int(r[2])): r[3]
        for r in conn.execute(
            "SELECT kind, uuid, revision, sha256 FROM sync_batch_records WHERE seq = ?", (seq,)
        )
    }


def mark_acked(
    conn: sqlite3.Connection,
    seq: int,
    ack: bytes,
    at: str,
    via: str,
    results: Iterable[tuple[str, str, int, str, str, str]],
) -> None:
    conn.execute(
        "UPDATE sync_batches SET acked_at = ?, ack = ?, via = ? WHERE seq = ?", (at, ack, via, seq)
    )
    conn.executemany(
        "INSERT OR REPLACE INTO sync_acked "
        "(kind, uuid, revision, sha256, status, reason, seq, acked_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(*r, seq, at) for r in results],
    )


def acked_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        r[0]: int(r[1])
        for r in conn.execute("SELECT status, count(*) FROM sync_acked GROUP BY status")
    }


def want_attachments(conn: sqlite3.Connection, hashes: Iterable[str], at: str) -> None:
    conn.executemany(
        "INSERT INTO sync_attachments (sha256, state, updated_at) VALUES (?, 'pending', ?) "
        "ON CONFLICT (sha256) DO UPDATE SET state = 'pending', updated_at = excluded.updated_at",
        [(h, at) for h in hashes],
    )


def attachment_done(conn: sqlite3.Connection, sha256: str, at: str) -> None:
    conn.execute(
        "UPDATE sync_attachments SET state = 'done', updated_at = ? WHERE sha256 = ?",
        (at, sha256),
    )


def pending_attachments(conn: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT sha256 FROM sync_attachments WHERE state = 'pending' ORDER BY updated_at"
        )
    ]


def replace_watchlist(
    conn: sqlite3.Connection, rows: Iterable[tuple[str, str, int, int, str]]
) -> None:
    conn.execute("DELETE FROM sync_watchlist")  # a derived copy of the center's list
    conn.executemany(
        "INSERT OR REPLACE INTO sync_watchlist (kind, value, cases, stations, reason) "
        "VALUES (?, ?, ?, ?, ?)",
        list(rows),
    )


def watch_hit(conn: sqlite3.Connection, kind: str, value: str) -> tuple[int, int, str] | None:
    row = conn.execute(
        "SELECT cases, stations, reason FROM sync_watchlist WHERE kind = ? AND value = ?",
        (kind, value),
    ).fetchone()
    return (int(row[0]), int(row[1]), str(row[2])) if row else None


def watch_hits(
    conn: sqlite3.Connection, values: list[str], kinds: Iterable[str]
) -> list[sqlite3.Row]:
    """Entries of the stored watchlist whose value is one of `values`, of the given kinds."""
    wanted, kinds = sorted(set(values)), sorted(set(kinds))
    if not wanted or not kinds:
        return []
    return list(
        conn.execute(
            "SELECT kind, value, cases, stations, reason FROM sync_watchlist "
            f"WHERE value IN ({', '.join('?' for _ in wanted)}) "
            f"AND kind IN ({', '.join('?' for _ in kinds)}) ORDER BY value, kind",
            (*wanted, *kinds),
        )
    )


def watchlist_size(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM sync_watchlist").fetchone()[0])


def add_instructions(
    conn: sqlite3.Connection, rows: Iterable[tuple[str, str, str, str, str, str]], at: str
) -> None:
    """(id, kind, text, deadline, issued_at, subject as JSON) of new instructions."""
    conn.executemany(
        "INSERT OR IGNORE INTO sync_instructions "
        "(id, kind, text, deadline, issued_at, subject, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(*r, at) for r in rows],
    )


def instructions(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return list(
        conn.execute(
            "SELECT id, kind, text, deadline, issued_at, received_at FROM sync_instructions "
            "ORDER BY deadline = '', deadline, issued_at"
        )
    )


# Case revisions not yet acknowledged ---------------------------------------------------------

_UNSENT_REVISIONS = """
    SELECT c.id, c.uuid, c.case_no, c.station_code, c.registered_at, r.revision, r.data,
           r.sha256, r.created_at, r.created_by
    FROM case_revisions r JOIN cases c ON c.id = r.case_id
    WHERE NOT EXISTS (
        SELECT 1 FROM sync_acked a
        WHERE a.kind = 'case_revision' AND a.uuid = c.uuid AND a.revision = r.revision
    ) {extra}
    ORDER BY r.case_id, r.revision
    LIMIT ?
"""


def unsent_case_revisions(
    conn: sqlite3.Connection, limit: int, only_ids: Iterable[int] | None = None
) -> list[sqlite3.Row]:
    """Revisions the center has not acknowledged, oldest case first (or only the given cases)."""
    if only_ids is None:
        return list(conn.execute(_UNSENT_REVISIONS.format(extra=""), (limit,)))
    ids = sorted(set(only_ids))
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    sql = _UNSENT_REVISIONS.format(extra=f"AND c.id IN ({marks})")
    return list(conn.execute(sql, (*ids, limit)))


def count_unsent_case_revisions(conn: sqlite3.Connection) -> int:
    """Revisions minus those answered (each answer is for a revision that exists): two counts,
    not a join, so the window's status line stays cheap at 100,000 cases."""
    total = conn.execute("SELECT count(*) FROM case_revisions").fetchone()[0]
    answered = conn.execute(
        "SELECT count(*) FROM sync_acked WHERE kind = 'case_revision'"
    ).fetchone()[0]
    return int(total) - int(answered)


def revision_attachments(conn: sqlite3.Connection, case_id: int, revision: int) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT sha256 FROM case_attachments WHERE case_id = ? AND revision = ? "
            "ORDER BY sha256",
            (case_id, revision),
        )
    ]


def batch_attachments(conn: sqlite3.Connection, seq: int) -> list[str]:
    """The attachments of the case revisions in a batch."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT ca.sha256 FROM sync_batch_records b "
            "JOIN cases c ON c.uuid = b.uuid "
            "JOIN case_attachments ca ON ca.case_id = c.id AND ca.revision = b.revision "
            "WHERE b.seq = ? AND b.kind = 'case_revision' ORDER BY ca.sha256",
            (seq,),
        )
    ]


_UNSENT_VOIDS = """
    SELECT c.id, c.uuid, c.case_no, c.revision, c.voided_at, c.voided_by, c.void_reason
    FROM cases c
    WHERE c.status = 'voided'
      AND NOT EXISTS (
        SELECT 1 FROM sync_acked a
        WHERE a.kind = 'case_void' AND a.uuid = c.uuid AND a.revision = 1
      )
      -- after every revision of the case has been acknowledged, so the center has the case
      AND NOT EXISTS (
        SELECT 1 FROM case_revisions r
        WHERE r.case_id = c.id AND NOT EXISTS (
            SELECT 1 FROM sync_acked a
            WHERE a.kind = 'case_revision' AND a.uuid = c.uuid AND a.revision = r.revision
        )
      )
    ORDER BY c.id
"""


def unsent_voids(conn: sqlite3.Connection, limit: int) -> list[sqlite3.Row]:
    return list(conn.execute(_UNSENT_VOIDS + " LIMIT ?", (limit,)))


def count_unsent_voids(conn: sqlite3.Connection) -> int:
    return int(conn.execute(f"SELECT count(*) FROM ({_UNSENT_VOIDS})").fetchone()[0])


# Other record kinds --------------------------------------------------------------------------


def answered_keys(conn: sqlite3.Connection, kind: str) -> set[tuple[str, int]]:
    """(uuid, revision) of the records of a kind the center has answered."""
    return {
        (r[0], int(r[1]))
        for r in conn.execute("SELECT uuid, revision FROM sync_acked WHERE kind = ?", (kind,))
    }


def case_uuids(conn: sqlite3.Connection, ids: Iterable[int]) -> set[str]:
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    marks = ", ".join("?" for _ in wanted)
    return {r[0] for r in conn.execute(f"SELECT uuid FROM cases WHERE id IN ({marks})", wanted)}
