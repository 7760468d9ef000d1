"""Seized-list matching: which seized card or account numbers are tied to the station's records.

A list (CSV, or the first sheet of an XLSX workbook) is read into numbers; formatting noise is
taken out the way case terms were normalized (spaces, dashes, full-width digits, an Excel text
mark), and the numbers are looked up in the term index of every source registered in SOURCES:
the cases' payee accounts and suspect identifiers, the leads' identifiers, and the city center's
watchlist as the last sync brought it down (a hit there says in how many cases and stations of
the city the number appears).

Phone-number terms are not matched: the case index does not tell a reporter's own phone from a
suspect's, and a seized list holds cards and accounts.
"""

from __future__ import annotations

import csv
import hashlib
import io
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.domain.errors import AuthError, IntakeError
from intake_app.domain.identifiers import normalize_account, normalize_identifier
from intake_app.domain.messages import status_label
from intake_app.domain.money import format_yuan
from intake_app.domain.reference import ReferenceData
from intake_app.domain.times import utc_stamp

from intake_app.store import audit
from intake_app.store import matching as match_sql
from intake_app.store import sync as sync_rows
from intake_app.store.officers import Officer

if TYPE_CHECKING:
    from intake_app.services.desk import Desk

# Term kinds a seized number is looked for under (see the module note on phones).
KINDS = ("payee_account", "bank_account", "alipay", "wechat", "qq", "other")
MIN_DIGITS = 6  # a shorter cell is a serial number, a count or a date, not an account
MAX_ROWS = 200_000
HEADER_WORDS = ("卡号", "账号", "帐号", "账户", "帐户", "号码", "card", "account", "number")
_TEXT_MARKS = "'‘’\"“”`"


@dataclass(frozen=True)
class SeizedEntry:
    row: int  # 1-based row in the file
    raw: str
    number: str  # normalized


@dataclass(frozen=True)
class Hit:
    number: str  # the normalized seized number
    source: str  # "case", "lead", "watchlist"
    reference: str  # case number, lead uuid, ...
    kind: str  # the term kind it matched
    detail: dict[str, Any] = field(default_factory=dict)


Finder = Callable[[sqlite3.Connection, list[str]], list[Hit]]
SOURCES: dict[str, Finder] = {}


def register_source(key: str, finder: Finder) -> None:
    """Add a place seized numbers are looked for."""
    if key in SOURCES:
        raise ValueError(f"match source registered twice: {key}")
    SOURCES[key] = finder


@dataclass
class MatchResult:
    name: str
    entries: list[SeizedEntry]
    skipped: list[tuple[int, str]]  # (row, cell) that held no number
    hits: list[Hit]

    @property
    def matched(self) -> list[SeizedEntry]:
        """Entries tied to at least one record."""
        found = {h.number for h in self.hits}
        return [e for e in self.entries if e.number in found]

    def references(self, source: str) -> list[str]:
        return list(dict.fromkeys(h.reference for h in self.hits if h.source == source))

    def hits_for(self, number: str) -> list[Hit]:
        return [h for h in self.hits if h.number == number]

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.name,
            "numbers": len(self.entries),
            "matched": len(self.matched),
            "cases": len(self.references("case")),
            "leads": len(self.references("lead")),
            "watchlist": len(self.references("watchlist")),
            "skipped_rows": [row for row, _cell in self.skipped],
            "hits": [
                {
                    "row": e.row,
                    "number": e.number,
                    "source": h.source,
                    "reference": h.reference,
                    "kind": h.kind,
                    **h.detail,
                }
                for e in self.matched
                for h in self.hits_for(e.number)
            ],
        }


class MatchService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def match_file(self, path: Path) -> MatchResult:
        entries, skipped = read_seized_list(path)
        return self.match(entries, skipped, path.name)

    def match(
        self, entries: list[SeizedEntry], skipped: list[tuple[int, str]], name: str = ""
    ) -> MatchResult:
        numbers = list(dict.fromkeys(e.number for e in entries))
        forms: dict[str, str] = {}  # looked-up term -> seized number
        for number in numbers:
            for form in _forms(number):
                forms.setdefault(form, number)
        conn = self.desk.store.conn
        hits: list[Hit] = []
        for finder in SOURCES.values():
            for hit in finder(conn, list(forms)):
                hits.append(Hit(forms[hit.number], hit.source, hit.reference, hit.kind, hit.detail))
        unique = list(dict.fromkeys((h.number, h.source, h.reference) for h in hits))
        by_key = {(h.number, h.source, h.reference): h for h in reversed(hits)}
        return MatchResult(name, entries, skipped, [by_key[k] for k in unique])

    def export(self, result: MatchResult, path: Path, officer: Officer, lang: str) -> int:
        """Write the hits as CSV (UTF-8 with BOM, opens in Excel); the export is audited in
        the transaction that puts the file in place. Returns the number of rows."""
        from intake_app.services.documents import DocumentService

        if not officer.has_role("supervisor"):
            raise AuthError("export_needs_supervisor", "role", value=officer.badge)
        data, count = hits_csv(result, lang, self.desk.reference)
        with self.desk.store.write() as conn:
            audit.append(
                conn,
                officer.badge,
                audit.EXPORT,
                "seized_match",
                path.name,
                {
                    "list": result.name,
                    "numbers": len(result.entries),
                    "matched": len(result.matched),
                    "rows": count,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "encrypted": False,
                },
                utc_stamp(self.desk.now()),
            )
            DocumentService.write(path, data)
        return count


_CSV_HEADERS = {
    "zh_CN": (
        "清单行号",
        "卡号/账号",
        "关联类别",
        "案件编号/线索",
        "诈骗类型",
        "时间",
        "损失金额（元）",
        "状态",
    ),
    "en": (
        "Row",
        "Number",
        "Tied to",
        "Case or lead",
        "Fraud type",
        "Time",
        "Loss (yuan)",
        "Status",
    ),
}


