"""The case list: the table model over the store, and the page around it."""

import json
import threading

import pytest
import shiboken6

from PySide6.QtCore import QDate, QEvent, QModelIndex, Qt, QTranslator
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QDateEdit, QLabel, QLineEdit, QTableView

from intake_app.domain.messages import status_label

from intake_app.services import resources
from intake_app.services.case_list import SORT_KEYS, CaseFilter, CaseListService
from intake_app.services.sample_data import generate_cases

from intake_app.ui.case_model import CaseTableModel
from intake_app.ui.cases_page import CasesPage
from intake_app.ui.session import Session
from tests.conftest import FIXED_NOW, STATION_NAME

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    # The offscreen platform says this about every top-level window.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

QM_FILE = resources.resource("i18n", "intake_zh_CN.qm")
GENERATED = 1_000


@pytest.fixture
def tangshan(desk, officer, tangshan_cases):
    results = list(desk.intake.import_records(tangshan_cases, officer))
    assert all(r.created for r in results)
    return {r.uuid: r.case_no for r in results}


@pytest.fixture
def generated(desk, officer, supervisor):
    records = generate_cases(GENERATED, seed=11, now=FIXED_NOW, station_hint=STATION_NAME)
    results = list(desk.intake.import_records(records, officer))
    assert all(r.created for r in results)
    for result in results[::50]:
        desk.intake.void(result.case_no, "重复报案", supervisor)
    return results


@pytest.fixture
def page(qtbot, session):
    widget = CasesPage(session)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    with qtbot.waitSignal(widget.loaded):
        widget.show()
    return widget


def all_rows(desk):
    return CaseListService(desk).page(CaseFilter(), limit=10**9)


def fetch_all(model):
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    return [model.index(r, 0).data(model.CaseNoRole) for r in range(model.rowCount())]


