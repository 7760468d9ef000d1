"""The record kinds a station sends to the center, in the order they go.

Each kind says how to find its records that the center has not acknowledged yet. Adding a kind
(stop-payment outcomes, instruction results, prevention events) is one `RecordKind` and one
`register_kind(...)` call, plus its name in domain/sync_protocol.RECORD_KINDS:

    register_kind(RecordKind("stop_payment_outcome", unsent=my_unsent, count=my_count))

`unsent(conn, limit, urgent_case_ids)` returns up to `limit` records, those of urgent cases
first; `count(conn)` says how many are waiting.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from intake_app.domain.sync_protocol import (
    CASE_REVISION,
    CASE_VOID,
    INSTRUCTION_RESULT,
    LEAD,
    PREVENTION_EVENT,
    RECORD_KINDS,
    STOP_PAYMENT_OUTCOME,
    Record,
    record_for,
)

from intake_app.store import instructions as instruction_rows
from intake_app.store import outreach as outreach_rows
from intake_app.store import stop_payment as stop_rows
from intake_app.store import sync as sync_rows

if TYPE_CHECKING:
    from intake_app.services.desk import Desk

Unsent = Callable[[sqlite3.Connection, int, set[int]], list[tuple[Record, list[str]]]]


@dataclass(frozen=True)
class RecordKind:
    name: str
    # (record, SHA-256 of the attachments it refers to) for records not yet acknowledged.
    unsent: Unsent
    count: Callable[[sqlite3.Connection], int]


KINDS: list[RecordKind] = []


def register_kind(kind: RecordKind) -> None:
    if any(k.name == kind.name for k in KINDS):
        raise ValueError(f"record kind {kind.name} registered twice")
    RECORD_KINDS.add(kind.name)
    KINDS.append(kind)


def urgent_case_ids(desk: Desk, now: datetime) -> set[int]:
    """Cases whose records go first: those with a stop-payment requested in the last 48 hours
    (services/stop_payment.urgent_case_ids)."""
    return set(desk.stop_payment.urgent_case_ids(now))


def _case_record(row: sqlite3.Row) -> Record:
    data = {
        "case": json.loads(row["data"]),
        "case_no": row["case_no"],
        "station_code": row["station_code"],
        "registered_at": row["registered_at"],
        "revised_at": row["created_at"],
        "revised_by": row["created_by"],
        "revision_sha256": row["sha256"],
    }
    return record_for(CASE_REVISION, row["uuid"], int(row["revision"]), data)


def _unsent_case_revisions(
    conn: sqlite3.Connection, limit: int, urgent: set[int]
) -> list[tuple[Record, list[str]]]:
    rows = sync_rows.unsent_case_revisions(conn, limit, urgent) if urgent else []
    seen = {(r["id"], r["revision"]) for r in rows}
    if len(rows) < limit:
        more = sync_rows.unsent_case_revisions(conn, limit)
        rows += [r for r in more if (r["id"], r["revision"]) not in seen][: limit - len(rows)]
    out = []
    for row in rows:
        record = _case_record(row)
        if row["id"] in urgent:
            record = replace(record, urgent=True)
        out.append(
            (record, sync_rows.revision_attachments(conn, int(row["id"]), int(row["revision"])))
        )
    return out


register_kind(
    RecordKind(CASE_REVISION, _unsent_case_revisions, sync_rows.count_unsent_case_revisions)
)


def _unsent_voids(
    conn: sqlite3.Connection, limit: int, urgent: set[int]
) -> list[tuple[Record, list[str]]]:
    out: list[tuple[Record, list[str]]] = []
    for row in sync_rows.unsent_voids(conn, limit):
        data = {
            "case_no": row["case_no"],
            "revision": row["revision"],
            "voided_at": row["voided_at"],
            "voided_by": row["voided_by"],
            "void_reason": row["void_reason"],
        }
        out.append((record_for(CASE_VOID, row["uuid"], 1, data), []))
    return out


register_kind(RecordKind(CASE_VOID, _unsent_voids, sync_rows.count_unsent_voids))


# Kinds whose records are one row each (uuid, revision, data), sent once per uuid and revision --

Row = tuple[str, int, dict[str, Any], str]  # uuid, revision, data, case uuid or ""
Rows = Callable[[sqlite3.Connection], list[Row]]


def register_rows_kind(name: str, rows: Rows) -> None:
    """A kind read as (uuid, revision, data, case uuid or "") rows, every row not yet
    answered by the center going up; those of urgent cases first."""

    def fresh(conn: sqlite3.Connection) -> list[Row]:
        answered = sync_rows.answered_keys(conn, name)
        return [r for r in rows(conn) if (r[0], r[1]) not in answered]

    def unsent(
        conn: sqlite3.Connection, limit: int, urgent: set[int]
    ) -> list[tuple[Record, list[str]]]:
        urgent_uuids = sync_rows.case_uuids(conn, urgent)
        out: list[tuple[Record, list[str]]] = [
            (replace(record_for(name, uuid, rev, data), urgent=case in urgent_uuids), [])
            for uuid, rev, data, case in fresh(conn)
        ]
        out.sort(key=lambda item: not item[0].urgent)  # stable: oldest first otherwise
        return out[:limit]

    register_kind(RecordKind(name, unsent, lambda conn: len(fresh(conn))))


def _stop_outcomes(conn: sqlite3.Connection) -> list[Row]:
    out: list[Row] = []
    for row in stop_rows.outcome_records(conn):
        data = {k: v for k, v in row.items() if k != "uuid"}
        out.append((str(row["uuid"]), 1, data, str(row["case_uuid"])))
    return out


register_rows_kind(STOP_PAYMENT_OUTCOME, _stop_outcomes)


def _outreach_rows(record_type: str) -> Rows:
    """The newest revision of each lead or prevention event (store/outreach.changed_since)."""

    def rows(conn: sqlite3.Connection) -> list[Row]:
        return [
            (
                str(r["uuid"]),
                int(r["revision"]),
                {
                    "record": json.loads(r["data"]),
                    "updated_at": r["updated_at"],
                    "revision_sha256": r["sha256"],
                },
                "",
            )
            for r in outreach_rows.changed_since(conn, record_type, None)
        ]

    return rows


register_rows_kind(LEAD, _outreach_rows("lead"))
register_rows_kind(PREVENTION_EVENT, _outreach_rows("prevention"))


def _instruction_results(conn: sqlite3.Connection) -> list[Row]:
    out: list[Row] = []
    for r in instruction_rows.result_records(conn):
        data = dict(r)
        out.append((str(data.pop("uuid")), 1, data, ""))
    return out


register_rows_kind(INSTRUCTION_RESULT, _instruction_results)
