"""Stop-payment items and their outcomes (tables of migration m006).

An item is the summary of one transaction naming a payee account; it follows the newest
revision of its case (`sync_case`, matching by payee account, time and amount), and is marked
inactive, never deleted, when a revision drops or changes the transaction. Outcomes are
append-only (triggers refuse UPDATE and DELETE); the item's `state` column caches the newest
outcome for the queue's index.
"""

from __future__ import annotations

import json
import sqlite3
import uuid as uuidlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from intake_app.domain.errors import IntakeError
from intake_app.domain.identifiers import normalize_account
from intake_app.domain.model import Transaction
from intake_app.domain.money import parse_yuan
from intake_app.domain.stop_payment import CLOSED, REQUESTED, STATES, Outcome
from intake_app.domain.times import SHANGHAI, format_time, parse_time, utc_stamp

# Items are named by their case's uuid and the transaction's position when first made (see
# `_new_item_uuid`); the uuid is stored and kept when the item moves, and the sync sends it.
ITEM_NAMESPACE = uuidlib.UUID("0b7e3c52-5d1f-4e8a-9a44-5b1c2d3e4f50")

ITEM_COLUMNS = (
    "i.id, i.uuid, i.case_id, i.tx_index, i.active, i.transfer_at, i.amount_fen, i.method, "
    "i.payer_bank, i.payer_account, i.payee_name, i.payee_bank, i.payee_account, i.serial_no, "
    "i.state, c.case_no, c.uuid, c.status, c.registered_at"
)


@dataclass(frozen=True)
class ItemRow:
    id: int
    uuid: str
    case_id: int
    tx_index: int
    active: bool
    transfer_at: str
    amount_fen: int
    method: str
    payer_bank: str
    payer_account: str
    payee_name: str
    payee_bank: str
    payee_account: str
    serial_no: str
    state: str
    case_no: str
    case_uuid: str
    case_status: str
    registered_at: str  # UTC stamp

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> ItemRow:
        values = list(row)
        values[4] = bool(values[4])
        return cls(*values)


def item_uuid(case_uuid: str, tx_index: int) -> str:
    return str(uuidlib.uuid5(ITEM_NAMESPACE, f"{case_uuid}:{tx_index}"))


def _new_item_uuid(
    case_uuid: str, tx_index: int, key: tuple[str, str, int], taken: set[str]
) -> str:
    """The uuid of a new item: from the case and the position while that is free (as every item
    made before m011 was named); once an item that moved or was dropped holds it, from the
    case and the transaction's key, counted on until free."""
    found = item_uuid(case_uuid, tx_index)
    n = 0
    while found in taken:
        n += 1
        name = f"{case_uuid}:{key[0]}:{key[1]}:{key[2]}:{n}"
        found = str(uuidlib.uuid5(ITEM_NAMESPACE, name))
    taken.add(found)
    return found


def item_key(payee_account: str, transfer_utc: str, amount_fen: int) -> tuple[str, str, int]:
    """What ties an item to its transaction from one revision to the next: the payee account
    (normalized), when the money went and how much."""
    return (normalize_account(payee_account), transfer_utc, amount_fen)


def payee_transactions(transactions: Sequence[Transaction]) -> list[tuple[int, Transaction]]:
    """The transactions that become items: those naming a payee account, with a time and an
    amount (validation refuses a case without them)."""
    return [
        (i, t)
        for i, t in enumerate(transactions)
        if t.payee_account.strip() and t.at is not None and t.amount_fen is not None
    ]