def type_text(widget, text):
    """Type text key by key (QTest's keyClicks only knows ASCII)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def shown(page):
    return [page.model.case_no(r) for r in range(page.model.rowCount())]


def count_text(page):
    return page.findChild(QLabel, "countLabel").text()


# The model ----------------------------------------------------------------------------------


@pytest.mark.parametrize("force_py", [False, True])
def test_the_model_passes_the_model_tester(qtmodeltester, session, tangshan, force_py):
    model = CaseTableModel(session)
    assert model.rowCount() == 6
    qtmodeltester.check(model, force_py=force_py)
    model.sort(SORT_KEYS.index("total_loss"), Qt.SortOrder.AscendingOrder)
    model.set_filter(CaseFilter(fraud_type="card_theft"))
    assert model.rowCount() == 2
    model.refresh()


@pytest.mark.parametrize("force_py", [False, True])
def test_the_model_passes_the_model_tester_with_many_cases(
    qtmodeltester, session, generated, force_py
):
    model = CaseTableModel(session, page_size=200)
    qtmodeltester.check(model, force_py=force_py)
    model.fetchMore(QModelIndex())
    for column in range(model.columnCount()):
        model.sort(column, Qt.SortOrder.DescendingOrder)
        model.fetchMore(QModelIndex())
    model.set_filter(CaseFilter(status="voided"))
    assert model.rowCount() == len(range(0, GENERATED, 50))
    model.set_filter(CaseFilter(query="报案"))


def test_rows_are_fetched_a_page_at_a_time(session, generated):
    model = CaseTableModel(session, page_size=200)
    assert model.rowCount() == 200 and model.canFetchMore(QModelIndex())
    inserted = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 400 and inserted == [(200, 399)]
    numbers = fetch_all(model)
    assert len(numbers) == GENERATED == len(set(numbers))
    assert not model.canFetchMore(QModelIndex())
    assert numbers == [r.case_no for r in all_rows(session.desk)]


def test_a_view_fetches_more_as_it_scrolls(qtbot, session, generated):
    view = QTableView()
    qtbot.addWidget(view)
    model = CaseTableModel(session, page_size=200)
    view.setModel(model)
    view.resize(800, 400)
    view.show()
    qtbot.waitExposed(view)
    assert model.rowCount() == 200
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > 200)


def expected_order(desk, key, descending):
    """The order the list promises, from all the rows in Python."""
    rows = all_rows(desk)
    if key in ("fraud_type", "status"):
        values = (
            [e.code for e in desk.reference.entries("fraud_types")]
            if key == "fraud_type"
            else ["registered", "voided"]
        )
        rank = {v: i for i, v in enumerate(values)}
        newest = sorted(rows, key=lambda r: (r.reported_utc, r.id), reverse=True)
        rows = sorted(newest, key=lambda r: rank[getattr(r, key)], reverse=descending)
    else:
        column = {
            "case_no": "case_no",
            "reported": "reported_utc",
            "reporter": "reporter_name",
            "total_loss": "total_loss_fen",
        }[key]
        rows = sorted(rows, key=lambda r: (getattr(r, column), r.id), reverse=descending)
    return [r.case_no for r in rows]


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
@pytest.mark.parametrize("column", range(len(SORT_KEYS)))
def test_sorting_by_each_column(qtbot, session, generated, column, order):
    view = QTableView()
    qtbot.addWidget(view)
    model = CaseTableModel(session)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.sortByColumn(column, order)
    descending = order == Qt.SortOrder.DescendingOrder
    assert (model.sort_key, model.descending) == (SORT_KEYS[column], descending)
    assert fetch_all(model) == expected_order(session.desk, SORT_KEYS[column], descending)
    # What is shown follows the same order.
    if SORT_KEYS[column] == "total_loss":
        amounts = [
            float(model.index(r, column).data().lstrip("¥").replace(",", ""))
            for r in range(model.rowCount())
        ]
        assert amounts == sorted(amounts, reverse=descending)


def test_rows_show_local_time_masked_ids_labels_and_yuan(session, tangshan, tangshan_cases):
    model = CaseTableModel(session)
    first = {model.index(5, c).data() for c in range(model.columnCount())}
    assert first == {
        tangshan[tangshan_cases[0]["uuid"]],
        "2026-11-21 09:20",
        "张志刚 (13020*********7794)",
        "Bank card theft (one-time codes, network devices)",
        "¥1,500.00",
        status_label("registered", "en"),
    }
    every = [model.index(r, c).data() for r in range(6) for c in range(6)]
    for case in tangshan_cases:
        assert not any(case["reporter"]["id_number"] in text for text in every)
    assert model.index(3, 4).data() == "¥1,380,000.00"
    assert model.index(0, 4).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.index(0, 0).data(model.CaseNoRole) == model.case_no(0)


def test_times_reported_with_another_offset_show_in_shanghai_time(session, officer, tangshan_cases):
    record = dict(tangshan_cases[0], uuid=None, reported_at="2026-11-22T01:30:00Z")
    (result,) = session.desk.intake.import_records([record], officer)
    assert result.created, result.problems
    model = CaseTableModel(session)
    assert model.index(0, 1).data() == "2026-11-22 09:30"


def test_fraud_types_and_statuses_in_chinese_for_a_chinese_session(desk, officer, tangshan):
    model = CaseTableModel(Session(desk, officer, "zh_CN"))
    assert model.index(5, 3).data() == "盗刷银行卡类（验证码、网络设备）"
    assert model.index(5, 5).data() == "已受案"


def _translated(context, text):
    """Whether the shipped zh_CN translation has this string yet (the .qm is built later)."""
    translator = QTranslator()
    return translator.load(str(QM_FILE)) and bool(translator.translate(context, text))


@pytest.mark.skipif(
    not _translated("CaseTableModel", "Case number"),
    reason="the zh_CN translation does not have the case list's strings yet",
)
def test_headers_are_chinese_in_a_chinese_session(qtbot, zh_session, tangshan):
    model = CaseTableModel(zh_session)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[0] == "案件编号"
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in headers), headers
    page = CasesPage(zh_session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.show()
    assert "\u4e00" <= count_text(page)[-1] <= "\u9fff" or "件" in count_text(page)


def test_headers_in_english(session, tangshan):
    model = CaseTableModel(session)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert headers == [
        "Case number",
        "Reported at",
        "Reporter",
        "Fraud type",
        "Total loss",
        "Status",
    ]


# The page -----------------------------------------------------------------------------------


def test_the_page_shows_the_newest_cases_and_counts_them(qtbot, page, tangshan, tangshan_cases):
    # The page was made before the cases came: it follows cases_changed.
    assert shown(page) == [] and count_text(page) == "No cases"
    assert page.findChild(QTableView, "caseTable").model() is page.model
    with qtbot.waitSignal(page.loaded):
        page.session.cases_changed.emit()
    assert count_text(page) == "6 cases"
    assert shown(page) == [tangshan[c["uuid"]] for c in reversed(tangshan_cases)]


def test_filters_by_fraud_type_status_and_dates(qtbot, tangshan, tangshan_cases, page):
    numbers = {c["uuid"]: tangshan[c["uuid"]] for c in tangshan_cases}
    by_type = page.findChild(QComboBox, "fraudTypeFilter")
    with qtbot.waitSignal(page.loaded):
        by_type.setCurrentIndex(by_type.findData("card_theft"))
    assert set(shown(page)) == {
        numbers[tangshan_cases[0]["uuid"]],
        numbers[tangshan_cases[1]["uuid"]],
    }
    assert count_text(page) == "2 cases"
    status = page.findChild(QComboBox, "statusFilter")
    with qtbot.waitSignal(page.loaded):
        status.setCurrentIndex(status.findData("voided"))
    assert shown(page) == [] and count_text(page) == "No cases"
    with qtbot.waitSignal(page.loaded):
        page.clear_filters()
    assert len(shown(page)) == 6
    date_from = page.findChild(QDateEdit, "dateFrom")
    date_to = page.findChild(QDateEdit, "dateTo")
    assert date_from.text() == "Any"
    with qtbot.waitSignal(page.loaded):
        date_from.setDate(QDate(2026, 11, 24))
    with qtbot.waitSignal(page.loaded):
        date_to.setDate(QDate(2026, 11, 27))
    # Reported 11-24 08:45, 11-26 15:10 and 11-27 11:30 (Shanghai time).
    assert shown(page) == [numbers[c["uuid"]] for c in tangshan_cases[3:0:-1]]
    assert count_text(page) == "3 cases"


def test_a_voided_case_shows_under_the_voided_filter(qtbot, tangshan, page, supervisor):
    number = next(iter(tangshan.values()))
    page.session.desk.intake.void(number, "重复报案", supervisor)
    with qtbot.waitSignal(page.loaded):
        page.session.cases_changed.emit()
    status = page.findChild(QComboBox, "statusFilter")
    with qtbot.waitSignal(page.loaded):
        status.setCurrentIndex(status.findData("voided"))
    assert shown(page) == [number] and count_text(page) == "1 case"
    assert page.model.index(0, 5).data() == status_label("voided", "en")


@pytest.mark.parametrize(
    "typed",
    [
        lambda c: c["reporter"]["phone"],
        lambda c: c["transactions"][0]["payee_account"],
        lambda c: c["reporter"]["name"],
        lambda c: "ETC认证",  # a word of the narrative
        lambda c: "17085213396",  # a suspect's phone among the identifiers
    ],
    ids=["phone", "account", "name", "narrative", "identifier"],
)
def test_search_as_you_type_finds_a_case(qtbot, tangshan, tangshan_cases, page, typed):
    text = typed(tangshan_cases[0])
    type_text(page.findChild(QLineEdit, "searchEdit"), text)
    # Every fixture case holding the text: the first, and others that share a payee or a name.
    holding = [c for c in tangshan_cases if text in json.dumps(c, ensure_ascii=False)]
    want = [tangshan[c["uuid"]] for c in reversed(holding)]
    assert want[-1] == tangshan[tangshan_cases[0]["uuid"]]
    qtbot.waitUntil(lambda: shown(page) == want)
    qtbot.waitUntil(lambda: count_text(page) in ("1 case", f"{len(want)} cases"))


def test_search_combines_with_the_filters(qtbot, tangshan, tangshan_cases, page, monkeypatch):
    with qtbot.waitSignal(page.loaded):
        page.search("中国工商银行")  # the payee bank of both card-theft cases and others
    found = set(shown(page))
    assert len(found) >= 2
    searched = []
    resolve = CaseListService.resolve

    def counting(service, case_filter):
        if not case_filter.resolved:
            searched.append(case_filter.text)
        return resolve(service, case_filter)

    monkeypatch.setattr(CaseListService, "resolve", counting)
    by_type = page.findChild(QComboBox, "fraudTypeFilter")
    with qtbot.waitSignal(page.loaded):
        by_type.setCurrentIndex(by_type.findData("card_theft"))
    cards = {
        tangshan[c["uuid"]] for c in tangshan_cases if c["incident"]["fraud_type"] == "card_theft"
    }
    assert set(shown(page)) == found & cards
    assert searched == []  # the matches found before are filtered, not searched again


def hold_search(monkeypatch, text):
    """Searches for `text` wait on the worker thread until released: (started, release)."""
    started, release = threading.Event(), threading.Event()
    resolve = CaseListService.resolve

    def slow_resolve(service, case_filter):
        if case_filter.text == text and not case_filter.resolved:
            started.set()
            release.wait(5)
        return resolve(service, case_filter)

    monkeypatch.setattr(CaseListService, "resolve", slow_resolve)
    return started, release


def test_typing_fast_shows_only_the_last_query(qtbot, tangshan, tangshan_cases, page, monkeypatch):
    """The first search is still running when the second is asked for: its answer is dropped."""
    started, release = hold_search(monkeypatch, "张志刚")
    seen = []
    page.model.modelReset.connect(lambda: seen.append(page.model.case_filter().text))
    page.search("张志刚")
    assert started.wait(5)
    edit = page.findChild(QLineEdit, "searchEdit")
    edit.clear()
    type_text(edit, "周婷")
    release.set()
    last = tangshan[tangshan_cases[4]["uuid"]]
    qtbot.waitUntil(lambda: shown(page) == [last])
    qtbot.wait(400)  # nothing stale arrives late
    assert shown(page) == [last]
    assert "张志刚" not in seen


def test_a_slow_search_says_searching_and_a_quick_one_does_not(qtbot, tangshan, page, monkeypatch):
    notes = []
    label = page.findChild(QLabel, "countLabel")
    page.model.modelReset.connect(lambda: notes.append(label.text()))
    with qtbot.waitSignal(page.loaded):
        page.search("13832517746")
    assert notes and "Searching…" not in notes and count_text(page) == "1 case"

    started, release = hold_search(monkeypatch, "张志刚")
    page.search("张志刚")
    assert started.wait(5)
    qtbot.waitUntil(lambda: count_text(page) == "Searching…", timeout=2000)
    with qtbot.waitSignal(page.loaded):
        release.set()
    assert count_text(page) != "Searching…" and page.model.rowCount() >= 1


def test_typing_waits_for_a_pause(qtbot, tangshan, page, monkeypatch):
    asked = []
    resolve = CaseListService.resolve

    def counting(service, case_filter):
        if not case_filter.resolved:
            asked.append(case_filter.text)
        return resolve(service, case_filter)

    monkeypatch.setattr(CaseListService, "resolve", counting)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        type_text(page.findChild(QLineEdit, "searchEdit"), "13832517746")
    assert asked == ["13832517746"]


def test_a_search_with_many_matches_says_the_list_is_limited(qtbot, session, generated):
    page = CasesPage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.search("报案")
    assert page.model.rowCount() == 200
    assert "first 200 matches" in count_text(page)
    with qtbot.waitSignal(page.loaded):
        page.search("")
    assert count_text(page) == f"{page.locale().toString(GENERATED)} cases"


def test_a_search_that_finds_nothing(qtbot, tangshan, page):
    with qtbot.waitSignal(page.loaded):
        page.search("没有这个人")
    assert shown(page) == [] and count_text(page) == "No cases"


def test_double_click_or_enter_opens_the_case(qtbot, tangshan, page):
    table = page.findChild(QTableView, "caseTable")
    rect = table.visualRect(page.model.index(1, 2))
    with qtbot.waitSignal(page.session.open_case_requested) as opened:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [page.model.case_no(1)]
    table.setCurrentIndex(page.model.index(3, 0))
    with qtbot.waitSignal(page.session.open_case_requested) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == [page.model.case_no(3)]


def test_a_new_case_appears_when_cases_change(qtbot, tangshan, tangshan_cases, page, officer):
    record = dict(tangshan_cases[0], uuid=None, reported_at="2026-11-30T08:00:00+08:00")
    (result,) = page.session.desk.intake.import_records([record], officer)
    with qtbot.waitSignal(page.loaded):
        page.session.cases_changed.emit()
    assert shown(page)[0] == result.case_no and count_text(page) == "7 cases"
    # A search shown is searched again.
    with qtbot.waitSignal(page.loaded):
        page.search(tangshan_cases[0]["reporter"]["phone"])
    assert len(shown(page)) == 2


def test_ctrl_f_focuses_the_search_box(qtbot, page):
    page.activateWindow()
    page.findChild(QTableView, "caseTable").setFocus()
    page.focus_search()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.findChild(QLineEdit, "searchEdit"))


def test_the_worker_thread_stops_with_its_page(qtbot, session):
    widget = CasesPage(session)
    with qtbot.waitSignal(widget.loaded):
        pass
    thread = widget._thread
    # Destroyed now, not by deleteLater(): whether a loop runs a deferred delete depends on
    # the loop level it was asked at. And waited for with QThread.wait, which needs no event
    # loop of this thread: waiting for the finished signal was flaky in CI.
    shiboken6.delete(widget)
    assert thread.wait(5000), "the page's worker thread still runs after the page is gone"
