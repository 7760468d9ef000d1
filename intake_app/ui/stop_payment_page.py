"""The stop-payment queue (紧急止付): open items by urgency, with clocks that turn amber and red,
the desk's reminders, recording outcomes, and the request sheet.

    page = StopPaymentPage(session, status_bar)   # the status bar shows the reminder count
    page.refresh()                                # re-read (also every CLOCK_MS)
    dialog = page.open_outcome_dialog()           # for the selected item
    print_sheet(parent, session, case_no)         # the request sheet (also from the case view)

Every time comes from the desk's clock, so tests move time by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, Qt, QTime, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStatusBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.errors import IntakeError
from intake_app.domain.messages import outcome_label
from intake_app.domain.money import format_yuan_display, parse_yuan
from intake_app.domain.stop_payment import (
    AMBER,
    FAIL_REASONS,
    FAILED,
    FREEZE_STATES,
    PENDING,
    RED,
    TRANSITIONS,
    WITH_AMOUNT,
    Outcome,
)
from intake_app.domain.times import SHANGHAI

from intake_app.services.stop_payment import QueueEntry, Reminder

from intake_app.ui import printing
from intake_app.ui.session import Session
from intake_app.ui.widgets import ErrorLabel

CLOCK_MS = 30_000
MAX_ROWS = 500  # the most urgent items shown; the rest are counted
COLOURS = {RED: ("#fde0e0", "#a61b1b"), AMBER: ("#fff1cc", "#8a5a00")}
ITEM, CLOCK, CASE, BANK, ACCOUNT, AMOUNT, STATE, DEADLINE, TRANSFER = range(9)


def clock_text(delta: timedelta) -> str:
    """Elapsed or remaining time as a clock: "0:07", "5:42", "3d 04:10"."""
    minutes = int(abs(delta.total_seconds())) // 60
    days, rest = divmod(minutes, 24 * 60)
    text = f"{rest // 60}:{rest % 60:02d}"
    return f"{days}d {text}" if days else text


def local(moment: datetime) -> str:
    return f"{moment.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


class OutcomeDialog(QDialog):
    """Record one outcome of an item: only the outcomes that may follow its state are offered;
    the amount, reason and approval fields show when the outcome takes them."""

    def __init__(self, session: Session, entry: QueueEntry, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("outcomeDialog")
        self.session, self.entry = session, entry
        self.recorded: Outcome | None = None
        lang = session.lang
        item = entry.item
        self.setWindowTitle(self.tr("Record outcome"))
        about = QLabel(
            self.tr("Item {item} of {case_no}: {amount} to {payee} ({bank} {account})").format(
                item=item.id,
                case_no=item.case_no,
                amount=format_yuan_display(item.amount_fen),
                payee=item.payee_name,
                bank=entry.bank,
                account=item.payee_account,
            )
        )
        about.setWordWrap(True)
        state = QLabel(self.tr("Now: {state}").format(state=outcome_label(entry.state.state, lang)))
        self.outcome = QComboBox()
        self.outcome.setObjectName("outcomeCombo")
        for code in sorted(
            TRANSITIONS[entry.state.state], key=lambda c: list(TRANSITIONS).index(c)
        ):
            self.outcome.addItem(outcome_label(code, lang), code)
        self.at = QDateTimeEdit()
        self.at.setObjectName("outcomeTime")
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        now = session.desk.now().astimezone(SHANGHAI)
        self.at.setDateTime(
            QDateTime(QDate(now.year, now.month, now.day), QTime(now.hour, now.minute))
        )
        self.amount = QLineEdit()
        self.amount.setObjectName("amountEdit")
        self.amount.setPlaceholderText(
            self.tr("yuan, at most {amount}").format(amount=format_yuan_display(item.amount_fen))
        )
        self.reason = QComboBox()
        self.reason.setObjectName("reasonCombo")
        for code in FAIL_REASONS:
            self.reason.addItem(outcome_label(code, lang), code)
        self.one_year = QCheckBox(self.tr("One year (city-level approval)"))
        self.one_year.setObjectName("oneYearCheck")
        self.approval = QLineEdit()
        self.approval.setObjectName("approvalEdit")
        self.approval.setPlaceholderText(self.tr("Approval reference"))
        self.note = QLineEdit()
        self.note.setObjectName("noteEdit")
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow(self.tr("Outcome"), self.outcome)
        form.addRow(self.tr("Time"), self.at)
        form.addRow(self.tr("Amount"), self.amount)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.one_year, self.approval)
        form.addRow(self.tr("Note"), self.note)
        self.form = form
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Record"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(state)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.outcome.currentIndexChanged.connect(self._update)
        self.one_year.toggled.connect(self._update)
        self._update()

    def code(self) -> str:
        return str(self.outcome.currentData())

    def _update(self) -> None:
        code = self.code()
        for widget, shown in (
            (self.amount, code in WITH_AMOUNT),
            (self.reason, code == FAILED),
            (self.approval, code in FREEZE_STATES),
        ):
            self.form.setRowVisible(widget, shown)
        self.approval.setEnabled(self.one_year.isChecked())

    def accept(self) -> None:
        code = self.code()
        field_widgets = {"amount": self.amount, "outcome_at": self.at, "approval": self.approval}
        try:
            amount = None
            if code in WITH_AMOUNT:
                text = self.amount.text().strip()
                amount = parse_yuan(text, "amount") if text else None
            moment = self.at.dateTime()
            day, clock = moment.date(), moment.time()
            at = datetime(
                day.year(), day.month(), day.day(), clock.hour(), clock.minute(), tzinfo=SHANGHAI
            )
            self.recorded = self.session.desk.stop_payment.record(
                self.entry.ref,
                code,
                self.session.officer,
                at=at,
                amount_fen=amount,
                reason=str(self.reason.currentData()) if code == FAILED else "",
                approved=code in FREEZE_STATES and self.one_year.isChecked(),
                approval=self.approval.text(),
                note=self.note.text(),
            )
        except IntakeError as exc:
            self.error.show_message(self.session.text(exc), field_widgets.get(exc.field))
            return
        self.session.stop_payment_changed.emit()
        super().accept()


def print_sheet(parent: QWidget, session: Session, case_no: str) -> printing.PrintDialog | None:
    """Render the stop-payment request sheet of a case and open the print dialog; once printed
    or saved, offer to record the items not yet requested as requested."""
    sp = session.desk.stop_payment
    title = QCoreApplication.translate("StopPaymentPage", "Stop-payment sheet")
    try:
        printed = sp.render_sheet(case_no, session.officer)
    except IntakeError as exc:
        printing.tell(parent, title, session.text(exc))
        return None
    dialog = printing.PrintDialog(session, printed, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

    def offer() -> None:
        waiting = [
            e for e in sp.case_entries(printed.case_no) if e.state.state in (PENDING, FAILED)
        ]
        if not waiting:
            return
        question = QCoreApplication.translate(
            "StopPaymentPage", "Record the request of {n} item(s) of {case_no} as made now?"
        ).format(n=len(waiting), case_no=printed.case_no)
        if printing.ask(parent, title, question):
            try:
                sp.mark_requested(printed.case_no, session.officer)
            except IntakeError as exc:
                printing.tell(parent, title, session.text(exc))
            session.stop_payment_changed.emit()

    dialog.accepted.connect(offer)
    dialog.open()
    return dialog


class StopPaymentPage(QWidget):
    def __init__(
        self, session: Session, status_bar: QStatusBar | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("stopPaymentPage")
        self.session = session
        self.entries: list[QueueEntry] = []
        self.reminder_items: list[Reminder] = []
        title = QLabel(self.tr("Emergency stop-payment"))
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        hint = QLabel(
            self.tr(
                "Open items, most urgent first. Enter the request within 30 minutes of the "
                "report; a stop holds the money for 48 hours, a freeze for 6 months."
            )
        )
        hint.setWordWrap(True)
        self.reminders = QListWidget()
        self.reminders.setObjectName("reminderList")
        self.reminders.setMaximumHeight(96)
        self.reminders.setStyleSheet("QListWidget { color: #a61b1b; font-weight: bold; }")
        self.reminders.itemActivated.connect(self._select_reminded)
        self.table = QTableWidget(0, 9)
        self.table.setObjectName("stopQueue")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Item"),
                self.tr("Since transfer"),
                self.tr("Case"),
                self.tr("Payee bank"),
                self.tr("Payee account"),
                self.tr("Amount"),
                self.tr("State"),
                self.tr("Next deadline"),
                self.tr("Transferred"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _item: self.open_outcome_dialog())
        self.record_button = QPushButton(self.tr("Record outcome…"))
        self.record_button.setObjectName("recordOutcomeButton")
        self.record_button.clicked.connect(self.open_outcome_dialog)
        self.sheet_button = QPushButton(self.tr("Stop-payment sheet"))
        self.sheet_button.setObjectName("stopSheetButton")
        self.sheet_button.clicked.connect(self.print_selected_sheet)
        self.case_button = QPushButton(self.tr("Open case"))
        self.case_button.setObjectName("openCaseButton")
        self.case_button.clicked.connect(self.open_selected_case)
        self.more = QLabel()
        self.more.setObjectName("moreLabel")
        self.empty = QLabel(self.tr("No open stop-payment items."))
        self.empty.setObjectName("emptyLabel")
        buttons = QHBoxLayout()
        for button in (self.record_button, self.sheet_button, self.case_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addWidget(self.reminders)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.more)
        layout.addLayout(buttons)
        self.reminder_label = QLabel()
        self.reminder_label.setObjectName("reminderCount")
        self.reminder_label.setStyleSheet("color: #a61b1b; font-weight: bold;")
        if status_bar is not None:
            status_bar.addWidget(self.reminder_label)
        self.timer = QTimer(self)
        self.timer.setInterval(CLOCK_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        session.cases_changed.connect(self.refresh)
        session.stop_payment_changed.connect(self.refresh)
        self.refresh()

    # Reading -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.selected()
        sp = self.session.desk.stop_payment
        now = self.session.desk.now()
        self.entries = sp.queue(now=now)
        self.reminder_items = sp.reminders(now, self.entries)
        self._show_reminders()
        shown = self.entries[:MAX_ROWS]
        self.table.setRowCount(len(shown))
        self.more.setText(
            self.tr("The {shown} most urgent of {total} items are shown.").format(
                shown=len(shown), total=len(self.entries)
            )
        )
        self.more.setVisible(len(shown) < len(self.entries))
        lang = self.session.lang
        for row, e in enumerate(shown):
            deadline = e.urgency.deadline
            if deadline is None:
                due = ""
            elif deadline >= now:
                due = self.tr("{time} (in {left})").format(
                    time=local(deadline), left=clock_text(deadline - now)
                )
            else:
                due = self.tr("{time} ({late} late)").format(
                    time=local(deadline), late=clock_text(now - deadline)
                )
            texts = {
                ITEM: e.ref,
                CLOCK: clock_text(now - e.facts.transfer_at),
                CASE: e.item.case_no,
                BANK: e.bank or self.tr("(unknown)"),
                ACCOUNT: e.item.payee_account,
                AMOUNT: format_yuan_display(e.item.amount_fen),
                STATE: outcome_label(e.state.state, lang),
                DEADLINE: due,
                TRANSFER: local(e.facts.transfer_at),
            }
            for column, text in texts.items():
                cell = QTableWidgetItem(text)
                if column == AMOUNT:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                colours = COLOURS.get(e.urgency.level)
                if colours is not None and column in (CLOCK, DEADLINE):
                    cell.setBackground(QBrush(QColor(colours[0])))
                    cell.setForeground(QBrush(QColor(colours[1])))
                cell.setData(Qt.ItemDataRole.UserRole, e.ref)
                self.table.setItem(row, column, cell)
        self.empty.setVisible(not self.entries)
        self._select(selected)
        self._update_buttons()

    def _tick(self) -> None:
        """The clocks move only while the window is shown (not after it closed)."""
        if self.window().isVisible():
            self.refresh()

    def _show_reminders(self) -> None:
        self.reminders.clear()
        for r in self.reminder_items:
            item = QListWidgetItem(self.reminder_text(r))
            item.setData(Qt.ItemDataRole.UserRole, r.entry.ref)
            self.reminders.addItem(item)
        count = len(self.reminder_items)
        self.reminders.setVisible(bool(count))
        self.reminder_label.setText(
            self.tr("Stop-payment reminders: {n}").format(n=count) if count else ""
        )

    def reminder_text(self, r: Reminder) -> str:
        e = r.entry
        values = {"item": e.item.id, "case_no": e.item.case_no, "due": local(r.due)}
        if r.kind == "request_overdue":
            return self.tr("Item {item} ({case_no}): no request yet; it was due at {due}").format(
                **values
            )
        if r.kind == "stop_ending":
            return self.tr(
                "Item {item} ({case_no}): the stop ends at {due} and nothing is frozen"
            ).format(**values)
        return self.tr(
            "Item {item} ({case_no}): the freeze ends at {due}; renew it in time"
        ).format(**values)

    def selected(self) -> str | None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.entries) or not self.table.selectedItems():
            return None
        return self.entries[row].ref

    def selected_entry(self) -> QueueEntry | None:
        ref = self.selected()
        return next((e for e in self.entries if e.ref == ref), None)

    def _select(self, ref: str | None) -> None:
        for row, e in enumerate(self.entries):
            if e.ref == ref:
                self.table.selectRow(row)
                return
        self.table.clearSelection()

    def _select_reminded(self, item: QListWidgetItem) -> None:
        self._select(str(item.data(Qt.ItemDataRole.UserRole)))

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for button in (self.record_button, self.sheet_button, self.case_button):
            button.setEnabled(chosen)

    # Acting ------------------------------------------------------------------------------------

    def open_outcome_dialog(self) -> OutcomeDialog | None:
        entry = self.selected_entry()
        if entry is None:
            return None
        dialog = OutcomeDialog(self.session, entry, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()
        return dialog

    def print_selected_sheet(self) -> printing.PrintDialog | None:
        entry = self.selected_entry()
        return None if entry is None else print_sheet(self, self.session, entry.item.case_no)

    def open_selected_case(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.session.open_case_requested.emit(entry.item.case_no)
