"""Cases, their immutable revisions, and the search index.

A registered case is never edited in place: a change adds a revision, updates the summary row
and re-indexes. Nothing here is deleted except index rows that are rebuilt from the newest
revision.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any, NamedTuple, TypeVar, cast

SUMMARY_COLUMNS = (
    "id, uuid, case_no, status, revision, station_code, reported_at, reported_utc, source, "
    "fraud_type, reporter_name, reporter_id_masked, total_loss_fen, registered_at, "
    "registered_by, updated_at, updated_by, voided_at, voided_by, void_reason"
)


class CaseRow(NamedTuple):
    """A case's summary columns (SUMMARY_COLUMNS, in that order).

    A named tuple rather than a frozen dataclass: a page of the case list makes 200 of these,
    and a dataclass's __init__ made that slower than the query itself (bench/bench_gui.py)."""

    id: int
    uuid: str
    case_no: str
    status: str
    revision: int
    station_code: str
    reported_at: str
    reported_utc: str
    source: str
    fraud_type: str
    reporter_name: str
    reporter_id_masked: str
    total_loss_fen: int
    registered_at: str
    registered_by: str
    updated_at: str
    updated_by: str
    voided_at: str | None
    voided_by: str | None
    void_reason: str | None

    @classmethod
    def from_row(cls, row: sqlite3.Row | Sequence[Any]) -> CaseRow:
        return cls._make(row)


class ListRow(NamedTuple):
    """A case as the case list holds it: what the list shows, and the sort keys a page
    continues from. Under half of a CaseRow's columns, so a page is quicker to read and
    200,000 rows fit in little memory."""

    id: int
    case_no: str
    status: str
    reported_at: str
    reported_utc: str
    fraud_type: str
    reporter_name: str
    reporter_id_masked: str
    total_loss_fen: int

    @classmethod
    def of(cls, row: CaseRow) -> ListRow:
        return cls._make(getattr(row, name) for name in cls._fields)


LIST_COLUMNS = ", ".join(ListRow._fields)


@dataclass(frozen=True)
class RevisionRow:
    revision: int
    data: str
    sha256: str
    created_at: str
    created_by: str
    note: str


@dataclass(frozen=True)
class CaseIndex:
    """What the search index holds for one case, built from its newest revision."""

    terms: list[tuple[str, str]]
    names: str
    narrative: str
    identifiers: str


def next_seq(conn: sqlite3.Connection, year: int) -> int:
    """The next sequence number of a year. Call inside the write transaction that uses it."""
    # Not one statement with RETURNING: that opens a statement savepoint, and FTS5 writes its
    # pending index to disk at every savepoint, which made each imported case about 0.3 ms
    # slower (bench/bench_core.py).
    conn.execute(
        "INSERT INTO case_counters (year, last_seq) VALUES (?, 1) "
        "ON CONFLICT (year) DO UPDATE SET last_seq = last_seq + 1",
        (year,),
    )
    row = conn.execute("SELECT last_seq FROM case_counters WHERE year = ?", (year,)).fetchone()
    return int(row[0])


def counters(conn: sqlite3.Connection) -> dict[int, int]:
    """The last sequence number issued in each year."""
    return {int(r[0]): int(r[1]) for r in conn.execute("SELECT year, last_seq FROM case_counters")}


def keep_counters_at_least(conn: sqlite3.Connection, issued: dict[int, int]) -> None:
    """Never go back below numbers already issued (e.g. after restoring an older backup)."""
    conn.executemany(
        "INSERT INTO case_counters (year, last_seq) VALUES (?, ?) "
        "ON CONFLICT (year) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)",
        list(issued.items()),
    )


def insert_case(conn: sqlite3.Connection, summary: dict[str, Any]) -> int:
    columns = ", ".join(summary)
    marks = ", ".join("?" for _ in summary)
    cur = conn.execute(f"INSERT INTO cases ({columns}) VALUES ({marks})", tuple(summary.values()))
    return int(cur.lastrowid or 0)


def update_case(conn: sqlite3.Connection, case_id: int, changes: dict[str, Any]) -> None:
    assignments = ", ".join(f"{name} = ?" for name in changes)
    conn.execute(f"UPDATE cases SET {assignments} WHERE id = ?", (*changes.values(), case_id))


