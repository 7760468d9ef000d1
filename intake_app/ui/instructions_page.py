"""Instructions from the city center (dissuade a person now, verify a lead): open ones first,
the nearest deadline first, with a clock of the time left; the officer acknowledges one and
records its outcome. "Already defrauded" asks the window for a new report pre-filled with what
the center knew (`report_requested`). They arrive with the feed and are refreshed after each
sync and every half minute."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.errors import IntakeError
from intake_app.domain.instructions import ALREADY_DEFRAUDED, OUTCOMES_BY_KIND, outcome_words
from intake_app.domain.times import SHANGHAI

from intake_app.services.instructions import InstructionEntry

from intake_app.ui.session import Session
from intake_app.ui.widgets import ErrorLabel

RED, AMBER = "#b00020", "#b26a00"
REFRESH_MS = 30_000


def _local(stamp: str) -> str:
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


class InstructionsPage(QWidget):
    # The record a new report starts with (after "already defrauded").
    report_requested = Signal(dict)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("instructionsPage")
        self.session = session
        self.entries: list[InstructionEntry] = []
        title = QLabel(self.tr("Instructions from the city center"))
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("instructionTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Deadline"),
                self.tr("Kind"),
                self.tr("Instruction"),
                self.tr("Received"),
                self.tr("Time left"),
                self.tr("Outcome"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 150), (1, 110), (3, 150), (4, 130), (5, 170)):
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._selected)
        self.empty = QLabel(self.tr("No instructions. They arrive when the desk syncs."))
        self.empty.setObjectName("emptyLabel")

        self.ack_button = QPushButton(self.tr("Acknowledge"))
        self.ack_button.setObjectName("acknowledgeButton")
        self.ack_button.clicked.connect(self.acknowledge)
        self.outcome = QComboBox()
        self.outcome.setObjectName("outcomeCombo")
        self.note = QLineEdit()
        self.note.setObjectName("outcomeNote")
        self.note.setPlaceholderText(self.tr("What was done (optional)"))
        self.record_button = QPushButton(self.tr("Record outcome"))
        self.record_button.setObjectName("recordOutcomeButton")
        self.record_button.clicked.connect(self.record)
        self.error = ErrorLabel()
        actions = QHBoxLayout()
        actions.addWidget(self.ack_button)
        actions.addWidget(QLabel(self.tr("Outcome:")))
        actions.addWidget(self.outcome)
        actions.addWidget(self.note, 1)
        actions.addWidget(self.record_button)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(actions)
        layout.addWidget(self.error)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.refresh()

    # The clocks tick only while the page is on screen.
    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        self.timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.timer.stop()
        super().hideEvent(event)

    def kind_label(self, kind: str) -> str:
        labels = {
            "dissuade": self.tr("Dissuade in person"),
            "verify_lead": self.tr("Verify a lead"),
        }
        return labels.get(kind, kind)

    def clock_text(self, minutes: int | None) -> str:
        if minutes is None:
            return self.tr("no deadline")
        if minutes < 0:
            return self.tr("overdue {h} h {m:02d} min").format(h=-minutes // 60, m=-minutes % 60)
        return self.tr("{h} h {m:02d} min left").format(h=minutes // 60, m=minutes % 60)

    def state_text(self, entry: InstructionEntry) -> str:
        if entry.outcome:
            return f"{outcome_words(entry.outcome, self.session.lang)} · {entry.outcome_by}"
        if entry.acknowledged_by:
            return self.tr("Acknowledged by {badge}").format(badge=entry.acknowledged_by)
        return self.tr("New")

    def selected(self) -> InstructionEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def refresh(self) -> None:
        chosen = self.selected()
        self.entries = self.session.desk.instructions.listing()
        now = self.session.desk.now()
        self.table.setRowCount(len(self.entries))
        for i, entry in enumerate(self.entries):
            minutes = entry.minutes_left(now)
            deadline = entry.deadline.astimezone(SHANGHAI) if entry.deadline else None
            cells = (
                f"{deadline:%Y-%m-%d %H:%M}" if deadline else self.tr("none"),
                self.kind_label(entry.kind),
                entry.text,
                _local(entry.received_at),
                self.clock_text(minutes) if entry.open else "",
                self.state_text(entry),
            )
            items = [QTableWidgetItem(text) for text in cells]
            items[2].setToolTip(entry.text)
            for column, item in enumerate(items):
                self.table.setItem(i, column, item)
            if entry.open and minutes is not None and minutes < 30:
                color = QColor(RED if minutes < 0 else AMBER)
                items[0].setForeground(QBrush(color))
                items[4].setForeground(QBrush(color))
        self.empty.setVisible(not self.entries)
        if chosen is not None:
            ids = [e.id for e in self.entries]
            if chosen.id in ids:
                self.table.selectRow(ids.index(chosen.id))
        self._selected()

    def _selected(self) -> None:
        entry = self.selected()
        self.outcome.clear()
        is_open = entry is not None and entry.open
        if entry is not None and is_open:
            for code in OUTCOMES_BY_KIND.get(entry.kind, ()):
                self.outcome.addItem(outcome_words(code, self.session.lang), code)
        self.ack_button.setEnabled(is_open and entry is not None and not entry.acknowledged_by)
        for widget in (self.outcome, self.note, self.record_button):
            widget.setEnabled(is_open)

    def select(self, ident: str) -> None:
        ids = [e.id for e in self.entries]
        self.table.selectRow(ids.index(ident))

    def acknowledge(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        self._run(
            lambda: self.session.desk.instructions.acknowledge(entry.id, self.session.officer)
        )

    def record(self) -> None:
        entry = self.selected()
        code = self.outcome.currentData()
        if entry is None or not code:
            return
        desk = self.session.desk
        done = self._run(
            lambda: desk.instructions.record(
                entry.id, code, self.session.officer, note=self.note.text()
            )
        )
        if done and code == ALREADY_DEFRAUDED:
            self.report_requested.emit(desk.instructions.report_record(entry.id))

    def _run(self, work: Any) -> bool:
        try:
            work()
        except IntakeError as exc:
            self.error.show_message(self.session.text(exc), self.outcome)
            return False
        self.error.clear_message()
        self.note.clear()
        self.refresh()
        return True
