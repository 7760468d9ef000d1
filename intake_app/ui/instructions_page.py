"""Instructions from the city center (dissuade a person now, verify a lead), with deadlines;
they arrive with the feed and are refreshed after each sync."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.times import SHANGHAI

from intake_app.ui.session import Session


def _local(stamp: str) -> str:
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def _passed(deadline: str, now: datetime) -> bool:
    try:
        when = datetime.fromisoformat(deadline)
    except ValueError:
        return False
    return (when if when.tzinfo else when.replace(tzinfo=SHANGHAI)) < now


class InstructionsPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("instructionsPage")
        self.session = session
        title = QLabel(self.tr("Instructions from the city center"))
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("instructionTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Deadline"), self.tr("Kind"), self.tr("Instruction"), self.tr("Received")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 150), (1, 110), (3, 150)):
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().setVisible(False)
        self.empty = QLabel(self.tr("No instructions. They arrive when the desk syncs."))
        self.empty.setObjectName("emptyLabel")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self.refresh()

    def kind_label(self, kind: str) -> str:
        labels = {
            "dissuade": self.tr("Dissuade in person"),
            "verify_lead": self.tr("Verify a lead"),
        }
        return labels.get(kind, kind)

    def refresh(self) -> None:
        rows = self.session.desk.sync.instructions()
        now = self.session.desk.now()
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            cells = (
                _local(row["deadline"]) or self.tr("none"),
                self.kind_label(row["kind"]),
                row["text"],
                _local(row["received_at"]),
            )
            items = [QTableWidgetItem(text) for text in cells]
            items[2].setToolTip(row["text"])
            for column, item in enumerate(items):
                self.table.setItem(i, column, item)
            if _passed(row["deadline"], now):
                items[0].setForeground(QBrush(QColor("#b00020")))
        self.empty.setVisible(not rows)
