"""One case, read in full: every field, its revisions and what changed, revise and void.

ID, phone and account numbers (and long digit runs in free text) are masked until the officer
deliberately asks for them with "Show full numbers"; each time is recorded in the audit log
(desk.intake.reveal), and the next case opens masked again. Field captions use the same words
as the problem messages (messages.field_label), codes are shown with their reference labels in
the session language.
"""

from __future__ import annotations

import contextlib
import difflib
import html
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.diff import Change
from intake_app.domain.errors import IntakeError
from intake_app.domain.identifiers import mask_account, mask_id, mask_phone
from intake_app.domain.messages import field_label, status_label
from intake_app.domain.model import VOIDED
from intake_app.domain.money import format_yuan_display, parse_yuan
from intake_app.domain.times import SHANGHAI, parse_time

from intake_app.services.intake import Revision

from intake_app.ui import printing
from intake_app.ui.session import Session
from intake_app.ui.stop_payment_page import print_sheet

VOID_REASON_LIMIT = 500
EMPTY = "—"
TIME_KEYS = frozenset({"reported_at", "occurred_from", "occurred_to", "discovered_at", "at"})
# Which reference list a coded field is looked up in.
CODE_LISTS = {
    "source": "case_sources",
    "fraud_type": "fraud_types",
    "contact_channel": "contact_channels",
    "method": "transaction_methods",
    "kind": "identifier_kinds",
    "id_type": "id_types",
}
ACCOUNT_KEYS = frozenset({"payer_account", "payee_account"})
FREE_TEXT_KEYS = frozenset({"narrative", "note", "address", "place", "occupation"})
# Nine or more digits (single spaces allowed between them), an ID's final X included: phone,
# card, account and ID numbers typed into free text, but not amounts such as 1380000.
_DIGIT_RUN = re.compile(r"(?<!\d)\d(?: ?\d){8,}[Xx]?")
_INDEX = re.compile(r"\[(\d+)\]")
# Texts longer than this show their change in place rather than old and new in full.
LONG_TEXT = 80
CONTEXT_CHARS = 30
DELETED = "color: #a61b1b;"
INSERTED = "color: #1b6b2e;"
UNCHANGED = "color: #555;"
# Rows of two fields (caption and value each); a row with one field spans the width.
PERSON_ROWS: tuple[tuple[str, ...], ...] = (
    ("name", "sex"),
    ("birth_date", "id_type"),
    ("id_number", "phone"),
    ("occupation", "groups"),
    ("address",),
)
INCIDENT_ROWS: tuple[tuple[str, ...], ...] = (
    ("fraud_type", "contact_channel"),
    ("occurred_from", "occurred_to"),
    ("discovered_at", "place"),
    ("narrative",),
)
TRANSACTION_ROWS: tuple[tuple[str, ...], ...] = (
    ("at", "amount"),
    ("method", "serial_no"),
    ("payer_bank", "payer_account"),
    ("payee_bank", "payee_account"),
    ("payee_name",),
)


def display_time(text: str) -> str:
    """An ISO time as Beijing time for reading: "2026-11-18 02:10:47" (seconds only if set)."""
    try:
        moment = parse_time(text, "").astimezone(SHANGHAI)
    except IntakeError:
        return text
    return moment.strftime("%Y-%m-%d %H:%M:%S" if moment.second else "%Y-%m-%d %H:%M")


def mask_free_text(text: str) -> str:
    """Long digit runs in free text (a card number in the narrative) masked like accounts."""
    return _DIGIT_RUN.sub(lambda m: mask_account(m.group(0)), text)


def mask_identifier(kind: str, value: str) -> str:
    if kind == "phone":
        return mask_phone(value)
    if kind in ("bank_account", "qq"):
        return mask_account(value)
    return mask_free_text(value)


