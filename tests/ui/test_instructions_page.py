"""The instructions page: open ones first with their clocks, acknowledge, record an outcome;
"already defrauded" opens the New report page pre-filled with what the center knew."""

import json
from datetime import timedelta

from PySide6.QtWidgets import QLineEdit, QMessageBox

from intake_app.store import sync as sync_rows

from intake_app.ui.instructions_page import InstructionsPage
from tests.conftest import FIXED_NOW

SUBJECT = {
    "name": "刘秀英",
    "phone": "13833001122",
    "identifiers": [{"kind": "bank_account", "value": "6222021234567890123"}],
}


def receive(desk, *rows):
    with desk.store.write() as conn:
        sync_rows.add_instructions(conn, rows, "2026-11-30T09:00:00+00:00")


def instructions(desk):
    soon = (FIXED_NOW + timedelta(minutes=20)).isoformat()
    late = (FIXED_NOW - timedelta(minutes=90)).isoformat()
    receive(
        desk,
        ("a", "verify_lead", "核实收购银行卡线索", "", "2026-11-30T08:00:00+00:00", "{}"),
        (
            "b",
            "dissuade",
            "刘女士正在转账，立即劝阻",
            soon,
            "2026-11-30T09:00:00+00:00",
            json.dumps(SUBJECT),
        ),
        ("c", "dissuade", "李某已超时", late, "2026-11-30T07:00:00+00:00", "{}"),
    )


def test_open_ones_first_with_clocks_and_outcomes_recorded(qtbot, session, desk):
    instructions(desk)
    page = InstructionsPage(session)
    qtbot.addWidget(page)
    assert [e.id for e in page.entries] == ["c", "b", "a"]
    assert page.table.item(0, 4).text() == "overdue 1 h 30 min"
    assert page.table.item(1, 4).text() == "0 h 20 min left"
    assert page.table.item(2, 4).text() == "no deadline"
    assert page.table.item(0, 5).text() == "New"

    page.select("a")
    assert [page.outcome.itemData(i) for i in range(page.outcome.count())] == [
        "lead_confirmed",
        "lead_not_confirmed",
    ]
    page.ack_button.click()
    assert page.selected().acknowledged_by == session.officer.badge
    assert not page.ack_button.isEnabled()
    page.outcome.setCurrentIndex(0)
    page.note.setText("已核实")
    page.record_button.click()
    done = desk.instructions.get("a")
    assert (done.outcome, done.note, done.outcome_by) == (
        "lead_confirmed",
        "已核实",
        session.officer.badge,
    )
    assert [e.id for e in page.entries][-1] == "a"
    assert page.table.item(2, 5).text().startswith("lead confirmed")
    page.select("a")
    assert not page.record_button.isEnabled()  # closed: nothing more to record


def test_already_defrauded_opens_a_prefilled_report(qtbot, session, desk, monkeypatch):
    from intake_app.ui.main_window import MainWindow

    instructions(desk)
    window = MainWindow(session)
    qtbot.addWidget(window)
    page = window.sync_status.instructions_page
    page.refresh()
    page.select("b")
    page.outcome.setCurrentIndex(page.outcome.findData("already_defrauded"))
    page.record_button.click()
    assert desk.instructions.get("b").outcome == "already_defrauded"
    assert window.current_page() == "report"
    form = window.report_form
    assert form.child(QLineEdit, "reporterName").text() == "刘秀英"
    assert form.child(QLineEdit, "reporterPhone").text() == "13833001122"
    identifiers = form.table("identifiers")
    assert identifiers.rowCount() >= 1
    assert identifiers.item(0, 1).text() == "6222021234567890123"
    assert "立即劝阻" in form.to_record()["incident"]["narrative"]
    assert form.has_unsaved_changes()
    # Closing the window asks about the unsaved report: this test discards it.
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Discard)
    window.sync_status.stop()
