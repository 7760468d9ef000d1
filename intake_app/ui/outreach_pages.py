"""The leads page (线索) and the prevention log page (宣防): a form to register one, and the list.

Both lists are short (hundreds of rows), read on the GUI thread; registering goes through
OutreachService, which checks the record and writes it with its audit entry.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.errors import IntakeError
from intake_app.domain.outreach import EVENT_KINDS, LEAD_SOURCES, MAX_AUDIENCE, event_kind_label

from intake_app.ui.session import Session


def record_table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(parent)
    table.setObjectName(name)
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()


class _RecordPage(QWidget):
    """A form above a list; `record()` reads the form, `add(record)` stores it."""

    registered = Signal(str)  # uuid

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.form = QFormLayout()
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.register_button = QPushButton(self.tr("Register"), self)
        self.register_button.setObjectName("registerButton")
        self.register_button.clicked.connect(self.register)

    def _layout(self, table: QTableWidget) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.register_button)
        layout.addWidget(self.message)
        layout.addWidget(table, 1)

    def record(self) -> dict[str, Any]:
        raise NotImplementedError

    def add(self, record: dict[str, Any]) -> str:
        raise NotImplementedError

    def clear_form(self) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    @Slot()
    def register(self) -> None:
        try:
            uuid = self.add(self.record())
        except IntakeError as exc:
            self.message.setText(self.session.text(exc))
            return
        self.message.setText(self.tr("Registered."))
        self.clear_form()
        self.reload()
        self.registered.emit(uuid)


class LeadsPage(_RecordPage):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        ref, lang = session.desk.reference, session.lang
        self.source = QComboBox(self)
        self.source.setObjectName("leadSource")
        for code in (*LEAD_SOURCES, "other"):
            self.source.addItem(ref.label("case_sources", code, lang), code)
        self.source_detail = QLineEdit(self)
        self.source_detail.setObjectName("leadSourceDetail")
        self.source_detail.setPlaceholderText(self.tr("Company or unit that gave the lead"))
        self.received_at = QDateTimeEdit(self)
        self.received_at.setObjectName("leadReceivedAt")
        self.received_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.received_at.setCalendarPopup(True)
        self.summary = QLineEdit(self)
        self.summary.setObjectName("leadSummary")
        self.narrative = QPlainTextEdit(self)
        self.narrative.setObjectName("leadNarrative")
        self.narrative.setMaximumHeight(90)
        self.identifiers = QPlainTextEdit(self)
        self.identifiers.setObjectName("leadIdentifiers")
        self.identifiers.setMaximumHeight(70)
        self.identifiers.setPlaceholderText(
            self.tr("One per line: the kind, a space, the number (e.g. Bank account 6222 0212 …)")
        )
        self.form.addRow(self.tr("Source"), self.source)
        self.form.addRow(self.tr("From"), self.source_detail)
        self.form.addRow(self.tr("Received"), self.received_at)
        self.form.addRow(self.tr("Summary"), self.summary)
        self.form.addRow(self.tr("Narrative"), self.narrative)
        self.form.addRow(self.tr("Identifiers"), self.identifiers)
        self.table = record_table(
            self,
            "leadTable",
            [
                self.tr("Received"),
                self.tr("Source"),
                self.tr("From"),
                self.tr("Identifiers"),
                self.tr("Summary"),
            ],
        )
        self._layout(self.table)
        self.clear_form()
        self.reload()

    def record(self) -> dict[str, Any]:
        # A kind may be typed as its code or its label in either language ("银行账号", "QQ号").
        kinds: dict[str, str] = {}
        for entry in self.session.desk.reference.entries("identifier_kinds"):
            for name in (entry.code, *entry.labels.values()):
                kinds[name.casefold()] = entry.code
        names = sorted(kinds, key=len, reverse=True)  # "bank account" before "bank"
        identifiers = []
        for line in self.identifiers.toPlainText().splitlines():
            text = line.strip()
            known = next((n for n in names if text.casefold().startswith(n + " ")), None)
            if known is not None:
                identifiers.append({"kind": kinds[known], "value": text[len(known) :].strip()})
            elif text:
                kind, _sep, value = text.partition(" ")
                identifiers.append({"kind": kind, "value": value.strip()})
        received = self.received_at.dateTime().toString("yyyy-MM-ddTHH:mm:00")
        return {
            "received_at": received,
            "source": self.source.currentData(),
            "source_detail": self.source_detail.text(),
            "summary": self.summary.text(),
            "narrative": self.narrative.toPlainText(),
            "identifiers": identifiers,
        }

    def add(self, record: dict[str, Any]) -> str:
        return self.session.desk.outreach.add_lead(record, self.session.officer).uuid

    def clear_form(self) -> None:
        now = self.session.desk.now()
        self.received_at.setDateTime(
            QDateTime(QDate(now.year, now.month, now.day), QTime(now.hour, now.minute))
        )
        for edit in (self.source_detail, self.summary):
            edit.clear()
        self.narrative.clear()
        self.identifiers.clear()

    def reload(self) -> None:
        ref, lang = self.session.desk.reference, self.session.lang
        _fill(
            self.table,
            [
                [
                    r.received_at[:16].replace("T", " "),
                    ref.label("case_sources", r.source, lang),
                    r.source_detail,
                    str(r.identifier_count),
                    r.summary,
                ]
                for r in self.session.desk.outreach.leads()
            ],
        )


class PreventionPage(_RecordPage):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        ref, lang = session.desk.reference, session.lang
        self.held_on = QDateEdit(self)
        self.held_on.setObjectName("eventDate")
        self.held_on.setDisplayFormat("yyyy-MM-dd")
        self.held_on.setCalendarPopup(True)
        self.kind = QComboBox(self)
        self.kind.setObjectName("eventKind")
        for code in EVENT_KINDS:
            self.kind.addItem(event_kind_label(code, lang), code)
        self.place = QLineEdit(self)
        self.place.setObjectName("eventPlace")
        self.group = QComboBox(self)
        self.group.setObjectName("eventGroup")
        for entry in ref.entries("target_groups"):
            self.group.addItem(entry.label(lang), entry.code)
        self.audience = QSpinBox(self)
        self.audience.setObjectName("eventAudience")
        self.audience.setRange(0, MAX_AUDIENCE)
        self.notes = QLineEdit(self)
        self.notes.setObjectName("eventNotes")
        self.form.addRow(self.tr("Date"), self.held_on)
        self.form.addRow(self.tr("Kind"), self.kind)
        self.form.addRow(self.tr("Place"), self.place)
        self.form.addRow(self.tr("Target group"), self.group)
        self.form.addRow(self.tr("Audience"), self.audience)
        self.form.addRow(self.tr("Notes"), self.notes)
        self.table = record_table(
            self,
            "eventTable",
            [
                self.tr("Date"),
                self.tr("Kind"),
                self.tr("Place"),
                self.tr("Target group"),
                self.tr("Audience"),
                self.tr("Notes"),
            ],
        )
        self._layout(self.table)
        self.clear_form()
        self.reload()

    def record(self) -> dict[str, Any]:
        return {
            "held_on": self.held_on.date().toString("yyyy-MM-dd"),
            "kind": self.kind.currentData(),
            "place": self.place.text(),
            "target_group": self.group.currentData(),
            "audience": self.audience.value(),
            "notes": self.notes.text(),
        }

    def add(self, record: dict[str, Any]) -> str:
        return self.session.desk.outreach.add_prevention(record, self.session.officer).uuid

    def clear_form(self) -> None:
        today = self.session.desk.now().date()
        self.held_on.setDate(QDate(today.year, today.month, today.day))
        self.place.clear()
        self.notes.clear()
        self.audience.setValue(0)

    def reload(self) -> None:
        ref, lang = self.session.desk.reference, self.session.lang
        _fill(
            self.table,
            [
                [
                    r.held_on,
                    event_kind_label(r.kind, lang),
                    r.place,
                    ref.label("target_groups", r.target_group, lang),
                    f"{r.audience:,}",
                    r.notes,
                ]
                for r in self.session.desk.outreach.prevention_events()
            ],
        )
