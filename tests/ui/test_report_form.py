"""The report form, driven through its widgets as an officer would: typing, Tab, Ctrl+Enter."""

import hashlib
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QImage,
    QInputMethodEvent,
    QTextCursor,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QWidget,
)

from intake_app.domain.interchange import CASE_KEYS, TRANSACTION_KEYS

from intake_app.ui.report_form import (
    AUTOSAVE_MS,
    NARRATIVE_LIMIT,
    ReportForm,
    unfinished_drafts,
)
from intake_app.ui.session import Session

from .conftest import OFFICER, OFFICER_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ZHANG = 0  # tangshan_cases.json: 张志刚, card theft after an "ETC" SMS, 1,500 yuan
LI = 1  # 李海军, three transfers of 20,000 yuan
SUN = 2  # 孙国强 reports for his accountant 赵丽华 (victim), corporate accounts fail Luhn
GOOD_ID = "130209197904167794"
BAD_ID = "130209197904167795"  # wrong check character


# --- driving the widgets -----------------------------------------------------------------


def type_text(widget: QWidget, text: str) -> None:
    """Type as at the desk: ASCII as key presses, Chinese as the input method commits it."""
    for run in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
        if run.isascii():
            QTest.keyClicks(widget, run)
        else:
            event = QInputMethodEvent()
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)


def choose(combo: QComboBox, code: str) -> None:
    index = combo.findData(code)
    assert index >= 0, code
    combo.setCurrentIndex(index)


def type_time(edit: QDateTimeEdit, iso: str) -> None:
    """Type a time's digits into a time field (blank or not), year first."""
    digits = re.sub(r"\D", "", iso[:16])
    edit.setFocus(Qt.FocusReason.TabFocusReason)
    if edit.dateTime() != edit.minimumDateTime():
        edit.setSelectedSection(QDateTimeEdit.Section.YearSection)
    QTest.keyClicks(edit, digits)


def edit_cell(table: QTableWidget, row: int, column: int, value: str) -> None:
    """Open the cell's editor, put the value in as the officer would, press Enter."""
    table.setCurrentCell(row, column)
    item = table.item(row, column)
    table.editItem(item)
    editor = table.indexWidget(table.model().index(row, column))
    assert editor is not None
    if isinstance(editor, QComboBox):
        choose(editor, value)
    elif isinstance(editor, QDateTimeEdit):
        editor.setSelectedSection(QDateTimeEdit.Section.YearSection)
        QTest.keyClicks(editor, re.sub(r"\D", "", value[:19]))
    else:
        assert isinstance(editor, QLineEdit)
        editor.selectAll()
        QTest.keyClick(editor, Qt.Key.Key_Backspace)
        type_text(editor, value)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # Enter commits the editor's data from the event loop


def fill_person(form: ReportForm, p: str, person: dict) -> None:
    type_text(form.child(QLineEdit, p + "Name"), person["name"])
    choose(form.child(QComboBox, p + "IdType"), person["id_type"])
    form.child(QLineEdit, p + "IdNumber").setFocus()
    type_text(form.child(QLineEdit, p + "IdNumber"), person["id_number"])
    type_text(form.child(QLineEdit, p + "Phone"), person["phone"])
    type_text(form.child(QLineEdit, p + "Address"), person["address"])
    type_text(form.child(QLineEdit, p + "Occupation"), person["occupation"])
    for group in person["groups"]:
        form.child(QCheckBox, f"{p}Group_{group}").click()


def fill_case(form: ReportForm, case: dict) -> None:
    """Type a whole tangshan case into a blank form."""
    type_time(form.child(QDateTimeEdit, "reportedAt"), case["reported_at"])
    choose(form.child(QComboBox, "source"), case["source"])
    fill_person(form, "reporter", case["reporter"])
    if case["victim"] is not None:
        form.child(QCheckBox, "victimIsReporter").click()
        fill_person(form, "victim", case["victim"])
    inc = case["incident"]
    choose(form.child(QComboBox, "fraudType"), inc["fraud_type"])
    choose(form.child(QComboBox, "contactChannel"), inc["contact_channel"])
    for key, name in (
        ("occurred_from", "occurredFrom"),
        ("occurred_to", "occurredTo"),
        ("discovered_at", "discoveredAt"),
    ):
        type_time(form.child(QDateTimeEdit, name), inc[key])
    type_text(form.child(QLineEdit, "place"), inc["place"])
    type_text(form.child(QPlainTextEdit, "narrative"), inc["narrative"])
    transactions = form.table("transactions")
    for tx in case["transactions"]:
        row = form.add_row("transactions")
        for column, key in enumerate(TRANSACTION_KEYS):
            if tx[key] and transactions.item(row, column).text() != _shown(form, key, tx[key]):
                edit_cell(transactions, row, column, tx[key])
    identifiers = form.table("identifiers")
    for ident in case["identifiers"]:
        row = form.add_row("identifiers")
        edit_cell(identifiers, row, 0, ident["kind"])
        edit_cell(identifiers, row, 1, ident["value"])
        edit_cell(identifiers, row, 3, ident["note"])


