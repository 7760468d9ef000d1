"""Unfinished reports: every open draft of the officer on duty, to continue or discard."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.errors import IntakeError

from intake_app.ui.report_form import draft_summary, unfinished_drafts
from intake_app.ui.session import Session


class DraftsPage(QWidget):
    open_requested = Signal(str)  # draft uuid

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftsPage")
        self.session = session
        title = QLabel(self.tr("Unfinished reports"))
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        hint = QLabel(
            self.tr(
                "Reports are saved as drafts while they are typed. Continue one, or discard it "
                "(it is kept in the records, marked discarded)."
            )
        )
        hint.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("draftList")
        self.list.itemActivated.connect(lambda _item: self.open_selected())
        self.open_button = QPushButton(self.tr("Continue"))
        self.open_button.setObjectName("continueButton")
        self.open_button.clicked.connect(self.open_selected)
        self.discard_button = QPushButton(self.tr("Discard…"))
        self.discard_button.setObjectName("discardButton")
        self.discard_button.clicked.connect(self.discard_selected)
        self.empty = QLabel(self.tr("No unfinished reports."))
        self.empty.setObjectName("emptyLabel")
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        session.drafts_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        current = self.selected_uuid()
        self.list.clear()
        for draft in unfinished_drafts(self.session):
            item = QListWidgetItem(draft_summary(draft, self.session))
            item.setData(Qt.ItemDataRole.UserRole, draft.uuid)
            self.list.addItem(item)
            if draft.uuid == current:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.empty.setVisible(self.list.count() == 0)
        self._update_buttons()

    def count(self) -> int:
        return self.list.count()

    def selected_uuid(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _update_buttons(self) -> None:
        selected = self.selected_uuid() is not None
        self.open_button.setEnabled(selected)
        self.discard_button.setEnabled(selected)

    def open_selected(self) -> None:
        uuid = self.selected_uuid()
        if uuid is not None:
            self.open_requested.emit(uuid)

    def discard_selected(self) -> None:
        uuid = self.selected_uuid()
        if uuid is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Discard report"),
            self.tr("Discard this unfinished report? It cannot be continued afterwards."),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Discard:
            return
        try:
            self.session.desk.drafts.discard(uuid, self.session.officer)
        except IntakeError as exc:
            QMessageBox.warning(self, self.tr("Discard report"), exc.message(self.session.lang))
        self.session.drafts_changed.emit()
