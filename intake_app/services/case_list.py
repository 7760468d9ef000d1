"""The case list: filters, sort orders and pages of cases, quick at 200,000 cases.

Every sort order is served by an index, and a page can continue from the last row already shown
(`after`, keyset paging), so the page at row 150,000 costs what the first page costs. Fraud type
and status sort as groups in the order of the reference dictionary (the order of the filter's
choices, the same in every language), newest first within each group. Reporters sort by name in
code point order (SQLite has no pinyin collation).

A filter with query text matches like IntakeService.search (case number, identifiers, names,
narrative), at most SEARCH_CAP cases; `resolve` runs that search once and keeps the matching
ids in the filter, so sorting and paging the matches afterwards is cheap. The desk's UI runs
`resolve` and `count` on a worker thread with a Desk of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from intake_app.domain.model import REGISTERED, VOIDED
from intake_app.domain.times import SHANGHAI, utc_stamp

from intake_app.store import cases
from intake_app.store.cases import ListRow

if TYPE_CHECKING:
    from intake_app.services.desk import Desk

__all__ = [
    "PAGE_SIZE",
    "SEARCH_CAP",
    "SORT_KEYS",
    "CaseFilter",
    "CaseListService",
    "ListRow",
]

SORT_KEYS = ("case_no", "reported", "reporter", "fraud_type", "total_loss", "status")
PAGE_SIZE = 200
SEARCH_CAP = 200  # a search shows at most this many cases, with a note when it is full
# A filtered set this small is read whole through the filter's index and sorted; a larger one
# is read in sort order, skipping what the filter leaves out. About sqrt(PAGE_SIZE x 200,000):
# either way a page costs at most some thousands of index steps at 200,000 cases.
SMALL_SET = 6_000

# Sorts by one column: the columns of the order, the tie-breaker last. They all run one way, so
# one index (m001, m003; the rowid is the last column of every index) serves both directions.
_ORDERS: dict[str, tuple[str, ...]] = {
    "case_no": ("case_no",),
    "reported": ("reported_utc", "id"),
    "reporter": ("reporter_name", "id"),
    "total_loss": ("total_loss_fen", "id"),
}
# Sorts by group: the grouping column; within a group, newest first (index (column, reported)).
_GROUPS = {"fraud_type": "fraud_type", "status": "status"}
_WITHIN = ("reported_utc", "id")


@dataclass(frozen=True)
class CaseFilter:
    """Which cases the list shows. Dates are days in Asia/Shanghai, both ends included, and
    apply to the time the case was reported."""

    date_from: date | None = None
    date_to: date | None = None
    fraud_type: str | None = None
    status: str | None = None
    query: str = ""
    # The ids of the cases the query matched, once resolved (CaseListService.resolve).
    matches: tuple[int, ...] | None = None

    @property
    def text(self) -> str:
        """The query as searched: runs of whitespace as one space."""
        return " ".join(self.query.split())

    @property
    def resolved(self) -> bool:
        return not self.text or self.matches is not None

    @property
    def capped(self) -> bool:
        """The search found SEARCH_CAP cases: there may be more than the list shows."""
        return self.matches is not None and len(self.matches) >= SEARCH_CAP

    def with_query(self, query: str) -> CaseFilter:
        """This filter with other query text (its matches forgotten unless the text is the same)."""
        if " ".join(query.split()) == self.text:
            return replace(self, query=query)
        return replace(self, query=query, matches=None)


class CaseListService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        # The rows the last search found: the first page of its matches, newest first, is
        # made from them instead of being read again.
        self._found: list[ListRow] = []
        self._sizes: dict[tuple[str, tuple[Any, ...]], bool] = {}  # filter: small?

    def resolve(self, case_filter: CaseFilter) -> CaseFilter:
        """The filter with its query's matches found (the slow part of a search)."""
        if case_filter.resolved:
            return case_filter
        found = self.desk.intake.search(case_filter.text, limit=SEARCH_CAP)
        self._found = list(map(ListRow.of, found))
        return replace(case_filter, matches=tuple(row.id for row in self._found))

    def count(self, case_filter: CaseFilter) -> int:
        case_filter = self.resolve(case_filter)
        if case_filter.matches is not None and case_filter.text and _only_query(case_filter):
            return len(case_filter.matches)
        where, params = self._where(case_filter)
        return cases.count(self.desk.store.conn, where=where, params=params)

    def page(
        self,
        case_filter: CaseFilter,
        sort_key: str = "reported",
        descending: bool = True,
        offset: int = 0,
        limit: int = PAGE_SIZE,
        *,
        after: ListRow | None = None,
    ) -> list[ListRow]:
        """Up to `limit` cases in the sort order, from the one after `after` (a row of the
        previous page, as returned) or from the start, skipping `offset` more."""
        if sort_key not in SORT_KEYS:
            raise ValueError(f"unknown sort key {sort_key!r}; choose one of {SORT_KEYS}")
        if offset < 0 or limit < 0:
            raise ValueError("offset and limit must not be negative")
        case_filter = self.resolve(case_filter)
        searching = case_filter.matches is not None and bool(case_filter.text)
        if (
            searching
            and sort_key == "reported"
            and descending
            and offset == 0
            and after is None
            and _only_query(case_filter)
            and case_filter.matches == tuple(row.id for row in self._found)
        ):
            newest = sorted(self._found, key=lambda r: (r.reported_utc, r.id), reverse=True)
            return newest[:limit]
        where, params = self._where(case_filter)
        if sort_key in _GROUPS:
            return self._grouped_page(
                _GROUPS[sort_key], case_filter, where, params, descending, offset, limit, after
            )
        # A search's matches are looked up by id and sorted. Otherwise, the indexes of the
        # filters all end in the reported time, so that order is served whatever the filter;
        # in another order, a small filtered set is read through its filter's index and
        # sorted, a large one is read in the sort column's order, skipping the rest.
        few = searching
        if not searching and where and sort_key != "reported":
            few = self._small(where, params)
            if not few:
                where, params = self._where(case_filter, unindexed=True)
        columns = _ORDERS[sort_key]
        clauses, values = [where] if where else [], list(params)
        if after is not None:
            clause, cursor = _after(columns, after, descending)
            clauses.append(clause)
            values += cursor
        return cases.list_page(
            self.desk.store.conn,
            where=" AND ".join(clauses),
            params=values,
            order_by=_order_by(columns, descending, few),
            limit=limit,
            offset=offset,
        )

    # Groups ------------------------------------------------------------------------------------

    def group_order(self, column: str, also: Sequence[str] = ()) -> list[str]:
        """The values of a grouping column in sort order: the dictionary's, then any others
        the cases hold (or `also` names), alphabetically."""
        if column == "fraud_type":
            known = [e.code for e in self.desk.reference.entries("fraud_types")]
        else:
            known = [REGISTERED, VOIDED]
        present = {*cases.distinct_values(self.desk.store.conn, column), *also}
        return known + sorted(present - set(known))

    def _grouped_page(
        self,
        column: str,
        case_filter: CaseFilter,
        where: str,
        params: Sequence[Any],
        descending: bool,
        offset: int,
        limit: int,
        after: ListRow | None,
    ) -> list[ListRow]:
        if after is not None and offset:
            # Group sizes count from the start of each group, not from a row in it.
            return self._grouped_page(
                column, case_filter, where, params, descending, 0, offset + limit, after
            )[offset:]
        conn = self.desk.store.conn
        chosen = getattr(case_filter, column)
        if chosen:
            order = [chosen]
        else:
            # `also`: the last row's group may be gone since (its case was revised).
            order = self.group_order(column, also=[getattr(after, column)] if after else [])
        if descending:
            order.reverse()
        if after is not None and getattr(after, column) in order:
            order = order[order.index(getattr(after, column)) :]
        skip = offset
        if skip and after is None:
            sizes = cases.count_by(conn, column, where=where, params=params)
            while order and sizes.get(order[0], 0) <= skip:
                skip -= sizes.get(order.pop(0), 0)
        few = case_filter.matches is not None and bool(case_filter.text)
        rows: list[ListRow] = []
        for i, value in enumerate(order):
            if len(rows) >= limit:
                break
            clauses, values = ([where] if where else []), [*params]
            clauses.append(f"{'+' if few else ''}{column} = ?")
            values.append(value)
            if after is not None and i == 0:
                clause, cursor = _after(_WITHIN, after, True)
                clauses.append(clause)
                values += cursor
            found = cases.list_page(
                conn,
                where=" AND ".join(clauses),
                params=values,
                order_by=_order_by(_WITHIN, True, few),
                limit=limit - len(rows),
                offset=skip,
            )
            skip = 0  # whole groups were skipped above: the rest of the offset is in this one
            rows += found
        return rows

    # Filters -----------------------------------------------------------------------------------

    def _small(self, where: str, params: Sequence[Any]) -> bool:
        """Whether the filter lets SMALL_SET cases or fewer through (counted on its index, no
        further than that; remembered, as the size only picks a query plan)."""
        key = (where, tuple(params))
        small = self._sizes.get(key)
        if small is None:
            if len(self._sizes) > 32:
                self._sizes.clear()
            found = cases.count_up_to(
                self.desk.store.conn, SMALL_SET + 1, where=where, params=params
            )
            small = self._sizes[key] = found <= SMALL_SET
        return small

    @staticmethod
    def _where(case_filter: CaseFilter, *, unindexed: bool = False) -> tuple[str, list[Any]]:
        """The filter as SQL. `unindexed`: "+column" keeps SQLite from using the filters'
        indexes (to walk the sort column's index instead)."""
        clauses: list[str] = []
        params: list[Any] = []
        matches = case_filter.matches if case_filter.text else None
        # Among a search's matches, "+column" keeps SQLite from choosing the column's index
        # (and walking every case of a type or a status) over looking the matches up by id.
        plus = "+" if matches is not None or unindexed else ""
        if case_filter.date_from is not None:
            clauses.append(f"{plus}reported_utc >= ?")
            params.append(_day_start_utc(case_filter.date_from))
        if case_filter.date_to is not None:
            clauses.append(f"{plus}reported_utc < ?")
            params.append(_day_start_utc(case_filter.date_to + timedelta(days=1)))
        if case_filter.fraud_type:
            clauses.append(f"{plus}fraud_type = ?")
            params.append(case_filter.fraud_type)
        if case_filter.status:
            clauses.append(f"{plus}status = ?")
            params.append(case_filter.status)
        if matches is not None:
            if matches:
                clauses.append(f"id IN ({', '.join('?' for _ in matches)})")
                params += matches
            else:
                clauses.append("0")
        return " AND ".join(clauses), params


def _only_query(case_filter: CaseFilter) -> bool:
    return (
        case_filter.date_from is None
        and case_filter.date_to is None
        and not case_filter.fraud_type
        and not case_filter.status
    )


def _day_start_utc(day: date) -> str:
    """The first moment of a day in Asia/Shanghai, as stored in reported_utc."""
    return utc_stamp(datetime.combine(day, time(), tzinfo=SHANGHAI))


def _order_by(columns: Sequence[str], descending: bool, few: bool) -> str:
    # "+column" keeps SQLite from walking the column's index to sort a few known rows.
    prefix = "+" if few else ""
    direction = " DESC" if descending else ""
    return ", ".join(f"{prefix}{column}{direction}" for column in columns)


def _after(columns: Sequence[str], row: ListRow, descending: bool) -> tuple[str, list[Any]]:
    """The keyset condition for the rows after `row` in this order."""
    op = "<" if descending else ">"
    values = [getattr(row, column) for column in columns]
    if len(columns) == 1:
        return f"{columns[0]} {op} ?", values
    return f"({', '.join(columns)}) {op} ({', '.join('?' for _ in columns)})", values
