"""The case list page: search as you type, filters, a lazily fetched table, the case count.

Typing waits for a pause (DEBOUNCE_MS), then the search runs on a worker thread with a Desk of
its own, and so does counting; the window never waits for either. Every request carries a serial
number and an answer to anything but the newest request is dropped, so typing fast shows only
the last query's results. Pages of rows come from the model on the GUI thread: each is one
indexed query of PAGE_SIZE rows.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date

from shiboken6 import Shiboken

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QModelIndex,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.errors import IntakeError
from intake_app.domain.messages import status_label
from intake_app.domain.model import REGISTERED, VOIDED

from intake_app.services.case_list import SEARCH_CAP, CaseFilter, CaseListService, ListRow
from intake_app.services.desk import Desk

from intake_app.ui.case_model import CaseTableModel
from intake_app.ui.session import Session

DEBOUNCE_MS = 250
# "Searching…" shows only when a search takes longer than this (most answer in a millisecond).
BUSY_MS = 150
MAX_COLUMN_WIDTH = 320  # pixels, when the columns are first fitted to the first page
# A date edit at this date shows "Any": no bound on that side.
NO_DATE = QDate(2000, 1, 1)

Job = Callable[[CaseListService], "_Answer"]


@dataclass(frozen=True)
class _Answer:
    case_filter: CaseFilter  # resolved
    count: int
    sort: tuple[str, bool] | None = None  # the order of first_page
    first_page: list[ListRow] | None = None  # None: a count only


def _search(case_filter: CaseFilter, sort_key: str, descending: bool) -> Job:
    def job(service: CaseListService) -> _Answer:
        resolved = service.resolve(case_filter)
        page = service.page(resolved, sort_key, descending)
        return _Answer(resolved, service.count(resolved), (sort_key, descending), page)

    return job


def _count(case_filter: CaseFilter) -> Job:
    def job(service: CaseListService) -> _Answer:
        return _Answer(case_filter, service.count(case_filter))

    return job


class _Worker(QObject):
    """Runs list queries on its own thread, with a Desk it opens and closes there."""

    answered = Signal(int, object)  # serial, _Answer
    failed = Signal(int, object)  # serial, the exception

    def __init__(self, open_desk: Callable[[], Desk]) -> None:
        super().__init__()
        self._open_desk = open_desk
        self._desk: Desk | None = None
        self.latest = 0  # the newest serial asked for; set from the GUI thread

    @Slot(int, object)
    def run(self, serial: int, job: Job) -> None:
        if serial != self.latest:
            return  # a newer request waits behind this one
        try:
            if self._desk is None:
                self._desk = self._open_desk()
            answer = job(CaseListService(self._desk))
        except Exception as exc:
            self.failed.emit(serial, exc)
            return
        self.answered.emit(serial, answer)

    @Slot()
    def close(self) -> None:
        if self._desk is not None:
            self._desk.close()
            self._desk = None


# Worker threads outlive their page's Python wrapper (a QThread must never be deleted while it
# runs): they stop when their page is destroyed, and any left stop when the application does.
_threads: list[tuple[QThread, _Worker]] = []
_quit_hooked = False


def _stop_threads() -> None:
    for thread, _worker in _threads:
        if Shiboken.isValid(thread) and thread.isRunning():
            thread.quit()
            thread.wait()
    _threads.clear()


atexit.register(_stop_threads)


def _start_worker(session: Session) -> tuple[QThread, _Worker]:
    _threads[:] = [(t, w) for t, w in _threads if Shiboken.isValid(t)]
    thread = QThread()
    thread.setObjectName("case-list-worker")
    worker = _Worker(session.worker_desk)
    worker.moveToThread(thread)
    thread.finished.connect(worker.close, Qt.ConnectionType.DirectConnection)
    thread.finished.connect(worker.deleteLater)
    thread.finished.connect(thread.deleteLater)
    global _quit_hooked
    app = QCoreApplication.instance()
    if app is not None and not _quit_hooked:
        app.aboutToQuit.connect(_stop_threads)
        _quit_hooked = True
    _threads.append((thread, worker))
    thread.start()
    return thread, worker


class CasesPage(QWidget):
    loaded = Signal()  # the rows and the count of the newest request are shown
    _request = Signal(int, object)  # serial, job: to the worker thread

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._serial = 0
        self._filters: CaseFilter | None = None  # what the filter widgets say, without the query

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(
            self.tr("Search by case number, name, ID number, phone, account or words (Ctrl+F)")
        )

        self.date_from = self._date_edit("dateFrom")
        self.date_to = self._date_edit("dateTo")
        self.fraud_type_filter = QComboBox(self)
        self.fraud_type_filter.setObjectName("fraudTypeFilter")
        self.fraud_type_filter.addItem(self.tr("All fraud types"), None)
        for entry in session.desk.reference.entries("fraud_types"):
            self.fraud_type_filter.addItem(entry.label(session.lang), entry.code)
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(self.tr("All statuses"), None)
        for status in (REGISTERED, VOIDED):
            self.status_filter.addItem(status_label(status, session.lang), status)
        for combo in (self.fraud_type_filter, self.status_filter):
            # Narrow in the row of filters; the list that opens shows the labels in full.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(10)
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
        self.clear_button = QPushButton(self.tr("Clear filters"), self)
        self.clear_button.setObjectName("clearFilters")

        self.model = CaseTableModel(session, self)
        self.table = QTableView(self)
        self.table.setObjectName("caseTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in range(self.model.columnCount()):
            header.resizeSection(column, min(header.sectionSize(column), MAX_COLUMN_WIDTH))

        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")

        dates_label = QLabel(self.tr("Reported from"), self)
        dates_label.setBuddy(self.date_from)
        to_label = QLabel(self.tr("to"), self)
        to_label.setBuddy(self.date_to)
        filters = QHBoxLayout()
        for widget in (
            dates_label,
            self.date_from,
            to_label,
            self.date_to,
            self.fraud_type_filter,
            self.status_filter,
            self.clear_button,
        ):
            filters.addWidget(widget)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_edit)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        # Typing starts this timer again at each change; the search runs when it fires.
        self.typing_pause = QTimer(self)
        self.typing_pause.setSingleShot(True)
        self.typing_pause.setInterval(DEBOUNCE_MS)
        self.typing_pause.timeout.connect(self._changed)
        self._busy = QTimer(self)
        self._busy.setSingleShot(True)
        self._busy.setInterval(BUSY_MS)
        self._busy.timeout.connect(self._show_busy)

        self._thread, self._worker = _start_worker(session)
        self._request.connect(self._worker.run)  # queued: the worker lives in its thread
        self._worker.answered.connect(self._on_answer)
        self._worker.failed.connect(self._on_failure)
        self.destroyed.connect(self._thread.quit)

        self.search_edit.textChanged.connect(self._text_changed)
        self.search_edit.returnPressed.connect(self._changed)
        self.date_from.dateChanged.connect(self._filters_changed)
        self.date_to.dateChanged.connect(self._filters_changed)
        self.fraud_type_filter.currentIndexChanged.connect(self._filters_changed)
        self.status_filter.currentIndexChanged.connect(self._filters_changed)
        self.clear_button.clicked.connect(self.clear_filters)
        self.table.activated.connect(self._open)  # double-click or Enter
        session.cases_changed.connect(self.refresh)
        for signal in (session.cases_changed, session.stop_payment_changed):
            signal.connect(self.mark_urgent)
        self.mark_urgent()

        self._ask(_count(self.model.case_filter()))

    def mark_urgent(self) -> None:
        """Show in red the cases with a stop-payment request in the last 48 hours."""
        self.model.urgent = frozenset(self.session.desk.stop_payment.urgent_case_nos())
        self.table.viewport().update()

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setCalendarPopup(True)
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(self.tr("Any"))
        edit.setDate(NO_DATE)
        return edit

    # Public --------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def search(self, text: str) -> None:
        """Search for this text at once (no pause), as if typed and Enter pressed."""
        with _blocked(self.search_edit):
            self.search_edit.setText(text)
        self._apply()

    def clear_filters(self) -> None:
        widgets = (self.search_edit, self.date_from, self.date_to)
        with _blocked(*widgets, self.fraud_type_filter, self.status_filter):
            self.search_edit.clear()
            self.date_from.setDate(NO_DATE)
            self.date_to.setDate(NO_DATE)
            self.fraud_type_filter.setCurrentIndex(0)
            self.status_filter.setCurrentIndex(0)
        self._filters = None
        self._apply()

    @Slot()
    def refresh(self) -> None:
        """Read the list again: the store has changed."""
        self._apply(again=True)

    def case_filter(self) -> CaseFilter:
        """The filter the widgets describe (the query not yet searched)."""
        if self._filters is None:
            self._filters = CaseFilter(
                date_from=_day(self.date_from.date()),
                date_to=_day(self.date_to.date()),
                fraud_type=self.fraud_type_filter.currentData(),
                status=self.status_filter.currentData(),
            )
        f = self._filters
        return CaseFilter(f.date_from, f.date_to, f.fraud_type, f.status, self.search_edit.text())

    # Requests and answers ------------------------------------------------------------------

    @Slot()
    def _changed(self) -> None:
        """Enter was pressed or typing paused."""
        self._apply()

    @Slot()
    def _filters_changed(self) -> None:
        """A date, the fraud type or the status changed (the signal's value unused)."""
        self._filters = None
        self._apply()

    def _apply(self, again: bool = False) -> None:
        """Show what the widgets ask for: search on the worker thread if the query is new,
        otherwise show the first page at once and count on the worker thread."""
        self.typing_pause.stop()
        wanted = self.case_filter()
        shown = self.model.case_filter()
        if wanted.text and (again or wanted.text != shown.text):
            # The rows shown stay until the answer comes.
            self._busy.start()
            self._ask(_search(wanted, self.model.sort_key, self.model.descending))
            return
        if wanted.text:
            wanted = replace(wanted, matches=shown.matches)  # the same query: its matches
        if again and wanted == shown:
            self.model.refresh()
        else:
            self.model.set_filter(wanted)
        self._ask(_count(self.model.case_filter()))

    @Slot()
    def _text_changed(self) -> None:
        # Whatever is under way is for other text now: drop its answer, then wait for a pause.
        self._serial += 1
        self._worker.latest = self._serial
        self.typing_pause.start()

    def _ask(self, job: Job) -> None:
        self._serial += 1
        self._worker.latest = self._serial
        self._request.emit(self._serial, job)

    @Slot(int, object)
    def _on_answer(self, serial: int, answer: _Answer) -> None:
        if serial != self._serial:
            return  # the widgets have changed since: a newer answer is coming
        self._busy.stop()
        if answer.first_page is not None:
            current = (self.model.sort_key, self.model.descending)
            page = answer.first_page if answer.sort == current else None
            self.model.set_filter(answer.case_filter, page)
            self.table.scrollToTop()
        self._show_count(answer.count, answer.case_filter)
        self.loaded.emit()

    @Slot(int, object)
    def _on_failure(self, serial: int, error: Exception) -> None:
        if serial != self._serial:
            return
        self._busy.stop()
        detail = self.session.text(error) if isinstance(error, IntakeError) else str(error)
        self.count_label.setText(
            self.tr("Could not read the cases: {detail}").format(detail=detail)
        )

    @Slot()
    def _show_busy(self) -> None:
        self.count_label.setText(self.tr("Searching…"))

    def _show_count(self, count: int, case_filter: CaseFilter) -> None:
        number = self.locale().toString(count)
        if case_filter.capped:
            text = self.tr(
                "{count} cases in the first {cap} matches; type more to narrow the search"
            )
        elif count == 0:
            text = self.tr("No cases")
        elif count == 1:
            text = self.tr("1 case")
        else:
            text = self.tr("{count} cases")
        self.count_label.setText(text.format(count=number, cap=self.locale().toString(SEARCH_CAP)))

    @Slot(QModelIndex)
    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.session.open_case_requested.emit(self.model.case_no(index.row()))


def _day(value: QDate) -> date | None:
    if not value.isValid() or value == NO_DATE:
        return None
    return date(value.year(), value.month(), value.day())


@contextmanager
def _blocked(*objects: QObject) -> Iterator[None]:
    """Change widgets without their change signals (one update afterwards instead)."""
    before = [o.blockSignals(True) for o in objects]
    try:
        yield
    finally:
        for o, was in zip(objects, before, strict=True):
            o.blockSignals(was)