def _shown(form: ReportForm, key: str, value: str) -> str:
    """How a copied-down cell shows a value (methods by their label)."""
    if key == "method":
        return form.desk.reference.label("transaction_methods", value, "en")
    return value


def message(form: ReportForm, path: str) -> str:
    return form.message_label(path).text()


def core(record: dict) -> dict:
    return {k: v for k, v in record.items() if k in CASE_KEYS}


@pytest.fixture
def form(qtbot, session):
    form = ReportForm(session)
    qtbot.addWidget(form)
    form.resize(1280, 800)
    form.show()
    yield form
    form.flush()


# --- layout and defaults -----------------------------------------------------------------


def test_a_new_report_starts_blank_with_the_reporter_as_victim(form, desk):
    record = form.to_record()
    assert record["reported_at"] == "2026-11-30T18:00:00+08:00"  # the desk's clock
    assert record["source"] == "report"
    assert record["victim"] is None
    assert form.child(QCheckBox, "victimIsReporter").isChecked()
    assert not form.child(QWidget, "victimBox").isVisible()
    assert form.child(QLabel, "modeLabel").text() == "New report"
    # Required fields are not shouted at before the officer has typed anything...
    assert message(form, "reporter.name") == ""
    # ...but nothing can be registered yet.
    assert not form.child(QPushButton, "registerButton").isEnabled()
    assert "Errors:" in form.child(QLabel, "problemsSummary").text()


def test_the_victim_box_shows_only_when_the_reporter_is_not_the_victim(form):
    box = form.child(QCheckBox, "victimIsReporter")
    box.click()
    assert form.child(QWidget, "victimBox").isVisible()
    type_text(form.child(QLineEdit, "victimName"), "赵丽华")
    assert form.to_record()["victim"]["name"] == "赵丽华"
    box.click()
    assert not form.child(QWidget, "victimBox").isVisible()
    assert form.to_record()["victim"] is None


def test_the_fraud_type_shows_its_description(form, desk):
    choose(form.child(QComboBox, "fraudType"), "card_theft")
    entry = next(e for e in desk.reference.entries("fraud_types") if e.code == "card_theft")
    assert form.child(QLabel, "fraudTypeDescription").text() == entry.description["en"]


def test_the_narrative_counter_counts_and_warns_past_the_limit(form, qtbot):
    narrative = form.child(QPlainTextEdit, "narrative")
    type_text(narrative, "报案人张志刚称：")
    assert form.child(QLabel, "narrativeCounter").text() == f"8 / {NARRATIVE_LIMIT}"
    narrative.setPlainText("诈" * (NARRATIVE_LIMIT + 1))
    assert form.child(QLabel, "narrativeCounter").property("severity") == "error"
    qtbot.waitUntil(lambda: "too long" in message(form, "incident.narrative"))


# --- checking as the officer types -----------------------------------------------------------


def test_a_wrong_id_check_character_is_named_beside_the_field_and_clears_when_fixed(form, qtbot):
    id_number = form.child(QLineEdit, "reporterIdNumber")
    type_text(id_number, BAD_ID)
    qtbot.waitUntil(lambda: message(form, "reporter.id_number") != "")
    text = message(form, "reporter.id_number")
    assert "Reporter · ID number" in text and "check character" in text
    assert id_number.property("severity") == "error"
    assert "check character" in id_number.toolTip()
    assert not form.child(QPushButton, "registerButton").isEnabled()
    QTest.keyClick(id_number, Qt.Key.Key_Backspace)
    QTest.keyClicks(id_number, "4")
    qtbot.waitUntil(lambda: message(form, "reporter.id_number") == "")
    assert id_number.property("severity") == ""


def test_messages_follow_the_officer_s_language(qtbot, desk, officer):
    form = ReportForm(Session(desk, officer, "zh_CN"))
    qtbot.addWidget(form)
    type_text(form.child(QLineEdit, "reporterIdNumber"), BAD_ID)
    qtbot.waitUntil(lambda: message(form, "reporter.id_number") != "")
    assert message(form, "reporter.id_number") == "报案人·证件号码校验位错误，请逐位核对"
    form.flush()


