"""The case list as a table model: a page of cases at a time, fetched as the view scrolls.

The model keeps the few fields it shows of each row fetched so far (display text is made for
the rows being painted) and asks CaseListService for the next page after the last row (keyset
paging) when the view wants more.
Sorting and filtering start again from the first page. A filter with query text should arrive
resolved (the page searches on a worker thread); an unresolved one is searched here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette

from intake_app.domain.messages import status_label
from intake_app.domain.model import VOIDED
from intake_app.domain.money import format_yuan_display
from intake_app.domain.times import SHANGHAI

from intake_app.services.case_list import PAGE_SIZE, SORT_KEYS, CaseFilter, CaseListService, ListRow

from intake_app.ui.session import Session

CASE_NO, REPORTED, REPORTER, FRAUD_TYPE, TOTAL_LOSS, STATUS = range(len(SORT_KEYS))
# Columns whose first click sorts the largest or newest first.
_NEWEST_FIRST = frozenset({CASE_NO, REPORTED, TOTAL_LOSS})

Index = QModelIndex | QPersistentModelIndex


def _reported(row: ListRow) -> str:
    """The time reported, in Asia/Shanghai, to the minute."""
    at = row.reported_at
    if at.endswith("+08:00") and at >= "1992":  # Shanghai time already (no DST since 1991)
        return f"{at[:10]} {at[11:16]}"
    moment = datetime.fromisoformat(row.reported_utc).astimezone(SHANGHAI)
    return moment.strftime("%Y-%m-%d %H:%M")


def _reporter(row: ListRow) -> str:
    if row.reporter_id_masked:
        return f"{row.reporter_name} ({row.reporter_id_masked})".strip()
    return row.reporter_name


_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
_CASE_NO = Qt.ItemDataRole.UserRole.value
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, _CASE_NO, Qt.ItemDataRole.ForegroundRole.value})
_RIGHT = (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value
_URGENT = QBrush(QColor("#c62828"))
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

# Display text kept for this many rows (those painted lately), then made again when needed.
_SHOWN_CACHE = 2_000


class CaseTableModel(QAbstractTableModel):
    CaseNoRole = Qt.ItemDataRole.UserRole  # the case number of a row, to open the case

    def __init__(
        self,
        session: Session,
        parent: QObject | None = None,
        *,
        case_filter: CaseFilter | None = None,
        sort_key: str = "reported",
        descending: bool = True,
        page_size: int = PAGE_SIZE,
        service: CaseListService | None = None,
    ) -> None:
        super().__init__(parent)
        if sort_key not in SORT_KEYS:
            raise ValueError(f"unknown sort key {sort_key!r}")
        self._session = session
        self._service = service or CaseListService(session.desk)
        self._page_size = page_size
        self._filter = case_filter or CaseFilter()
        self._sort_key = sort_key
        self._descending = descending
        # The rows fetched so far as the service gives them (about 0.5 kB each); display text
        # is made when a row is painted.
        self._rows: list[ListRow] = []
        self._complete = False
        self._fetching = False
        lang = session.lang
        self._fraud_labels = {
            e.code: e.label(lang) for e in session.desk.reference.entries("fraud_types")
        }
        self._status_labels: dict[str, str] = {}
        self._shown: dict[int, tuple[str, ...]] = {}  # row: display text of each column
        self._header_text: tuple[str, ...] | None = None
        # Cases with a stop-payment request in the last 48 hours: their number shows in red.
        self.urgent: frozenset[str] = frozenset()
        self._load(None)

    # What is shown -------------------------------------------------------------------------

    def case_filter(self) -> CaseFilter:
        """The filter shown, resolved (with the matches of its query)."""
        return self._filter

    @property
    def sort_key(self) -> str:
        return self._sort_key

    @property
    def descending(self) -> bool:
        return self._descending

    def sort_column(self) -> int:
        return SORT_KEYS.index(self._sort_key)

    def case_no(self, row: int) -> str:
        return self._rows[row].case_no

    def set_filter(self, case_filter: CaseFilter, first_page: list[ListRow] | None = None) -> None:
        """Show the cases this filter lets through, from the first page.

        `first_page`: that page, when the caller has already fetched it (for this filter,
        resolved, in the current order, PAGE_SIZE rows or the last ones).
        """
        if case_filter == self._filter and first_page is None:
            return
        self._filter = case_filter
        self._load(first_page)

    def refresh(self) -> None:
        """Read the cases again from the first page (after a change in the store)."""
        self._load(None)

    def _load(self, first_page: list[ListRow] | None) -> None:
        self._fetching = True  # no fetchMore from a slot of modelReset: the page is coming
        self.beginResetModel()
        self._rows, self._complete = [], False
        self._shown.clear()
        try:
            self._filter = self._service.resolve(self._filter)
            if first_page is None:
                first_page = self._fetch_page()
            self._append(first_page)
        finally:
            self.endResetModel()
            self._fetching = False

    def _fetch_page(self) -> list[ListRow]:
        return self._service.page(
            self._filter,
            self._sort_key,
            self._descending,
            limit=self._page_size,
            after=self._rows[-1] if self._rows else None,  # where the next page starts
        )

    def _append(self, page: list[ListRow]) -> None:
        self._complete = len(page) < self._page_size
        self._rows += page

    def _text(self, number: int) -> tuple[str, ...]:
        """The display text of a row's columns, made when first asked for."""
        shown = self._shown.get(number)
        if shown is None:
            if len(self._shown) >= _SHOWN_CACHE:
                self._shown.clear()
            row = self._rows[number]
            shown = self._shown[number] = (
                row.case_no,
                _reported(row),
                _reporter(row),
                self._fraud_labels.get(row.fraud_type, row.fraud_type),
                format_yuan_display(row.total_loss_fen),
                self._status_label(row.status),
            )
        return shown

    def _status_label(self, status: str) -> str:
        label = self._status_labels.get(status)
        if label is None:
            label = self._status_labels[status] = status_label(status, self._session.lang)
        return label

    # QAbstractTableModel -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SORT_KEYS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._complete

    def fetchMore(self, parent: Index) -> None:
        # Not from a slot of this model's own change signals: that would nest the changes
        # (and, from rowsAboutToBeInserted, fetch the same page twice).
        if parent.isValid() or self._complete or self._fetching:
            return
        self._fetching = True
        try:
            page = self._fetch_page()
            if not page:
                self._complete = True
                return
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._append(page)
            self.endInsertRows()
        finally:
            self._fetching = False

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell at each paint: unasked roles leave first.
        if role not in _ROLES or not index.isValid():
            return None
        number, column = index.row(), index.column()
        if not 0 <= number < len(self._rows):
            return None
        if role == _TOOLTIP and column == 0 and self._rows[number].case_no in self.urgent:
            return self.tr("{case_no}: urgent, stop-payment requested in the last 48 hours").format(
                case_no=self._rows[number].case_no
            )
        if role in (_DISPLAY, _TOOLTIP):
            return self._text(number)[column]
        if role == _CASE_NO:
            return self._rows[number].case_no
        if role == _ALIGNMENT:
            return _RIGHT if column == TOTAL_LOSS else None
        if column == 0 and self._rows[number].case_no in self.urgent:  # ForegroundRole
            return _URGENT
        if self._rows[number].status == VOIDED:  # ForegroundRole
            return QGuiApplication.palette().brush(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(SORT_KEYS):
            return super().headerData(section, orientation, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers()[section]
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            newest = section in _NEWEST_FIRST
            return Qt.SortOrder.DescendingOrder if newest else Qt.SortOrder.AscendingOrder
        if role == Qt.ItemDataRole.TextAlignmentRole and section == TOTAL_LOSS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _headers(self) -> tuple[str, ...]:
        # Translated once per model: a view asks for the headers several times per paint, and
        # each tr() looks through the installed translators (the language is set at start-up).
        if self._header_text is None:
            self._header_text = (
                self.tr("Case number"),
                self.tr("Reported at"),
                self.tr("Reporter"),
                self.tr("Fraud type"),
                self.tr("Total loss"),
                self.tr("Status"),
            )
        return self._header_text

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(SORT_KEYS):
            return
        key, descending = SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort_key, self._descending):
            return
        self._sort_key, self._descending = key, descending
        self._load(None)
