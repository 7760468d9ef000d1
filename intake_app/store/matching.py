"""Looking normalized numbers up in the search terms of cases (case_terms) and leads."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

# SQLite allows 32,766 parameters; a seized list is looked up in chunks well below that.
CHUNK = 500


def case_hits(
    conn: sqlite3.Connection, terms: Sequence[str], kinds: Sequence[str]
) -> list[sqlite3.Row]:
    """(term, kind, case_no, status, fraud_type, reported_at, total_loss_fen) for every case
    whose index holds one of the terms under one of the kinds (index case_terms_term_case)."""
    return _chunked(
        conn,
        "SELECT t.term, t.kind, c.case_no, c.status, c.fraud_type, c.reported_at, "
        "c.total_loss_fen FROM case_terms t JOIN cases c ON c.id = t.case_id "
        "WHERE t.term IN ({terms}) AND t.kind IN ({kinds}) ORDER BY c.reported_utc DESC, c.id DESC",
        terms,
        kinds,
    )


def lead_hits(
    conn: sqlite3.Connection, terms: Sequence[str], kinds: Sequence[str]
) -> list[sqlite3.Row]:
    """(term, kind, uuid, received_at, summary) for every lead holding one of the terms."""
    return _chunked(
        conn,
        "SELECT t.term, t.kind, l.uuid, l.received_at, l.summary FROM lead_terms t "
        "JOIN leads l ON l.id = t.lead_id WHERE t.term IN ({terms}) AND t.kind IN ({kinds}) "
        "ORDER BY l.received_utc DESC, l.id DESC",
        terms,
        kinds,
    )


def _chunked(
    conn: sqlite3.Connection, sql: str, terms: Sequence[str], kinds: Sequence[str]
) -> list[sqlite3.Row]:
    found: list[sqlite3.Row] = []
    kind_marks = ", ".join("?" for _ in kinds)
    for start in range(0, len(terms), CHUNK):
        chunk = list(terms[start : start + CHUNK])
        marks = ", ".join("?" for _ in chunk)
        query = sql.format(terms=marks, kinds=kind_marks)
        found += conn.execute(query, (*chunk, *kinds)).fetchall()
    return found
