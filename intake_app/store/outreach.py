"""Leads, prevention events and their immutable revisions (tables of migration m008)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any, NamedTuple

LEAD_COLUMNS = (
    "id, uuid, revision, station_code, received_at, received_utc, source, source_detail, "
    "summary, identifier_count, registered_at, registered_by, updated_at, updated_by"
)
PREVENTION_COLUMNS = (
    "id, uuid, revision, station_code, held_on, kind, place, target_group, audience, notes, "
    "registered_at, registered_by, updated_at, updated_by"
)


class LeadRow(NamedTuple):
    id: int
    uuid: str
    revision: int
    station_code: str
    received_at: str
    received_utc: str
    source: str
    source_detail: str
    summary: str
    identifier_count: int
    registered_at: str
    registered_by: str
    updated_at: str
    updated_by: str


class PreventionRow(NamedTuple):
    id: int
    uuid: str
    revision: int
    station_code: str
    held_on: str
    kind: str
    place: str
    target_group: str
    audience: int
    notes: str
    registered_at: str
    registered_by: str
    updated_at: str
    updated_by: str


_TABLES = {"lead": "leads", "prevention": "prevention_events"}


def insert(conn: sqlite3.Connection, record_type: str, row: dict[str, Any]) -> int:
    table = _TABLES[record_type]
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cur = conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))
    return int(cur.lastrowid or 0)


def update(conn: sqlite3.Connection, record_type: str, uuid: str, changes: dict[str, Any]) -> None:
    table = _TABLES[record_type]
    assignments = ", ".join(f"{name} = ?" for name in changes)
    conn.execute(f"UPDATE {table} SET {assignments} WHERE uuid = ?", (*changes.values(), uuid))


def add_revision(
    conn: sqlite3.Connection,
    record_type: str,
    uuid: str,
    revision: int,
    data: str,
    sha256: str,
    created_at: str,
    created_by: str,
) -> None:
    conn.execute(
        "INSERT INTO record_revisions (record_type, uuid, revision, data, sha256, created_at, "
        "created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (record_type, uuid, revision, data, sha256, created_at, created_by),
    )


def revisions(conn: sqlite3.Connection, uuid: str) -> list[sqlite3.Row]:
    return list(
        conn.execute(
            "SELECT record_type, uuid, revision, data, sha256, created_at, created_by "
            "FROM record_revisions WHERE uuid = ? ORDER BY revision",
            (uuid,),
        ).fetchall()
    )


def write_lead_terms(
    conn: sqlite3.Connection, lead_id: int, terms: Sequence[tuple[str, str]], *, replace: bool
) -> None:
    if replace:
        conn.execute("DELETE FROM lead_terms WHERE lead_id = ?", (lead_id,))
    conn.executemany(
        "INSERT INTO lead_terms (lead_id, kind, term) VALUES (?, ?, ?)",
        [(lead_id, kind, term) for kind, term in terms],
    )


def lead_by_uuid(conn: sqlite3.Connection, uuid: str) -> LeadRow | None:
    row = conn.execute(f"SELECT {LEAD_COLUMNS} FROM leads WHERE uuid = ?", (uuid,)).fetchone()
    return LeadRow._make(row) if row else None


def leads(conn: sqlite3.Connection, *, limit: int = 200, offset: int = 0) -> list[LeadRow]:
    rows = conn.execute(
        f"SELECT {LEAD_COLUMNS} FROM leads ORDER BY received_utc DESC, id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return list(map(LeadRow._make, rows))


def prevention_by_uuid(conn: sqlite3.Connection, uuid: str) -> PreventionRow | None:
    row = conn.execute(
        f"SELECT {PREVENTION_COLUMNS} FROM prevention_events WHERE uuid = ?", (uuid,)
    ).fetchone()
    return PreventionRow._make(row) if row else None


def prevention_events(
    conn: sqlite3.Connection, *, limit: int = 200, offset: int = 0
) -> list[PreventionRow]:
    rows = conn.execute(
        f"SELECT {PREVENTION_COLUMNS} FROM prevention_events ORDER BY held_on DESC, id DESC "
        "LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return list(map(PreventionRow._make, rows))


def count(conn: sqlite3.Connection, record_type: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {_TABLES[record_type]}").fetchone()[0])


def changed_since(
    conn: sqlite3.Connection, record_type: str, since_utc: str | None
) -> list[sqlite3.Row]:
    """The newest revision of each record of a type changed since a UTC time (all if None),
    oldest change first: (uuid, revision, data, sha256, updated_at)."""
    table = _TABLES[record_type]
    sql = (
        f"SELECT t.uuid, t.revision, r.data, r.sha256, t.updated_at FROM {table} t "
        "JOIN record_revisions r ON r.uuid = t.uuid AND r.revision = t.revision"
    )
    params: tuple[str, ...] = ()
    if since_utc is not None:
        sql += " WHERE t.updated_at >= ?"
        params = (since_utc,)
    return list(conn.execute(sql + " ORDER BY t.updated_at, t.id", params).fetchall())