def sync_case(
    conn: sqlite3.Connection,
    case_id: int,
    case_uuid: str,
    transactions: Sequence[Transaction],
    at: str,
    *,
    new: bool = False,
) -> None:
    """Make the case's items match its newest revision. Call inside the write transaction.

    Each transaction keeps the item of the same key (`item_key`), active or not, wherever the
    revision puts it; an item whose key no transaction has any more is made inactive. A
    changed account, time or amount is a new item, so outcomes never move to other money.
    `new`: the case was just registered, so it has no items yet (one statement fewer per case
    on import)."""
    spare: dict[tuple[str, str, int], list[int]] = {}
    taken: set[str] = set()
    if not new:
        # Active items first, then by position: the ones a transaction most likely keeps.
        rows = conn.execute(
            "SELECT id, uuid, payee_account, transfer_utc, amount_fen FROM stop_items "
            "WHERE case_id = ? ORDER BY active DESC, tx_index, id",
            (case_id,),
        ).fetchall()
        for item_id, uuid, account, transfer_utc, amount_fen in rows:
            spare.setdefault(item_key(account, transfer_utc, amount_fen), []).append(item_id)
            taken.add(uuid)
        # Positions are unique among active items only: free them all, then take them again.
        conn.execute("UPDATE stop_items SET active = 0 WHERE case_id = ?", (case_id,))
    inserts = []
    for index, t in payee_transactions(transactions):
        assert t.at is not None and t.amount_fen is not None
        transfer_utc = utc_stamp(t.at)
        key = item_key(t.payee_account, transfer_utc, t.amount_fen)
        values = (
            format_time(t.at),
            transfer_utc,
            t.amount_fen,
            t.method,
            t.payer_bank,
            t.payer_account,
            t.payee_name,
            t.payee_bank,
            t.payee_account.strip(),
            t.serial_no,
        )
        same = spare.get(key)
        if not same:
            uuid = _new_item_uuid(case_uuid, index, key, taken)
            inserts.append((uuid, case_id, index, *values, at))
            continue
        conn.execute(
            "UPDATE stop_items SET active = 1, tx_index = ?, transfer_at = ?, transfer_utc = ?, "
            "amount_fen = ?, method = ?, payer_bank = ?, payer_account = ?, payee_name = ?, "
            "payee_bank = ?, payee_account = ?, serial_no = ? WHERE id = ?",
            (index, *values, same.pop(0)),
        )
    if inserts:
        conn.executemany(
            "INSERT INTO stop_items (uuid, case_id, tx_index, transfer_at, transfer_utc, "
            "amount_fen, method, payer_bank, payer_account, payee_name, payee_bank, "
            "payee_account, serial_no, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            inserts,
        )


def backfill_items(conn: sqlite3.Connection) -> None:
    """Items for every case already registered, from its newest revision (migration m006).
    SQLite picks out the transactions naming a payee account, so only those are parsed."""
    rows = conn.execute(
        "SELECT c.id, c.uuid, c.registered_at, t.key, t.value FROM cases c "
        "JOIN case_revisions r ON r.case_id = c.id AND r.revision = c.revision, "
        "json_each(r.data, '$.transactions') t "
        "WHERE trim(COALESCE(json_extract(t.value, '$.payee_account'), '')) != '' "
        "ORDER BY c.id, t.key"
    ).fetchall()
    by_case: dict[tuple[int, str, str], list[Transaction]] = {}
    for case_id, case_uuid, registered_at, index, text in rows:
        transactions = by_case.setdefault((case_id, case_uuid, registered_at), [])
        transactions += [Transaction() for _ in range(int(index) - len(transactions))]
        raw = json.loads(text)
        try:
            transactions.append(
                Transaction(
                    at=parse_time(raw.get("at") or "", "at"),
                    amount_fen=parse_yuan(raw.get("amount") or "", "amount"),
                    method=raw.get("method") or "",
                    payer_bank=raw.get("payer_bank") or "",
                    payer_account=raw.get("payer_account") or "",
                    payee_name=raw.get("payee_name") or "",
                    payee_bank=raw.get("payee_bank") or "",
                    payee_account=raw.get("payee_account") or "",
                    serial_no=raw.get("serial_no") or "",
                )
            )
        except IntakeError:
            transactions.append(Transaction())  # keeps the positions of the others
    for (case_id, case_uuid, registered_at), transactions in by_case.items():
        sync_case(conn, case_id, case_uuid, transactions, registered_at, new=True)


