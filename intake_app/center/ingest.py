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
from functools import lru_cache
from typing import Any

from intake_app.domain.identifiers import normalize_identifier
from intake_app.domain.interchange import canonical_json
from intake_app.domain.sync_protocol import (
    ACCEPTED,
    CASE_REVISION,
    CASE_VOID,
    CONFLICT,
    DUPLICATE,
    RECORD_KINDS,
    REJECTED,
    Record,
    RecordResult,
    sha256_hex,
)

# Checks one record (a reason to reject it, or ""), then writes the accepted ones of a batch.
Check = Callable[[Record], str]
Apply = Callable[[sqlite3.Connection, str, list[Record], str], None]


def _in(conn: sqlite3.Connection, sql: str, values: list[str]) -> list[sqlite3.Row]:
    return list(conn.execute(sql.format(marks=", ".join("?" for _ in values)), values))


def _apply_cases(conn: sqlite3.Connection, station: str, records: list[Record], at: str) -> None:
    """The summary, identifiers and attachments follow the newest revision of each case."""
    newest: dict[str, Record] = {}
    for record in records:
        if record.uuid not in newest or record.revision > newest[record.uuid].revision:
            newest[record.uuid] = record
    uuids = list(newest)
    current = {
        r[0]: int(r[1])
        for r in _in(conn, "SELECT uuid, revision FROM cases WHERE uuid IN ({marks})", uuids)
    }
    # An older revision arriving late is kept in records; the summary stays.
    chosen = [r for u, r in newest.items() if current.get(u, 0) < r.revision]
    summaries, identifiers, attachments = [], [], []
    for record in chosen:
        case = record.data["case"]
        incident = case.get("incident") or {}
        summaries.append(
            (
                record.uuid,
                station,
                _text(record.data.get("case_no")),
                record.revision,
                record.sha256,
                _text(case.get("reported_at")),
                _text(incident.get("fraud_type")),
                at,
            )
        )
        identifiers += [(record.uuid, station, k, v) for k, v in case_identifiers(case)]
        attachments += [
            (record.uuid, a["sha256"])
            for a in case.get("attachments") or []
            if isinstance(a, dict) and isinstance(a.get("sha256"), str)
        ]
    replaced = [(r.uuid,) for r in chosen if r.uuid in current]
    conn.executemany("DELETE FROM identifiers WHERE uuid = ?", replaced)
    conn.executemany("DELETE FROM case_attachments WHERE uuid = ?", replaced)
    conn.executemany(
        "INSERT INTO cases (uuid, station, case_no, revision, sha256, reported_at, fraud_type, "
        "received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uuid) DO UPDATE SET "
        "revision = excluded.revision, sha256 = excluded.sha256, "
        "reported_at = excluded.reported_at, fraud_type = excluded.fraud_type, "
        "received_at = excluded.received_at",
        summaries,
    )
    conn.executemany(
        "INSERT INTO identifiers (uuid, station, kind, value) VALUES (?, ?, ?, ?)", identifiers
    )
    conn.executemany(
        "INSERT OR IGNORE INTO case_attachments (uuid, sha256) VALUES (?, ?)", attachments
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


@lru_cache(maxsize=65536)
def _normalized(kind: str, value: str) -> str:
    return normalize_identifier(kind, value)


def case_identifiers(case: dict[str, Any]) -> set[tuple[str, str]]:
    """The normalized suspect identifiers of a case, payee accounts included."""
    found: set[tuple[str, str]] = set()
    for item in case.get("identifiers") or []:
        if isinstance(item, dict):
            kind, value = str(item.get("kind") or ""), str(item.get("value") or "")
            normalized = _normalized(kind, value)
            if normalized:
                found.add((kind, normalized))
    for t in case.get("transactions") or []:
        if isinstance(t, dict) and t.get("payee_account"):
            normalized = _normalized("bank_account", str(t["payee_account"]))
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


def _check_void(record: Record) -> str:
    return "" if isinstance(record.data.get("void_reason"), str) else "void_reason is missing"


def _apply_voids(conn: sqlite3.Connection, station: str, records: list[Record], at: str) -> None:
    conn.executemany(
        "UPDATE cases SET status = 'voided' WHERE uuid = ? AND station = ?",
        [(r.uuid, station) for r in records],
    )


# Kinds whose uuid is a case's: only the station whose case it is may send them (a case's
# first revision makes its station the owner; the others need the case there first).
CASE_KEYED = {CASE_REVISION, CASE_VOID}

HANDLERS: dict[str, tuple[Check, Apply]] = {
    CASE_REVISION: (_check_case, _apply_cases),
    CASE_VOID: (_check_void, _apply_voids),
}


def ingest_records(
    conn: sqlite3.Connection, station: str, seq: int, records: list[Record], at: str
) -> list[RecordResult]:
    """Each record's result; the accepted ones written, conflicts quarantined."""
    uuids = sorted({r.uuid for r in records})
    kinds = sorted({r.kind for r in records})
    # Both parts of the primary key (kind, uuid, ...) so the look-up uses it.
    sql = (
        "SELECT kind, uuid, revision, sha256, station FROM records WHERE kind IN ({k}) "
        "AND uuid IN ({u})"
    ).format(k=", ".join("?" for _ in kinds), u=", ".join("?" for _ in uuids))
    known: dict[tuple[str, str, int], tuple[str, str]] = {
        (r[0], r[1], int(r[2])): (r[3], r[4]) for r in conn.execute(sql, [*kinds, *uuids])
    }
    owners = {
        r[0]: r[1]
        for r in _in(conn, "SELECT uuid, station FROM cases WHERE uuid IN ({marks})", uuids)
    }
    results: list[RecordResult] = []
    accepted: list[tuple[Record, str]] = []
    quarantined: list[tuple[Any, ...]] = []
    for record in records:
        status, reason, text = _judge(record, station, known, owners)
        if status == ACCEPTED:
            accepted.append((record, text))
            known[record.key] = (record.sha256, station)
            if record.kind == CASE_REVISION:
                owners.setdefault(record.uuid, station)
        elif status == CONFLICT:
            existing = known.get(record.key, ("", ""))[0]
            quarantined.append(
                (
                    record.kind,
                    record.uuid,
                    record.revision,
                    record.sha256,
                    existing,
                    station,
                    seq,
                    text,
                    at,
                )
            )
        results.append(
            RecordResult(record.kind, record.uuid, record.revision, record.sha256, status, reason)
        )
    conn.executemany(
        "INSERT INTO records (kind, uuid, revision, sha256, station, seq, data, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(r.kind, r.uuid, r.revision, r.sha256, station, seq, text, at) for r, text in accepted],
    )
    conn.executemany(
        "INSERT INTO quarantine (kind, uuid, revision, sha256, existing_sha256, station, seq, "
        "data, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        quarantined,
    )
    for kind, (_check, apply) in HANDLERS.items():
        mine = [r for r, _text in accepted if r.kind == kind]
        if mine:
            apply(conn, station, mine, at)
    return results


def _judge(
    record: Record,
    station: str,
    known: dict[tuple[str, str, int], tuple[str, str]],
    owners: dict[str, str],
) -> tuple[str, str, str]:
    """(status, reason, the record's canonical data) for one record."""
    if record.kind not in RECORD_KINDS:
        return REJECTED, f"unknown record kind {record.kind!r}", ""
    canonical = canonical_json(record.data)
    text = canonical.decode("utf-8")
    if sha256_hex(canonical) != record.sha256:
        return REJECTED, "sha256 does not match the record's content", text
    handler = HANDLERS.get(record.kind)
    problem = handler[0](record) if handler else ""
    if problem:
        return REJECTED, problem, text
    existing = known.get(record.key)
    if record.kind in CASE_KEYED:
        owner = owners.get(record.uuid)
        if owner is None and record.kind != CASE_REVISION:
            return REJECTED, "no case with this uuid at the center", text
        if existing is None and owner is not None and owner != station:
            existing = ("", owner)  # another station's case: a conflict, quarantined
    if existing is None:
        return ACCEPTED, "", text
    if existing == (record.sha256, station):
        return DUPLICATE, "", text
    return CONFLICT, "same uuid and revision with other content; quarantined", text


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