def test_a_valid_id_number_fills_in_sex_and_birth_date(form):
    type_text(form.child(QLineEdit, "reporterIdNumber"), GOOD_ID)
    reporter = form.to_record()["reporter"]
    assert reporter["sex"] == "M"
    assert reporter["birth_date"] == "1979-04-16"


def test_register_is_enabled_only_without_errors(form, qtbot, tangshan_cases):
    fill_case(form, tangshan_cases[ZHANG])
    button = form.child(QPushButton, "registerButton")
    qtbot.waitUntil(button.isEnabled)
    phone = form.child(QLineEdit, "reporterPhone")
    QTest.keyClicks(phone, "x")  # letters in a phone number
    qtbot.waitUntil(lambda: not button.isEnabled())
    assert "not a phone number" in message(form, "reporter.phone")
    QTest.keyClick(phone, Qt.Key.Key_Backspace)
    qtbot.waitUntil(button.isEnabled)


def test_a_blank_report_is_refused_and_the_empty_fields_are_shown(form, desk):
    assert form.register() is None
    assert desk.counts()["cases"] == 0
    assert "required" in message(form, "reporter.name")
    assert form.child(QLineEdit, "reporterName").property("severity") == "error"


def test_a_problem_in_a_table_marks_its_cell(form, qtbot):
    row = form.add_row("transactions")
    table = form.table("transactions")
    edit_cell(table, row, 0, "2026-12-01 10:00:00")  # after the time of report
    qtbot.waitUntil(lambda: "future" in message(form, "transactions"))
    cell = table.item(row, 0)
    assert cell.background().color() == QColor("#ffd6d6")
    assert "Transaction 1 · time" in cell.toolTip()


# --- transactions and identifiers ------------------------------------------------------------


def test_the_payee_bank_is_suggested_from_the_card_number(form, qtbot):
    table = form.table("transactions")
    row = form.add_row("transactions")
    bank = TRANSACTION_KEYS.index("payee_bank")
    edit_cell(table, row, TRANSACTION_KEYS.index("payee_account"), "6222 0272 8966 1390 569")
    qtbot.waitUntil(lambda: table.item(row, bank).text() == "中国工商银行")
    assert "card number" in table.item(row, bank).toolTip()
    # An officer who clears the suggestion is not overruled.
    edit_cell(table, row, bank, "")
    form.validate_now()
    assert table.item(row, bank).text() == ""
    assert any(p.code == "payee_bank_suggested" for p in form.problems())


def test_a_failed_card_check_warns_but_does_not_block(form, qtbot, desk, tangshan_cases):
    case = tangshan_cases[SUN]
    fill_case(form, case)
    qtbot.waitUntil(lambda: "card check digit" in message(form, "transactions"))
    payee = form.table("transactions").item(0, TRANSACTION_KEYS.index("payee_account"))
    assert payee.background().color() == QColor("#ffe8b0")
    assert form.child(QPushButton, "registerButton").isEnabled()
    case_no = form.register()
    assert case_no
    assert core(desk.intake.show(case_no))["victim"] == case["victim"]


def test_the_running_total_follows_the_amounts(form, tangshan_cases):
    fill_case(form, tangshan_cases[LI])
    total = form.child(QLabel, "transactionsTotal")
    assert total.text() == "Total: ¥60,000.00"
    form.remove_row("transactions", 1)
    assert total.text() == "Total: ¥40,000.00"
    assert len(form.to_record()["transactions"]) == 2


def test_a_new_transaction_copies_the_payer_from_the_row_above(form):
    table = form.table("transactions")
    edit_cell(table, form.add_row("transactions"), 2, "card_theft")
    edit_cell(table, 0, 3, "唐山银行")
    edit_cell(table, 0, 4, "6221678110573647371")
    form.add_row("transactions")
    second = form.to_record()["transactions"][1]
    assert (second["method"], second["payer_bank"], second["payer_account"]) == (
        "card_theft",
        "唐山银行",
        "6221678110573647371",
    )


def test_amounts_take_at_most_two_decimals_and_no_letters(form):
    table = form.table("transactions")
    row = form.add_row("transactions")
    table.setCurrentCell(row, 1)
    table.editItem(table.item(row, 1))
    editor = table.indexWidget(table.model().index(row, 1))
    QTest.keyClicks(editor, "1,5a00.257")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert form.to_record()["transactions"][0]["amount"] == "1500.25"


