"""The report form: one fraud report as the officer types it at the front desk.

The layout is forms/report_form.ui (Qt Designer, loaded with QUiLoader); this module wires it.
As the officer types, the form builds an `intake-case/1` record, checks it through
`desk.intake.read_record` (nothing is written) and marks each field the problems name, with the
message beside it. Every change is saved as a draft within AUTOSAVE_MS, so a crash or a power cut
loses nothing; `unfinished_drafts(session)` lists what the next start should offer back.
Registering goes through `desk.drafts.register`, so a form opened on a case (`edit_case`)
becomes that case's next revision.
"""

from __future__ import annotations

import contextlib
import mimetypes
import re
import uuid as uuidlib
from collections import defaultdict
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QBuffer,
    QByteArray,
    QCoreApplication,
    QDate,
    QDateTime,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    QSize,
    Qt,
    QTime,
    QTimer,
    QTimeZone,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QGuiApplication,
    QIcon,
    QImageReader,
    QKeyEvent,
    QKeySequence,
    QPixmap,
    QRegularExpressionValidator,
)
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.errors import IntakeError
from intake_app.domain.identifiers import check_resident_id, normalize_identifier
from intake_app.domain.interchange import CASE_KEYS, TRANSACTION_KEYS, canonical_json
from intake_app.domain.model import CASE_FORMAT
from intake_app.domain.money import format_yuan_display, parse_yuan
from intake_app.domain.problems import ERROR, INFO, WARNING, Problem, has_errors
from intake_app.domain.times import SHANGHAI, format_time, parse_date, parse_time
from intake_app.domain.validation import LIMITS

from intake_app.services.drafts import Draft
from intake_app.services.intake import ValidationFailed
from intake_app.services.resources import form_path

from intake_app.ui import printing, sync_status
from intake_app.ui.session import Session

AUTOSAVE_MS = 2000  # a change reaches the draft at most this long after it is made
VALIDATE_MS = 300  # checks run once typing pauses this long
NARRATIVE_LIMIT = LIMITS["narrative"]
THUMBNAIL = 48
GROUP_COLUMNS = 3  # target-group tick boxes per line

ZONE = QTimeZone(b"Asia/Shanghai")
# A time or date field showing its minimum shows "not set": the minimum is the blank value.
BLANK_DATETIME = QDateTime(QDate(1990, 1, 1), QTime(0, 0), ZONE)
BLANK_DATE = QDate(1890, 1, 1)
CELL_TIME_FORMAT = "yyyy-MM-dd HH:mm:ss"
_CELL_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$")
AMOUNT_PATTERN = r"^[0-9]{0,13}(\.[0-9]{0,2})?$"  # yuan with at most two decimals; never a float

CODE_ROLE = Qt.ItemDataRole.UserRole  # a code behind a label (method, kind)
SUGGESTED_ROLE = Qt.ItemDataRole.UserRole + 1  # the payee bank was filled in from the card
FILLED_FOR_ROLE = Qt.ItemDataRole.UserRole + 2  # the card number a bank was filled in for
ATTACHMENT_ROLE = Qt.ItemDataRole.UserRole + 3  # the attachment's record entry
FIELD_ROLE = Qt.ItemDataRole.UserRole + 4  # a problem's field path (problems list)

_PERSON_WIDGETS = (
    ("name", "Name"),
    ("id_type", "IdType"),
    ("id_number", "IdNumber"),
    ("sex", "Sex"),
    ("birth_date", "BirthDate"),
    ("phone", "Phone"),
    ("address", "Address"),
    ("occupation", "Occupation"),
    ("groups", "Groups"),
)
# Field path -> objectName in report_form.ui; each has a "<name>Msg" label beside it.
FIELD_WIDGETS: dict[str, str] = {
    "source": "source",
    "reported_at": "reportedAt",
    **{f"{p}.{key}": p + suffix for p in ("reporter", "victim") for key, suffix in _PERSON_WIDGETS},
    "incident.fraud_type": "fraudType",
    "incident.contact_channel": "contactChannel",
    "incident.occurred_from": "occurredFrom",
    "incident.occurred_to": "occurredTo",
    "incident.discovered_at": "discoveredAt",
    "incident.place": "place",
    "incident.narrative": "narrative",
}
IDENTIFIER_COLUMNS = ("kind", "value", "normalized", "note")
# Read-only columns the form fills in: what an identifier is compared as, and whether the
# center's watchlist has a payee account (the last column of the transactions table).
WATCH_COLUMN = len(TRANSACTION_KEYS)
DERIVED_COLUMNS = {
    ("identifiers", IDENTIFIER_COLUMNS.index("normalized")),
    ("transactions", WATCH_COLUMN),
}
ATTACHMENT_COLUMNS = {"name": 0, "path": 0, "media_type": 0, "size": 1, "sha256": 2}
TABLES = ("transactions", "identifiers", "attachments")
_ROW_FIELD = re.compile(r"^(transactions|identifiers|attachments)\[(\d+)\](?:\.(\w+))?")
_SECTION_ORDER = (
    "source",
    "reported_at",
    "reporter",
    "victim",
    "incident",
    "transactions",
    "identifiers",
    "attachments",
)
_SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}
CELL_COLOURS = {ERROR: "#ffd6d6", WARNING: "#ffe8b0", INFO: "#d9e8ff"}
STYLE = """
QLineEdit[severity="error"], QPlainTextEdit[severity="error"], QComboBox[severity="error"],
QDateTimeEdit[severity="error"], QTableWidget[severity="error"] { border: 2px solid #c62828; }
QLineEdit[severity="warning"], QPlainTextEdit[severity="warning"], QComboBox[severity="warning"],
QDateTimeEdit[severity="warning"], QTableWidget[severity="warning"] { border: 2px solid #e69500; }
QLineEdit[severity="info"], QComboBox[severity="info"] { border: 2px solid #1e6fd9; }
QLabel[severity="error"] { color: #b71c1c; }
QLabel[severity="warning"] { color: #8a5300; }
QLabel[severity="info"] { color: #0d47a1; }
QFrame#registeredBanner { background: #e8f5e9; border: 2px solid #2e7d32; border-radius: 4px; }
QLabel#caseNoLabel { color: #1b5e20; font-size: 20pt; font-weight: bold; }
QLabel#modeLabel { font-weight: bold; }
QLabel#fraudTypeDescription, QLabel#attachmentsHint { color: #555555; }
"""

_W = TypeVar("_W", bound=QObject)


# --- drafts left open (crash recovery) ---------------------------------------------------


def unfinished_drafts(session: Session) -> list[Draft]:
    """The officer's open drafts, newest first: what to offer back when the desk starts.

    Every report being typed is autosaved as an open draft, so after a crash or a power cut
    the report that was on screen is the first of these.
    """
    return session.desk.drafts.open_drafts(session.officer)


def draft_summary(draft: Draft, session: Session) -> str:
    """One line naming a draft for the officer: who reported what, and when it was saved."""
    data = draft.data if isinstance(draft.data, dict) else {}
    reporter = data.get("reporter") if isinstance(data.get("reporter"), dict) else {}
    incident = data.get("incident") if isinstance(data.get("incident"), dict) else {}
    name = str((reporter or {}).get("name") or "").strip() or QCoreApplication.translate(
        "ReportForm", "(no name yet)"
    )
    parts = [name]
    fraud_type = str((incident or {}).get("fraud_type") or "")
    if fraud_type:
        parts.append(session.desk.reference.label("fraud_types", fraud_type, session.lang))
    if draft.is_revision and draft.case_no:
        parts.append(
            QCoreApplication.translate("ReportForm", "revising case {case_no}").format(
                case_no=draft.case_no
            )
        )
    try:
        saved = parse_time(draft.updated_at, "updated_at").astimezone(SHANGHAI)
        parts.append(
            QCoreApplication.translate("ReportForm", "saved {time}").format(
                time=saved.strftime("%Y-%m-%d %H:%M")
            )
        )
    except IntakeError:
        pass
    return " · ".join(parts)


