"""The center's instructions as the station handles them: acknowledged, then one outcome each
(tables of m010_instruction_results; the instructions themselves are in sync_instructions)."""

from __future__ import annotations

import sqlite3
from typing import Any

from intake_app.domain.instructions import ALREADY_DEFRAUDED, DISSUADED, NOT_REACHED

_LIST = """
    SELECT i.id, i.kind, i.text, i.deadline, i.issued_at, i.received_at, i.subject,
           a.officer AS acknowledged_by, a.at AS acknowledged_at,
           r.uuid AS result_uuid, r.outcome, r.at AS outcome_at, r.note, r.officer AS outcome_by
    FROM sync_instructions i
    LEFT JOIN instruction_acks a ON a.instruction_id = i.id
    LEFT JOIN instruction_results r ON r.instruction_id = i.id
"""


def listing(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return list(conn.execute(_LIST))


def one(conn: sqlite3.Connection, ident: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(_LIST + " WHERE i.id = ?", (ident,)).fetchone()
    return row


def acknowledge(conn: sqlite3.Connection, ident: str, officer: str, at: str) -> bool:
    """True if this was the first acknowledgement."""
    cur = conn.execute(
        "INSERT OR IGNORE INTO instruction_acks (instruction_id, officer, at) VALUES (?, ?, ?)",
        (ident, officer, at),
    )
    return cur.rowcount == 1


def add_result(conn: sqlite3.Connection, row: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO instruction_results (uuid, instruction_id, outcome, at, note, officer, "
        "recorded_at) VALUES (:uuid, :instruction_id, :outcome, :at, :note, :officer, "
        ":recorded_at)",
        row,
    )


def result_records(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every result with its instruction's kind, oldest first: what a sync sends."""
    return list(
        conn.execute(
            "SELECT r.uuid, r.instruction_id, i.kind, r.outcome, r.at, r.officer, r.note, "
            "r.recorded_at FROM instruction_results r "
            "JOIN sync_instructions i ON i.id = r.instruction_id ORDER BY r.recorded_at, r.uuid"
        )
    )


def dissuasion_by_day(
    conn: sqlite3.Connection, first: str, last: str
) -> list[tuple[str, tuple[int, ...]]]:
    """(day, (dissuaded, not reached, already defrauded)) of outcomes in a range of Beijing
    days (`at` is stored in Beijing time: its day is its first ten characters)."""
    found = conn.execute(
        "SELECT substr(at, 1, 10) AS day, "
        f"total(outcome = '{DISSUADED}'), total(outcome = '{NOT_REACHED}'), "
        f"total(outcome = '{ALREADY_DEFRAUDED}') FROM instruction_results "
        "WHERE substr(at, 1, 10) BETWEEN ? AND ? GROUP BY day",
        (first, last),
    )
    return [(str(r[0]), tuple(int(v) for v in r[1:])) for r in found]