def add_revision(
    conn: sqlite3.Connection,
    case_id: int,
    revision: int,
    data: str,
    sha256: str,
    created_at: str,
    created_by: str,
    note: str = "",
) -> None:
    conn.execute(
        "INSERT INTO case_revisions (case_id, revision, data, sha256, created_at, created_by, "
        "note) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (case_id, revision, data, sha256, created_at, created_by, note),
    )


def link_attachments(
    conn: sqlite3.Connection, case_id: int, revision: int, items: Iterable[tuple[str, str]]
) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO case_attachments (case_id, revision, sha256, name) "
        "VALUES (?, ?, ?, ?)",
        [(case_id, revision, sha, name) for sha, name in items],
    )


def write_index(conn: sqlite3.Connection, case_id: int, index: CaseIndex, *, replace: bool) -> None:
    if replace:
        conn.execute("DELETE FROM case_terms WHERE case_id = ?", (case_id,))
        conn.execute("DELETE FROM case_fts WHERE rowid = ?", (case_id,))
    conn.executemany(
        "INSERT INTO case_terms (case_id, kind, term) VALUES (?, ?, ?)",
        [(case_id, kind, term) for kind, term in index.terms],
    )
    conn.execute(
        "INSERT INTO case_fts (rowid, names, narrative, identifiers) VALUES (?, ?, ?, ?)",
        (case_id, index.names, index.narrative, index.identifiers),
    )


Named = TypeVar("Named", CaseRow, ListRow)


def _named_rows(
    conn: sqlite3.Connection, kind: type[Named], sql: str, params: Sequence[Any]
) -> list[Named]:
    """Named tuples straight from plain tuples: the connection's sqlite3.Row factory would make
    a Row object of each first, which costs a case-list page a third more than its query.
    tuple.__new__(kind, row) is what kind._make does, without a Python call per row."""
    cursor = conn.cursor()
    cursor.row_factory = None
    rows = cursor.execute(sql, tuple(params)).fetchall()
    return cast(list[Named], list(map(tuple.__new__, repeat(kind), rows)))


def by_uuid(conn: sqlite3.Connection, uuid: str) -> CaseRow | None:
    row = conn.execute(f"SELECT {SUMMARY_COLUMNS} FROM cases WHERE uuid = ?", (uuid,)).fetchone()
    return CaseRow.from_row(row) if row else None


def by_case_no(conn: sqlite3.Connection, case_no: str) -> CaseRow | None:
    row = conn.execute(
        f"SELECT {SUMMARY_COLUMNS} FROM cases WHERE case_no = ?", (case_no,)
    ).fetchone()
    return CaseRow.from_row(row) if row else None


def by_ids(conn: sqlite3.Connection, ids: Sequence[int]) -> list[CaseRow]:
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return _named_rows(
        conn,
        CaseRow,
        f"SELECT {SUMMARY_COLUMNS} FROM cases WHERE id IN ({marks}) "
        "ORDER BY reported_utc DESC, id DESC",
        ids,
    )


def revision(
    conn: sqlite3.Connection, case_id: int, number: int | None = None
) -> RevisionRow | None:
    if number is None:
        row = conn.execute(
            "SELECT revision, data, sha256, created_at, created_by, note FROM case_revisions "
            "WHERE case_id = ? ORDER BY revision DESC LIMIT 1",
            (case_id,),
        ).fetchone()
    else:
        row = conn.execute(
            "SELECT revision, data, sha256, created_at, created_by, note FROM case_revisions "
            "WHERE case_id = ? AND revision = ?",
            (case_id, number),
        ).fetchone()
    return RevisionRow(*tuple(row)) if row else None


def revisions(conn: sqlite3.Connection, case_id: int) -> list[RevisionRow]:
    rows = conn.execute(
        "SELECT revision, data, sha256, created_at, created_by, note FROM case_revisions "
        "WHERE case_id = ? ORDER BY revision",
        (case_id,),
    ).fetchall()
    return [RevisionRow(*tuple(r)) for r in rows]


