"""The stop-payment queue page, the outcome dialog, the sheet from the case view, urgent cases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from intake_app.store import audit

from intake_app.services.stop_payment import SHEET

from intake_app.ui import printing
from intake_app.ui.case_view import CaseView
from intake_app.ui.stop_payment_page import CLOCK, DEADLINE, StopPaymentPage, clock_text
from tests.pdfcheck import pdf_text, squeezed


@pytest.fixture
def cases(desk, admin, tangshan_cases):
    return [r.case_no for r in desk.intake.import_records(tangshan_cases, admin)]


@pytest.fixture
def page(qtbot, session, cases):
    page = StopPaymentPage(session)
    qtbot.addWidget(page)
    page.timer.stop()  # the tests move the clock themselves
    return page


def row_of(page, ref):
    return next(i for i, e in enumerate(page.entries) if e.ref == ref)


def background(page, row, column) -> str:
    return page.table.item(row, column).background().color().name()


def test_the_clock_turns_amber_then_red_as_the_request_falls_due(page, clock):
    assert page.table.rowCount() == 11
    registered = clock.now
    assert background(page, 0, CLOCK) == "#000000"  # no colour yet
    clock.now = registered + timedelta(minutes=21)
    page.refresh()
    assert background(page, 0, CLOCK) == "#fff1cc"
    assert "(in 0:09)" in page.table.item(0, DEADLINE).text()
    clock.now = registered + timedelta(minutes=31)
    page.refresh()
    assert background(page, 0, CLOCK) == "#fde0e0"
    assert "(0:01 late)" in page.table.item(0, DEADLINE).text()
    # the clock column counts from the transfer
    first = page.entries[0]
    assert page.table.item(0, CLOCK).text() == clock_text(clock.now - first.facts.transfer_at)


def test_the_clocks_move_with_the_timer_only_while_shown(qtbot, page, clock):
    clock.now += timedelta(minutes=31)
    page._tick()  # hidden: nothing is read
    assert background(page, 0, CLOCK) == "#000000"
    page.show()
    qtbot.waitExposed(page)
    page._tick()
    assert background(page, 0, CLOCK) == "#fde0e0"


def test_reminders_are_shown_on_the_page_and_in_the_status_line(page, clock):
    assert page.reminders.isHidden() and page.reminder_label.text() == ""
    clock.now += timedelta(minutes=30)
    page.refresh()
    assert page.reminders.count() == 11
    assert not page.reminders.isHidden()
    assert "no request yet" in page.reminders.item(0).text()
    assert page.reminder_label.text() == "Stop-payment reminders: 11"


def test_recording_an_outcome_through_the_dialog(qtbot, page, desk, session, cases):
    page.table.selectRow(0)
    ref = page.selected()
    dialog = page.open_outcome_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert [dialog.outcome.itemData(i) for i in range(dialog.outcome.count())] == ["requested"]
    assert dialog.amount.isHidden()
    with qtbot.waitSignal(session.stop_payment_changed):
        dialog.accept()
    assert page.entries[row_of(page, ref)].state.state == "requested"

    page.table.selectRow(row_of(page, ref))
    dialog = page.open_outcome_dialog()
    qtbot.addWidget(dialog)
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("stopped"))
    assert not dialog.amount.isHidden()
    entry = page.selected_entry()
    assert entry is not None
    too_much = entry.item.amount_fen // 100 + 1
    dialog.amount.setText(str(too_much))
    rows = desk.store.one("SELECT COUNT(*) FROM stop_outcomes")[0]
    dialog.accept()
    assert dialog.isVisible()
    assert "exceeds" in dialog.error.text() and "Amount" in dialog.error.text()
    assert desk.store.one("SELECT COUNT(*) FROM stop_outcomes")[0] == rows
    dialog.amount.setText(str(too_much - 1))
    dialog.accept()
    assert not dialog.isVisible()
    assert page.entries[row_of(page, ref)].state.state == "stopped"
    newest = audit.entries(desk.store.conn, limit=1)[0]
    assert (newest["action"], newest["detail"]["outcome"]) == ("stop_outcome", "stopped")


def test_the_sheet_from_the_case_view_and_the_request_marks_the_case_urgent(
    qtbot, monkeypatch, tmp_path, session, desk, cases
):
    asked: list[str] = []
    monkeypatch.setattr(
        printing, "save_file_name", lambda parent, suggested: str(tmp_path / "s.pdf")
    )
    monkeypatch.setattr(printing, "ask", lambda parent, title, text: asked.append(text) or True)
    told: list[str] = []
    monkeypatch.setattr(printing, "tell", lambda parent, title, text: told.append(text))
    view = CaseView(session)
    qtbot.addWidget(view)
    view.show_case(cases[4])  # no transaction names a payee account
    assert not view.sheet_button.isEnabled()
    view.show_case(cases[2])
    assert view.sheet_button.isEnabled()
    view.sheet_button.click()
    dialog = view.findChild(printing.PrintDialog)
    assert dialog is not None
    title = dialog.findChild(QLabel, "documentLabel").text()
    assert title == f"Stop-payment request sheet · {cases[2]}"
    with qtbot.waitSignal(session.stop_payment_changed):
        assert dialog.save()
    text = squeezed(pdf_text((tmp_path / "s.pdf").read_bytes()))
    assert "紧急止付申请表" in text and cases[2] in text
    assert asked and "3 item(s)" in asked[0]
    entries = audit.entries(desk.store.conn, object_id=cases[2])
    assert [e["action"] for e in entries[:4]] == ["stop_outcome"] * 3 + ["print"]
    assert entries[3]["detail"]["document"] == SHEET
    assert desk.stop_payment.urgent_case_nos() == [cases[2]]


def test_the_case_list_shows_urgent_cases_in_red(qtbot, session, admin, desk, cases):
    from intake_app.ui.cases_page import CasesPage

    page = CasesPage(session)
    qtbot.addWidget(page)
    desk.stop_payment.mark_requested(cases[3], admin)
    session.stop_payment_changed.emit()
    assert page.model.urgent == frozenset({cases[3]})
    row = next(r for r in range(page.model.rowCount()) if page.model.case_no(r) == cases[3])
    index = page.model.index(row, 0)
    assert page.model.data(index, Qt.ItemDataRole.ForegroundRole).color().name() == "#c62828"
    assert "urgent" in page.model.data(index, Qt.ItemDataRole.ToolTipRole)
    other = page.model.index((row + 1) % page.model.rowCount(), 0)
    assert page.model.data(other, Qt.ItemDataRole.ForegroundRole) is None


def test_the_page_is_in_the_window(qtbot, session):
    from intake_app.ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show_page("stop_payment")
    assert isinstance(window.stack.currentWidget(), StopPaymentPage)
    assert isinstance(window.stack.currentWidget(), QWidget)


def test_only_the_most_urgent_rows_are_shown_when_there_are_very_many(monkeypatch, page):
    from intake_app.ui import stop_payment_page

    monkeypatch.setattr(stop_payment_page, "MAX_ROWS", 4)
    page.refresh()
    assert page.table.rowCount() == 4
    assert not page.more.isHidden()
    assert page.more.text() == "The 4 most urgent of 11 items are shown."
