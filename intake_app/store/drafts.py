"""Drafts: a report being written, saved as it is typed, with no case number yet.

A draft holds whatever the form had (partial, unvalidated interchange JSON). It becomes a case
when registered, or is discarded; either way the row stays, marked with its new status.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

OPEN = "open"
REGISTERED = "registered"
DISCARDED = "discarded"

_COLUMNS = "uuid, officer, case_id, status, data, created_at, updated_at"


@dataclass(frozen=True)
class DraftRow:
    uuid: str
    officer: str
    case_id: int | None  # set once registered (or, for a revision draft, the case it changes)
    status: str
    data: str
    created_at: str
    updated_at: str


def get(conn: sqlite3.Connection, uuid: str) -> DraftRow | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM drafts WHERE uuid = ?", (uuid,)).fetchone()
    return DraftRow(*tuple(row)) if row else None


def save(
    conn: sqlite3.Connection,
    uuid: str,
    officer: str,
    data: str,
    at: str,
    case_id: int | None = None,
) -> None:
    """Insert a draft or replace the content of an open one."""
    conn.execute(
        "INSERT INTO drafts (uuid, officer, case_id, status, data, created_at, updated_at) "
        "VALUES (?, ?, ?, 'open', ?, ?, ?) "
        "ON CONFLICT (uuid) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at "
        "WHERE drafts.status = 'open'",
        (uuid, officer, case_id, data, at, at),
    )


def close(
    conn: sqlite3.Connection, uuid: str, status: str, at: str, case_id: int | None = None
) -> bool:
    """Mark an open draft registered or discarded; False if it was no longer open."""
    cur = conn.execute(
        "UPDATE drafts SET status = ?, updated_at = ?, case_id = coalesce(?, case_id) "
        "WHERE uuid = ? AND status = 'open'",
        (status, at, case_id, uuid),
    )
    return cur.rowcount == 1


def open_drafts(conn: sqlite3.Connection, officer: str | None) -> list[DraftRow]:
    """Open drafts, newest first: one officer's, or everyone's when officer is None."""
    sql = f"SELECT {_COLUMNS} FROM drafts WHERE status = 'open'"
    params: tuple[str, ...] = ()
    if officer is not None:
        sql += " AND officer = ?"
        params = (officer,)
    rows = conn.execute(sql + " ORDER BY updated_at DESC", params).fetchall()
    return [DraftRow(*tuple(r)) for r in rows]