def ids_by_terms(conn: sqlite3.Connection, terms: Sequence[str], limit: int) -> list[int]:
    """Cases holding any of the normalized terms, newest first."""
    if not terms:
        return []
    marks = ", ".join("?" for _ in terms)
    rows = conn.execute(
        f"SELECT DISTINCT case_id FROM case_terms WHERE term IN ({marks}) "
        "ORDER BY case_id DESC LIMIT ?",
        (*terms, limit),
    ).fetchall()
    return [r[0] for r in rows]


def ids_by_text(conn: sqlite3.Connection, text: str, limit: int) -> list[int]:
    """Substring search. Three characters or more use the trigram index; shorter ones scan."""
    if len(text) >= 3:
        phrase = '"' + text.replace('"', '""') + '"'
        rows = conn.execute(
            "SELECT rowid FROM case_fts WHERE case_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
            (phrase, limit),
        ).fetchall()
    else:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = conn.execute(
            "SELECT rowid FROM case_fts WHERE names LIKE ? ESCAPE '\\' OR narrative LIKE ? "
            "ESCAPE '\\' OR identifiers LIKE ? ESCAPE '\\' ORDER BY rowid DESC LIMIT ?",
            (pattern, pattern, pattern, limit),
        ).fetchall()
    return [r[0] for r in rows]


def list_page(
    conn: sqlite3.Connection,
    *,
    where: str = "",
    params: Sequence[Any] = (),
    order_by: str = "reported_utc DESC, id DESC",
    limit: int = 100,
    offset: int = 0,
) -> list[ListRow]:
    """A page of the case list."""
    sql = f"SELECT {LIST_COLUMNS} FROM cases"
    if where:
        sql += f" WHERE {where}"
    sql += f" ORDER BY {order_by} LIMIT ? OFFSET ?"
    return _named_rows(conn, ListRow, sql, (*params, limit, offset))


def count(conn: sqlite3.Connection, *, where: str = "", params: Sequence[Any] = ()) -> int:
    sql = "SELECT count(*) FROM cases" + (f" WHERE {where}" if where else "")
    return int(conn.execute(sql, tuple(params)).fetchone()[0])


def count_up_to(
    conn: sqlite3.Connection, limit: int, *, where: str = "", params: Sequence[Any] = ()
) -> int:
    """How many cases, counting no further than `limit` (a bounded cost for a large set)."""
    sql = "SELECT 1 FROM cases" + (f" WHERE {where}" if where else "") + " LIMIT ?"
    return int(conn.execute(f"SELECT count(*) FROM ({sql})", (*params, limit)).fetchone()[0])


# Columns with few distinct values, each leading an index (m001): the case list groups by them.
GROUP_COLUMNS = frozenset({"fraud_type", "status"})


def distinct_values(conn: sqlite3.Connection, column: str) -> list[str]:
    """The values a grouping column holds, in order: one index seek per value, not a scan."""
    if column not in GROUP_COLUMNS:
        raise ValueError(f"not a grouping column: {column}")
    rows = conn.execute(
        f"WITH RECURSIVE v (value) AS (SELECT min({column}) FROM cases UNION ALL "
        f"SELECT (SELECT min({column}) FROM cases WHERE {column} > v.value) FROM v "
        "WHERE v.value IS NOT NULL) SELECT value FROM v WHERE value IS NOT NULL"
    ).fetchall()
    return [r[0] for r in rows]


def count_by(
    conn: sqlite3.Connection, column: str, *, where: str = "", params: Sequence[Any] = ()
) -> dict[str, int]:
    """How many cases hold each value of a grouping column."""
    if column not in GROUP_COLUMNS:
        raise ValueError(f"not a grouping column: {column}")
    sql = f"SELECT {column}, count(*) FROM cases"
    sql += (f" WHERE {where}" if where else "") + f" GROUP BY {column}"
    return {r[0]: int(r[1]) for r in conn.execute(sql, tuple(params)).fetchall()}


def changed_since(conn: sqlite3.Connection, since_utc: str | None) -> Iterable[CaseRow]:
    if since_utc is None:
        cur = conn.execute(f"SELECT {SUMMARY_COLUMNS} FROM cases ORDER BY id")
    else:
        cur = conn.execute(
            f"SELECT {SUMMARY_COLUMNS} FROM cases WHERE updated_at >= ? ORDER BY id", (since_utc,)
        )
    for row in cur:
        yield CaseRow.from_row(row)