# Reading items ---------------------------------------------------------------------------------


def _items(conn: sqlite3.Connection, where: str, params: Sequence[Any]) -> list[ItemRow]:
    rows = conn.execute(
        # CROSS JOIN: items first, through their own indexes (state, id, uuid, case).
        f"SELECT {ITEM_COLUMNS} FROM stop_items i CROSS JOIN cases c ON c.id = i.case_id "
        f"WHERE {where} ORDER BY i.transfer_utc, i.id",
        tuple(params),
    ).fetchall()
    return [ItemRow.from_row(r) for r in rows]


def open_items(
    conn: sqlite3.Connection, registered_since: str = "", transferred_since: str = ""
) -> list[ItemRow]:
    """Items still to act on: active, of a registered case, not failed, released or returned;
    an item never requested only if its case was registered and its money sent since the
    stamps given."""
    still_open = [state for state in STATES if state not in CLOSED]
    marks = ", ".join("?" for _ in still_open)
    # IN, not NOT IN: the index on (state, active) then finds the few open items directly.
    return _items(
        conn,
        f"i.state IN ({marks}) AND i.active = 1 AND c.status = 'registered' AND NOT "
        "(i.state = 'pending' AND (c.registered_at < ? OR i.transfer_utc < ?))",
        [*still_open, registered_since, transferred_since],
    )


def all_items(conn: sqlite3.Connection) -> list[ItemRow]:
    return _items(conn, "i.active = 1 AND c.status = 'registered'", ())


def case_items(conn: sqlite3.Connection, case_id: int) -> list[ItemRow]:
    return _items(conn, "i.active = 1 AND i.case_id = ?", (case_id,))


def item_by_ref(conn: sqlite3.Connection, ref: str) -> ItemRow | None:
    """An item by its number on this desk or its uuid."""
    ref = ref.strip()
    if ref.isdigit():
        found = _items(conn, "i.id = ?", (int(ref),))
    else:
        found = _items(conn, "i.uuid = ?", (ref.lower(),))
    return found[0] if found else None


def items_by_ids(conn: sqlite3.Connection, ids: Iterable[int]) -> list[ItemRow]:
    wanted = list(ids)
    if not wanted:
        return []
    marks = ", ".join("?" for _ in wanted)
    return _items(conn, f"i.id IN ({marks})", wanted)


# Outcomes ----------------------------------------------------------------------------------------


def outcomes(conn: sqlite3.Connection, item_ids: Iterable[int]) -> dict[int, list[Outcome]]:
    """The outcomes of items, oldest first."""
    wanted = list(item_ids)
    found: dict[int, list[Outcome]] = {i: [] for i in wanted}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        rows = conn.execute(
            "SELECT item_id, outcome, at, officer, amount_fen, until_utc, reason, approval, "
            f"note, uuid FROM stop_outcomes WHERE item_id IN ({marks}) ORDER BY item_id, seq",
            chunk,
        ).fetchall()
        for r in rows:
            found[int(r[0])].append(
                Outcome(
                    outcome=r[1],
                    at=parse_time(r[2], "at"),
                    officer=r[3],
                    amount_fen=r[4],
                    until=parse_time(r[5], "until") if r[5] else None,
                    reason=r[6],
                    approval=r[7],
                    note=r[8],
                    uuid=r[9],
                )
            )
    return found


