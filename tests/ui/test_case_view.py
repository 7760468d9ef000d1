"""The case view: every field, the revision history and its changes, revise, void, masking."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QGroupBox, QLabel, QListWidget, QTextBrowser, QWidget

from intake_app.domain.identifiers import mask_account, mask_id, mask_phone
from intake_app.domain.interchange import case_from_dict
from intake_app.domain.messages import field_label, status_label
from intake_app.domain.money import format_yuan_display, parse_yuan
from intake_app.domain.times import SHANGHAI, parse_time

from intake_app.services.desk import Desk
from intake_app.services.resources import resource

from intake_app.ui.case_view import CaseView, VoidDialog
from intake_app.ui.session import Session

HAS_ZH_TRANSLATION = resource("i18n", "intake_zh_CN.qm").is_file()
TIME_KEYS = {"reported_at", "occurred_from", "occurred_to", "discovered_at", "at"}
CODE_LISTS = {
    "source": "case_sources",
    "fraud_type": "fraud_types",
    "contact_channel": "contact_channels",
    "method": "transaction_methods",
    "kind": "identifier_kinds",
    "id_type": "id_types",
    "groups": "target_groups",
}
SEX = {"M": "Male", "F": "Female", "U": "Unknown"}


def register(desk: Desk, officer, record: dict[str, Any], base_dir: Path | None = None) -> str:
    report, _ = case_from_dict(copy.deepcopy(record))
    return desk.intake.register(report, officer, base_dir=base_dir).case_no


def texts(view: QWidget) -> str:
    """Everything the view shows as text: labels, group titles, the history and changes."""
    parts = [label.text() for label in view.findChildren(QLabel)]
    parts += [box.title() for box in view.findChildren(QGroupBox)]
    parts += [browser.toPlainText() for browser in view.findChildren(QTextBrowser)]
    for widget in view.findChildren(QListWidget):
        parts += [widget.item(i).text() for i in range(widget.count())]
    return "\n".join(parts)


def expected_values(desk: Desk, value: Any, key: str = "", lang: str = "en"):
    """Each stored leaf value as a person reads it (times to the minute, yuan, labels)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k != "format":
                yield from expected_values(desk, v, k, lang)
    elif isinstance(value, list):
        for item in value:
            yield from expected_values(desk, item, key, lang)
    elif value is None or value == "":
        return
    elif key in TIME_KEYS:
        yield parse_time(value, key).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    elif key == "amount":
        yield format_yuan_display(parse_yuan(value))
    elif key in CODE_LISTS:
        yield desk.reference.label(CODE_LISTS[key], value, lang)
    elif key == "sex":
        yield SEX[value]
    elif key == "size":
        yield f"{value:,}"
    else:
        yield str(value)


@pytest.fixture
def view(session, qtbot):
    widget = CaseView(session)
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def supervisor_view(desk, supervisor, qtbot):
    widget = CaseView(Session(desk, supervisor, "en"))
    qtbot.addWidget(widget)
    return widget


def revise_narrative(desk: Desk, officer, clock, case_no: str, extra: str, note: str) -> None:
    clock.now += timedelta(hours=1)
    record = desk.intake.show(case_no)
    record["incident"]["narrative"] += extra
    _, changed = desk.intake.revise(case_no, record, officer, note=note)
    assert changed


# Every field ------------------------------------------------------------------------------------


def test_every_field_of_every_fixture_case_is_shown(desk, officer, tangshan_cases, view):
    for record in tangshan_cases:
        case_no = register(desk, officer, record)
        view.show_case(case_no)
        view.findChild(QWidget, "revealToggle").setChecked(True)  # full numbers, audited
        shown = texts(view)

        assert view.findChild(QLabel, "caseNoLabel").text() == case_no
        assert view.findChild(QLabel, "statusLabel").text() == status_label("registered", "en")
        assert desk.station_name in shown and desk.station_code in shown
        assert "李娜 (200002)" in shown
        missing = [v for v in expected_values(desk, record) if v not in shown]
        assert not missing, f"{record['reporter']['name']}: not shown: {missing}"
        if record.get("victim") is None:
            assert "The reporter is the victim." in shown
        total = sum(parse_yuan(t["amount"]) for t in record["transactions"])
        assert format_yuan_display(total) in shown