def test_identifiers_are_shown_normalized(form):
    table = form.table("identifiers")
    row = form.add_row("identifiers")
    edit_cell(table, row, 0, "phone")
    edit_cell(table, row, 1, "+86 170 8521 3396")
    assert table.item(row, 2).text() == "17085213396"
    edit_cell(table, row, 0, "url")
    edit_cell(table, row, 1, "HTTP://ETC-Renzheng.top/auth")
    assert table.item(row, 2).text() == "etc-renzheng.top/auth"
    assert form.to_record()["identifiers"] == [
        {"kind": "url", "value": "HTTP://ETC-Renzheng.top/auth", "note": ""}
    ]


# --- attachments -------------------------------------------------------------------------


def _png(path: Path, colour: str = "#3a7", size: tuple[int, int] = (60, 100)) -> Path:
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))
    return path


def test_a_stored_image_gets_its_thumbnail_from_the_sealed_file(
    form, desk, session, tangshan_cases, tmp_path
):
    from intake_app.domain.interchange import case_from_dict

    _png(tmp_path / "转账截图.png", colour="#d02020")
    record = dict(tangshan_cases[ZHANG], attachments=[{"path": "转账截图.png"}])
    row = desk.intake.register(case_from_dict(record)[0], session.officer, base_dir=tmp_path)

    form.edit_case(row.case_no)

    icon = form.table("attachments").item(0, 0).icon()
    pixel = icon.pixmap(16, 16).toImage().pixelColor(8, 8)
    assert (pixel.red(), pixel.green(), pixel.blue()) == (0xD0, 0x20, 0x20)


def test_attachments_show_a_thumbnail_size_and_sha256(form, monkeypatch, tmp_path, qtbot):
    screenshot = _png(tmp_path / "短信截图.png")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(screenshot)], "Images")
    )
    form.child(QPushButton, "addAttachment").click()
    table = form.table("attachments")
    data = screenshot.read_bytes()
    assert table.item(0, 0).text() == "短信截图.png"
    assert not table.item(0, 0).icon().isNull()
    assert table.item(0, 2).text() == hashlib.sha256(data).hexdigest()
    assert f"{len(data):,} bytes" in table.item(0, 1).toolTip()
    entry = form.to_record()["attachments"][0]
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert entry["size"] == len(data) and entry["media_type"] == "image/png"
    # The same file again is not attached twice.
    form.child(QPushButton, "addAttachment").click()
    assert table.rowCount() == 1


@pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")
def test_files_can_be_dropped_onto_the_attachments(form, tmp_path):
    photo = _png(tmp_path / "转账记录.png", "#c33")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    target = form.table("attachments").viewport()
    at = QPoint(10, 10)
    buttons, keys = Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(at, Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(at), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(target, drop)
    assert drop.isAccepted()
    assert form.table("attachments").item(0, 0).text() == "转账记录.png"
    # Text is not a file: nothing to attach.
    text = QMimeData()
    text.setText("6222027289661390569")
    enter = QDragEnterEvent(at, Qt.DropAction.CopyAction, text, buttons, keys)
    QApplication.sendEvent(target, enter)
    assert not enter.isAccepted()


def test_an_attachment_over_the_limit_blocks_registering(form, desk, qtbot, tmp_path):
    desk.blobs.max_bytes = 100
    form.add_attachments([_png(tmp_path / "big.png")])
    qtbot.waitUntil(lambda: "too large" in message(form, "attachments"))
    assert form.table("attachments").item(0, 0).background().color() == QColor("#ffd6d6")
    assert not form.child(QPushButton, "registerButton").isEnabled()


def test_registering_stores_the_attachment(form, desk, tmp_path, tangshan_cases):
    screenshot = _png(tmp_path / "sms.png")
    fill_case(form, tangshan_cases[ZHANG])
    form.add_attachments([screenshot])
    case_no = form.register()
    assert case_no
    stored = desk.intake.show(case_no)["attachments"]
    assert stored[0]["sha256"] == hashlib.sha256(screenshot.read_bytes()).hexdigest()
    assert desk.blobs.has(stored[0]["sha256"])


# --- registering -------------------------------------------------------------------------


def test_a_typed_report_registers_and_shows_its_case_number(form, qtbot, desk, tangshan_cases):
    case = tangshan_cases[ZHANG]
    fill_case(form, case)
    qtbot.waitUntil(form.child(QPushButton, "registerButton").isEnabled)
    with (
        qtbot.waitSignal(form.registered) as registered,
        qtbot.waitSignal(form.session.cases_changed),
    ):
        form.child(QPushButton, "registerButton").click()
    case_no = registered.args[0]
    assert form.registered_case_no() == case_no
    assert form.child(QLabel, "caseNoLabel").text() == case_no
    assert form.child(QFrame, "registeredBanner").isVisible()
    assert [row.case_no for row in desk.intake.search("张志刚")] == [case_no]
    stored = core(desk.intake.show(case_no))
    for key in ("reported_at", "source", "reporter", "victim", "incident", "transactions"):
        assert stored[key] == case[key], key
    assert stored["identifiers"] == case["identifiers"]
    # The form starts afresh for the next reporter; the banner stays until dismissed.
    assert form.to_record()["reporter"]["name"] == ""
    assert not form.has_unsaved_changes()
    form.child(QPushButton, "copyCaseNoButton").click()
    assert QApplication.clipboard().text() == case_no
    form.child(QPushButton, "dismissBannerButton").click()
    assert form.registered_case_no() == ""


def test_editing_a_case_registers_revision_2(form, desk, officer, tangshan_cases):
    result = next(desk.intake.import_records([tangshan_cases[LI]], officer))
    form.edit_case(result.case_no)
    assert form.child(QLabel, "modeLabel").text() == f"Revising case {result.case_no}"
    assert core(form.to_record()) == core(desk.intake.show(result.case_no))
    drafts = unfinished_drafts(form.session)
    assert [d.case_no for d in drafts] == [result.case_no]
    narrative = form.child(QPlainTextEdit, "narrative")
    narrative.moveCursor(QTextCursor.MoveOperation.End)
    type_text(narrative, "补充：报案人另提供通话录音一份。")
    assert form.register() == result.case_no
    row = desk.intake.find(result.case_no)
    assert row.revision == 2
    assert "revision 2" in form.child(QLabel, "registeredTitle").text()
    assert desk.intake.show(result.case_no)["incident"]["narrative"].endswith("通话录音一份。")
    assert unfinished_drafts(form.session) == []


def test_editing_a_case_again_continues_the_open_revision(form, desk, officer, tangshan_cases):
    result = next(desk.intake.import_records([tangshan_cases[ZHANG]], officer))
    form.edit_case(result.case_no)
    type_text(form.child(QLineEdit, "place"), "（蟹塘边）")
    form.flush()
    form.new_report()
    form.edit_case(result.case_no)
    [draft] = unfinished_drafts(form.session)
    assert form.to_record() == draft.data
    assert form.to_record()["incident"]["place"].endswith("45号（蟹塘边）")


# --- drafts: autosave, round trips, leaving ---------------------------------------------------


@pytest.mark.slow
def test_typing_is_autosaved_within_seconds(form, qtbot, desk, officer):
    start = time.monotonic()
    type_text(form.child(QLineEdit, "reporterName"), "张志刚")
    with qtbot.waitSignal(form.draft_saved, timeout=AUTOSAVE_MS + 1000) as saved:
        pass
    assert time.monotonic() - start < AUTOSAVE_MS / 1000 + 1
    draft = desk.drafts.get(saved.args[0])
    assert draft.data["reporter"]["name"] == "张志刚"
    type_text(form.child(QLineEdit, "reporterPhone"), "13832517746")
    with qtbot.waitSignal(form.draft_saved, timeout=AUTOSAVE_MS + 1000):
        pass
    assert desk.drafts.get(draft.uuid).data["reporter"]["phone"] == "13832517746"
    assert [d.uuid for d in desk.drafts.open_drafts(officer)] == [draft.uuid]


@pytest.mark.slow
def test_a_blank_form_leaves_no_draft(form, qtbot, desk, officer):
    qtbot.wait(AUTOSAVE_MS + 300)
    assert desk.drafts.open_drafts(officer) == []


@pytest.mark.parametrize("index", range(6))
def test_a_draft_comes_back_exactly(form, desk, officer, tangshan_cases, index):
    draft = desk.drafts.save(officer, tangshan_cases[index])
    form.load_draft(draft.uuid)
    assert form.to_record() == draft.data
    assert not form.has_unsaved_changes()


def test_a_typed_report_survives_the_draft_round_trip(form, qtbot, desk, tangshan_cases):
    fill_case(form, tangshan_cases[SUN])
    assert form.save_draft()
    typed = form.to_record()
    again = ReportForm(form.session)
    qtbot.addWidget(again)
    again.load_draft(desk.drafts.open_drafts(form.session.officer)[0].uuid)
    assert again.to_record() == typed
    assert core(typed) == {**core(tangshan_cases[SUN]), "uuid": typed["uuid"]}


def _answer(monkeypatch, button):
    asked = []

    def question(parent, title, text, *args):
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_leaving_without_changes_does_not_ask(form, monkeypatch):
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert form.confirm_leave()
    assert asked == []


def test_leaving_with_changes_asks_and_cancel_stays(form, monkeypatch):
    type_text(form.child(QLineEdit, "reporterName"), "张志刚")
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert form.has_unsaved_changes()
    assert not form.confirm_leave()
    assert len(asked) == 1
    assert form.to_record()["reporter"]["name"] == "张志刚"


def test_leaving_with_save_keeps_a_draft(form, monkeypatch, desk, officer):
    type_text(form.child(QLineEdit, "reporterName"), "张志刚")
    _answer(monkeypatch, QMessageBox.StandardButton.Save)
    assert form.confirm_leave()
    assert not form.has_unsaved_changes()
    [draft] = desk.drafts.open_drafts(officer)
    assert draft.data["reporter"]["name"] == "张志刚"


def test_leaving_with_discard_drops_an_unsaved_report(form, monkeypatch, desk, officer):
    type_text(form.child(QLineEdit, "reporterName"), "张志刚")
    form.flush()  # the autosave has written it
    [draft] = desk.drafts.open_drafts(officer)
    _answer(monkeypatch, QMessageBox.StandardButton.Discard)
    assert form.confirm_leave()
    assert desk.drafts.open_drafts(officer) == []
    assert desk.drafts.get(draft.uuid).status == "discarded"
    assert form.to_record()["reporter"]["name"] == ""


def test_discard_goes_back_to_the_saved_draft(form, monkeypatch, desk, officer):
    type_text(form.child(QLineEdit, "reporterName"), "张志刚")
    form.save_draft()
    type_text(form.child(QLineEdit, "reporterPhone"), "13832517746")
    form.flush()
    _answer(monkeypatch, QMessageBox.StandardButton.Discard)
    form.child(QPushButton, "discardButton").click()
    [draft] = desk.drafts.open_drafts(officer)
    assert draft.data["reporter"] == {**draft.data["reporter"], "name": "张志刚", "phone": ""}


def test_the_start_offers_the_unfinished_draft(form, monkeypatch, desk, officer, tangshan_cases):
    draft = desk.drafts.save(officer, tangshan_cases[ZHANG])
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    assert form.offer_recovery()
    assert "张志刚" in asked[0]
    assert form.to_record() == desk.drafts.get(draft.uuid).data


# --- keyboard ----------------------------------------------------------------------------

TAB_ORDER = [
    "source",
    "reportedAt",
    "reporterName",
    "reporterIdType",
    "reporterIdNumber",
    "reporterSex",
    "reporterBirthDate",
    "reporterPhone",
    "reporterAddress",
    "reporterOccupation",
    "reporterGroup_unemployed",
    "reporterGroup_students",
    "victimIsReporter",
    "victimName",
    "victimOccupation",
    "fraudType",
    "contactChannel",
    "occurredFrom",
    "occurredTo",
    "discoveredAt",
    "place",
    "narrative",
    "transactions",
    "addTransaction",
    "identifiers",
    "addIdentifier",
    "attachments",
    "addAttachment",
    "saveDraftButton",
    "registerButton",
]


def test_the_tab_order_follows_the_form(form):
    chain = []
    widget = form.child(QWidget, "source")
    for _ in range(500):
        chain.append(widget.objectName())
        widget = widget.nextInFocusChain()
        if widget.objectName() == "source":
            break
    positions = [chain.index(name) for name in TAB_ORDER]
    assert positions == sorted(positions)


def _focus(form) -> str:
    widget = QApplication.focusWidget()
    return widget.objectName() if widget is not None else ""


def test_keyboard_only_entry(form, qtbot, desk, tangshan_cases):
    with qtbot.waitActive(form):
        form.activateWindow()
    case = tangshan_cases[ZHANG]
    form.child(QWidget, "source").setFocus(Qt.FocusReason.TabFocusReason)

    def press(key, modifier=Qt.KeyboardModifier.NoModifier):
        QTest.keyClick(QApplication.focusWidget(), key, modifier)

    def tab_to(name):
        for _ in range(20):
            if _focus(form) == name:
                return
            press(Qt.Key.Key_Tab)
        raise AssertionError(f"Tab never reached {name}, stuck at {_focus(form)}")

    tab_to("reporterName")
    type_text(QApplication.focusWidget(), case["reporter"]["name"])
    tab_to("reporterIdNumber")
    type_text(QApplication.focusWidget(), case["reporter"]["id_number"])
    tab_to("reporterPhone")  # sex and birth date came from the ID number
    type_text(QApplication.focusWidget(), case["reporter"]["phone"])
    tab_to("fraudType")
    fraud = form.child(QComboBox, "fraudType")
    while fraud.currentData() != "card_theft":
        press(Qt.Key.Key_Down)
    tab_to("contactChannel")
    while form.child(QComboBox, "contactChannel").currentData() != "sms":
        press(Qt.Key.Key_Down)
    tab_to("occurredFrom")
    QTest.keyClicks(QApplication.focusWidget(), "202611210213")
    press(Qt.Key.Key_Tab)  # one Tab leaves a time field, whatever part the cursor is in
    assert _focus(form) == "occurredTo"
    tab_to("narrative")
    type_text(QApplication.focusWidget(), case["incident"]["narrative"])
    press(Qt.Key.Key_Tab)  # Tab leaves the narrative rather than typing a tab
    assert _focus(form) == "transactions"
    press(Qt.Key.Key_Insert)  # a new transaction; typing opens each cell's editor
    tx = case["transactions"][0]
    for key in TRANSACTION_KEYS:
        value = {"at": "20261121023100", "method": ""}.get(key, tx[key])
        if key == "method":
            for _ in range(4):  # card_theft is the fourth method
                press(Qt.Key.Key_Down)
        else:
            for ch in re.findall(r"[\x00-\x7f]|[^\x00-\x7f]+", value):
                type_text(QApplication.focusWidget(), ch)
        press(Qt.Key.Key_Tab)
    assert _focus(form) == "addTransaction"  # Tab out of the last cell leaves the table
    record = form.to_record()
    assert record["transactions"][0] == tx
    assert record["reporter"]["birth_date"] == "1979-04-16"
    assert record["incident"]["occurred_from"] == "2026-11-21T02:13:00+08:00"
    with qtbot.waitSignal(form.draft_saved):
        press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not form.has_unsaved_changes()
    with qtbot.waitSignal(form.registered) as registered:
        form.child(QWidget, "place").setFocus()
        press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert desk.intake.find(registered.args[0]).reporter_name == "张志刚"


def test_ctrl_enter_on_errors_goes_to_the_first_error(form, qtbot):
    with qtbot.waitActive(form):
        form.activateWindow()
    form.child(QWidget, "place").setFocus()
    QTest.keyClick(
        form.child(QWidget, "place"), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    assert _focus(form) == "reporterName"
    assert "required" in message(form, "reporter.name")


def test_f8_goes_from_problem_to_problem(form, qtbot, tangshan_cases):
    with qtbot.waitActive(form):
        form.activateWindow()
    case = {**tangshan_cases[ZHANG], "reporter": {**tangshan_cases[ZHANG]["reporter"]}}
    case["reporter"]["id_number"] = BAD_ID
    case["reporter"]["phone"] = "0315-1234567"  # a landline: a warning
    form.child(QWidget, "place").setFocus()
    draft = form.desk.drafts.save(form.session.officer, case)
    form.load_draft(draft.uuid)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F8)
    assert _focus(form) == "reporterIdNumber"
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F8)
    assert _focus(form) == "reporterPhone"


