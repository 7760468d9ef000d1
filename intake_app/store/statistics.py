"""The SQL behind the statistics: counts and sums per Beijing day or per group, for a range of
days. Each query reads one index (m008: cases_stats_day, prevention_held), never the tables, so
it stays quick at 200,000 cases (bench/bench_statistics.py)."""

from __future__ import annotations

import sqlite3

# A case's Beijing day from its UTC time (China has kept UTC+8 all year since 1991). The
# fraction of a second is cut off first: SQLite rounds 23:59:59.9999995 up to the next day.
# Must read exactly as in the index cases_stats_day (migration m008).
CASE_DAY = "date(substr(reported_utc, 1, 19), '+8 hours')"
LEAD_DAY = "date(substr(received_utc, 1, 19), '+8 hours')"
REGISTERED = "registered"

Rows = list[tuple[str, tuple[int, ...]]]


def _rows(conn: sqlite3.Connection, sql: str, params: tuple[object, ...]) -> Rows:
    return [(str(r[0]), tuple(int(v or 0) for v in r[1:])) for r in conn.execute(sql, params)]


def cases_by_day(conn: sqlite3.Connection, first: str, last: str) -> Rows:
    """(day, (cases, loss in fen)) for registered cases reported in the range."""
    return _rows(
        conn,
        f"SELECT {CASE_DAY}, count(*), total(total_loss_fen) FROM cases "
        f"WHERE status = ? AND {CASE_DAY} BETWEEN ? AND ? GROUP BY {CASE_DAY}",
        (REGISTERED, first, last),
    )


def cases_by_type(conn: sqlite3.Connection, first: str, last: str) -> Rows:
    """(fraud type, (cases, loss in fen)) for registered cases reported in the range."""
    return _rows(
        conn,
        f"SELECT fraud_type, count(*), total(total_loss_fen) FROM cases "
        f"WHERE status = ? AND {CASE_DAY} BETWEEN ? AND ? GROUP BY fraud_type",
        (REGISTERED, first, last),
    )


def prevention_by_group(conn: sqlite3.Connection, first: str, last: str) -> Rows:
    """(target group, (events, audience)) for prevention events held in the range."""
    return _rows(
        conn,
        "SELECT target_group, count(*), total(audience) FROM prevention_events "
        "WHERE held_on BETWEEN ? AND ? GROUP BY target_group",
        (first, last),
    )


def prevention_by_day(conn: sqlite3.Connection, first: str, last: str) -> Rows:
    """(day, (events, audience)) for prevention events held in the range."""
    return _rows(
        conn,
        "SELECT held_on, count(*), total(audience) FROM prevention_events "
        "WHERE held_on BETWEEN ? AND ? GROUP BY held_on",
        (first, last),
    )


def leads_by_day(conn: sqlite3.Connection, first: str, last: str) -> Rows:
    """(day, (leads,)) for leads received in the range."""
    return _rows(
        conn,
        f"SELECT {LEAD_DAY}, count(*) FROM leads WHERE {LEAD_DAY} BETWEEN ? AND ? "
        f"GROUP BY {LEAD_DAY}",
        (first, last),
    )


def stop_money_by_day(conn: sqlite3.Connection, first: str, last: str) -> Rows:
    """(day, (stopped, frozen, returned in fen)) of stop-payment outcomes recorded in the range,
    of registered cases; a second stop of the same money is not counted again. Outcome times
    are stored in Beijing time, so their day is their first ten characters."""
    return _rows(
        conn,
        "SELECT substr(o.at, 1, 10) AS day, "
        "total(CASE o.outcome WHEN 'stopped' THEN o.amount_fen END), "
        "total(CASE o.outcome WHEN 'frozen' THEN o.amount_fen END), "
        "total(CASE o.outcome WHEN 'returned' THEN o.amount_fen END) "
        "FROM stop_outcomes o JOIN stop_items i ON i.id = o.item_id "
        "JOIN cases c ON c.id = i.case_id "
        "WHERE c.status = ? AND o.outcome IN ('stopped', 'frozen', 'returned') "
        "AND substr(o.at, 1, 10) BETWEEN ? AND ? GROUP BY day",
        (REGISTERED, first, last),
    )


def table_exists(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None
