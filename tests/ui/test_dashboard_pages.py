"""The statistics, leads and prevention pages, driven through their widgets."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

from intake_app.domain.periods import DateRange

from intake_app.services.sample_data import generate_cases

from intake_app.ui.outreach_pages import LeadsPage, PreventionPage
from intake_app.ui.seized_page import SeizedListPage
from intake_app.ui.session import Session
from intake_app.ui.statistics_page import StatisticsPage
from tests.conftest import FIXED_NOW


def _stock(desk, officer) -> None:
    results = list(
        desk.intake.import_records(list(generate_cases(60, seed=3, now=FIXED_NOW)), officer)
    )
    assert all(r.ok for r in results)


def test_statistics_page_shows_each_series_with_its_numbers(
    qtbot, session, desk, officer, tmp_path
):
    _stock(desk, officer)
    page = StatisticsPage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.date_from.setDate(QDate(2026, 1, 1))
    assert page.figures is not None
    expected = desk.statistics.figures(DateRange(date(2026, 1, 1), FIXED_NOW.date()))
    assert page.figures.totals == expected.totals
    assert set(page.views) == {
        "reports",
        "loss_by_type",
        "prevention_by_group",
        "leads",
        "stop_payment_money",
        "dissuasion",
    }
    table = page.views["loss_by_type"].table
    assert table.rowCount() == len(desk.reference.entries("fraud_types")) + 1
    assert table.item(table.rowCount() - 1, 1).text() == f"{expected.totals['cases']:,}"
    # Saving a chart as PNG (the file dialog replaced).
    view = page.views["reports"]
    target = tmp_path / "reports.png"
    view.ask_path = lambda suggested: str(target)
    view.save_button.click()
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_statistics_page_reports_a_reversed_range(qtbot, session):
    page = StatisticsPage(session)
    qtbot.addWidget(page)
    qtbot.waitSignal(page.loaded, timeout=10_000).wait()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.date_from.setDate(page.date_to.date().addDays(3))
    assert "first day" in page.summary.text() or "开始日期" in page.summary.text()


def test_a_lead_is_registered_from_the_form(qtbot, session, desk):
    page = LeadsPage(session)
    qtbot.addWidget(page)
    page.register_button.click()
    assert page.message.text()  # the summary is required
    assert page.table.rowCount() == 0
    page.source.setCurrentIndex(page.source.findData("company_request"))
    page.source_detail.setText("某互联网公司")
    page.summary.setText("开平区有人收购个人账户")
    page.identifiers.setPlainText(
        "银行账号 6222 0212 3456 7890 123\nQQ number 12345678\nwechat pf_seller01"
    )
    with qtbot.waitSignal(page.registered):
        page.register_button.click()
    assert page.table.rowCount() == 1
    row = desk.outreach.leads()[0]
    assert row.identifier_count == 3 and row.source_detail == "某互联网公司"
    kinds = [i["kind"] for i in desk.outreach.record(row.uuid)["record"]["identifiers"]]
    assert kinds == ["bank_account", "qq", "wechat"]


def test_a_prevention_event_is_registered_from_the_form(qtbot, session, desk):
    page = PreventionPage(session)
    qtbot.addWidget(page)
    page.place.setText("滨海镇中学")
    page.group.setCurrentIndex(page.group.findData("students"))
    page.kind.setCurrentIndex(page.kind.findData("lecture"))
    page.audience.setValue(320)
    with qtbot.waitSignal(page.registered):
        page.register_button.click()
    assert page.table.rowCount() == 1
    event = desk.outreach.prevention_events()[0]
    assert (event.target_group, event.audience, event.held_on) == ("students", 320, "2026-11-30")


def test_seized_list_page_matches_and_exports(qtbot, session, desk, officer, supervisor, tmp_path):
    _stock(desk, officer)
    number, case_no = desk.store.conn.execute(
        "SELECT t.term, c.case_no FROM case_terms t JOIN cases c ON c.id = t.case_id "
        "WHERE t.kind = 'payee_account' ORDER BY c.id LIMIT 1"
    ).fetchone()
    listed = tmp_path / "seized.csv"
    spaced = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    listed.write_text(f"卡号\n{spaced}\n6217000000000000001\n", encoding="utf-8")
    page = SeizedListPage(session)
    qtbot.addWidget(page)
    page.ask_open = lambda: str(listed)
    with qtbot.waitSignal(page.matched, timeout=10_000):
        page.open_button.click()
    assert page.table.rowCount() >= 1
    assert page.table.item(0, 1).text() == number
    assert case_no in {page.table.item(r, 3).text() for r in range(page.table.rowCount())}
    assert not page.export_button.isEnabled()  # an officer may not export
    page = SeizedListPage(Session(desk, supervisor, "en"))
    qtbot.addWidget(page)
    page.ask_open = lambda: str(listed)
    with qtbot.waitSignal(page.matched, timeout=10_000):
        page.open_button.click()
    assert page.export_button.isEnabled()
    target = tmp_path / "hits.csv"
    page.ask_save = lambda suggested: str(target)
    page.export_button.click()
    assert number in target.read_text(encoding="utf-8-sig")
    assert "not encrypted" in page.summary.text()
    with qtbot.waitSignal(page.session.open_case_requested) as opened:
        page.table.activated.emit(page.table.model().index(0, 0))
    assert opened.args[0] in {page.table.item(r, 3).text() for r in range(page.table.rowCount())}


def test_seized_list_page_names_a_bad_file(qtbot, session, tmp_path):
    page = SeizedListPage(session)
    qtbot.addWidget(page)
    bad = tmp_path / "list.pdf"
    bad.write_bytes(b"%PDF")
    page.ask_open = lambda: str(bad)
    with qtbot.waitSignal(page.matched, timeout=10_000):
        page.open_button.click()
    assert "list.pdf" in page.summary.text()
    assert not page.export_button.isEnabled()
