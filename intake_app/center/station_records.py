"""The center's handlers for what stations send besides cases: stop-payment outcomes, leads,
prevention events and instruction results (docs/sync-protocol.md). Each record is also kept as
received in `records`; duplicates and conflicts are judged there, by kind, uuid and revision.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from intake_app.domain.instructions import OUTCOMES as INSTRUCTION_OUTCOMES
from intake_app.domain.stop_payment import FROZEN, OUTCOMES, RETURNED, STOPPED
from intake_app.domain.sync_protocol import (
    INSTRUCTION_RESULT,
    LEAD,
    PREVENTION_EVENT,
    STOP_PAYMENT_OUTCOME,
    Record,
)

from intake_app.center.ingest import HANDLERS

MONEY_OUTCOMES = (STOPPED, FROZEN, RETURNED)


def _missing(data: dict[str, Any], fields: tuple[str, ...]) -> str:
    absent = [f for f in fields if not isinstance(data.get(f), str) or not data[f]]
    return f"{', '.join(absent)} missing" if absent else ""


def _check_outcome(record: Record) -> str:
    d = record.data
    problem = _missing(d, ("case_uuid", "item_uuid", "outcome", "at", "officer"))
    if problem:
        return problem
    if d["outcome"] not in OUTCOMES:
        return f"unknown outcome {d['outcome']!r}"
    amount = d.get("amount_fen")
    if amount is not None and (not isinstance(amount, int) or amount < 0):
        return "amount_fen is not a whole number of fen"
    return ""


def _apply_outcomes(conn: sqlite3.Connection, station: str, records: list[Record], at: str) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO stop_outcomes (uuid, station, case_uuid, case_no, item_uuid, "
        "tx_index, seq, outcome, at, amount_fen, until_utc, officer, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r.uuid,
                station,
                r.data["case_uuid"],
                str(r.data.get("case_no") or ""),
                r.data["item_uuid"],
                int(r.data.get("transaction") or 0),
                int(r.data.get("seq") or 0),
                r.data["outcome"],
                r.data["at"],
                r.data.get("amount_fen"),
                r.data.get("until_utc"),
                r.data["officer"],
                at,
            )
            for r in records
        ],
    )


def _check_outreach(record: Record) -> str:
    inner = record.data.get("record")
    if not isinstance(inner, dict) or inner.get("uuid") != record.uuid:
        return "the record is missing or names another uuid"
    return ""


def _outreach_row(record: Record) -> tuple[str, str]:
    """(day, one-line summary) of a lead or prevention event."""
    d = record.data["record"]
    if record.kind == LEAD:
        return str(d.get("received_at") or ""), f"{d.get('source', '')}: {d.get('summary', '')}"
    line = f"{d.get('kind', '')} {d.get('place', '')} {d.get('target_group', '')} "
    return str(d.get("held_on") or ""), line + f"{d.get('audience', '')}"


def _apply_outreach(conn: sqlite3.Connection, station: str, records: list[Record], at: str) -> None:
    """The newest revision of each: an older one arriving late is kept in records only."""
    conn.executemany(
        "INSERT INTO outreach (uuid, kind, station, revision, day, summary, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uuid) DO UPDATE SET "
        "revision = excluded.revision, day = excluded.day, summary = excluded.summary, "
        "received_at = excluded.received_at WHERE excluded.revision > outreach.revision",
        [(r.uuid, r.kind, station, r.revision, *_outreach_row(r), at) for r in records],
    )


def _check_result(record: Record) -> str:
    d = record.data
    problem = _missing(d, ("instruction_id", "outcome", "at", "officer"))
    if problem:
        return problem
    if d["outcome"] not in INSTRUCTION_OUTCOMES:
        return f"unknown outcome {d['outcome']!r}"
    return ""


def _apply_results(conn: sqlite3.Connection, station: str, records: list[Record], at: str) -> None:
    """A result counts only for an instruction issued to the station that sends it, and only
    the first one (an instruction is closed with one outcome); the record itself is kept."""
    conn.executemany(
        "INSERT OR IGNORE INTO instruction_results (uuid, instruction_id, station, outcome, at, "
        "officer, note, received_at) SELECT ?, ?, ?, ?, ?, ?, ?, ? "
        "WHERE EXISTS (SELECT 1 FROM instructions WHERE id = ?2 AND station = ?3) "
        "AND NOT EXISTS (SELECT 1 FROM instruction_results WHERE instruction_id = ?2)",
        [
            (
                r.uuid,
                r.data["instruction_id"],
                station,
                r.data["outcome"],
                r.data["at"],
                r.data["officer"],
                str(r.data.get("note") or ""),
                at,
            )
            for r in records
        ],
    )


HANDLERS[STOP_PAYMENT_OUTCOME] = (_check_outcome, _apply_outcomes)
HANDLERS[LEAD] = (_check_outreach, _apply_outreach)
HANDLERS[PREVENTION_EVENT] = (_check_outreach, _apply_outreach)
HANDLERS[INSTRUCTION_RESULT] = (_check_result, _apply_results)


def stop_payment(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Money stopped, frozen and returned per case, with the number of outcomes received."""
    sums = ", ".join(
        f"sum(CASE WHEN o.outcome = '{o}' THEN o.amount_fen ELSE 0 END) AS {o}_fen"
        for o in MONEY_OUTCOMES
    )
    rows = conn.execute(
        f"SELECT o.station, o.case_uuid, max(o.case_no) AS case_no, count(*) AS outcomes, {sums}, "
        "max(o.at) AS last_at, c.uuid IS NOT NULL AS case_received "
        "FROM stop_outcomes o LEFT JOIN cases c ON c.uuid = o.case_uuid "
        "GROUP BY o.station, o.case_uuid ORDER BY o.station, case_no"
    ).fetchall()
    return [{**dict(r), "case_received": bool(r["case_received"])} for r in rows]
