"""The audit trail: append-only and hash-chained.

Each entry's hash covers its own fields and the hash of the entry before it, so changing,
removing or reordering any entry breaks the chain from that point. The newest sequence number
and hash are also kept in `settings` (written in the same transaction), so cutting entries off
the end shows too. Entries hold no personal data: object ids and counts, not names or numbers.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from intake_app.domain.interchange import canonical_json
from intake_app.domain.times import utc_stamp

GENESIS = "0" * 64
HEAD_KEY = "audit_head"

# Actions.
INIT = "init"
CREATE = "create"
REVISE = "revise"
VOID = "void"
PRINT = "print"
REPRINT = "reprint"
EXPORT = "export"
SYNC = "sync"
LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGOUT = "logout"
OFFICER_ADD = "officer_add"
PASSWORD_CHANGE = "password_change"
OFFICER_REMOVE = "officer_remove"
REVEAL = "reveal"
ENCRYPT = "encrypt"
BACKUP = "backup"
RESTORE = "restore"
VIEW = "view"
DRAFT_DISCARD = "draft_discard"
SETTING = "setting"
STOP_OUTCOME = "stop_outcome"  # an outcome of a stop-payment item (object: the case)


def entry_hash(
    seq: int,
    at: str,
    officer: str | None,
    action: str,
    object_type: str,
    object_id: str,
    detail: str,
    prev_hash: str,
) -> str:
    body = canonical_json([seq, at, officer, action, object_type, object_id, detail, prev_hash])
    return hashlib.sha256(body).hexdigest()


def append(
    conn: sqlite3.Connection,
    officer: str | None,
    action: str,
    object_type: str,
    object_id: str,
    detail: dict[str, Any] | None = None,
    at: str | None = None,
) -> int:
    """Add one entry. Call inside the write transaction of the change it records."""
    if not conn.in_transaction:
        raise RuntimeError("audit.append must run inside a write transaction")
    last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = at or utc_stamp()
    detail_text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)
    digest = entry_hash(seq, at, officer, action, object_type, object_id, detail_text, prev)
    conn.execute(
        "INSERT INTO audit_log (seq, at, officer, action, object_type, object_id, detail, "
        "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, officer, action, object_type, object_id, detail_text, prev, digest),
    )
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (HEAD_KEY, f"{seq}:{digest}"),
    )
    return seq


@dataclass(frozen=True)
class Finding:
    """One break in the chain. `seq` is the entry where it shows."""

    seq: int
    kind: str  # altered | removed | reordered | truncated | relinked
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "detail": self.detail}


@dataclass(frozen=True)
class VerifyResult:
    entries: int
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.findings


def verify(conn: sqlite3.Connection) -> VerifyResult:
    rows = conn.execute(
        "SELECT seq, at, officer, action, object_type, object_id, detail, prev_hash, hash "
        "FROM audit_log ORDER BY seq"
    ).fetchall()
    findings: list[Finding] = []
    stored_hash_to_seq = {row[8]: row[0] for row in rows}
    prev_seq, prev_hash = 0, GENESIS
    for row in rows:
        seq, at, officer, action, otype, oid, detail, link, stored = row
        if seq != prev_seq + 1:
            missing = f"{prev_seq + 1}" if seq == prev_seq + 2 else f"{prev_seq + 1}-{seq - 1}"
            findings.append(Finding(seq, "removed", f"entries {missing} are missing before {seq}"))
        computed = entry_hash(seq, at, officer, action, otype, oid, detail, link)
        if computed != stored:
            findings.append(Finding(seq, "altered", f"entry {seq} does not match its hash"))
        if link != prev_hash and seq == prev_seq + 1:
            other = stored_hash_to_seq.get(link)
            if other is not None and other != prev_seq:
                findings.append(
                    Finding(
                        seq,
                        "reordered",
                        f"entry {seq} was written after entry {other}, not {prev_seq}",
                    )
                )
            else:
                findings.append(
                    Finding(
                        seq,
                        "relinked",
                        f"entry {seq} does not follow entry {prev_seq}: one of them was altered "
                        "or an entry between them was removed",
                    )
                )
        prev_seq, prev_hash = seq, stored
    head_row = conn.execute("SELECT value FROM settings WHERE key = ?", (HEAD_KEY,)).fetchone()
    if head_row is not None:
        head_seq, _, head_hash = str(head_row[0]).partition(":")
        if int(head_seq) == prev_seq and head_hash != prev_hash:
            findings.append(
                Finding(
                    prev_seq, "altered", f"entry {prev_seq} differs from the recorded newest entry"
                )
            )
        elif int(head_seq) != prev_seq:
            findings.append(
                Finding(
                    int(head_seq),
                    "truncated",
                    f"the log should end at entry {head_seq} but ends at {prev_seq}",
                )
            )
    elif rows:
        findings.append(Finding(prev_seq, "truncated", "the record of the newest entry is missing"))
    return VerifyResult(len(rows), findings)


def entries(
    conn: sqlite3.Connection, *, limit: int = 100, object_id: str | None = None
) -> list[dict[str, Any]]:
    sql = "SELECT seq, at, officer, action, object_type, object_id, detail FROM audit_log"
    params: tuple[Any, ...] = ()
    if object_id is not None:
        sql += " WHERE object_id = ?"
        params = (object_id,)
    sql += " ORDER BY seq DESC LIMIT ?"
    return [
        {
            **dict(
                zip(
                    ("seq", "at", "officer", "action", "object_type", "object_id"),
                    r[:6],
                    strict=True,
                )
            ),
            "detail": json.loads(r[6]),
        }
        for r in conn.execute(sql, (*params, limit)).fetchall()
    ]


def count_prints(
    conn: sqlite3.Connection, object_id: str, document: str, revision: int | None = None
) -> int:
    """How many times a document of a case was printed (print and reprint entries)."""
    sql = (
        "SELECT COUNT(*) FROM audit_log WHERE object_id = ? AND action IN (?, ?) "
        "AND json_extract(detail, '$.document') = ?"
    )
    params: tuple[Any, ...] = (object_id, PRINT, REPRINT, document)
    if revision is not None:
        sql += " AND json_extract(detail, '$.revision') = ?"
        params += (revision,)
    return int(conn.execute(sql, params).fetchone()[0])
