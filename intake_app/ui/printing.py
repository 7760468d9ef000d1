"""Printing a receipt or a registration form from the window.

    print_receipt(parent, session, case_no)            # asks before a reprint (补打)
    print_case_form(parent, session, case_no, revision)

Both make the PDF through the desk (DocumentService.render_*, nothing logged yet) and open a
PrintDialog offering Print preview, Print… and Save PDF…. What goes to the printer is that
same PDF, each page rendered by QtPdf at no more than 300 dpi into the printer's page rect.
The audit entry (DocumentService.record) is written only once the pages went to the printer
or the file was saved: a cancelled preview or print dialog is no print. With no printer
installed, Print and Print preview say so and Save PDF still works.

The system dialogs go through the module functions run_preview, run_print_dialog,
save_file_name, ask and tell so that tests can stand in for them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QRectF,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.errors import IntakeError

from intake_app.services.documents import CASE_FORM, RECEIPT, DocumentService, Printed
from intake_app.services.stop_payment import SHEET

from intake_app.ui.session import Session

MAX_DPI = 300


# The system dialogs (tests replace these) --------------------------------------------------


def run_preview(parent: QWidget, printer: QPrinter, paint: Callable[[QPrinter], None]) -> bool:
    """Show the print preview; True when the officer printed from it."""
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.paintRequested.connect(paint)
    return dialog.exec() == QDialog.DialogCode.Accepted


def run_print_dialog(parent: QWidget, printer: QPrinter) -> bool:
    """The system print dialog; True when the officer chose Print."""
    return QPrintDialog(printer, parent).exec() == QDialog.DialogCode.Accepted


def save_file_name(parent: QWidget, suggested: str) -> str:
    """Where to save the PDF ("" when cancelled)."""
    name, _ = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("PrintDialog", "Save PDF"),
        suggested,
        QCoreApplication.translate("PrintDialog", "PDF (*.pdf)"),
    )
    return name


def ask(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def tell(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def printers() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


# Rendering -----------------------------------------------------------------------------------


class PdfPages:
    """A PDF held in memory for QtPdf."""

    def __init__(self, pdf: bytes) -> None:
        self._buffer = QBuffer()
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument()
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready:
            raise RuntimeError(f"QtPdf could not read the PDF: {self.document.error()}")

    def count(self) -> int:
        return self.document.pageCount()

    def point_size(self, page: int) -> QSizeF:
        return self.document.pagePointSize(page)


def setup_printer(printer: QPrinter, pages: PdfPages) -> None:
    """Paper size and orientation of the PDF's first page."""
    size = pages.point_size(0)
    landscape = size.width() > size.height()
    portrait = QSizeF(size.height(), size.width()) if landscape else size
    printer.setPageSize(QPageSize(portrait, QPageSize.Unit.Point))
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )


def render_pages(pages: PdfPages, printer: QPrinter) -> int:
    """Draw every page of the PDF onto the printer, each fitted into the page rect and
    rendered at min(printer resolution, 300) dpi. Returns the dpi used."""
    resolution = max(printer.resolution(), 1)
    dpi = min(resolution, MAX_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be started")
    try:
        target_area = printer.pageRect(QPrinter.Unit.DevicePixel)
        for page in range(pages.count()):
            if page:
                printer.newPage()
            points = pages.point_size(page)
            scale = min(
                target_area.width() / points.width(), target_area.height() / points.height()
            )
            target = QRectF(
                target_area.x(), target_area.y(), points.width() * scale, points.height() * scale
            )
            pixels = QSize(
                max(1, round(target.width() * dpi / resolution)),
                max(1, round(target.height() * dpi / resolution)),
            )
            image = pages.document.render(page, pixels)
            if image.format() != QImage.Format.Format_RGB32:
                flat = QImage(image.size(), QImage.Format.Format_RGB32)
                flat.fill(0xFFFFFF)
                with_white = QPainter(flat)
                with_white.drawImage(0, 0, image)
                with_white.end()
                image = flat
            painter.drawImage(target, image)
    finally:
        painter.end()
    return dpi


# The dialog ----------------------------------------------------------------------------------


class PrintDialog(QDialog):
    """Print preview, Print… or Save PDF… for one rendered document; records the print in
    the audit log once it succeeded, then closes."""

    def __init__(self, session: Session, printed: Printed, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.printed = printed
        self.pages = PdfPages(printed.pdf)
        self.last_dpi: int | None = None
        self.setObjectName("printDialog")
        receipt = printed.document == RECEIPT
        what = self.tr("Receipt") if receipt else self.tr("Case registration form")
        if printed.document == SHEET:
            what = self.tr("Stop-payment request sheet")
        self.setWindowTitle(self.tr("Print"))
        self.setModal(True)

        title = f"{what} · {printed.case_no}"
        if printed.document == CASE_FORM:
            title += " · " + self.tr("revision {number}").format(number=printed.revision)
        if printed.reprint:
            title += " · " + self.tr("reprint {n}").format(n=printed.reprint)
        intro = QLabel(title)
        intro.setObjectName("documentLabel")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        pages = QLabel(self.tr("{count} page(s)").format(count=self.pages.count()))
        self.no_printer_label = QLabel(self.no_printer_text())
        self.no_printer_label.setObjectName("noPrinterLabel")
        self.no_printer_label.setWordWrap(True)
        self.no_printer_label.setStyleSheet("color: #a61b1b; font-weight: bold;")
        self.no_printer_label.setVisible(not printers())
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #a61b1b;")
        self.error_label.hide()

        self.preview_button = QPushButton(self.tr("Print preview…"))
        self.preview_button.setObjectName("previewButton")
        self.preview_button.clicked.connect(self.preview)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("printButton")
        self.print_button.clicked.connect(self.print_)
        self.save_button = QPushButton(self.tr("Save PDF…"))
        self.save_button.setObjectName("savePdfButton")
        self.save_button.clicked.connect(self.save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(pages)
        layout.addWidget(self.no_printer_label)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def no_printer_text(self) -> str:
        return self.tr("No printer is installed on this PC. Save the PDF and print it elsewhere.")

    def _printer(self) -> QPrinter | None:
        if not printers():
            self.no_printer_label.show()
            tell(self, self.tr("No printer"), self.no_printer_text())
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"{self.printed.case_no}-{self.printed.document}")
        setup_printer(printer, self.pages)
        return printer

    def _paint(self, printer: QPrinter) -> None:
        self.last_dpi = render_pages(self.pages, printer)

    def preview(self) -> bool:
        """The print preview; True when printed from it (and recorded)."""
        printer = self._printer()
        if printer is None:
            return False
        if not run_preview(self, printer, self._paint):
            return False
        return self._done("printer")

    def print_(self) -> bool:
        """The system print dialog, then the pages; True when printed (and recorded)."""
        printer = self._printer()
        if printer is None or not run_print_dialog(self, printer):
            return False
        try:
            self._paint(printer)
        except OSError:
            self._error(self.tr("The printer could not be started. Check it, or save the PDF."))
            return False
        return self._done("printer")

    def save(self) -> bool:
        """Save the PDF; True when saved (and recorded)."""
        suggested = str(Path.home() / f"{self.printed.case_no}-{self.printed.document}.pdf")
        name = save_file_name(self, suggested)
        if not name:
            return False
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(".pdf")
        try:
            DocumentService.write(path, self.printed.pdf)
        except OSError as exc:
            self._error(self.tr("The PDF could not be saved: {error}").format(error=exc))
            return False
        if not self._done("file"):
            return False
        if self.printed.document != RECEIPT:  # the receipt's reporter copy is masked
            tell(
                self.parentWidget() or self,
                self.tr("Saved, not encrypted"),
                self.tr(
                    "{path} is not encrypted and holds victims' personal data. Keep it on an "
                    "encrypted drive and delete it when done."
                ).format(path=path),
            )
        return True

    def _done(self, how: str) -> bool:
        try:
            self.session.desk.documents.record(self.printed, self.session.officer, how)
        except IntakeError as exc:
            self._error(self.session.text(exc))
            return False
        self.accept()
        return True

    def _error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()


# Entry points ---------------------------------------------------------------------------------


def _open(parent: QWidget, session: Session, printed: Printed) -> PrintDialog:
    dialog = PrintDialog(session, printed, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.open()
    return dialog


def print_receipt(parent: QWidget, session: Session, case_no: str) -> PrintDialog | None:
    """Render the receipt (asking first when it was printed before) and open the print
    dialog; None when refused, cancelled or failed (the officer was told why)."""
    documents = session.desk.documents
    try:
        try:
            printed = documents.render_receipt(case_no, session.officer)
        except IntakeError as exc:
            if exc.code != "receipt_already_printed":
                raise
            count = documents.print_count(case_no)
            question = QCoreApplication.translate(
                "PrintDialog",
                "This receipt was already printed {count} times. Print a copy marked 补打?",
            ).format(count=count)
            if not ask(
                parent, QCoreApplication.translate("PrintDialog", "Reprint receipt"), question
            ):
                return None
            printed = documents.render_receipt(case_no, session.officer, reprint=True)
    except IntakeError as exc:
        tell(parent, QCoreApplication.translate("PrintDialog", "Print receipt"), session.text(exc))
        return None
    return _open(parent, session, printed)


def print_case_form(
    parent: QWidget, session: Session, case_no: str, revision: int | None = None
) -> PrintDialog | None:
    """Render the registration form (the revision asked for, else the newest) and open the
    print dialog; None when it failed (the officer was told why)."""
    try:
        printed = session.desk.documents.render_case_form(case_no, session.officer, revision)
    except IntakeError as exc:
        tell(parent, QCoreApplication.translate("PrintDialog", "Print form"), session.text(exc))
        return None
    return _open(parent, session, printed)
