"""Officer accounts. Passwords arrive already hashed: hashing is the services' business."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

ROLES = ("officer", "supervisor", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}


@dataclass(frozen=True)
class Officer:
    badge: str
    name: str
    role: str
    active: bool

    def has_role(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


def add(
    conn: sqlite3.Connection,
    badge: str,
    name: str,
    role: str,
    password_hash: str,
    created_at: str,
    created_by: str | None,
) -> None:
    conn.execute(
        "INSERT INTO officers (badge, name, role, password_hash, created_at, created_by) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (badge, name, role, password_hash, created_at, created_by),
    )


def get(conn: sqlite3.Connection, badge: str) -> Officer | None:
    row = conn.execute(
        "SELECT badge, name, role, active FROM officers WHERE badge = ?", (badge,)
    ).fetchone()
    return Officer(row[0], row[1], row[2], bool(row[3])) if row else None


def password_hash(conn: sqlite3.Connection, badge: str) -> str | None:
    row = conn.execute("SELECT password_hash FROM officers WHERE badge = ?", (badge,)).fetchone()
    return row[0] if row else None


def set_password_hash(conn: sqlite3.Connection, badge: str, hashed: str) -> None:
    conn.execute("UPDATE officers SET password_hash = ? WHERE badge = ?", (hashed, badge))


def all_officers(conn: sqlite3.Connection) -> list[Officer]:
    rows = conn.execute("SELECT badge, name, role, active FROM officers ORDER BY badge").fetchall()
    return [Officer(r[0], r[1], r[2], bool(r[3])) for r in rows]


def count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM officers").fetchone()[0])


def set_active(conn: sqlite3.Connection, badge: str, active: bool) -> None:
    conn.execute("UPDATE officers SET active = ? WHERE badge = ?", (int(active), badge))
