"""The seized-list page (查获卡号比对): open a CSV or XLSX list of seized card or account
numbers, see which are tied to the station's cases and leads, export the hits (audited).

The list is read and matched on a worker thread (ui/background.py); a case hit opens the case
on a double-click.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.errors import IntakeError
from intake_app.domain.messages import status_label
from intake_app.domain.money import format_yuan_display

from intake_app.services.desk import Desk
from intake_app.services.matching import MatchResult, source_label

from intake_app.ui.background import Background
from intake_app.ui.outreach_pages import record_table
from intake_app.ui.session import Session


class SeizedListPage(QWidget):
    matched = Signal()  # the newest list's result (or its error) is shown

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.result: MatchResult | None = None
        self.open_button = QPushButton(self.tr("Open list…"), self)
        self.open_button.setObjectName("openList")
        self.export_button = QPushButton(self.tr("Export hits…"), self)
        self.export_button.setObjectName("exportHits")
        self.export_button.setEnabled(False)
        self.may_export = session.officer.has_role("supervisor")
        if not self.may_export:
            self.export_button.setToolTip(
                self.tr("Only a supervisor or an administrator can export the hits")
            )
        intro = QLabel(
            self.tr(
                "Match a list of seized bank cards or accounts (CSV or Excel) against the payee "
                "accounts and suspect identifiers of this station's cases and leads. Spaces, "
                "dashes and full-width digits in the list do not matter."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("matchSummary")
        self.summary.setWordWrap(True)
        self.table = record_table(
            self,
            "hitTable",
            [
                self.tr("Row"),
                self.tr("Number"),
                self.tr("Tied to"),
                self.tr("Case or lead"),
                self.tr("Fraud type"),
                self.tr("Time"),
                self.tr("Loss"),
                self.tr("Status"),
            ],
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        # Seams for tests: the file dialogs.
        self.ask_open: Callable[[], str] = self._ask_open
        self.ask_save: Callable[[str], str] = self._ask_save

        self.background = Background(session.worker_desk, self, "seized-list-worker")
        self.background.answered.connect(self._show)
        self.background.failed.connect(self._failed)
        self.open_button.clicked.connect(self.open_list)
        self.export_button.clicked.connect(self.export)
        self.table.activated.connect(self._open_case)

    # Actions -------------------------------------------------------------------------------

    @Slot()
    def open_list(self) -> None:
        path = self.ask_open()
        if path:
            self.match(Path(path))

    def match(self, path: Path) -> None:
        self.summary.setText(self.tr("Matching {name}…").format(name=path.name))
        self.export_button.setEnabled(False)

        def job(desk: Desk) -> MatchResult:
            return desk.matching.match_file(path)

        self.background.ask(job)

    @Slot()
    def export(self) -> None:
        if self.result is None:
            return
        path = self.ask_save(f"{Path(self.result.name).stem}-hits.csv")
        if not path:
            return
        try:
            count = self.session.desk.matching.export(
                self.result, Path(path), self.session.officer, self.session.lang
            )
        except (IntakeError, OSError) as exc:
            text = self.session.text(exc) if isinstance(exc, IntakeError) else str(exc)
            self.summary.setText(
                self.tr("The hits could not be exported: {detail}").format(detail=text)
            )
            return
        self.summary.setText(
            self.tr(
                "{count} hits exported to {path}. The file is not encrypted: keep it on an "
                "encrypted drive and delete it when done."
            ).format(count=count, path=path)
        )

    # Answers -------------------------------------------------------------------------------

    @Slot(object)
    def _show(self, result: MatchResult) -> None:
        self.result = result
        summary = result.as_dict()
        text = self.tr(
            "{numbers} numbers in {name}; {matched} tied to this station's records "
            "({cases} cases, {leads} leads)."
        ).format(
            numbers=summary["numbers"],
            name=result.name,
            matched=summary["matched"],
            cases=summary["cases"],
            leads=summary["leads"],
        )
        if result.skipped:
            text += " " + self.tr("{count} rows held no number and were skipped.").format(
                count=len(result.skipped)
            )
        self.summary.setText(text)
        ref, lang = self.session.desk.reference, self.session.lang
        hits = summary["hits"]
        self.table.setRowCount(len(hits))
        for r, hit in enumerate(hits):
            loss = hit.get("total_loss_fen")
            cells = [
                str(hit["row"]),
                hit["number"],
                source_label(hit["source"], lang),
                hit["reference"],
                ref.label("fraud_types", hit["fraud_type"], lang) if "fraud_type" in hit else "",
                str(hit.get("at", ""))[:16].replace("T", " "),
                format_yuan_display(loss) if isinstance(loss, int) else "",
                self._note(hit, lang),
            ]
            for c, text_cell in enumerate(cells):
                item = QTableWidgetItem(text_cell)
                item.setData(Qt.ItemDataRole.UserRole, (hit["source"], hit["reference"]))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        # Exports need a supervisor: the file leaves the encrypted store.
        self.export_button.setEnabled(bool(hits) and self.may_export)
        self.matched.emit()

    def _note(self, hit: dict[str, Any], lang: str) -> str:
        """The last column: a case's status, a lead's summary, or the city's count."""
        if hit["source"] == "watchlist":
            return self.tr("On the city watchlist: {cases} cases at {stations} stations").format(
                cases=hit["cases"], stations=hit["stations"]
            )
        if "status" in hit:
            return status_label(hit["status"], lang)
        return str(hit.get("summary", ""))

    @Slot(object)
    def _failed(self, error: object) -> None:
        text = self.session.text(error) if isinstance(error, IntakeError) else str(error)
        self.summary.setText(self.tr("The list could not be read: {detail}").format(detail=text))
        self.result = None
        self.table.setRowCount(0)
        self.matched.emit()

    @Slot(QModelIndex)
    def _open_case(self, index: QModelIndex) -> None:
        source, reference = index.data(Qt.ItemDataRole.UserRole)
        if source == "case":
            self.session.open_case_requested.emit(reference)

    # Dialogs -------------------------------------------------------------------------------

    def _ask_open(self) -> str:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a seized list"),
            "",
            self.tr("Lists (*.csv *.xlsx *.txt)"),
        )
        return path

    def _ask_save(self, suggested: str) -> str:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export hits"), suggested, self.tr("CSV files (*.csv)")
        )
        return path