def test_time_fields_start_blank_and_delete_clears_them(form):
    ended = form.child(QDateTimeEdit, "occurredTo")
    assert form.to_record()["incident"]["occurred_to"] is None
    type_time(ended, "2026-11-21T02:31")
    assert form.to_record()["incident"]["occurred_to"] == "2026-11-21T02:31:00+08:00"
    QTest.keyClick(ended, Qt.Key.Key_Delete)
    assert form.to_record()["incident"]["occurred_to"] is None


# --- a crash while typing ----------------------------------------------------------------

CHILD = textwrap.dedent(
    """
    import os, re, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from pathlib import Path
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QComboBox, QDateTimeEdit, QLineEdit, QPlainTextEdit
    from intake_app.services.desk import Desk
    from intake_app.ui.report_form import ReportForm
    from intake_app.ui.session import Session

    def type_text(widget, text):
        for run in re.findall(r"[\\x00-\\x7f]+|[^\\x00-\\x7f]+", text):
            if run.isascii():
                QTest.keyClicks(widget, run)
            else:
                event = QInputMethodEvent()
                event.setCommitString(run)
                QApplication.sendEvent(widget, event)

    app = QApplication([])
    desk = Desk.open(Path(sys.argv[1]), auto_backup=False)
    session = Session(desk, desk.auth.login(sys.argv[2], sys.argv[3]), "en")
    form = ReportForm(session)
    form.show()
    type_text(form.child(QLineEdit, "reporterName"), "张志刚")
    type_text(form.child(QLineEdit, "reporterIdNumber"), "130209197904167794")
    type_text(form.child(QLineEdit, "reporterPhone"), "13832517746")
    fraud = form.child(QComboBox, "fraudType")
    fraud.setCurrentIndex(fraud.findData("card_theft"))
    began = form.child(QDateTimeEdit, "occurredFrom")
    QTest.keyClicks(began, "202611210213")
    row = form.add_row("transactions")
    table = form.table("transactions")
    table.item(row, 1).setText("1500.00")
    table.item(row, 6).setText("中国工商银行")
    table.item(row, 7).setText("6222027289661390569")
    type_text(form.child(QPlainTextEdit, "narrative"), sys.argv[4])
    print("TYPED", flush=True)
    app.exec()
    """
)