SOURCE_WORDS = {
    "case": ("案件", "case"),
    "lead": ("线索", "lead"),
    "watchlist": ("全市关注名单", "city watchlist"),
}


def source_label(source: str, lang: str) -> str:
    pair = SOURCE_WORDS.get(source)
    return source if pair is None else pair[0] if lang == "zh_CN" else pair[1]


def hits_csv(result: MatchResult, lang: str, reference: ReferenceData) -> tuple[bytes, int]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_CSV_HEADERS["zh_CN" if lang == "zh_CN" else "en"])
    count = 0
    for entry in result.matched:
        for hit in result.hits_for(entry.number):
            loss = hit.detail.get("total_loss_fen")
            writer.writerow(
                [
                    entry.row,
                    entry.number,
                    source_label(hit.source, lang),
                    hit.reference,
                    reference.label("fraud_types", hit.detail.get("fraud_type", ""), lang),
                    hit.detail.get("at", ""),
                    format_yuan(loss) if isinstance(loss, int) else "",
                    status_label(hit.detail.get("status", ""), lang),
                ]
            )
            count += 1
    return ("\ufeff" + out.getvalue()).encode("utf-8"), count


def _forms(number: str) -> set[str]:
    forms = {number}
    for kind in ("alipay", "wechat"):
        form = normalize_identifier(kind, number)
        if form:
            forms.add(form)
    return forms


def normalize_seized(cell: Any) -> str:
    """A cell as a comparable number: "" when it holds none (too short, or not a number)."""
    if cell is None or isinstance(cell, bool):
        return ""
    if isinstance(cell, int):
        text = str(cell)
    elif isinstance(cell, float):
        # A number typed into a spreadsheet: exact only while it has at most 15 digits.
        text = str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else ""
    else:
        text = str(cell).strip().strip(_TEXT_MARKS)
    number = normalize_account(text)
    digits = sum(ch.isdigit() for ch in number)
    if digits < MIN_DIGITS or not number.isalnum() or not number.isascii():
        return ""
    return number


def read_seized_list(path: Path) -> tuple[list[SeizedEntry], list[tuple[int, str]]]:
    """The numbers of a CSV or XLSX list, with the rows that held none.

    The column is the one whose header names a card or account number (卡号, 账号, card,
    account...); without such a header, each row's first cell that holds a number.
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(path)
    else:
        raise IntakeError("list_format", "seized_list", value=path.name)
    entries: list[SeizedEntry] = []
    skipped: list[tuple[int, str]] = []
    column: int | None = None
    for number, cells in enumerate(rows, start=1):
        if number > MAX_ROWS:
            raise IntakeError("too_long", "seized_list", length=number, limit=MAX_ROWS)
        if number == 1 and not any(normalize_seized(c) for c in cells):
            column = _header_column(cells)
            if column is not None or not any(str(c or "").strip() for c in cells):
                continue
        candidates = [cells[column]] if column is not None and column < len(cells) else cells
        found = next((n for n in map(normalize_seized, candidates) if n), "")
        if found:
            raw = next(str(c) for c in candidates if normalize_seized(c) == found)
            entries.append(SeizedEntry(number, raw, found))
        elif any(str(c or "").strip() for c in cells):
            skipped.append((number, " ".join(str(c or "") for c in cells).strip()))
    if not entries:
        raise IntakeError("list_empty", "seized_list", value=path.name)
    return entries, skipped


def _header_column(cells: list[Any]) -> int | None:
    for i, cell in enumerate(cells):
        text = str(cell or "").strip().casefold()
        if text and any(word in text for word in HEADER_WORDS):
            return i
    return None


def _csv_rows(path: Path) -> Iterable[list[Any]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IntakeError(
            "file_unreadable", "seized_list", value=str(path), detail=str(exc)
        ) from exc
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise IntakeError("file_unreadable", "seized_list", value=str(path), detail="encoding")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(path: Path) -> Iterable[list[Any]]:
    import zipfile

    from openpyxl import load_workbook  # only when a workbook is read

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IntakeError(
            "file_unreadable", "seized_list", value=str(path), detail=str(exc)
        ) from exc
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


# Sources --------------------------------------------------------------------------------------


def _case_hits(conn: sqlite3.Connection, terms: list[str]) -> list[Hit]:
    return [
        Hit(
            r["term"],
            "case",
            r["case_no"],
            r["kind"],
            {
                "status": r["status"],
                "fraud_type": r["fraud_type"],
                "at": r["reported_at"],
                "total_loss_fen": r["total_loss_fen"],
            },
        )
        for r in match_sql.case_hits(conn, terms, KINDS)
    ]


def _lead_hits(conn: sqlite3.Connection, terms: list[str]) -> list[Hit]:
    return [
        Hit(
            r["term"],
            "lead",
            r["uuid"],
            r["kind"],
            {"at": r["received_at"], "summary": r["summary"]},
        )
        for r in match_sql.lead_hits(conn, terms, KINDS)
    ]


def _watch_hits(conn: sqlite3.Connection, terms: list[str]) -> list[Hit]:
    """The city center's watchlist as the last feed brought it (store/sync.py)."""
    return [
        Hit(
            r["value"],
            "watchlist",
            r["value"],
            r["kind"],
            {"cases": r["cases"], "stations": r["stations"], "reason": r["reason"]},
        )
        for r in sync_rows.watch_hits(conn, terms, KINDS)
    ]


register_source("case", _case_hits)
register_source("lead", _lead_hits)
register_source("watchlist", _watch_hits)
