"""Printing from the window: preview, print dialog, save; audited only once it happened."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QPushButton, QWidget

from intake_app.store import audit

from intake_app.ui import printing
from intake_app.ui.case_view import CaseView
from intake_app.ui.report_form import ReportForm
from tests.pdfcheck import pdf_text


@pytest.fixture
def cases(desk, admin, tangshan_cases):
    return [r.case_no for r in desk.intake.import_records(tangshan_cases, admin)]


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


class Dialogs:
    """Stands in for the system dialogs and message boxes."""

    def __init__(self, monkeypatch, tmp_path: Path, printers=("Station printer",)):
        self.tmp_path = tmp_path
        self.printers = list(printers)
        self.print_accepted = True
        self.preview_accepted = True
        self.reprint_answer = True
        self.save_name = str(tmp_path / "saved.pdf")
        self.asked: list[str] = []
        self.told: list[str] = []
        self.printed_files: list[Path] = []
        self.resolutions: list[int] = []
        monkeypatch.setattr(printing, "printers", lambda: list(self.printers))
        monkeypatch.setattr(printing, "run_print_dialog", self._print_dialog)
        monkeypatch.setattr(printing, "run_preview", self._preview)
        monkeypatch.setattr(printing, "save_file_name", lambda parent, suggested: self.save_name)
        monkeypatch.setattr(printing, "ask", self._ask)
        monkeypatch.setattr(printing, "tell", lambda parent, title, text: self.told.append(text))

    def _to_file(self, printer: QPrinter) -> None:
        out = self.tmp_path / f"printed{len(self.printed_files)}.pdf"
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        self.printed_files.append(out)
        self.resolutions.append(printer.resolution())

    def _print_dialog(self, parent, printer: QPrinter) -> bool:
        self._to_file(printer)
        return self.print_accepted

    def _preview(self, parent, printer: QPrinter, paint) -> bool:
        self._to_file(printer)
        paint(printer)  # what the preview draws is what would be printed
        return self.preview_accepted

    def _ask(self, parent, title: str, text: str) -> bool:
        self.asked.append(text)
        return self.reprint_answer


@pytest.fixture
def dialogs(monkeypatch, tmp_path):
    return Dialogs(monkeypatch, tmp_path)


def prints(desk, case_no: str) -> list[dict]:
    entries = reversed(audit.entries(desk.store.conn, object_id=case_no))
    return [e for e in entries if e["action"] in ("print", "reprint")]


def page_count(pdf: bytes) -> int:
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    assert document.status() == QPdfDocument.Status.Ready
    return document.pageCount()


def test_printing_a_receipt_prints_its_pages_and_audits_after(
    desk, session, cases, parent, dialogs
):
    case_no = cases[0]
    dialog = printing.print_receipt(parent, session, case_no)
    assert dialog is not None
    assert prints(desk, case_no) == []  # the dialog is open: nothing printed yet
    expected = page_count(dialog.printed.pdf)
    assert dialog.print_()
    assert dialog.last_dpi is not None and dialog.last_dpi <= 300
    assert dialog.last_dpi == min(dialogs.resolutions[0], 300)
    out = dialogs.printed_files[0].read_bytes()
    assert page_count(out) == expected
    [entry] = prints(desk, case_no)
    assert entry["action"] == "print"
    assert entry["officer"] == session.officer.badge
    assert entry["detail"]["how"] == "printer"
    assert entry["detail"]["sha256"] == dialog.printed.sha256
    assert desk.audit.verify().ok


def test_cancelling_leaves_no_audit_entry(desk, session, cases, parent, dialogs):
    case_no = cases[0]
    dialog = printing.print_receipt(parent, session, case_no)
    assert dialog is not None
    dialogs.print_accepted = False
    dialogs.preview_accepted = False
    assert not dialog.print_()
    assert not dialog.preview()
    dialogs.save_name = ""
    assert not dialog.save()
    assert prints(desk, case_no) == []
    assert desk.documents.print_count(case_no) == 0
    dialog.reject()
    # Cancelled, so the next print is a first print again, not a reprint.
    again = printing.print_receipt(parent, session, case_no)
    assert again is not None and again.printed.reprint == 0 and dialogs.asked == []


def test_printing_from_the_preview_audits(desk, session, cases, parent, dialogs):
    dialog = printing.print_case_form(parent, session, cases[1], revision=1)
    assert dialog is not None
    assert dialog.preview()
    assert page_count(dialogs.printed_files[0].read_bytes()) == page_count(dialog.printed.pdf)
    [entry] = prints(desk, cases[1])
    assert entry["detail"]["document"] == "case_form"
    assert entry["detail"]["revision"] == 1


def test_saving_writes_the_service_pdf_and_audits(desk, session, cases, parent, dialogs):
    case_no = cases[0]
    dialog = printing.print_receipt(parent, session, case_no)
    assert dialog is not None
    assert dialog.save()
    saved = Path(dialogs.save_name).read_bytes()
    [entry] = prints(desk, case_no)
    assert hashlib.sha256(saved).hexdigest() == dialog.printed.sha256 == entry["detail"]["sha256"]
    assert entry["detail"]["how"] == "file"
    # The service makes the same PDF for the same print.
    assert saved == dialog.printed.pdf


def test_a_saved_form_warns_that_it_is_not_encrypted_and_a_receipt_does_not(
    desk, session, cases, parent, dialogs
):
    receipt = printing.print_receipt(parent, session, cases[0])
    assert receipt is not None and receipt.save()
    assert dialogs.told == []  # the reporter's copy is masked
    form = printing.print_case_form(parent, session, cases[1])
    assert form is not None
    dialogs.save_name = str(dialogs.tmp_path / "form.pdf")
    assert form.save()
    [warning] = dialogs.told
    assert "form.pdf" in warning and "is not encrypted" in warning


def test_a_second_print_asks_and_is_marked_as_reprint(desk, session, cases, parent, dialogs):
    case_no = cases[0]
    first = printing.print_receipt(parent, session, case_no)
    assert first is not None and first.print_()
    assert dialogs.asked == []

    dialogs.reprint_answer = False
    assert printing.print_receipt(parent, session, case_no) is None
    assert len(dialogs.asked) == 1 and "1" in dialogs.asked[0] and "补打" in dialogs.asked[0]

    dialogs.reprint_answer = True
    second = printing.print_receipt(parent, session, case_no)
    assert second is not None and second.printed.reprint == 1
    dialogs.save_name = str(dialogs.tmp_path / "reprint.pdf")
    assert second.save()
    assert "补打" in pdf_text(Path(dialogs.save_name).read_bytes())
    assert [e["action"] for e in prints(desk, case_no)] == ["print", "reprint"]


def test_without_a_printer_the_officer_is_told_and_can_still_save(
    desk, session, cases, parent, monkeypatch, tmp_path
):
    dialogs = Dialogs(monkeypatch, tmp_path, printers=())
    case_no = cases[0]
    dialog = printing.print_receipt(parent, session, case_no)
    assert dialog is not None
    assert not dialog.no_printer_label.isHidden()
    assert "No printer is installed" in dialog.no_printer_label.text()
    assert not dialog.print_()
    assert not dialog.preview()
    assert dialogs.printed_files == []
    assert len(dialogs.told) == 2 and all("No printer is installed" in t for t in dialogs.told)
    assert prints(desk, case_no) == []
    assert dialog.save_button.isEnabled()
    assert dialog.save()
    assert Path(dialogs.save_name).read_bytes() == dialog.printed.pdf
    assert [e["detail"]["how"] for e in prints(desk, case_no)] == ["file"]


def test_the_real_printer_info_is_asked_when_not_stood_in_for(monkeypatch):
    monkeypatch.setattr(printing.QPrinterInfo, "availablePrinterNames", staticmethod(lambda: []))
    assert printing.printers() == []


def test_rendering_stays_at_or_under_300_dpi(desk, admin, cases, tmp_path, qapp):
    printed = desk.documents.render_receipt(cases[0], admin)
    pages = printing.PdfPages(printed.pdf)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "out.pdf"))
    printing.setup_printer(printer, pages)
    assert printer.resolution() > 300
    assert printing.render_pages(pages, printer) == 300
    assert page_count((tmp_path / "out.pdf").read_bytes()) == pages.count()
    assert prints(desk, cases[0]) == []  # rendering alone is no print


def test_the_case_view_has_print_buttons(desk, admin, session, cases, qtbot, dialogs):
    desk.intake.void(cases[2], "重复报案", admin)
    view = CaseView(session)
    qtbot.addWidget(view)
    view.show_case(cases[0])
    receipt = view.findChild(QPushButton, "printReceiptButton")
    form = view.findChild(QPushButton, "printFormButton")
    assert receipt is not None and form is not None
    assert receipt.isEnabled() and form.isEnabled()
    dialog = view.print_case_form()
    assert dialog is not None and dialog.printed.revision == 1
    dialog.reject()

    view.show_case(cases[2])
    assert not receipt.isEnabled()
    assert form.isEnabled()
    assert view.print_receipt() is None


def test_the_registered_banner_has_a_print_button(session, cases, qtbot, dialogs):
    form = ReportForm(session)
    qtbot.addWidget(form)
    button = form.findChild(QPushButton, "printReceiptButton")
    assert button is not None
    assert form.print_receipt() is None  # no case registered yet
    form._show_banner("Registered. Case number:", cases[0])
    dialog = form.print_receipt()
    assert dialog is not None and dialog.printed.case_no == cases[0]
    assert dialog.print_()