# --- time fields ------------------------------------------------------------------------


def _qdatetime(moment: datetime) -> QDateTime:
    local = moment.astimezone(SHANGHAI)
    return QDateTime(
        QDate(local.year, local.month, local.day),
        QTime(local.hour, local.minute, local.second),
        ZONE,
    )


def _py_datetime(value: QDateTime) -> datetime:
    local = value.toTimeZone(ZONE)
    d, t = local.date(), local.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second(), tzinfo=SHANGHAI)


def _cell_time(value: Any) -> str:
    """A record time as the table shows it: "2026-11-21 02:31:00" in Beijing time."""
    if not isinstance(value, str) or not value.strip():
        return ""
    try:
        return parse_time(value, "at").astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
    except IntakeError:
        return value  # kept as it is, so the check names it


def _record_time(text: str) -> str | None:
    """A table cell's time as a record time with the Beijing offset; other text unchanged."""
    text = text.strip()
    if not text:
        return None
    match = _CELL_TIME.match(text)
    if not match:
        return text
    return f"{match.group(1)}T{match.group(2)}{match.group(3) or ':00'}+08:00"


class _TimeKeys(QObject):
    """Keyboard for the time and date fields, which start blank ("not set").

    Tab leaves the field (digits typed in full move on by themselves, arrows move between
    parts); the first digit typed into a blank field starts from today; Up/Down on a blank
    field fill in now; Delete makes the field blank again. The calendar opens on this month.
    """

    def __init__(self, form: ReportForm) -> None:
        super().__init__(form)
        self.form = form
        self._calendars: dict[QCalendarWidget, QDateTimeEdit] = {}

    def watch(self, edit: QDateTimeEdit) -> None:
        edit.installEventFilter(self)
        calendar = edit.calendarWidget()
        if calendar is not None:
            self._calendars[calendar] = edit
            calendar.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and obj in self._calendars:
            edit = self._calendars[cast(QCalendarWidget, obj)]
            if _is_blank(edit):
                today = self.form.now()
                cast(QCalendarWidget, obj).setCurrentPage(today.year, today.month)
            return False
        if event.type() != QEvent.Type.KeyPress or not isinstance(obj, QDateTimeEdit):
            return False
        key_event = cast(QKeyEvent, event)
        key = key_event.key()
        mods = key_event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not (
            mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            forward = key == Qt.Key.Key_Tab and not mods & Qt.KeyboardModifier.ShiftModifier
            self.form.focusNextPrevChild(forward)
            return True
        if key == Qt.Key.Key_Delete and not mods:
            _set_blank(obj)
            return True
        if _is_blank(obj):
            if key_event.text()[:1].isdigit():
                _fill_default(obj, self.form.now())
                return False  # the digit goes on into the year
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                _fill_default(obj, self.form.now())
                return True
        return False


def _is_blank(edit: QDateTimeEdit) -> bool:
    if isinstance(edit, QDateEdit):
        return edit.date() == edit.minimumDate()
    return edit.dateTime() == edit.minimumDateTime()


def _set_blank(edit: QDateTimeEdit) -> None:
    if isinstance(edit, QDateEdit):
        edit.setDate(edit.minimumDate())
    else:
        edit.setDateTime(edit.minimumDateTime())


def _fill_default(edit: QDateTimeEdit, now: datetime) -> None:
    if isinstance(edit, QDateEdit):
        edit.setDate(QDate(now.year, now.month, now.day))
    else:
        edit.setDateTime(_qdatetime(now.replace(second=0, microsecond=0)))
    edit.setCurrentSection(QDateTimeEdit.Section.YearSection)
    edit.setSelectedSection(QDateTimeEdit.Section.YearSection)


# --- table cells ------------------------------------------------------------------------


class _CellDelegate(QStyledItemDelegate):
    """Editors for table cells: a time, an amount in yuan, a code from a list, or text.

    Tab in the last cell (Shift+Tab in the first) leaves the table instead of wrapping round.
    """

    def __init__(self, form: ReportForm, table: QTableWidget, columns: dict[int, str]) -> None:
        super().__init__(table)
        self.form = form
        self.table = table
        self.columns = columns  # column -> "time", "amount" or "list:<reference list>"
        self._editing = QPersistentModelIndex()

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        self._editing = QPersistentModelIndex(index)
        kind = self.columns.get(index.column(), "text")
        if kind == "time":
            edit = QDateTimeEdit(parent)
            edit.setTimeZone(ZONE)
            edit.setDisplayFormat(CELL_TIME_FORMAT)
            edit.setCalendarPopup(True)
            return edit
        if kind == "amount":
            line = QLineEdit(parent)
            line.setValidator(QRegularExpressionValidator(QRegularExpression(AMOUNT_PATTERN), line))
            line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return line
        if kind.startswith("list:"):
            combo = QComboBox(parent)
            combo.addItem("", "")
            for code, label in self.form.choices(kind[5:]):
                combo.addItem(label, code)
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QDateTimeEdit):
            shown = _record_time(str(index.data() or ""))
            try:
                moment = parse_time(shown, "at") if shown else None
            except IntakeError:
                moment = None
            editor.setDateTime(_qdatetime(moment or self.form.default_transaction_time()))
            editor.setCurrentSection(QDateTimeEdit.Section.YearSection)
            editor.setSelectedSection(QDateTimeEdit.Section.YearSection)
        elif isinstance(editor, QComboBox):
            found = editor.findData(index.data(CODE_ROLE) or "")
            editor.setCurrentIndex(max(found, 0))
        else:
            super().setEditorData(editor, index)

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, QDateTimeEdit):
            text = _py_datetime(editor.dateTime()).strftime("%Y-%m-%d %H:%M:%S")
            model.setData(index, text)
        elif isinstance(editor, QComboBox):
            model.setData(index, editor.currentData() or "", CODE_ROLE)
            model.setData(index, editor.currentText())
        else:
            super().setModelData(editor, model, index)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(obj, QWidget):
            key = cast(QKeyEvent, event).key()
            index = self._editing
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and index.isValid():
                forward = key == Qt.Key.Key_Tab
                if _at_table_edge(self.table, index.row(), index.column(), forward):
                    self.commitData.emit(obj)
                    self.closeEditor.emit(obj, QAbstractItemDelegate.EndEditHint.NoHint)
                    self.form.focusNextPrevChild(forward)
                    return True
        return super().eventFilter(obj, event)


def _at_table_edge(table: QTableWidget, row: int, column: int, forward: bool) -> bool:
    name = table.objectName()
    editable = [
        c
        for c in range(table.columnCount())
        if not table.isColumnHidden(c) and (name, c) not in DERIVED_COLUMNS
    ]
    if not editable:
        return True
    if forward:
        return row >= table.rowCount() - 1 and column >= editable[-1]
    return row <= 0 and column <= editable[0]


class _TableKeys(QObject):
    """Tab out of a table at its last cell; Insert adds a row."""

    def __init__(self, form: ReportForm) -> None:
        super().__init__(form)
        self.form = form

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(obj, QTableWidget):
            return False
        key = cast(QKeyEvent, event).key()
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            forward = key == Qt.Key.Key_Tab
            row, column = obj.currentRow(), obj.currentColumn()
            if obj.rowCount() == 0 or _at_table_edge(obj, row, column, forward):
                self.form.focusNextPrevChild(forward)
                return True
        if key == Qt.Key.Key_Insert and obj.objectName() in ("transactions", "identifiers"):
            self.form.add_row(obj.objectName())
            return True
        return False


# --- the form ---------------------------------------------------------------------------


