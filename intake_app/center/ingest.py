"""Records into the center's tables, inside the batch's transaction; links and completeness.

Each record is accepted (new), a duplicate (same kind, uuid, revision and hash as before), a
conflict (same kind, uuid and revision, other content: quarantined, the first stays) or rejected
with a reason (unknown kind, wrong hash, a case that does not read). Kinds with more to do than
keeping the record (cases: the summary, identifiers for linking, attachments) have a handler in
HANDLERS; a new kind that only needs keeping needs nothing here.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable
from typing import Any

from intake_app.domain.identifiers import normalize_identifier
from intake_app.domain.interchange import canonical_json
from intake_app.domain.sync_protocol import (
    ACCEPTED,
    CASE_REVISION,
    CONFLICT,
    DUPLICATE,
    RECORD_KINDS,
    REJECTED,
    Record,
    RecordResult,
    sha256_hex,
)

Handler = Callable[[sqlite3.Connection, str, Record, str], None]


def _case_handler(conn: sqlite3.Connection, station: str, record: Record, at: str) -> None:
    data = record.data
    case = data["case"]
    current = conn.execute("SELECT revision FROM cases WHERE uuid = ?", (record.uuid,)).fetchone()
    if current is not None and int(current[0]) >= record.revision:
        return  # an older revision arriving late: kept in records, the summary stays
    incident = case.get("incident") or {}
    conn.execute(
        "INSERT INTO cases (uuid, station, case_no, revision, sha256, reported_at, fraud_type, "
        "received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uuid) DO UPDATE SET "
        "revision = excluded.revision, sha256 = excluded.sha256, "
        "reported_at = excluded.reported_at, fraud_type = excluded.fraud_type, "
        "received_at = excluded.received_at",
        (
            record.uuid,
            station,
            str(data.get("case_no", "")),
            record.revision,
            record.sha256,
            _text(case.get("reported_at")),
            _text(incident.get("fraud_type")),
            at,
        ),
    )
    if current is not None:
        conn.execute("DELETE FROM identifiers WHERE uuid = ?", (record.uuid,))
        conn.execute("DELETE FROM case_attachments WHERE uuid = ?", (record.uuid,))
    conn.executemany(
        "INSERT INTO identifiers (uuid, station, kind, value) VALUES (?, ?, ?, ?)",
        [(record.uuid, station, kind, value) for kind, value in case_identifiers(case)],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO case_attachments (uuid, sha256) VALUES (?, ?)",
        [
            (record.uuid, a["sha256"])
            for a in case.get("attachments") or []
            if isinstance(a, dict) and isinstance(a.get("sha256"), str)
        ],
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def case_identifiers(case: dict[str, Any]) -> set[tuple[str, str]]:
    """The normalized suspect identifiers of a case, payee accounts included."""
    found: set[tuple[str, str]] = set()
    for item in case.get("identifiers") or []:
        if isinstance(item, dict):
            kind, value = str(item.get("kind") or ""), str(item.get("value") or "")
            normalized = normalize_identifier(kind, value)
            if normalized:
                found.add((kind, normalized))
    for t in case.get("transactions") or []:
        if isinstance(t, dict) and t.get("payee_account"):
            normalized = normalize_identifier("bank_account", str(t["payee_account"]))
            if normalized:
                found.add(("bank_account", normalized))
    return found


def _check_case(record: Record) -> str:
    case = record.data.get("case")
    if not isinstance(case, dict) or case.get("uuid") != record.uuid:
        return "the case record is missing or names another uuid"
    for key in ("identifiers", "transactions", "attachments"):
        if not isinstance(case.get(key) or [], list):
            return f"case.{key} is not a list"
    if not isinstance(case.get("incident") or {}, dict):
        return "case.incident is not an object"
    return ""


HANDLERS: dict[str, tuple[Callable[[Record], str], Handler]] = {
    CASE_REVISION: (_check_case, _case_handler),
}


def ingest_records(
    conn: sqlite3.Connection, station: str, seq: int, records: Iterable[Record], at: str
) -> list[RecordResult]:
    results = []
    for record in records:
        status, reason = _ingest_one(conn, station, seq, record, at)
        results.append(
            RecordResult(record.kind, record.uuid, record.revision, record.sha256, status, reason)
        )
    return results


def _ingest_one(
    conn: sqlite3.Connection, station: str, seq: int, record: Record, at: str
) -> tuple[str, str]:
    if record.kind not in RECORD_KINDS:
        return REJECTED, f"unknown record kind {record.kind!r}"
    data_text = canonical_json(record.data).decode("utf-8")
    if sha256_hex(data_text.encode("utf-8")) != record.sha256:
        return REJECTED, "sha256 does not match the record's content"
    handler = HANDLERS.get(record.kind)
    if handler is not None:
        problem = handler[0](record)
        if problem:
            return REJECTED, problem
    existing = conn.execute(
        "SELECT sha256, station FROM records WHERE kind = ? AND uuid = ? AND revision = ?",
        (record.kind, record.uuid, record.revision),
    ).fetchone()
    if existing is None and record.kind == CASE_REVISION:
        owner = conn.execute("SELECT station FROM cases WHERE uuid = ?", (record.uuid,)).fetchone()
        if owner is not None and owner[0] != station:
            existing = ("", owner[0])
    if existing is not None:
        if existing[0] == record.sha256 and existing[1] == station:
            return DUPLICATE, ""
        conn.execute(
            "INSERT INTO quarantine (kind, uuid, revision, sha256, existing_sha256, station, seq, "
            "data, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.kind,
                record.uuid,
                record.revision,
                record.sha256,
                existing[0],
                station,
                seq,
                data_text,
                at,
            ),
        )
        return CONFLICT, "same uuid and revision with other content; quarantined"
    conn.execute(
        "INSERT INTO records (kind, uuid, revision, sha256, station, seq, data, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (record.kind, record.uuid, record.revision, record.sha256, station, seq, data_text, at),
    )
    if handler is not None:
        handler[1](conn, station, record, at)
    return ACCEPTED, ""


def missing_attachments(conn: sqlite3.Connection, hashes: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(hashes))
    if not wanted:
        return []
    have = {
        r[0]
        for r in conn.execute(
            f"SELECT sha256 FROM attachments WHERE complete = 1 AND sha256 IN "
            f"({', '.join('?' for _ in wanted)})",
            wanted,
        )
    }
    return [h for h in wanted if h not in have]


def incomplete_cases(conn: sqlite3.Connection, lock: threading.RLock) -> set[str]:
    with lock:
        return {
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT ca.uuid FROM case_attachments ca "
                "LEFT JOIN attachments a ON a.sha256 = ca.sha256 "
                "WHERE a.complete IS NOT 1"
            )
        }


def links(conn: sqlite3.Connection, lock: threading.RLock, min_cases: int) -> list[dict[str, Any]]:
    """Identifiers found in `min_cases` or more cases, with the cases and their stations."""
    with lock:
        rows = conn.execute(
            "SELECT i.kind, i.value, count(DISTINCT i.uuid) AS cases, "
            "count(DISTINCT i.station) AS stations, "
            "json_group_array(DISTINCT c.station || ' ' || c.case_no) AS case_list "
            "FROM identifiers i JOIN cases c ON c.uuid = i.uuid "
            "GROUP BY i.kind, i.value HAVING count(DISTINCT i.uuid) >= ? "
            "ORDER BY stations DESC, cases DESC, i.kind, i.value",
            (min_cases,),
        ).fetchall()
    return [
        {
            "kind": r["kind"],
            "value": r["value"],
            "cases": r["cases"],
            "stations": r["stations"],
            "case_list": sorted(json.loads(r["case_list"])),
        }
        for r in rows
    ]


def watchlist(conn: sqlite3.Connection, lock: threading.RLock) -> list[dict[str, Any]]:
    """Identifiers seen at two or more stations, and those the center flagged."""
    with lock:
        rows = conn.execute(
            "SELECT kind, value, count(DISTINCT uuid), count(DISTINCT station) FROM identifiers "
            "GROUP BY kind, value HAVING count(DISTINCT station) >= 2"
        ).fetchall()
        flagged = conn.execute("SELECT kind, value FROM watch").fetchall()
        out = {
            (r[0], r[1]): {
                "kind": r[0],
                "value": r[1],
                "cases": r[2],
                "stations": r[3],
                "reason": "linked",
            }
            for r in rows
        }
        for kind, value in flagged:
            if (kind, value) in out:
                out[(kind, value)]["reason"] = "flagged"
                continue
            counts = conn.execute(
                "SELECT count(DISTINCT uuid), count(DISTINCT station) FROM identifiers "
                "WHERE kind = ? AND value = ?",
                (kind, value),
            ).fetchone()
            out[(kind, value)] = {
                "kind": kind,
                "value": value,
                "cases": counts[0],
                "stations": counts[1],
                "reason": "flagged",
            }
    return sorted(out.values(), key=lambda w: (w["kind"], w["value"]))
