"""The window's sync: the status button syncs in the background with a real center (uvicorn on
127.0.0.1), says what waits and why it failed; the report form flags watched identifiers."""

import json
import threading
import time

import httpx
import pytest
import uvicorn

from intake_app.center.app import create_app
from intake_app.center.service import Center
from intake_app.ui import sync_status
from intake_app.ui.report_form import ReportForm
from tests.conftest import FIXED_NOW, Clock
from tests.sync_helpers import register_cases
from tests.test_sync_e2e import free_port
from tests.ui.test_report_form import edit_cell


@pytest.fixture
def center_server(tmp_path):
    center = Center.initialise(tmp_path / "center", "唐山市反诈中心")
    center.clock = Clock(FIXED_NOW)  # the desk's clock: its signed requests are recent
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(center), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    yield center, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    center.close()


def enroll(desk, admin, center, url):
    center.add_station(desk.station_code, "滨海", json.dumps(desk.sync.public_key().to_dict()))
    desk.sync.enroll(url, json.dumps(center.public_key().to_dict()), admin)


def enrolled_with_cases(desk, admin, center_server, n):
    """The desk enrolled with the served center and n sample cases registered: the center."""
    center, url = center_server
    enroll(desk, admin, center, url)

    class Station:
        pass

    station = Station()
    station.desk, station.admin = desk, admin
    register_cases(station, n)
    return center


def test_not_enrolled_says_so_and_never_syncs(qtbot, session):
    button = sync_status.SyncStatusButton(session)
    qtbot.addWidget(button)
    assert button.text() == "Sync: not set up"
    button.sync_now()
    assert not button.running and not button.timer.isActive()


def test_background_sync_sends_everything_and_says_so(qtbot, session, desk, admin, center_server):
    center = enrolled_with_cases(desk, admin, center_server, 5)
    button = sync_status.SyncStatusButton(session)
    qtbot.addWidget(button)
    assert button.text() == "Sync: 5 waiting"
    with qtbot.waitSignal(button.finished, timeout=30_000):
        button.click()
    assert button.text().startswith("Sync: all sent · last ")
    assert len(center.cases()) == 5
    assert button.failures == 0 and button.timer.interval() == sync_status.INTERVAL_MS


def test_a_failed_sync_backs_off_and_says_why(qtbot, session, desk, admin, tmp_path):
    center = Center.initialise(tmp_path / "c2", "中心")
    enroll(desk, admin, center, f"http://127.0.0.1:{free_port()}")  # nobody listens there
    button = sync_status.SyncStatusButton(session)
    qtbot.addWidget(button)
    for attempt in (1, 2):
        with qtbot.waitSignal(button.finished, timeout=30_000):
            button.sync_now()
        assert button.failures == attempt
    assert button.timer.interval() == 4 * sync_status.INTERVAL_MS
    assert "failed, retrying in 12 min" in button.text()
    assert "Cannot reach the center" in button.toolTip()
    center.close()


def test_a_watched_identifier_is_flagged_as_typed(qtbot, session, desk, admin, center_server):
    center, url = center_server
    enroll(desk, admin, center, url)
    from intake_app.services.sample_data import generate_cases

    from tests.conftest import FIXED_NOW

    record = next(generate_cases(1, seed=5, now=FIXED_NOW))
    record["identifiers"] = [{"kind": "phone", "value": "17085213396", "note": ""}]
    assert next(iter(desk.intake.import_records([record], admin))).case_no
    center.watch_add("phone", "17085213396")
    center.watch_add("wechat", "boss_qian_88")
    with httpx.Client(base_url=url) as client:
        desk.sync.push(client)
        desk.sync.pull(client)
    form = ReportForm(session)
    qtbot.addWidget(form)
    form.show()
    table = form.table("identifiers")
    row = form.add_row("identifiers")
    edit_cell(table, row, 0, "phone")
    edit_cell(table, row, 1, "+86 170 8521 3396")
    item = table.item(row, 2)
    assert "⚠ 1 cases in the city" in item.text()
    assert item.toolTip() == "This account appears in 1 cases in the city"
    edit_cell(table, row, 0, "wechat")
    edit_cell(table, row, 1, "Boss_Qian_88")
    assert "⚠ watched" in item.text() and item.toolTip() == "Flagged by the city center"
    edit_cell(table, row, 1, "13000000000")
    assert item.text() == "13000000000" and item.toolTip() == ""
    assert form.to_record()["identifiers"][0] == {
        "kind": "wechat",
        "value": "13000000000",
        "note": "",
    }
    form.flush()


def test_instructions_arrive_on_their_page_after_a_sync(qtbot, session, desk, admin, center_server):
    from intake_app.ui.main_window import MainWindow

    center, url = center_server
    enroll(desk, admin, center, url)
    window = MainWindow(session)
    qtbot.addWidget(window)
    page = window.sync_status.instructions_page
    assert page.table.rowCount() == 0 and not page.empty.isHidden()
    center.instruct(
        desk.station_code,
        "dissuade",
        "刘女士正在银行柜台转账，立即劝阻",
        "2026-11-30T17:30:00+08:00",
    )
    with qtbot.waitSignal(window.sync_status.finished, timeout=30_000):
        window.sync_status.click()
    assert page.table.rowCount() == 1
    assert page.table.item(0, 1).text() == "Dissuade in person"
    assert page.table.item(0, 2).text().startswith("刘女士")
    assert page.table.item(0, 0).text() == "2026-11-30 17:30"  # passed: the clock says 18:00
    window.show_page("instructions")
    assert window.current_page() == "instructions"
    window.sync_status.stop()


def test_the_window_takes_up_newer_reference_data_after_a_sync(
    qtbot, session, desk, admin, center_server
):
    from intake_app.services import resources

    center, url = center_server
    enroll(desk, admin, center, url)
    data = json.loads(resources.resource("reference", "reference.json").read_text("utf-8"))
    data["version"] = "2099.1"
    center.set_reference(data)
    button = sync_status.SyncStatusButton(session)
    qtbot.addWidget(button)
    with qtbot.waitSignal(button.finished, timeout=30_000):
        button.click()
    assert session.desk.reference.version == "2099.1"


def test_quitting_stops_a_push_between_rounds(qtbot, session, desk, admin, center_server):
    center = enrolled_with_cases(desk, admin, center_server, 3)
    button = sync_status.SyncStatusButton(session)
    qtbot.addWidget(button)
    button.stop()  # the window quits
    assert button.cancel.is_set() and not button.timer.isActive()
    button.sync_now()
    assert not button.running  # nothing starts after quitting
    # A job already under way sees the flag at its next round: nothing more is sent.
    done = []
    signals = sync_status._Signals()
    signals.done.connect(done.append)
    sync_status._SyncJob(session.worker_desk, signals, button.cancel).run()
    assert done == [None] and center.cases() == []
    assert desk.sync.status().pending_total == 3