class ReportForm(QWidget):
    """The report form. `new_report()`, `load_draft(uuid)` or `edit_case(case_no)` fill it."""

    registered = Signal(str)  # case_no, after registering (a new case or a revision)
    draft_saved = Signal(str)  # draft uuid, after every save (autosave included)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.desk = session.desk
        loader = QUiLoader(self)
        ui = loader.load(str(form_path("report_form.ui")), self)
        if ui is None:
            raise RuntimeError(f"cannot load report_form.ui: {loader.errorString()}")
        self.ui: QWidget = ui
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(ui)
        self.setWindowTitle(ui.windowTitle())
        ui.setStyleSheet(STYLE)
        self.setAcceptDrops(True)

        self._draft_uuid: str | None = None
        self._case_no: str | None = None  # the case this report revises
        self._base_revision = 0
        self._record_uuid: str | None = None
        self._saved_text = ""  # the record when last saved by the officer, loaded or started
        self._saved_record: dict[str, Any] | None = None  # what Discard goes back to, if kept
        self._autosaved_text = ""
        self._loading = False
        self._autofilling = False
        self._reveal_all = False  # mark empty required fields even if not touched yet
        self._touched: set[str] = set()
        self._problems: list[Problem] = []
        self._marked: set[str] = set()
        self._base_tooltips: dict[str, str] = {}
        self._group_boxes: dict[str, dict[str, QCheckBox]] = {"reporter": {}, "victim": {}}
        self._groups: dict[str, list[str]] = {"reporter": [], "victim": []}  # in ticked order

        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(VALIDATE_MS)
        self._validate_timer.timeout.connect(self.validate_now)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.setInterval(AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(self._autosave)

        self._time_keys = _TimeKeys(self)
        self._table_keys = _TableKeys(self)
        self._setup_choices()
        self._setup_fields()
        self._setup_tables()
        self._setup_actions()
        self.new_report()

    # Widgets -------------------------------------------------------------------------------

    def child(self, cls: type[_W], name: str) -> _W:
        """A widget of the form by its objectName in report_form.ui."""
        found = self.ui.findChild(cls, name)
        if found is None:
            raise LookupError(f"report_form.ui has no {cls.__name__} named {name!r}")
        return found

    def field_widget(self, path: str) -> QWidget:
        """The widget of a field path such as "reporter.id_number"."""
        return self.child(QWidget, FIELD_WIDGETS[path])

    def message_label(self, path: str) -> QLabel:
        """The label beside a field (or below a table) that shows its problems."""
        name = path if path in TABLES else FIELD_WIDGETS[path]
        return self.child(QLabel, name + "Msg")

    def table(self, name: str) -> QTableWidget:
        return self.child(QTableWidget, name)

    def now(self) -> datetime:
        return self.desk.now().astimezone(SHANGHAI)

    def default_transaction_time(self) -> datetime:
        """Where a blank transaction time starts: when the incident began, else now."""
        began = self._time("occurredFrom")
        if began:
            return parse_time(began, "occurred_from")
        return self.now().replace(second=0, microsecond=0)

    def choices(self, list_name: str) -> list[tuple[str, str]]:
        """(code, label) of a reference list, labelled in the officer's language."""
        return [
            (e.code, e.label(self.session.lang)) for e in self.desk.reference.entries(list_name)
        ]

    def problems(self) -> list[Problem]:
        """The problems found by the latest check."""
        return list(self._problems)

    # Set-up --------------------------------------------------------------------------------

    def _setup_choices(self) -> None:
        choose = self.tr("— choose —")
        for name, list_name in (
            ("source", "case_sources"),
            ("fraudType", "fraud_types"),
            ("contactChannel", "contact_channels"),
        ):
            combo = self.child(QComboBox, name)
            combo.addItem(choose, "")
            for code, label in self.choices(list_name):
                combo.addItem(label, code)
        fraud_type = self.child(QComboBox, "fraudType")
        for i, entry in enumerate(self.desk.reference.entries("fraud_types"), start=1):
            description = entry.description.get(self.session.lang) or entry.description.get(
                "zh_CN", ""
            )
            fraud_type.setItemData(i, description, Qt.ItemDataRole.ToolTipRole)
        fraud_type.currentIndexChanged.connect(self._show_fraud_description)
        for p in ("reporter", "victim"):
            id_type = self.child(QComboBox, p + "IdType")
            for code, label in self.choices("id_types"):
                id_type.addItem(label, code)
            sex = self.child(QComboBox, p + "Sex")
            sex.addItem(self.tr("Unknown"), "U")
            sex.addItem(self.tr("Male"), "M")
            sex.addItem(self.tr("Female"), "F")
            for code, label in self.choices("target_groups"):
                self._add_group_box(p, code, label)

    def _add_group_box(self, person: str, code: str, label: str) -> QCheckBox:
        container = self.child(QWidget, person + "Groups")
        box = QCheckBox(label, container)
        box.setObjectName(f"{person}Group_{code}")
        layout = container.layout()
        assert isinstance(layout, QGridLayout)
        boxes = self._group_boxes[person]
        layout.addWidget(box, len(boxes) // GROUP_COLUMNS, len(boxes) % GROUP_COLUMNS)
        previous = list(boxes.values())[-1] if boxes else self.child(QWidget, person + "Occupation")
        QWidget.setTabOrder(previous, box)
        boxes[code] = box
        box.toggled.connect(partial(self._group_toggled, person, code))
        return box

    def _group_toggled(self, person: str, code: str, checked: bool) -> None:
        groups = self._groups[person]
        if checked and code not in groups:
            groups.append(code)
        elif not checked and code in groups:
            groups.remove(code)
        self._changed(f"{person}.groups")

    def _setup_fields(self) -> None:
        for path, name in FIELD_WIDGETS.items():
            widget = self.child(QWidget, name)
            self._base_tooltips[name] = widget.toolTip()
            changed = partial(self._changed, path)
            if isinstance(widget, QLineEdit):
                widget.textChanged.connect(changed)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(changed)
            elif isinstance(widget, QDateEdit):
                widget.setMinimumDate(BLANK_DATE)
                widget.setSpecialValueText(self.tr("not set"))
                widget.dateChanged.connect(changed)
                self._time_keys.watch(widget)
            elif isinstance(widget, QDateTimeEdit):
                widget.setTimeZone(ZONE)
                widget.setMinimumDateTime(BLANK_DATETIME)
                widget.setSpecialValueText(self.tr("not set"))
                widget.dateTimeChanged.connect(changed)
                self._time_keys.watch(widget)
            elif isinstance(widget, QPlainTextEdit):
                widget.textChanged.connect(changed)
        for p in ("reporter", "victim"):
            self.child(QLineEdit, p + "IdNumber").textEdited.connect(partial(self._id_typed, p))
        self.child(QPlainTextEdit, "narrative").textChanged.connect(self._count_narrative)
        victim = self.child(QCheckBox, "victimIsReporter")
        victim.toggled.connect(self._victim_toggled)
        self.child(QFrame, "registeredBanner").hide()
        self.child(QPushButton, "copyCaseNoButton").clicked.connect(self._copy_case_no)
        self.child(QPushButton, "printReceiptButton").clicked.connect(self.print_receipt)
        self.child(QPushButton, "dismissBannerButton").clicked.connect(self.dismiss_banner)
        self.child(QListWidget, "problems").itemActivated.connect(
            lambda item: self.focus_field(str(item.data(FIELD_ROLE) or ""))
        )

    def _setup_tables(self) -> None:
        transactions = self.table("transactions")
        columns = {0: "time", 1: "amount", 2: "list:transaction_methods"}
        transactions.setItemDelegate(_CellDelegate(self, transactions, columns))
        for column, width in enumerate((160, 110, 120, 120, 180, 90, 120, 180, 210, 160)):
            transactions.setColumnWidth(column, width)
        identifiers = self.table("identifiers")
        identifiers.setItemDelegate(_CellDelegate(self, identifiers, {0: "list:identifier_kinds"}))
        for column, width in enumerate((130, 260, 220)):
            identifiers.setColumnWidth(column, width)
        attachments = self.table("attachments")
        attachments.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        attachments.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        attachments.setColumnWidth(0, 300)
        attachments.setColumnWidth(1, 110)
        attachments.verticalHeader().setDefaultSectionSize(THUMBNAIL + 6)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        attachments.setProperty("monoFont", mono)
        for name in TABLES:
            table = self.table(name)
            table.horizontalHeader().setStretchLastSection(True)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            table.installEventFilter(self._table_keys)
            if name != "attachments":
                table.itemChanged.connect(self._item_changed)
        self.child(QPushButton, "addTransaction").clicked.connect(
            lambda: self.add_row("transactions")
        )
        self.child(QPushButton, "removeTransaction").clicked.connect(
            lambda: self.remove_row("transactions")
        )
        self.child(QPushButton, "addIdentifier").clicked.connect(
            lambda: self.add_row("identifiers")
        )
        self.child(QPushButton, "removeIdentifier").clicked.connect(
            lambda: self.remove_row("identifiers")
        )
        self.child(QPushButton, "addAttachment").clicked.connect(self.choose_attachments)
        self.child(QPushButton, "removeAttachment").clicked.connect(
            lambda: self.remove_row("attachments")
        )

    def _setup_actions(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.register_action = QAction(self.tr("Register"), self)
        self.register_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.register_action.triggered.connect(lambda: self.register())
        self.save_action = QAction(self.tr("Save draft"), self)
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_action.triggered.connect(lambda: self.save_draft())
        self.next_problem_action = QAction(self.tr("Go to the next problem"), self)
        self.next_problem_action.setShortcut(QKeySequence("F8"))
        self.next_problem_action.triggered.connect(self.next_problem)
        for action in (self.register_action, self.save_action, self.next_problem_action):
            action.setShortcutContext(context)
            self.addAction(action)
        self.child(QPushButton, "registerButton").clicked.connect(lambda: self.register())
        self.child(QPushButton, "saveDraftButton").clicked.connect(lambda: self.save_draft())
        self.child(QPushButton, "discardButton").clicked.connect(self.discard)

    # Filling the form ----------------------------------------------------------------------

    def new_report(self) -> None:
        """A blank report for a new case (the time of report is now)."""
        self._stop_timers()
        self._draft_uuid = None
        self._case_no = None
        self._base_revision = 0
        blank: dict[str, Any] = {
            "format": CASE_FORMAT,
            "uuid": str(uuidlib.uuid4()),
            "reported_at": format_time(self.now().replace(second=0, microsecond=0)),
            "source": "report",
            "victim": None,
        }
        self._fill(blank)
        self._start(saved_record=None, reveal=False)
        self.child(QLabel, "modeLabel").setText(self.tr("New report"))
        self.child(QComboBox, "source").setFocus(Qt.FocusReason.OtherFocusReason)

    def new_report_from(self, known: dict[str, Any]) -> None:
        """A new report starting from what is already known (a center's instruction whose
        person was already defrauded); it counts as typed, so leaving it asks first."""
        self.new_report()
        record = self.to_record()
        for key, value in known.items():
            current = record.get(key)
            if isinstance(value, dict) and isinstance(current, dict):
                value = {**current, **value}
            record[key] = value
        self._fill(record)
        self.validate_now()

    def load_draft(self, uuid: str) -> None:
        """Continue an open draft (after a crash, or from the drafts list)."""
        draft = self.desk.drafts.get(uuid)
        if draft.status != "open":
            raise IntakeError(
                "draft_closed",
                "draft",
                value=uuid,
                status=draft.status,
                status_zh={"registered": "受案", "discarded": "放弃"}.get(draft.status, ""),
            )
        self._stop_timers()
        self._fill(draft.data)
        self._draft_uuid = draft.uuid
        self._case_no = draft.case_no if draft.is_revision else None
        self._base_revision = self.desk.intake.find(self._case_no).revision if self._case_no else 0
        self._start(saved_record=draft.data, reveal=True)
        self._autosaved_text = self._saved_text
        self._show_mode()

    def edit_case(self, case_no: str) -> None:
        """Open a registered case; registering the form then makes its next revision.

        An open revision draft of the case by this officer is continued rather than started
        again, so nothing typed earlier is lost.
        """
        record = self.desk.intake.show(case_no)
        if record.get("status") == "voided":
            raise IntakeError("case_voided", "case_no", value=record.get("case_no", case_no))
        for draft in unfinished_drafts(self.session):
            if draft.is_revision and draft.case_no == record["case_no"]:
                self.load_draft(draft.uuid)
                return
        self._stop_timers()
        self._fill({k: v for k, v in record.items() if k in CASE_KEYS})
        self._case_no = record["case_no"]
        self._base_revision = int(record.get("revision") or 1)
        draft = self.desk.drafts.save(self.session.officer, self.to_record(), case_no=case_no)
        self._draft_uuid = draft.uuid
        self._start(saved_record=None, reveal=True)
        self._autosaved_text = self._saved_text
        self._show_mode()
        self.session.drafts_changed.emit()

    def _start(self, *, saved_record: dict[str, Any] | None, reveal: bool) -> None:
        self._saved_text = self._current_text()
        self._autosaved_text = ""
        self._saved_record = saved_record
        self._touched = set()
        self._reveal_all = reveal
        self._set_status(
            self.tr("Not saved yet") if self._draft_uuid is None else self.tr("Draft opened")
        )
        self.validate_now()

    def _show_mode(self) -> None:
        label = self.child(QLabel, "modeLabel")
        if self._case_no:
            label.setText(self.tr("Revising case {case_no}").format(case_no=self._case_no))
        else:
            label.setText(self.tr("Continuing a draft report"))

    def _fill(self, record: dict[str, Any]) -> None:
        """Put a record into the widgets (nothing counts as typed while this runs)."""
        self._loading = True
        try:
            self._record_uuid = record.get("uuid") or None
            self._set_time("reportedAt", record.get("reported_at"))
            self._set_combo("source", record.get("source"))
            reporter = record.get("reporter")
            self._fill_person("reporter", reporter if isinstance(reporter, dict) else {})
            victim = record.get("victim")
            self.child(QCheckBox, "victimIsReporter").setChecked(not isinstance(victim, dict))
            self._fill_person("victim", victim if isinstance(victim, dict) else {})
            self._victim_toggled(not isinstance(victim, dict))
            incident = record.get("incident")
            inc = incident if isinstance(incident, dict) else {}
            self._set_combo("fraudType", inc.get("fraud_type"))
            self._set_combo("contactChannel", inc.get("contact_channel"))
            for key, name in (
                ("occurred_from", "occurredFrom"),
                ("occurred_to", "occurredTo"),
                ("discovered_at", "discoveredAt"),
            ):
                self._set_time(name, inc.get(key))
            self.child(QLineEdit, "place").setText(_text(inc.get("place")))
            self.child(QPlainTextEdit, "narrative").setPlainText(_text(inc.get("narrative")))
            self._fill_tables(record)
        finally:
            self._loading = False
        self._show_fraud_description()
        self._count_narrative()
        self._update_total()

    def _fill_person(self, p: str, data: dict[str, Any]) -> None:
        self.child(QLineEdit, p + "Name").setText(_text(data.get("name")))
        self._set_combo(p + "IdType", data.get("id_type") or "resident_id")
        self.child(QLineEdit, p + "IdNumber").setText(_text(data.get("id_number")))
        self._set_combo(p + "Sex", data.get("sex") or "U")
        birth = self.child(QDateEdit, p + "BirthDate")
        try:
            born = parse_date(data["birth_date"], "birth_date") if data.get("birth_date") else None
        except IntakeError:
            born = None
        birth.setDate(QDate(born.year, born.month, born.day) if born else birth.minimumDate())
        self.child(QLineEdit, p + "Phone").setText(_text(data.get("phone")))
        self.child(QLineEdit, p + "Address").setText(_text(data.get("address")))
        self.child(QLineEdit, p + "Occupation").setText(_text(data.get("occupation")))
        groups = [g for g in data.get("groups") or [] if isinstance(g, str)]
        for code in groups:
            if code not in self._group_boxes[p]:
                self._add_group_box(p, code, code)
        for code, box in self._group_boxes[p].items():
            box.setChecked(code in groups)
        self._groups[p] = list(dict.fromkeys(groups))  # the record's order, kept

    def _fill_tables(self, record: dict[str, Any]) -> None:
        transactions = self.table("transactions")
        transactions.setRowCount(0)
        for tx in _dicts(record.get("transactions")):
            row = self._append_row(transactions)
            for column, key in enumerate(TRANSACTION_KEYS):
                item = _cell(transactions, row, column)
                value = tx.get(key)
                if key == "at":
                    item.setText(_cell_time(value))
                elif key == "method":
                    self._set_code_item(item, "transaction_methods", _text(value))
                else:
                    item.setText(_text(value))
            self._show_watched(row)
        identifiers = self.table("identifiers")
        identifiers.setRowCount(0)
        for ident in _dicts(record.get("identifiers")):
            row = self._append_row(identifiers)
            self._set_code_item(
                _cell(identifiers, row, 0), "identifier_kinds", _text(ident.get("kind"))
            )
            _cell(identifiers, row, 1).setText(_text(ident.get("value")))
            _cell(identifiers, row, 3).setText(_text(ident.get("note")))
            self._show_normalized(row)
        self.table("attachments").setRowCount(0)
        for att in _dicts(record.get("attachments")):
            self._append_attachment(dict(att))

    def _set_code_item(self, item: QTableWidgetItem, list_name: str, code: str) -> None:
        item.setData(CODE_ROLE, code)
        item.setText(self.desk.reference.label(list_name, code, self.session.lang) if code else "")

    def _set_combo(self, name: str, code: Any) -> None:
        combo = self.child(QComboBox, name)
        code = _text(code)
        index = combo.findData(code)
        if index < 0:  # a code this desk's reference data does not know: keep it, checks name it
            combo.addItem(code or self.tr("— choose —"), code)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    def _set_time(self, name: str, value: Any) -> None:
        edit = self.child(QDateTimeEdit, name)
        moment = None
        if isinstance(value, str) and value.strip():
            try:
                moment = parse_time(value, name)
            except IntakeError:
                moment = None
        if moment is None:
            _set_blank(edit)
        else:
            edit.setDateTime(_qdatetime(moment))

    # Reading the form ----------------------------------------------------------------------

    def to_record(self) -> dict[str, Any]:
        """The report as an `intake-case/1` record, exactly as typed (checked elsewhere)."""
        victim_is_reporter = self.child(QCheckBox, "victimIsReporter").isChecked()
        return {
            "format": CASE_FORMAT,
            "uuid": self._record_uuid,
            "reported_at": self._time("reportedAt"),
            "source": self._code("source"),
            "reporter": self._person("reporter"),
            "victim": None if victim_is_reporter else self._person("victim"),
            "incident": {
                "occurred_from": self._time("occurredFrom"),
                "occurred_to": self._time("occurredTo"),
                "discovered_at": self._time("discoveredAt"),
                "place": self.child(QLineEdit, "place").text(),
                "fraud_type": self._code("fraudType"),
                "contact_channel": self._code("contactChannel"),
                "narrative": self.child(QPlainTextEdit, "narrative").toPlainText(),
            },
            "transactions": self._transactions(),
            "identifiers": self._identifiers(),
            "attachments": self._attachments(),
        }

    def _person(self, p: str) -> dict[str, Any]:
        birth = self.child(QDateEdit, p + "BirthDate")
        born = None if _is_blank(birth) else birth.date().toString("yyyy-MM-dd")
        return {
            "name": self.child(QLineEdit, p + "Name").text(),
            "sex": self._code(p + "Sex"),
            "birth_date": born,
            "id_type": self._code(p + "IdType"),
            "id_number": self.child(QLineEdit, p + "IdNumber").text(),
            "phone": self.child(QLineEdit, p + "Phone").text(),
            "address": self.child(QLineEdit, p + "Address").text(),
            "occupation": self.child(QLineEdit, p + "Occupation").text(),
            "groups": list(self._groups[p]),
        }

    def _transactions(self) -> list[dict[str, Any]]:
        table = self.table("transactions")
        rows = []
        for row in range(table.rowCount()):
            cells = [_cell(table, row, c) for c in range(len(TRANSACTION_KEYS))]
            tx: dict[str, Any] = {key: cells[c].text() for c, key in enumerate(TRANSACTION_KEYS)}
            tx["at"] = _record_time(tx["at"])
            tx["amount"] = tx["amount"].strip() or None
            tx["method"] = _code_of(cells[2])
            rows.append(tx)
        return rows

    def _identifiers(self) -> list[dict[str, Any]]:
        table = self.table("identifiers")
        return [
            {
                "kind": _code_of(_cell(table, row, 0)),
                "value": _cell(table, row, 1).text(),
                "note": _cell(table, row, 3).text(),
            }
            for row in range(table.rowCount())
        ]

    def _attachments(self) -> list[dict[str, Any]]:
        table = self.table("attachments")
        return [dict(_cell(table, row, 0).data(ATTACHMENT_ROLE)) for row in range(table.rowCount())]

    def _code(self, name: str) -> str:
        return _text(self.child(QComboBox, name).currentData())

    def _time(self, name: str) -> str | None:
        edit = self.child(QDateTimeEdit, name)
        return None if _is_blank(edit) else format_time(_py_datetime(edit.dateTime()))

    def _current_text(self) -> str:
        return canonical_json(self.to_record()).decode("utf-8")

    def has_unsaved_changes(self) -> bool:
        """Whether the report differs from what the officer last saved, opened or started.

        Autosaved drafts do not count: they guard against crashes, not against leaving.
        """
        return self._current_text() != self._saved_text

    # Typing --------------------------------------------------------------------------------

    def _changed(self, path: str, *_args: Any) -> None:
        if self._loading:
            return
        self._touched.add(path)
        self._validate_timer.start()
        if not self._autosave_timer.isActive():
            self._autosave_timer.start()  # not restarted: saved at most AUTOSAVE_MS later

    def _item_changed(self, item: QTableWidgetItem) -> None:
        table = item.tableWidget()
        if self._loading or table is None:
            return
        name = table.objectName()
        column = item.column()
        if name == "identifiers":
            if column == IDENTIFIER_COLUMNS.index("normalized"):
                return
            self._show_normalized(item.row())
        elif name == "transactions":
            if column == WATCH_COLUMN:
                return
            if column == TRANSACTION_KEYS.index("payee_account"):
                self._show_watched(item.row())
            if column == TRANSACTION_KEYS.index("amount"):
                self._update_total()
            if column == TRANSACTION_KEYS.index("payee_bank") and not self._autofilling:
                item.setData(SUGGESTED_ROLE, None)
        self._changed(f"{name}[{item.row()}]")

    def _id_typed(self, person: str, text: str) -> None:
        """A valid resident ID fills in sex and birth date while those are still empty."""
        if self._code(person + "IdType") != "resident_id":
            return
        check = check_resident_id(text, self.now().date())
        if not check.ok or check.birth_date is None:
            return
        sex = self.child(QComboBox, person + "Sex")
        if self._code(person + "Sex") == "U" and check.sex:
            sex.setCurrentIndex(sex.findData(check.sex))
        birth = self.child(QDateEdit, person + "BirthDate")
        if _is_blank(birth):
            born = check.birth_date
            birth.setDate(QDate(born.year, born.month, born.day))

    def _victim_toggled(self, checked: bool) -> None:
        self.child(QWidget, "victimBox").setVisible(not checked)
        self._changed("victim")

    def _show_fraud_description(self, *_args: Any) -> None:
        combo = self.child(QComboBox, "fraudType")
        text = combo.currentData(Qt.ItemDataRole.ToolTipRole) or ""
        label = self.child(QLabel, "fraudTypeDescription")
        label.setText(str(text))
        label.setVisible(bool(text))

    def _count_narrative(self) -> None:
        length = len(self.child(QPlainTextEdit, "narrative").toPlainText())
        counter = self.child(QLabel, "narrativeCounter")
        counter.setText(f"{length} / {NARRATIVE_LIMIT}")
        _set_severity(counter, ERROR if length > NARRATIVE_LIMIT else "")

    def _update_total(self) -> None:
        table = self.table("transactions")
        column = TRANSACTION_KEYS.index("amount")
        total = 0
        uncounted = 0
        for row in range(table.rowCount()):
            text = _cell(table, row, column).text().strip()
            if not text:
                continue
            try:
                total += parse_yuan(text)
            except IntakeError:
                uncounted += 1
        label = self.tr("Total: {total}").format(total=format_yuan_display(total))
        if uncounted:
            label += " " + self.tr("({count} amount(s) not counted)").format(count=uncounted)
        self.child(QLabel, "transactionsTotal").setText(label)

    def _show_normalized(self, row: int) -> None:
        table = self.table("identifiers")
        kind, value = _code_of(_cell(table, row, 0)), _cell(table, row, 1).text()
        loading, self._loading = self._loading, True
        try:
            _cell(table, row, 2).setText(normalize_identifier(kind, value) if value else "")
            sync_status.mark_watched(_cell(table, row, 2), self.session, kind, value)
        finally:
            self._loading = loading

    def _show_watched(self, row: int) -> None:
        """Flag a payee account on the center's watchlist (the center links cases on them)."""
        table = self.table("transactions")
        account = _cell(table, row, TRANSACTION_KEYS.index("payee_account")).text()
        loading, self._loading = self._loading, True
        try:
            item = _cell(table, row, WATCH_COLUMN)
            item.setText("")
            sync_status.mark_watched(item, self.session, "bank_account", account)
            item.setText(item.text().strip())
        finally:
            self._loading = loading

    # Tables --------------------------------------------------------------------------------

    def _append_row(self, table: QTableWidget) -> int:
        row = table.rowCount()
        table.insertRow(row)
        for column in range(table.columnCount()):
            item = QTableWidgetItem("")
            if (table.objectName(), column) in DERIVED_COLUMNS:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setForeground(QBrush(QColor("#555555")))
            if table.objectName() == "transactions" and column == 1:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)
        return row

    def add_row(self, name: str) -> int:
        """Add an empty transaction or identifier and start typing in its first cell.

        A new transaction takes the payer's bank, account and method from the row above:
        a victim usually pays several times from the same card.
        """
        table = self.table(name)
        loading, self._loading = self._loading, True
        try:
            row = self._append_row(table)
            if name == "transactions" and row > 0:
                for key in ("method", "payer_bank", "payer_account"):
                    column = TRANSACTION_KEYS.index(key)
                    above, item = _cell(table, row - 1, column), _cell(table, row, column)
                    item.setText(above.text())
                    item.setData(CODE_ROLE, above.data(CODE_ROLE))
        finally:
            self._loading = loading
        self._changed(f"{name}[{row}]")
        self.child(QScrollArea, "scrollArea").ensureWidgetVisible(table)
        table.setFocus(Qt.FocusReason.OtherFocusReason)
        table.setCurrentCell(row, 0)  # typing starts the cell's editor with that key
        return row

    def remove_row(self, name: str, row: int | None = None) -> None:
        """Remove a row (the current one by default)."""
        table = self.table(name)
        row = table.currentRow() if row is None else row
        if not 0 <= row < table.rowCount():
            return
        table.removeRow(row)
        if name == "transactions":
            self._update_total()
        self._changed(name)

    # Attachments ---------------------------------------------------------------------------

    def choose_attachments(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Add evidence files"),
            "",
            self.tr("Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp);;All files (*)"),
        )
        self.add_attachments([Path(p) for p in paths])

    def add_attachments(self, paths: list[Path]) -> int:
        """Add evidence files: each is hashed now and copied into the desk when registered.

        A file already attached (same SHA-256) is not added twice. Returns how many were added.
        """
        table = self.table("attachments")
        known = {e.get("sha256") for e in self._attachments() if e.get("sha256")}
        added = 0
        for path in paths:
            path = path.resolve()
            field = f"attachments[{table.rowCount()}].path"
            entry: dict[str, Any] = {
                "name": path.name,
                "media_type": mimetypes.guess_type(path.name)[0] or "application/octet-stream",
                "sha256": "",
                "size": None,
                "path": str(path),
            }
            try:
                entry["sha256"], entry["size"] = self.desk.blobs.hash_file(path, field)
            except IntakeError:  # too large or unreadable: added anyway, the check says why
                with contextlib.suppress(OSError):
                    entry["size"] = path.stat().st_size
            if entry["sha256"] and entry["sha256"] in known:
                continue
            known.add(entry["sha256"])
            self._append_attachment(entry)
            added += 1
        if added:
            self._changed("attachments")
        return added

    def _append_attachment(self, entry: dict[str, Any]) -> None:
        table = self.table("attachments")
        row = table.rowCount()
        table.insertRow(row)
        path = Path(entry["path"]) if entry.get("path") else None
        media_type = str(entry.get("media_type") or "")
        if path is not None:
            icon = self._thumbnail(QImageReader(str(path)), media_type)
        else:
            # A stored file is sealed: its thumbnail is read from the unsealed bytes in memory.
            data = b""
            if entry.get("sha256") and media_type.startswith("image/"):
                with contextlib.suppress(IntakeError, OSError):
                    data = self.desk.blobs.read(str(entry["sha256"]))
            buffer = QBuffer(self)
            buffer.setData(QByteArray(data))
            icon = self._thumbnail(QImageReader(buffer), media_type)
        name = QTableWidgetItem(icon, "")
        name.setText(str(entry.get("name") or (path.name if path else "")))
        name.setToolTip(str(entry.get("path") or entry.get("name") or ""))
        name.setData(ATTACHMENT_ROLE, entry)
        size = entry.get("size")
        size_item = QTableWidgetItem(human_size(size) if isinstance(size, int) else "")
        if isinstance(size, int):
            size_item.setToolTip(self.tr("{size} bytes").format(size=f"{size:,}"))
        size_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        sha = QTableWidgetItem(str(entry.get("sha256") or ""))
        mono = table.property("monoFont")
        if isinstance(mono, QFont):
            sha.setFont(mono)
        for column, item in enumerate((name, size_item, sha)):
            table.setItem(row, column, item)

    def _thumbnail(self, reader: QImageReader, media_type: str) -> QIcon:
        if media_type.startswith("image/"):
            size = reader.size()
            if size.isValid():
                reader.setScaledSize(
                    size.scaled(THUMBNAIL, THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio)
                )
            image = reader.read()
            if not image.isNull():
                return QIcon(QPixmap.fromImage(image))
        return self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _local_files(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if _local_files(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = _local_files(event.mimeData().urls())
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_attachments(files)

    # Checking ------------------------------------------------------------------------------

    def validate_now(self) -> list[Problem]:
        """Check the report now (typing triggers this after VALIDATE_MS) and mark the fields."""
        self._validate_timer.stop()
        problems = self._check()
        if self._fill_suggestions(problems):
            problems = self._check()
        self._problems = problems
        self._show_problems(problems)
        return problems

    def _check(self) -> list[Problem]:
        report, problems = self.desk.intake.read_record(self.to_record())
        # read_record stops at format or file errors; the content checks still tell the officer
        # about every other field, so run them too (skipping fields that already have a problem).
        seen = {p.field for p in problems}
        problems += [p for p in self.desk.intake.check(report) if p.field not in seen]
        return sorted(problems, key=_problem_order)

    def _visible(self, problem: Problem) -> bool:
        """Empty required fields are marked only once touched, or when registering is tried."""
        if problem.code != "required" or self._reveal_all:
            return True
        if problem.field in FIELD_WIDGETS:
            return problem.field in self._touched
        return True

    def _show_problems(self, problems: list[Problem]) -> None:
        lang = self.session.lang
        by_widget: dict[str, list[Problem]] = defaultdict(list)
        by_cell: dict[tuple[str, int, int], list[Problem]] = defaultdict(list)
        by_table: dict[str, list[Problem]] = defaultdict(list)
        for problem in problems:
            target = _target(problem.field)
            if target is None or not self._visible(problem):
                continue
            if target[0] == "widget":
                by_widget[target[1]].append(problem)
            else:
                table, row, column = target[1], target[2], target[3]
                by_table[table].append(problem)
                if row is not None and column is not None:
                    by_cell[(table, row, column)].append(problem)
        for name in self._marked | set(by_widget):
            found = by_widget.get(name, [])
            widget = self.child(QWidget, name)
            label = self.child(QLabel, name + "Msg")
            severity = _worst(found)
            messages = "\n".join(p.message(lang) for p in found)
            _set_severity(widget, severity)
            _set_severity(label, severity)
            label.setText(messages)
            base = self._base_tooltips.get(name, "")
            widget.setToolTip("\n\n".join(t for t in (messages, base) if t))
        self._marked = set(by_widget)
        for name in TABLES:
            self._mark_table(name, by_table.get(name, []), by_cell)
        self._fill_problem_list(problems)
        errors = sum(p.severity == ERROR for p in problems)
        warnings = sum(p.severity == WARNING for p in problems)
        parts = [self.tr("Errors: {count}").format(count=errors)] if errors else []
        if warnings:
            parts.append(self.tr("Warnings: {count}").format(count=warnings))
        summary = self.child(QLabel, "problemsSummary")
        summary.setText(self.tr(", ").join(parts) if parts else self.tr("No errors"))
        _set_severity(summary, ERROR if errors else WARNING if warnings else "")
        button = self.child(QPushButton, "registerButton")
        button.setEnabled(not errors)
        button.setToolTip(
            self.tr("Register the report as a case (Ctrl+Enter)")
            if not errors
            else self.tr("Correct the errors first (F8 goes to the next problem)")
        )

    def _mark_table(
        self,
        name: str,
        problems: list[Problem],
        by_cell: dict[tuple[str, int, int], list[Problem]],
    ) -> None:
        table = self.table(name)
        lang = self.session.lang
        loading, self._loading = self._loading, True
        try:
            for row in range(table.rowCount()):
                for column in range(table.columnCount()):
                    item = _cell(table, row, column)
                    if item is None or (name, column) in DERIVED_COLUMNS:
                        continue  # no problem names these; their tooltip is the watchlist's
                    found = by_cell.get((name, row, column), [])
                    severity = _worst(found) or (INFO if item.data(SUGGESTED_ROLE) else "")
                    tooltip = "\n".join(p.message(lang) for p in found)
                    if not found and item.data(SUGGESTED_ROLE):
                        tooltip = self.tr("Filled in from the card number; please check it.")
                    if name == "attachments" and column == 0:
                        tooltip = "\n".join(t for t in (tooltip, _attachment_path(item)) if t)
                    item.setBackground(
                        QBrush(QColor(CELL_COLOURS[severity])) if severity else QBrush()
                    )
                    item.setToolTip(tooltip)
        finally:
            self._loading = loading
        _set_severity(table, _worst(problems))
        label = self.child(QLabel, name + "Msg")
        lines = [p.message(lang) for p in problems]
        if len(lines) > 8:
            lines = [*lines[:8], self.tr("… and {count} more").format(count=len(lines) - 8)]
        label.setText("\n".join(lines))
        _set_severity(label, _worst(problems))

    def _fill_problem_list(self, problems: list[Problem]) -> None:
        box = self.child(QWidget, "problemsBox")
        view = self.child(QListWidget, "problems")
        view.clear()
        icons = {
            ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
            WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
            INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
        }
        for problem in problems:
            icon = self.style().standardIcon(icons.get(problem.severity, icons[INFO]))
            item = QListWidgetItem(icon, problem.message(self.session.lang))
            item.setData(FIELD_ROLE, problem.field)
            view.addItem(item)
        box.setVisible(bool(problems))

    def _fill_suggestions(self, problems: list[Problem]) -> bool:
        """Fill an empty payee bank with the bank the card number names (once per number).

        Returns whether a bank was filled in. An officer who clears it is not overruled.
        """
        filled = False
        table = self.table("transactions")
        bank_column = TRANSACTION_KEYS.index("payee_bank")
        account_column = TRANSACTION_KEYS.index("payee_account")
        for problem in problems:
            if problem.code != "payee_bank_suggested":
                continue
            target = _target(problem.field)
            if target is None or target[1] != "transactions" or target[2] is None:
                continue
            row = target[2]
            if row >= table.rowCount():
                continue
            item = _cell(table, row, bank_column)
            account = _cell(table, row, account_column).text()
            if item.text().strip() or item.data(FILLED_FOR_ROLE) == account:
                continue  # the officer typed a bank, or cleared the one filled in for this card
            self._autofilling = True
            try:
                item.setText(str(problem.params.get("bank", "")))
                item.setData(FILLED_FOR_ROLE, account)
                item.setData(SUGGESTED_ROLE, True)
            finally:
                self._autofilling = False
            filled = True
        return filled

    def focus_field(self, path: str) -> None:
        """Move the keyboard focus to the field (or table cell) a problem names."""
        target = _target(path)
        if target is None:
            return
        scroll = self.child(QScrollArea, "scrollArea")
        if target[0] == "widget":
            widget = self.child(QWidget, target[1])
            if widget.objectName().startswith("victim"):
                self.child(QCheckBox, "victimIsReporter").setChecked(False)
            scroll.ensureWidgetVisible(widget)
            if widget.objectName().endswith("Groups"):
                boxes = self._group_boxes["victim" if path.startswith("victim") else "reporter"]
                widget = next(iter(boxes.values()), widget)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        table = self.table(target[1])
        scroll.ensureWidgetVisible(table)
        table.setFocus(Qt.FocusReason.OtherFocusReason)
        if target[2] is not None and target[2] < table.rowCount():
            table.setCurrentCell(target[2], target[3] or 0)

    def next_problem(self) -> None:
        """F8: go to the next error (or warning) after the one the focus is on."""
        candidates = [i for i, p in enumerate(self._problems) if p.severity in (ERROR, WARNING)]
        if not candidates:
            return
        view = self.child(QListWidget, "problems")
        current = view.currentRow()
        if not self._reveal_all:
            self._reveal_all = True
            self._show_problems(self._problems)
        index = next((i for i in candidates if i > current), candidates[0])
        view.setCurrentRow(index)
        self.focus_field(self._problems[index].field)

    # Saving --------------------------------------------------------------------------------

    def flush(self) -> None:
        """Save now what is waiting for the autosave, and stop the timers (before closing)."""
        pending = self._autosave_timer.isActive()
        self._stop_timers()
        if pending:
            self._autosave()

    def _stop_timers(self) -> None:
        self._validate_timer.stop()
        self._autosave_timer.stop()

    def _autosave(self) -> None:
        text = self._current_text()
        if text == self._autosaved_text:
            return
        if self._draft_uuid is None and text == self._saved_text:
            return  # a blank new report: nothing typed yet
        self._write_draft()

    def _write_draft(self) -> bool:
        record = self.to_record()
        officer = self.session.officer
        try:
            if self._draft_uuid is None:
                draft = self.desk.drafts.save(officer, record, case_no=self._case_no)
                self._draft_uuid = draft.uuid
                self.session.drafts_changed.emit()
            else:
                draft = self.desk.drafts.save(officer, record, uuid=self._draft_uuid)
        except IntakeError as exc:
            self._set_status(
                self.tr("The draft could not be saved: {reason}").format(
                    reason=self.session.text(exc)
                ),
                ERROR,
            )
            return False
        self._autosaved_text = canonical_json(record).decode("utf-8")
        self._set_status(
            self.tr("Draft saved at {time}").format(time=self.now().strftime("%H:%M:%S"))
        )
        self.draft_saved.emit(draft.uuid)
        return True

    def save_draft(self) -> bool:
        """Ctrl+S: save the report as a draft now; it counts as saved by the officer."""
        self._autosave_timer.stop()
        if not self._write_draft():
            return False
        self._saved_text = self._autosaved_text
        self._saved_record = self.to_record()
        self.session.drafts_changed.emit()
        return True

    def _set_status(self, text: str, severity: str = "") -> None:
        label = self.child(QLabel, "draftStatus")
        label.setText(text)
        _set_severity(label, severity)

    def discard(self) -> None:
        """The Discard button: after asking, drop the changes and start a new report."""
        if self.has_unsaved_changes():
            answer = QMessageBox.question(
                self,
                self.tr("Discard changes"),
                self.tr("Throw away the changes to this report that were not saved?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        self._discard_changes()

    def _discard_changes(self) -> None:
        """Back to what the officer last saved; a draft never saved by hand is discarded."""
        self._stop_timers()
        if self._draft_uuid is not None:
            try:
                if self._saved_record is not None:
                    self.desk.drafts.save(
                        self.session.officer, self._saved_record, uuid=self._draft_uuid
                    )
                else:
                    self.desk.drafts.discard(self._draft_uuid, self.session.officer)
            except IntakeError:
                pass  # registered or discarded elsewhere meanwhile: nothing left to undo
            self.session.drafts_changed.emit()
        self.new_report()

    def confirm_leave(self) -> bool:
        """Before the officer leaves the form: with unsaved changes, ask Save/Discard/Cancel.

        Returns True when it is fine to leave (saved, discarded or nothing to save).
        """
        if not self.has_unsaved_changes():
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved report"),
            self.tr("This report has changes that were not saved. Save them as a draft?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save_draft()
        if answer == QMessageBox.StandardButton.Discard:
            self._discard_changes()
            return True
        return False

    def offer_recovery(self) -> bool:
        """At start: offer the newest unfinished draft back. True if it was opened."""
        drafts = unfinished_drafts(self.session)
        if not drafts:
            return False
        text = self.tr("A report was not finished:\n\n{summary}\n\nContinue it now?").format(
            summary=draft_summary(drafts[0], self.session)
        )
        if len(drafts) > 1:
            text += "\n\n" + self.tr(
                "{count} unfinished reports in all; the others are in the drafts list."
            ).format(count=len(drafts))
        answer = QMessageBox.question(
            self,
            self.tr("Unfinished report"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.load_draft(drafts[0].uuid)
        return True

    # Registering ---------------------------------------------------------------------------

    def register(self) -> str | None:
        """Ctrl+Enter: register the report. Returns the case number, or None if refused."""
        problems = self.validate_now()
        if has_errors(problems):
            self._reveal_all = True
            self._show_problems(problems)
            first = next(p for p in problems if p.severity == ERROR)
            self.focus_field(first.field)
            return None
        if not self._write_draft():
            return None
        assert self._draft_uuid is not None
        revising = self._case_no is not None
        try:
            row = self.desk.drafts.register(self._draft_uuid, self.session.officer)
        except ValidationFailed as exc:
            self._reveal_all = True
            self._problems = sorted(exc.problems, key=_problem_order)
            self._show_problems(self._problems)
            return None
        except IntakeError as exc:
            self._set_status(self.session.text(exc), ERROR)
            return None
        if not revising:
            title = self.tr("Registered. Case number:")
        elif row.revision > self._base_revision:
            title = self.tr("Saved as revision {revision} of case").format(revision=row.revision)
        else:
            title = self.tr("Nothing changed; the case stays at revision {revision}:").format(
                revision=row.revision
            )
        self.session.cases_changed.emit()
        self.session.drafts_changed.emit()
        self.registered.emit(row.case_no)
        self.new_report()
        self._show_banner(title, row.case_no)
        return row.case_no

    def _show_banner(self, title: str, case_no: str) -> None:
        self.child(QLabel, "registeredTitle").setText(title)
        self.child(QLabel, "caseNoLabel").setText(case_no)
        self.child(QFrame, "registeredBanner").show()

    def registered_case_no(self) -> str:
        """The case number the banner shows ("" when hidden)."""
        if self.child(QFrame, "registeredBanner").isHidden():
            return ""
        return self.child(QLabel, "caseNoLabel").text()

    def dismiss_banner(self) -> None:
        self.child(QFrame, "registeredBanner").hide()

    def print_receipt(self) -> printing.PrintDialog | None:
        """Print the receipt of the case the banner shows; returns the dialog for tests."""
        case_no = self.registered_case_no()
        return printing.print_receipt(self, self.session, case_no) if case_no else None

    def _copy_case_no(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.child(QLabel, "caseNoLabel").text())
        self._set_status(self.tr("Case number copied"))


# --- helpers ----------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ""
    return str(value)


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """A table cell's item; every cell of the form's tables has one."""
    item = table.item(row, column)
    assert item is not None, (table.objectName(), row, column)
    return item


def _code_of(item: QTableWidgetItem) -> str:
    code = item.data(CODE_ROLE)
    return code if isinstance(code, str) else item.text()


def _attachment_path(item: QTableWidgetItem) -> str:
    entry = item.data(ATTACHMENT_ROLE)
    return str(entry.get("path") or "") if isinstance(entry, dict) else ""


def _local_files(urls: list[Any]) -> list[Path]:
    return [
        Path(u.toLocalFile()) for u in urls if u.isLocalFile() and Path(u.toLocalFile()).is_file()
    ]


def _target(path: str) -> tuple[str, str, int | None, int | None] | None:
    """Where a problem's field is shown: ("widget", name, None, None) or a table cell
    ("table", name, row, column); row and column are None for the table as a whole."""
    base = re.sub(r"\.groups\[\d+\]$", ".groups", path)
    if base in FIELD_WIDGETS:
        return ("widget", FIELD_WIDGETS[base], None, None)
    if base in TABLES:
        return ("table", base, None, None)
    match = _ROW_FIELD.match(path)
    if not match:
        return None
    table, row, key = match.group(1), int(match.group(2)), match.group(3)
    column: int | None = None
    if table == "transactions" and key in TRANSACTION_KEYS:
        column = TRANSACTION_KEYS.index(key)
    elif table == "identifiers" and key in IDENTIFIER_COLUMNS:
        column = IDENTIFIER_COLUMNS.index(key)
    elif table == "attachments":
        column = ATTACHMENT_COLUMNS.get(key or "name", 0)
    return ("table", table, row, column if column is not None else 0)


def _problem_order(problem: Problem) -> tuple[int, int]:
    section = problem.field.split(".")[0].split("[")[0]
    rank = _SECTION_ORDER.index(section) if section in _SECTION_ORDER else len(_SECTION_ORDER)
    return (rank, _SEVERITY_RANK.get(problem.severity, 3))


def _worst(problems: list[Problem]) -> str:
    if not problems:
        return ""
    return min((p.severity for p in problems), key=lambda s: _SEVERITY_RANK.get(s, 3))


def _set_severity(widget: QWidget, severity: str) -> None:
    """Mark a widget for the style sheet: "error", "warning", "info" or "" (clean)."""
    if (widget.property("severity") or "") == severity:
        return
    widget.setProperty("severity", severity)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def human_size(size: int) -> str:
    """A file size for people: "812 B", "47.1 KB", "3.2 MB" (the exact bytes go in a tooltip)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


__all__ = [
    "AUTOSAVE_MS",
    "ReportForm",
    "draft_summary",
    "human_size",
    "unfinished_drafts",
]