@pytest.mark.slow
def test_a_killed_desk_loses_nothing_typed(form, desk, officer, monkeypatch):
    narrative = "报案人张志刚称：11月21日2时许，其手机在夜间连续收到30余条验证码短信。"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(desk.data_dir), OFFICER, OFFICER_PASSWORD, narrative],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "TYPED", child.stderr.read() if child.stderr else line
        typed_at = time.monotonic()
        deadline = typed_at + AUTOSAVE_MS / 1000 + 5
        drafts = []
        while time.monotonic() < deadline:
            drafts = desk.drafts.open_drafts(officer)
            if drafts and drafts[0].data["incident"]["narrative"] == narrative:
                break
            time.sleep(0.1)
        assert drafts, "no draft was autosaved"
    finally:
        child.send_signal(signal.SIGKILL)  # a power cut: no clean shutdown
        child.wait(10)
    assert child.returncode == -signal.SIGKILL
    [draft] = desk.drafts.open_drafts(officer)
    data = draft.data
    assert data["reporter"]["name"] == "张志刚"
    assert data["reporter"]["id_number"] == "130209197904167794"
    assert data["reporter"]["sex"] == "M" and data["reporter"]["birth_date"] == "1979-04-16"
    assert data["reporter"]["phone"] == "13832517746"
    assert data["incident"]["fraud_type"] == "card_theft"
    assert data["incident"]["occurred_from"] == "2026-11-21T02:13:00+08:00"
    assert data["incident"]["narrative"] == narrative
    tx = data["transactions"][0]
    assert (tx["amount"], tx["payee_account"]) == ("1500.00", "6222027289661390569")
    # The next start offers it back, complete.
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    assert form.offer_recovery()
    assert form.to_record() == data