def append_outcome(
    conn: sqlite3.Connection, item_id: int, outcome: Outcome, recorded_at: str
) -> str:
    """Add an outcome (inside the write transaction) and cache the item's new state; returns
    the outcome's uuid."""
    if not conn.in_transaction:
        raise RuntimeError("append_outcome must run inside a write transaction")
    seq = conn.execute(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM stop_outcomes WHERE item_id = ?", (item_id,)
    ).fetchone()[0]
    uuid = outcome.uuid or str(uuidlib.uuid4())
    conn.execute(
        "INSERT INTO stop_outcomes (uuid, item_id, seq, outcome, at, at_utc, amount_fen, "
        "until_utc, reason, approval, note, officer, recorded_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            uuid,
            item_id,
            seq,
            outcome.outcome,
            format_time(outcome.at.astimezone(SHANGHAI)),
            utc_stamp(outcome.at),
            outcome.amount_fen,
            utc_stamp(outcome.until) if outcome.until else None,
            outcome.reason,
            outcome.approval,
            outcome.note,
            outcome.officer,
            recorded_at,
        ),
    )
    conn.execute("UPDATE stop_items SET state = ? WHERE id = ?", (outcome.outcome, item_id))
    return uuid


def outcome_rows(
    conn: sqlite3.Connection, kinds: Sequence[str], since: datetime | None = None
) -> list[tuple[int, str, str, int]]:
    """(item id, outcome, local time, amount) of outcomes of some kinds, of registered cases."""
    marks = ", ".join("?" for _ in kinds)
    sql = (
        "SELECT o.item_id, o.outcome, o.at, COALESCE(o.amount_fen, 0) FROM stop_outcomes o "
        "JOIN stop_items i ON i.id = o.item_id JOIN cases c ON c.id = i.case_id "
        f"WHERE c.status = 'registered' AND o.outcome IN ({marks})"
    )
    params: list[Any] = list(kinds)
    if since is not None:
        sql += " AND o.at_utc >= ?"
        params.append(utc_stamp(since))
    return [(int(r[0]), r[1], r[2], int(r[3])) for r in conn.execute(sql, params)]


def requested_case_ids(conn: sqlite3.Connection, since: datetime, until: datetime) -> list[int]:
    """Registered cases with a request made between two times, the newest request first."""
    rows = conn.execute(
        "SELECT i.case_id, MAX(o.at_utc) AS newest FROM stop_outcomes o "
        "JOIN stop_items i ON i.id = o.item_id JOIN cases c ON c.id = i.case_id "
        "WHERE o.outcome = ? AND o.at_utc >= ? AND o.at_utc <= ? AND c.status = 'registered' "
        "GROUP BY i.case_id ORDER BY newest DESC, i.case_id",
        (REQUESTED, utc_stamp(since), utc_stamp(until)),
    ).fetchall()
    return [int(r[0]) for r in rows]


OUTCOME_RECORD_COLUMNS = (
    "o.uuid, i.uuid, c.uuid, c.case_no, i.tx_index, o.seq, o.outcome, o.at, o.amount_fen, "
    "o.until_utc, o.reason, o.approval, o.note, o.officer, o.recorded_at"
)


def outcome_records(
    conn: sqlite3.Connection, recorded_after: str | None = None
) -> list[dict[str, Any]]:
    """Every outcome (of cases voided or not) recorded after a stamp, oldest first, as plain
    values naming the item and the case by uuid: what a sync sends."""
    sql = (
        f"SELECT {OUTCOME_RECORD_COLUMNS} FROM stop_outcomes o "
        "JOIN stop_items i ON i.id = o.item_id JOIN cases c ON c.id = i.case_id"
    )
    params: tuple[Any, ...] = ()
    if recorded_after is not None:
        sql += " WHERE o.recorded_at > ?"
        params = (recorded_after,)
    sql += " ORDER BY o.recorded_at, o.item_id, o.seq"
    names = (
        "uuid",
        "item_uuid",
        "case_uuid",
        "case_no",
        "transaction",
        "seq",
        "outcome",
        "at",
        "amount_fen",
        "until_utc",
        "reason",
        "approval",
        "note",
        "officer",
        "recorded_at",
    )
    return [dict(zip(names, row, strict=True)) for row in conn.execute(sql, params)]