def size_text(size: int | None) -> str:
    if size is None:
        return EMPTY
    exact = QCoreApplication.translate("CaseView", "{count} bytes").format(count=f"{size:,}")
    if size < 1024:
        return exact
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit} ({exact})"
    return exact  # pragma: no cover


class Formatter:
    """Stored values as the officer reads them, in the session language, masked on request."""

    def __init__(self, session: Session, masked: bool) -> None:
        self.lang = session.lang
        self.reference = session.desk.reference
        self.masked = masked

    def caption(self, key: str) -> str:
        word = field_label(key, self.lang)
        return word[:1].upper() + word[1:]

    def value(self, key: str, value: Any, kind: str = "") -> str:
        if value is None or value == "" or value == []:
            return EMPTY
        if isinstance(value, dict):
            return self.summary(value)
        if key == "groups" and isinstance(value, list):
            sep = "、" if self.lang == "zh_CN" else ", "
            return sep.join(self.code("target_groups", str(v)) for v in value)
        if key == "groups":
            return self.code("target_groups", str(value))
        if key == "size" and isinstance(value, int):
            return size_text(value)
        text = str(value)
        if key in TIME_KEYS:
            return display_time(text)
        if key == "amount":
            try:
                return format_yuan_display(parse_yuan(text))
            except IntakeError:
                return text
        if key in CODE_LISTS:
            return self.code(CODE_LISTS[key], text)
        if key == "sex":
            if text == "M":
                return QCoreApplication.translate("CaseView", "Male")
            if text == "F":
                return QCoreApplication.translate("CaseView", "Female")
            return QCoreApplication.translate("CaseView", "Unknown")
        if not self.masked:
            return text
        if key == "id_number":
            return mask_id(text)
        if key == "phone":
            return mask_phone(text)
        if key in ACCOUNT_KEYS:
            return mask_account(text)
        if key == "value":
            return mask_identifier(kind, text)
        if key in FREE_TEXT_KEYS:
            return mask_free_text(text)
        return text

    def code(self, list_name: str, code: str) -> str:
        return self.reference.label(list_name, code, self.lang)

    def summary(self, record: dict[str, Any]) -> str:
        """A whole added or removed part (a transaction, the victim) on one line."""
        kind = str(record.get("kind") or "")
        parts = [
            f"{self.caption(k)}: {self.value(k, v, kind)}"
            for k, v in record.items()
            if v not in (None, "", []) and not isinstance(v, dict)
        ]
        return "; ".join(parts) or EMPTY


def _html_text(value: str) -> str:
    return html.escape(value).replace("\n", "<br>")


def inline_diff_html(old: str, new: str, context: int = CONTEXT_CHARS) -> str:
    """A long text's change in place: removed text struck through in red, added text in green,
    long unchanged stretches cut to their ends."""
    parts = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            same = old[i1:i2]
            if len(same) > 2 * context + 1:
                head = same[:context] if i1 > 0 or j1 > 0 else ""
                tail = same[-context:] if i2 < len(old) or j2 < len(new) else ""
                same = f"{head}…{tail}"
            parts.append(f'<span style="{UNCHANGED}">{_html_text(same)}</span>')
            continue
        if i2 > i1:
            parts.append(
                f'<span style="{DELETED} text-decoration: line-through;">'
                f"{_html_text(old[i1:i2])}</span>"
            )
        if j2 > j1:
            parts.append(
                f'<span style="{INSERTED} font-weight: bold;">{_html_text(new[j1:j2])}</span>'
            )
    return "".join(parts)


def _leaf_key(path: str) -> str:
    return _INDEX.sub("", path.rsplit(".", 1)[-1])


def _identifier_kind(record: dict[str, Any], path: str) -> str:
    """The kind beside "identifiers[i].value", so the value can be masked by kind."""
    match = re.match(r"^identifiers\[(\d+)\]", path)
    items = record.get("identifiers") or []
    if not match or int(match.group(1)) >= len(items):
        return ""
    return str(items[int(match.group(1))].get("kind") or "")