def test_field_captions_and_codes_use_the_session_language(desk, officer, tangshan_cases, qtbot):
    """Field words come from the domain's catalog and codes from the reference data, so they
    are Chinese in a Chinese session even before a .qm is installed."""
    record = tangshan_cases[2]
    case_no = register(desk, officer, record)
    view = CaseView(Session(desk, officer, "zh_CN"))
    qtbot.addWidget(view)
    view.show_case(case_no)
    shown = texts(view)

    assert view.findChild(QLabel, "statusLabel").text() == "已受案"
    for word in ("收款账号", "简要案情", "证件号码", "诈骗类型"):
        assert word in shown
    assert desk.reference.label("fraud_types", record["incident"]["fraud_type"], "zh_CN") in shown
    assert desk.reference.label("identifier_kinds", "bank_account", "zh_CN") in shown
    assert record["victim"]["name"] in shown


def test_an_unknown_case_number_is_said_in_place(view):
    view.show_case("130209510000-2026-000999-1")

    label = view.findChild(QLabel, "caseNoLabel").text()
    assert "130209510000-2026-000999-1" in label
    assert not view.findChild(QWidget, "reviseButton").isEnabled()
    assert not view.findChild(QWidget, "voidButton").isEnabled()


# History --------------------------------------------------------------------------------------


def test_history_lists_revisions_and_names_the_changed_field(
    desk, officer, clock, tangshan_cases, view
):
    case_no = register(desk, officer, tangshan_cases[0])
    revise_narrative(desk, officer, clock, case_no, "补充：报案人补交了短信截图。", "补充案情")
    view.show_case(case_no)

    history = view.findChild(QListWidget, "historyList")
    changes = view.findChild(QTextBrowser, "changesView")
    assert history.count() == 2
    assert "Revision 2" in history.item(0).text() and "补充案情" in history.item(0).text()
    assert "2026-11-30 19:00" in history.item(0).text()
    assert "Revision 1" in history.item(1).text()
    assert field_label("incident.narrative", "en") in changes.toPlainText()
    assert "补充：报案人补交了短信截图。" in changes.toPlainText()
    assert not view.findChild(QLabel, "revisionBanner").isVisibleTo(view)

    history.setCurrentRow(1)  # revision 1

    assert view.findChild(QLabel, "revisionBanner").isVisibleTo(view)
    assert "报案人补交了短信截图" not in "\n".join(
        label.text() for label in view.findChildren(QLabel)
    )
    assert "Revision 1 is the case as registered" in changes.toPlainText()


def test_changed_codes_and_amounts_are_shown_as_people_read_them(
    desk, officer, clock, tangshan_cases, view
):
    case_no = register(desk, officer, tangshan_cases[1])
    clock.now += timedelta(minutes=5)
    record = desk.intake.show(case_no)
    record["transactions"][0]["amount"] = "12000.50"
    record["incident"]["fraud_type"] = "investment"
    desk.intake.revise(case_no, record, officer, note="金额核实")
    view.show_case(case_no)

    changes = view.findChild(QTextBrowser, "changesView").toPlainText()
    assert field_label("transactions[0].amount", "en") in changes
    assert "¥12,000.50" in changes
    assert desk.reference.label("fraud_types", "investment", "en") in changes
    assert "→ investment" not in changes


def test_the_view_refreshes_when_cases_change(desk, officer, clock, tangshan_cases, view, session):
    case_no = register(desk, officer, tangshan_cases[0])
    view.show_case(case_no)
    assert view.findChild(QListWidget, "historyList").count() == 1

    revise_narrative(desk, officer, clock, case_no, "再补充。", "")
    session.cases_changed.emit()

    assert view.findChild(QListWidget, "historyList").count() == 2
    assert "再补充。" in texts(view)


@pytest.mark.skipif(not HAS_ZH_TRANSLATION, reason="resources/i18n/intake_zh_CN.qm not built yet")
def test_chinese_session_names_the_changed_field_in_chinese(
    desk, officer, clock, tangshan_cases, zh_session, qtbot
):
    case_no = register(desk, officer, tangshan_cases[0])
    revise_narrative(desk, officer, clock, case_no, "补充。", "补充案情")
    view = CaseView(zh_session)
    qtbot.addWidget(view)
    view.show_case(case_no)

    changes = view.findChild(QTextBrowser, "changesView").toPlainText()
    assert field_label("incident.narrative", "zh_CN") in changes  # 案情·简要案情
    assert view.findChild(QLabel, "statusLabel").text() == "已受案"