def test_a_payee_account_on_the_city_watchlist_is_flagged(form, desk, qtbot):
    from intake_app.store import sync as sync_rows

    account = "6222027289661390569"
    with desk.store.write() as conn:
        sync_rows.replace_watchlist(conn, [("bank_account", account, 3, 2, "linked")])
    table = form.table("transactions")
    row = form.add_row("transactions")
    payee = TRANSACTION_KEYS.index("payee_account")
    watch = table.item(row, len(TRANSACTION_KEYS))
    edit_cell(table, row, payee, "6222 0272 8966 1390 569")
    assert watch.text() == "⚠ 3 cases in the city"
    assert watch.toolTip() == "This account appears in 3 cases in the city"
    form.validate_now()  # painting the problems leaves the mark's tooltip alone
    assert watch.toolTip() == "This account appears in 3 cases in the city"
    assert not watch.flags() & Qt.ItemFlag.ItemIsEditable
    # The typed account is kept as typed; the mark is no part of the record.
    assert form.to_record()["transactions"][0]["payee_account"] == "6222 0272 8966 1390 569"
    edit_cell(table, row, payee, "6222021234567890123")
    assert (watch.text(), watch.toolTip()) == ("", "")
    # A draft (or a case opened for revision) is checked as it is filled in.
    record = form.to_record()
    record["transactions"][0]["payee_account"] = account
    form.load_draft(desk.drafts.save(form.session.officer, record).uuid)
    assert form.table("transactions").item(0, len(TRANSACTION_KEYS)).text().startswith("⚠ 3")