def _value_label(text: str, *, wide: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # stored text is never markup
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    if wide:
        label.setMinimumWidth(200)
    return label


def _caption_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    label.setStyleSheet("color: #666;")
    label.setProperty("role", "caption")
    return label


class VoidDialog(QDialog):
    """Asks for the reason and voids the case; the reason is required, at most 500 characters.

    OK stays disabled while the reason is blank or too long. A refusal from the desk (no
    supervisor role, already void) is shown in the dialog in the session language.
    """

    def __init__(self, session: Session, case_no: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_no = case_no
        self.setObjectName("voidDialog")
        self.setWindowTitle(self.tr("Void case"))
        self.setModal(True)
        self.resize(520, 300)

        intro = QLabel(
            self.tr(
                "Void case {case_no}? A void case stays on record with the reason, "
                "and can no longer be revised."
            ).format(case_no=case_no)
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        caption = QLabel(self.tr("Reason (required):"))
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("reasonEdit")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(
            self.tr("For example: registered twice, the same report as case …")
        )
        caption.setBuddy(self.reason_edit)
        self.counter = QLabel()
        self.counter.setObjectName("counterLabel")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #a61b1b;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Void case"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(caption)
        layout.addWidget(self.reason_edit, 1)
        layout.addWidget(self.counter)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.reason_edit.textChanged.connect(self._update)
        self._update()

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _update(self) -> None:
        length = len(self.reason_edit.toPlainText())
        over = length > VOID_REASON_LIMIT
        self.counter.setText(f"{length} / {VOID_REASON_LIMIT}")
        self.counter.setStyleSheet("color: #a61b1b; font-weight: bold;" if over else "")
        self.ok_button.setEnabled(bool(self.reason()) and not over)
        self.error_label.hide()

    def accept(self) -> None:
        if not self.ok_button.isEnabled():
            return
        try:
            self.session.desk.intake.void(self.case_no, self.reason(), self.session.officer)
        except IntakeError as exc:
            self.error_label.setText(self.session.text(exc))
            self.error_label.show()
            return
        super().accept()


class CaseView(QWidget):
    """A case in full. `show_case(case_no)`; refreshes itself on session.cases_changed."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_no: str | None = None
        self.history: list[Revision] = []
        self.current: dict[str, Any] = {}
        self.void_dialog: VoidDialog | None = None
        self._shown = -1  # index into history
        self._names: dict[str, str] = {}
        self._voided_by = ""
        # How an attachment file is opened; tests put a recorder here.
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self._build()
        session.cases_changed.connect(self._on_cases_changed)
        self._show_nothing()

    # Building ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.case_no_label = QLabel()
        self.case_no_label.setObjectName("caseNoLabel")
        self.case_no_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.8)
        big.setBold(True)
        self.case_no_label.setFont(big)
        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        self.reveal_toggle = QCheckBox(self.tr("Show full numbers"))
        self.reveal_toggle.setObjectName("revealToggle")
        self.reveal_toggle.setToolTip(
            self.tr(
                "Show this case's ID, phone and account numbers in full. "
                "The audit log records who saw them and when."
            )
        )
        self.reveal_toggle.toggled.connect(self._on_reveal)
        self.revise_button = QPushButton(self.tr("Revise"))
        self.revise_button.setObjectName("reviseButton")
        self.revise_button.clicked.connect(self._on_revise)
        self.void_button = QPushButton(self.tr("Void…"))
        self.void_button.setObjectName("voidButton")
        self.void_button.clicked.connect(self.open_void_dialog)
        self.print_receipt_button = QPushButton(self.tr("Print receipt"))
        self.print_receipt_button.setObjectName("printReceiptButton")
        self.print_receipt_button.clicked.connect(self.print_receipt)
        self.print_form_button = QPushButton(self.tr("Print form"))
        self.print_form_button.setObjectName("printFormButton")
        self.print_form_button.setToolTip(
            self.tr("Print the case registration form of the revision shown")
        )
        self.print_form_button.clicked.connect(self.print_case_form)
        self.sheet_button = QPushButton(self.tr("Stop-payment sheet"))
        self.sheet_button.setObjectName("stopSheetButton")
        self.sheet_button.clicked.connect(
            lambda: print_sheet(self, self.session, self.case_no or "")
        )

        top = QHBoxLayout()
        top.addWidget(self.case_no_label)
        top.addSpacing(12)
        top.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addStretch(1)
        top.addWidget(self.reveal_toggle)
        top.addSpacing(12)
        top.addWidget(self.revise_button)
        top.addWidget(self.void_button)
        top.addWidget(self.print_receipt_button)
        top.addWidget(self.print_form_button)
        top.addWidget(self.sheet_button)

        self.void_label = QLabel()
        self.void_label.setObjectName("voidLabel")
        self.void_label.setTextFormat(Qt.TextFormat.PlainText)
        self.void_label.setWordWrap(True)
        self.void_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.void_label.setStyleSheet(
            "background: #fde8e8; color: #7a1010; padding: 6px; border-radius: 4px;"
        )

        self.meta = QGridLayout()
        self.meta.setHorizontalSpacing(16)
        self.meta_values: dict[str, QLabel] = {}
        meta_captions = (
            ("revision", self.tr("Revision")),
            ("station", self.tr("Station")),
            ("received_by", self.tr("Receiving officer")),
            ("registered_at", self.tr("Registered at")),
            ("revised", self.tr("Last revised")),
        )
        for column, (key, caption) in enumerate(meta_captions):
            head = QLabel(caption)
            head.setStyleSheet("color: #666;")
            value = _value_label("")
            value.setWordWrap(False)
            value.setObjectName(f"meta_{key}")
            self.meta.addWidget(head, 0, column)
            self.meta.addWidget(value, 1, column)
            self.meta_values[key] = value
        self.meta.setColumnStretch(len(meta_captions), 1)

        self.banner = QLabel()
        self.banner.setObjectName("revisionBanner")
        self.banner.setStyleSheet(
            "background: #fff4d6; color: #5c4400; padding: 4px 6px; border-radius: 4px;"
        )

        self.fields_area = QScrollArea()
        self.fields_area.setObjectName("fieldsArea")
        self.fields_area.setWidgetResizable(True)
        self.fields_area.setFrameShape(QFrame.Shape.NoFrame)

        self.history_list = QListWidget()
        self.history_list.setObjectName("historyList")
        self.history_list.setWordWrap(True)
        self.history_list.currentRowChanged.connect(self._on_revision_selected)
        self.changes_view = QTextBrowser()
        self.changes_view.setObjectName("changesView")
        self.changes_view.setOpenLinks(False)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 0, 0)
        history_caption = QLabel(self.tr("Revisions"))
        history_caption.setStyleSheet("font-weight: bold;")
        self.changes_caption = QLabel(self.tr("Changes from the previous revision"))
        self.changes_caption.setStyleSheet("font-weight: bold;")
        side_layout.addWidget(history_caption)
        side_layout.addWidget(self.history_list, 2)
        side_layout.addWidget(self.changes_caption)
        side_layout.addWidget(self.changes_view, 3)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.fields_area, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([860, 400])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.void_label)
        layout.addLayout(self.meta)
        layout.addWidget(self.splitter, 1)

    # Showing -------------------------------------------------------------------------------

    def show_case(self, case_no: str) -> None:
        """Show a case (its newest revision), masked. An unknown number is said so, in place."""
        self.case_no = case_no
        self._shown = -1
        self.reveal_toggle.blockSignals(True)
        self.reveal_toggle.setChecked(False)
        self.reveal_toggle.blockSignals(False)
        self.refresh()

    @property
    def masked(self) -> bool:
        return not self.reveal_toggle.isChecked()

    def _on_reveal(self, checked: bool) -> None:
        """Full numbers only as a recorded act; masking again needs nothing."""
        if checked and self.case_no is not None:
            try:
                self.session.desk.intake.reveal(self.case_no, self.session.officer, "case_view")
            except IntakeError as exc:
                self.reveal_toggle.blockSignals(True)
                self.reveal_toggle.setChecked(False)
                self.reveal_toggle.blockSignals(False)
                QMessageBox.warning(self, self.tr("Show full numbers"), self.session.text(exc))
                return
        self._render()

    def refresh(self) -> None:
        """Read the case again; keeps an older revision selected if one was."""
        if self.case_no is None:
            return
        intake = self.session.desk.intake
        keep = self._shown if 0 <= self._shown < len(self.history) - 1 else -1
        try:
            row = intake.find(self.case_no)
            self.current = intake.record(row)
            self.history = intake.history(row.case_no)
        except IntakeError as exc:
            self._show_nothing(self.session.text(exc))
            return
        self.case_no = row.case_no
        self._names = {o.badge: o.name for o in self.session.desk.auth.list_officers()}
        self._voided_by = row.voided_by or ""
        self._shown = keep if keep >= 0 else len(self.history) - 1
        self._render()

    def _on_cases_changed(self) -> None:
        if self.case_no is not None:
            self.refresh()

    def _show_nothing(self, message: str = "") -> None:
        self.current, self.history = {}, []
        self.case_no_label.setText(message)
        self.status_label.hide()
        self.void_label.hide()
        self.banner.hide()
        for value in self.meta_values.values():
            value.clear()
        self.history_list.blockSignals(True)
        self.history_list.clear()
        self.history_list.blockSignals(False)
        self.changes_view.clear()
        self._replace_fields(QWidget())
        self.revise_button.setEnabled(False)
        self.void_button.setEnabled(False)
        self.print_receipt_button.setEnabled(False)
        self.print_form_button.setEnabled(False)
        self.sheet_button.setEnabled(False)

    def _who(self, badge: str) -> str:
        name = self._names.get(badge, "")
        return f"{name} ({badge})" if name else badge

    def _render(self) -> None:
        """Draw everything from what was read; also used when the mask toggle changes."""
        if not self.current:
            return
        fmt = Formatter(self.session, self.masked)
        record = self.current
        voided = record.get("status") == VOIDED
        self.case_no_label.setText(record["case_no"])
        self.status_label.setText(status_label(record["status"], self.session.lang))
        self.status_label.setStyleSheet(
            "padding: 3px 10px; border-radius: 10px; font-weight: bold; "
            + (
                "background: #fde8e8; color: #a61b1b;"
                if voided
                else "background: #e3f3e6; color: #1b6b2e;"
            )
        )
        self.status_label.show()
        if voided:
            self.void_label.setText(
                self.tr("Voided {when} by {who}. Reason: {reason}").format(
                    when=display_time(record.get("voided_at") or ""),
                    who=self._who(self._voided_by),
                    reason=record.get("void_reason") or "",
                )
            )
        self.void_label.setVisible(voided)
        received = record.get("received_by") or {}
        values = {
            "revision": str(record["revision"]),
            "station": f"{record['station_name']} ({record['station_code']})",
            "received_by": f"{received.get('name') or ''} ({received.get('badge') or ''})",
            "registered_at": display_time(record["registered_at"]),
            "revised": f"{display_time(record['revised_at'])} · {self._who(record['revised_by'])}",
        }
        for key, text in values.items():
            self.meta_values[key].setText(text)

        self.revise_button.setEnabled(not voided)
        self.revise_button.setToolTip(
            self.tr("A void case cannot be revised")
            if voided
            else self.tr("Open the report form on this case")
        )
        may_void = self.session.officer.has_role("supervisor")
        self.void_button.setEnabled(may_void and not voided)
        self.void_button.setToolTip(
            self.tr("This case is already void")
            if voided
            else self.tr("Void this case with a reason")
            if may_void
            else self.tr("Only a supervisor or an administrator can void a case")
        )

        self.print_receipt_button.setEnabled(not voided)
        self.print_receipt_button.setToolTip(
            self.tr("A void case gets no receipt")
            if voided
            else self.tr("Print the receipt for the reporter")
        )
        self.print_form_button.setEnabled(True)
        self.sheet_button.setEnabled(
            not voided and any(t.get("payee_account") for t in record["transactions"])
        )

        self._render_history(fmt)
        self._render_revision(fmt)

    def _render_history(self, fmt: Formatter) -> None:
        self.history_list.blockSignals(True)
        self.history_list.clear()
        newest = len(self.history)
        for rev in reversed(self.history):
            title = self.tr("Revision {number}").format(number=rev.number)
            if rev.number == newest:
                title += " " + self.tr("(current)")
            lines = [title, f"{display_time(rev.created_at)} · {self._who(rev.created_by)}"]
            if rev.note:
                lines.append(fmt.value("note", rev.note))
            elif rev.number == 1:
                lines.append(self.tr("Registered"))
            item = QListWidgetItem("\n".join(lines))
            item.setData(Qt.ItemDataRole.UserRole, rev.number)
            self.history_list.addItem(item)
        # Newest first in the list; self._shown indexes self.history (oldest first).
        self.history_list.setCurrentRow(newest - 1 - self._shown)
        self.history_list.blockSignals(False)

    def _on_revision_selected(self, row: int) -> None:
        if row < 0 or not self.history:
            return
        self._shown = len(self.history) - 1 - row
        self._render_revision(Formatter(self.session, self.masked))

    def _render_revision(self, fmt: Formatter) -> None:
        rev = self.history[self._shown]
        newest = len(self.history)
        if rev.number == newest:
            self.banner.hide()
        else:
            self.banner.setText(
                self.tr(
                    "Showing revision {shown} of {total}, not the current one; "
                    "select revision {total} for the case as it stands."
                ).format(shown=rev.number, total=newest)
            )
            self.banner.show()
        bar = self.fields_area.verticalScrollBar()
        position = bar.value()
        self._replace_fields(self._fields(rev.record, fmt))
        bar.setValue(position)
        self._render_changes(rev, fmt)

    def _render_changes(self, rev: Revision, fmt: Formatter) -> None:
        if rev.number == 1:
            self.changes_view.setPlainText(
                self.tr("Revision 1 is the case as registered; there is nothing before it.")
            )
            return
        if not rev.changes:
            self.changes_view.setPlainText(self.tr("Nothing changed in this revision."))
            return
        previous = self.history[self._shown - 1].record
        blocks = [
            "<p>"
            + html.escape(
                self.tr("Revision {number} changed {count} field(s):").format(
                    number=rev.number, count=len(rev.changes)
                )
            )
            + "</p>"
        ]
        for change in rev.changes:
            blocks.append(self._change_html(change, previous, rev.record, fmt))
        self.changes_view.setHtml("".join(blocks))

    def _change_html(
        self, change: Change, old_record: dict[str, Any], new_record: dict[str, Any], fmt: Formatter
    ) -> str:
        key = _leaf_key(change.field)
        old = fmt.value(key, change.old, _identifier_kind(old_record, change.field))
        new = fmt.value(key, change.new, _identifier_kind(new_record, change.field))

        label = html.escape(field_label(change.field, self.session.lang))
        if isinstance(change.old, str) and isinstance(change.new, str) and len(old) > LONG_TEXT:
            return f"<p><b>{label}</b><br>{inline_diff_html(old, new)}</p>"
        return (
            f"<p><b>{label}</b><br>"
            f'<span style="{DELETED}">{_html_text(old)}</span><br>'
            f'→ <span style="{INSERTED}">{_html_text(new)}</span></p>'
        )

    def _replace_fields(self, widget: QWidget) -> None:
        old = self.fields_area.takeWidget()
        if old is not None:
            old.setParent(None)
            old.deleteLater()
        self.fields_area.setWidget(widget)

    # The record's fields -------------------------------------------------------------------

    def _fields(self, record: dict[str, Any], fmt: Formatter) -> QWidget:
        page = QWidget()
        page.setObjectName("fieldsPage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 8, 0)

        report = {"reported_at": record.get("reported_at"), "source": record.get("source")}
        box = self._group(self.tr("Report"))
        grid = self._grid(box, report, (("reported_at", "source"),), fmt)
        uuid_row = grid.rowCount()
        grid.addWidget(_caption_label("UUID"), uuid_row, 0)
        grid.addWidget(_value_label(str(record.get("uuid") or EMPTY)), uuid_row, 1, 1, 3)
        layout.addWidget(box)

        box = self._group(self.tr("Reporter"))
        self._grid(box, record.get("reporter") or {}, PERSON_ROWS, fmt)
        layout.addWidget(box)

        box = self._group(self.tr("Victim"))
        victim = record.get("victim")
        if victim:
            self._grid(box, victim, PERSON_ROWS, fmt)
        else:
            QVBoxLayout(box).addWidget(_value_label(self.tr("The reporter is the victim.")))
        layout.addWidget(box)

        box = self._group(self.tr("Incident"))
        self._grid(box, record.get("incident") or {}, INCIDENT_ROWS, fmt)
        layout.addWidget(box)

        layout.addWidget(self._transactions(record.get("transactions") or [], fmt))
        layout.addWidget(self._identifiers(record.get("identifiers") or [], fmt))
        layout.addWidget(self._attachments(record.get("attachments") or [], fmt))
        layout.addStretch(1)
        return page

    @staticmethod
    def _group(title: str) -> QGroupBox:
        box = QGroupBox(title)
        box.setStyleSheet("QGroupBox { font-weight: bold; } QLabel { font-weight: normal; }")
        return box

    @staticmethod
    def _grid(
        box: QWidget,
        data: dict[str, Any],
        rows: tuple[tuple[str, ...], ...],
        fmt: Formatter,
    ) -> QGridLayout:
        """Caption/value pairs, two to a row; a row with one key spans the width."""
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(10)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        for r, keys in enumerate(rows):
            for c, key in enumerate(keys):
                grid.addWidget(_caption_label(fmt.caption(key)), r, c * 2)
                value = _value_label(fmt.value(key, data.get(key)), wide=True)
                if len(keys) == 1:
                    grid.addWidget(value, r, 1, 1, 3)
                else:
                    grid.addWidget(value, r, c * 2 + 1)
        return grid

    def _transactions(self, items: list[dict[str, Any]], fmt: Formatter) -> QGroupBox:
        total = 0
        for item in items:
            with contextlib.suppress(IntakeError):  # an unreadable amount adds nothing
                total += parse_yuan(str(item.get("amount") or ""))
        title = self.tr("Transactions ({count}), total {total}").format(
            count=len(items), total=format_yuan_display(total)
        )
        box = self._group(title)
        layout = QVBoxLayout(box)
        if not items:
            layout.addWidget(_value_label(self.tr("No money was lost.")))
        for i, item in enumerate(items):
            head = QLabel(self.tr("Transaction {number}").format(number=i + 1))
            head.setStyleSheet("font-weight: bold;")
            layout.addWidget(head)
            inner = QWidget()
            self._grid(inner, item, TRANSACTION_ROWS, fmt)
            layout.addWidget(inner)
        return box

    def _identifiers(self, items: list[dict[str, Any]], fmt: Formatter) -> QGroupBox:
        box = self._group(self.tr("Suspect identifiers ({count})").format(count=len(items)))
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(12)
        grid.setColumnStretch(2, 1)
        if not items:
            grid.addWidget(_value_label(EMPTY), 0, 0)
        for i, item in enumerate(items):
            kind = str(item.get("kind") or "")
            grid.addWidget(_caption_label(fmt.value("kind", kind)), i, 0)
            grid.addWidget(_value_label(fmt.value("value", item.get("value"), kind)), i, 1)
            note = item.get("note") or ""
            grid.addWidget(_value_label(fmt.value("note", note) if note else ""), i, 2)
        return box

    def _attachments(self, items: list[dict[str, Any]], fmt: Formatter) -> QGroupBox:
        box = self._group(self.tr("Attachments ({count})").format(count=len(items)))
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(12)
        grid.setColumnStretch(0, 1)
        if not items:
            grid.addWidget(_value_label(EMPTY), 0, 0)
        blobs = self.session.desk.blobs
        for i, item in enumerate(items):
            sha = str(item.get("sha256") or "")
            name = _value_label(str(item.get("name") or EMPTY))
            name.setToolTip(str(item.get("media_type") or ""))
            details = _value_label(
                f"{item.get('media_type') or EMPTY} · {fmt.value('size', item.get('size'))}"
            )
            details.setWordWrap(False)
            digest = _value_label(f"SHA-256 {sha}")
            digest.setStyleSheet("color: #666;")
            button = QPushButton(self.tr("Open"))
            button.setObjectName(f"openAttachment{i}")
            path = blobs.path_for(sha) if sha else None
            exists = path is not None and path.is_file()
            button.setEnabled(exists)
            button.setToolTip(
                self.tr("Open the stored file")
                if exists
                else self.tr("The file is not in this desk's attachment store")
            )
            if path is not None:
                label = str(item.get("name") or "")
                button.clicked.connect(lambda _=False, h=sha, n=label: self._open_file(h, n))
            grid.addWidget(name, i * 2, 0)
            grid.addWidget(details, i * 2, 1)
            grid.addWidget(button, i * 2, 2, 2, 1, Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(digest, i * 2 + 1, 0, 1, 2)
        return box

    def _open_file(self, sha256: str, name: str) -> None:
        """Unseal the evidence file into a private temporary folder and open it (audited)."""
        if self.case_no is None:
            return
        try:
            path = self.session.desk.intake.open_attachment(
                self.case_no, sha256, name, self.session.officer
            )
        except (IntakeError, OSError) as exc:
            text = self.session.text(exc) if isinstance(exc, IntakeError) else str(exc)
            QMessageBox.warning(self, self.tr("Open"), text)
            return
        self.open_url(QUrl.fromLocalFile(str(path)))

    # Actions -------------------------------------------------------------------------------

    def _on_revise(self) -> None:
        if self.case_no is not None and self.current.get("status") != VOIDED:
            self.session.revise_requested.emit(self.case_no)

    def open_void_dialog(self) -> VoidDialog | None:
        """Open the void dialog (window-modal, not blocking); returns it for tests."""
        if self.case_no is None or not self.void_button.isEnabled():
            return None
        dialog = VoidDialog(self.session, self.case_no, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._after_void)
        dialog.finished.connect(self._forget_void_dialog)
        self.void_dialog = dialog
        dialog.open()
        return dialog

    def print_receipt(self) -> printing.PrintDialog | None:
        """Print the receipt (preview, print or save); returns the print dialog for tests."""
        if self.case_no is None or not self.print_receipt_button.isEnabled():
            return None
        return printing.print_receipt(self, self.session, self.case_no)

    def print_case_form(self) -> printing.PrintDialog | None:
        """Print the registration form of the revision shown; returns the dialog for tests."""
        if self.case_no is None or not self.history:
            return None
        revision = self.history[self._shown].number
        return printing.print_case_form(self, self.session, self.case_no, revision)

    def _forget_void_dialog(self) -> None:
        self.void_dialog = None

    def _after_void(self) -> None:
        # Every page listening (this view included) reads the case again.
        self.session.cases_changed.emit()