# Revise and void ------------------------------------------------------------------------------


def test_revise_button_asks_for_the_form_on_this_case(
    desk, officer, tangshan_cases, view, session, qtbot
):
    case_no = register(desk, officer, tangshan_cases[0])
    view.show_case(case_no)

    with qtbot.waitSignal(session.revise_requested) as blocker:
        qtbot.mouseClick(view.findChild(QWidget, "reviseButton"), Qt.MouseButton.LeftButton)

    assert blocker.args == [case_no]


def test_only_a_supervisor_or_admin_may_void(
    desk, officer, admin, tangshan_cases, view, supervisor_view, qtbot
):
    case_no = register(desk, officer, tangshan_cases[0])
    view.show_case(case_no)
    supervisor_view.show_case(case_no)
    admin_view = CaseView(Session(desk, admin, "en"))
    qtbot.addWidget(admin_view)
    admin_view.show_case(case_no)

    assert not view.findChild(QWidget, "voidButton").isEnabled()
    assert view.open_void_dialog() is None
    assert supervisor_view.findChild(QWidget, "voidButton").isEnabled()
    assert admin_view.findChild(QWidget, "voidButton").isEnabled()


def open_dialog(view: CaseView, qtbot) -> VoidDialog:
    qtbot.mouseClick(view.findChild(QWidget, "voidButton"), Qt.MouseButton.LeftButton)
    dialog = view.void_dialog
    assert isinstance(dialog, VoidDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_a_blank_reason_cannot_be_accepted(desk, officer, tangshan_cases, supervisor_view, qtbot):
    case_no = register(desk, officer, tangshan_cases[0])
    supervisor_view.show_case(case_no)
    dialog = open_dialog(supervisor_view, qtbot)

    assert not dialog.ok_button.isEnabled()
    dialog.reason_edit.setPlainText("   \n  ")
    assert not dialog.ok_button.isEnabled()
    dialog.accept()
    assert dialog.isVisible()
    dialog.reason_edit.setPlainText("x" * 501)
    assert not dialog.ok_button.isEnabled()
    assert dialog.counter.text() == "501 / 500"
    dialog.reason_edit.setPlainText("x" * 500)
    assert dialog.ok_button.isEnabled()
    assert dialog.counter.text() == "500 / 500"

    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Escape)

    assert desk.intake.show(case_no)["status"] == "registered"
    assert supervisor_view.findChild(QWidget, "reviseButton").isEnabled()


def test_voiding_with_a_reason_shows_it_and_tells_the_other_pages(
    desk, officer, tangshan_cases, supervisor_view, qtbot
):
    case_no = register(desk, officer, tangshan_cases[0])
    supervisor_view.show_case(case_no)
    dialog = open_dialog(supervisor_view, qtbot)
    reason = "重复登记，与本所另一案件为同一报案"
    dialog.reason_edit.setPlainText(reason)

    with qtbot.waitSignal(supervisor_view.session.cases_changed):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert desk.intake.show(case_no)["void_reason"] == reason
    assert supervisor_view.findChild(QLabel, "statusLabel").text() == status_label("voided", "en")
    void_text = supervisor_view.findChild(QLabel, "voidLabel").text()
    assert reason in void_text and "王磊 (200003)" in void_text and "2026-11-30 18:00" in void_text
    assert not supervisor_view.findChild(QWidget, "reviseButton").isEnabled()
    assert not supervisor_view.findChild(QWidget, "voidButton").isEnabled()


def test_a_refused_void_is_explained_in_the_dialog(
    desk, officer, supervisor, tangshan_cases, supervisor_view, qtbot
):
    case_no = register(desk, officer, tangshan_cases[0])
    supervisor_view.show_case(case_no)
    dialog = open_dialog(supervisor_view, qtbot)
    desk.intake.void(case_no, "在另一台电脑上已作废", supervisor)  # meanwhile
    dialog.reason_edit.setPlainText("重复登记")

    dialog.accept()

    assert dialog.isVisible()
    error = dialog.findChild(QLabel, "errorLabel")
    assert error.isVisibleTo(dialog)
    assert error.text() == f'Case "{case_no}" is void and cannot be changed'
    assert desk.intake.show(case_no)["void_reason"] == "在另一台电脑上已作废"


