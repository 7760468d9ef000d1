"""Which bank issued a card: the longest matching issuer prefix (BIN) in a shipped table.

The table (resources/bank-bin, MIT data from hexindai/bcbc) has prefixes of 3 to 10 digits and a
few prefixes listed twice with different banks, so a match is a suggestion, never a fact. Card
numbers are sensitive: they are looked up here, offline, and nowhere else.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from intake_app.domain.identifiers import normalize_account

_DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class BinMatch:
    """The table's suggestion for a card number.

    ambiguous: the prefix is listed for more than one bank; alternatives names the others.
    """

    prefix: str
    bank_code: str
    bank_name: str
    card_type: str  # DC debit, CC credit, SCC semi-credit, PC prepaid
    card_length: int  # the full length of cards with this prefix
    ambiguous: bool = False
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Row:
    bank_code: str
    bank_name: str
    card_type: str
    card_length: int


def _is_digits(text: str) -> bool:
    return bool(text) and all(ch in _DIGITS for ch in text)


def _records(text: str, columns: tuple[str, ...], what: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for each non-blank CSV line; ValueError if a column is missing."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}")
    records = []
    for row in reader:
        values = {c: (row.get(c) or "").strip() for c in columns}
        if any(values.values()):
            records.append((reader.line_num, values))
    return records


class BinTable:
    """Issuer prefixes by length: a lookup tries each length once, longest first."""

    def __init__(self, rows: list[tuple[str, _Row]]) -> None:
        self._by_length: dict[int, dict[str, list[_Row]]] = {}
        for prefix, row in rows:
            self._by_length.setdefault(len(prefix), {}).setdefault(prefix, []).append(row)
        self._lengths = sorted(self._by_length, reverse=True)
        self._rows = len(rows)

    @classmethod
    def from_csv_text(cls, bin_csv: str, name_csv: str) -> BinTable:
        """Build the table from the text of bin.csv (bin,bank,type,length) and name.csv
        (bank,name). Rows keep their file order. ValueError names the first malformed line."""
        names = {r["bank"]: r["name"] for _, r in _records(name_csv, ("bank", "name"), "name.csv")}
        rows = []
        for line, r in _records(bin_csv, ("bin", "bank", "type", "length"), "bin.csv"):
            if not _is_digits(r["bin"]) or not _is_digits(r["length"]) or not r["bank"]:
                raise ValueError(f"bin.csv line {line}: malformed row {r}")
            bank = r["bank"]
            rows.append((r["bin"], _Row(bank, names.get(bank, bank), r["type"], int(r["length"]))))
        return cls(rows)

    def __len__(self) -> int:
        """The number of rows (prefix, bank) in the table."""
        return self._rows

    def lookup(self, card_number: str) -> BinMatch | None:
        """The issuer of the longest prefix of card_number in the table, or None.

        The number is normalised first (normalize_account: spaces, dashes, full-width digits);
        anything but digits gives None. When the prefix is listed more than once, the first row
        whose card length equals the number's length is taken, else the first row; the match is
        then ambiguous if the rows name different banks, and alternatives lists the others.
        """
        number = normalize_account(card_number)
        if not _is_digits(number):
            return None
        for length in self._lengths:
            if length > len(number):
                continue
            rows = self._by_length[length].get(number[:length])
            if rows:
                return _match(number[:length], rows, len(number))
        return None


def _match(prefix: str, rows: list[_Row], number_length: int) -> BinMatch:
    chosen = next((r for r in rows if r.card_length == number_length), rows[0])
    others: list[str] = []
    for row in rows:
        if row.bank_name != chosen.bank_name and row.bank_name not in others:
            others.append(row.bank_name)
    return BinMatch(
        prefix=prefix,
        bank_code=chosen.bank_code,
        bank_name=chosen.bank_name,
        card_type=chosen.card_type,
        card_length=chosen.card_length,
        ambiguous=bool(others),
        alternatives=tuple(others),
    )