def test_a_refused_void_is_explained_in_chinese_in_a_chinese_session(
    desk, officer, supervisor, tangshan_cases, qtbot
):
    case_no = register(desk, officer, tangshan_cases[0])
    view = CaseView(Session(desk, supervisor, "zh_CN"))
    qtbot.addWidget(view)
    view.show_case(case_no)
    dialog = open_dialog(view, qtbot)
    desk.intake.void(case_no, "已作废", supervisor)
    dialog.reason_edit.setPlainText("重复登记")

    dialog.accept()

    assert dialog.findChild(QLabel, "errorLabel").text() == f"案件“{case_no}”已作废，不能再修改"


# Masking and attachments ------------------------------------------------------------------------


def test_numbers_are_masked_until_shown_in_full_and_each_showing_is_audited(
    desk, officer, tangshan_cases, view
):
    record = tangshan_cases[0]
    case_no = register(desk, officer, record)
    other = register(desk, officer, tangshan_cases[1])
    view.show_case(case_no)
    reporter, payment = record["reporter"], record["transactions"][0]
    full = [
        reporter["id_number"],
        reporter["phone"],
        payment["payer_account"],
        payment["payee_account"],  # also in the narrative and the identifiers
    ]
    shown = texts(view)
    leaked = [number for number in full if number in shown]
    assert not leaked
    assert mask_id(reporter["id_number"]) in shown
    assert mask_phone(reporter["phone"]) in shown
    assert mask_account(payment["payee_account"]) in shown
    assert reporter["name"] in shown and payment["serial_no"] in shown
    assert not reveals(desk)

    view.findChild(QWidget, "revealToggle").setChecked(True)

    assert all(number in texts(view) for number in full)
    assert reveals(desk) == [(officer.badge, case_no, "case_view")]

    view.findChild(QWidget, "revealToggle").setChecked(False)
    assert not [number for number in full if number in texts(view)]
    view.findChild(QWidget, "revealToggle").setChecked(True)
    view.show_case(other)  # the next case opens masked again
    assert not view.findChild(QWidget, "revealToggle").isChecked()
    assert tangshan_cases[1]["reporter"]["id_number"] not in texts(view)
    assert len(reveals(desk)) == 2


def reveals(desk) -> list[tuple[str, str, str]]:
    rows = desk.store.all(
        "SELECT officer, object_id, detail FROM audit_log WHERE action = 'reveal' ORDER BY seq"
    )
    return [(r[0], r[1], json.loads(r[2])["via"]) for r in rows]


def test_attachment_rows_show_size_and_sha256_and_open_the_stored_file(
    desk, officer, tangshan_cases, view, tmp_path
):
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    content = b"%PDF-1.7 bank statement " * 200
    (evidence / "银行交易明细.pdf").write_bytes(content)
    sha = hashlib.sha256(content).hexdigest()
    record = copy.deepcopy(tangshan_cases[0])
    record["attachments"] = [{"path": "银行交易明细.pdf"}]
    case_no = register(desk, officer, record, base_dir=evidence)
    opened: list[QUrl] = []
    view.open_url = opened.append
    view.show_case(case_no)

    shown = texts(view)
    assert "银行交易明细.pdf" in shown
    assert f"{len(content):,} bytes" in shown
    assert sha in shown
    button = view.findChild(QWidget, "openAttachment0")
    assert button.isEnabled()
    button.click()
    assert len(opened) == 1
    viewed = Path(opened[0].toLocalFile())
    assert viewed.name == "银行交易明细.pdf"
    assert viewed.read_bytes() == content  # unsealed for the viewer...
    assert content not in desk.blobs.path_for(sha).read_bytes()  # ...sealed in the store
    entry = desk.store.one("SELECT officer, detail FROM audit_log ORDER BY seq DESC LIMIT 1")
    assert entry[0] == officer.badge and json.loads(entry[1])["sha256"] == sha

    desk.blobs.path_for(sha).unlink()  # lost from the store
    view.refresh()

    assert not view.findChild(QWidget, "openAttachment0").isEnabled()
