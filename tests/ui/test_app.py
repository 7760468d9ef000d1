"""The window as a whole: set-up, login, pages, lock, log out, and the start options."""

import os
import subprocess
import sys

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QMessageBox

from intake_app.domain.interchange import case_from_dict

from intake_app.services.desk import Desk

from intake_app.ui.app import DeskApp, GuiOptions
from intake_app.ui.login import LoginDialog, RecoveryKeyDialog, SetupDialog
from intake_app.ui.main_window import MainWindow
from tests.conftest import STATION
from tests.ui.conftest import OFFICER, OFFICER_PASSWORD


def audit_actions(desk):
    return [(e["action"], e["object_id"]) for e in reversed(desk.audit.entries(desk_admin(desk)))]


def desk_admin(desk):
    return next(o for o in desk.auth.list_officers() if o.role == "admin")


def fill(dialog, **values):
    for key, value in values.items():
        edit = dialog.findChild(QLineEdit, f"{key}Edit")
        edit.setText(value)


def test_setup_names_the_wrong_field_then_sets_up_the_station(qtbot, tmp_path, recovery_keys_shown):
    dialog = SetupDialog(tmp_path / "data", "zh_CN")
    qtbot.addWidget(dialog)
    fill(
        dialog,
        station_code="12345",
        station_name="滨海派出所",
        badge="100001",
        name="张伟",
        password="admin-pass-2026",
        confirm="admin-pass-2026",
    )
    dialog._set_up()
    assert dialog.error.isVisibleTo(dialog)
    assert "派出所机构代码应为12位数字" in dialog.error.text()
    assert dialog.desk is None
    assert not Desk.is_initialised(tmp_path / "data")

    fill(dialog, station_code=STATION)
    dialog._set_up()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.desk is not None and dialog.desk.station_code == STATION
    # The recovery key was shown once, and the desk forgot it.
    assert len(recovery_keys_shown) == 1 and len(recovery_keys_shown[0]) == 47
    assert dialog.desk.recovery_key is None
    dialog.desk.close()


def test_the_recovery_key_dialog_closes_only_once_the_key_is_written_down(qtbot):
    dialog = RecoveryKeyDialog("ABCDE-" * 7 + "ABCDE")
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLabel, "recoveryKeyLabel").text().startswith("ABCDE-ABCDE")
    dialog.show()
    assert not dialog.ok_button.isEnabled()
    dialog.reject()  # Esc
    assert dialog.isVisible()
    dialog.written.setChecked(True)
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_setup_refuses_two_different_passwords(qtbot, tmp_path):
    dialog = SetupDialog(tmp_path / "data", "en")
    qtbot.addWidget(dialog)
    fill(
        dialog,
        station_code=STATION,
        station_name="x",
        badge="100001",
        name="张伟",
        password="admin-pass-2026",
        confirm="admin-pass-2027",
    )
    dialog._set_up()
    assert "passwords differ" in dialog.error.text()
    assert not (tmp_path / "data").exists()


def test_a_failed_login_is_shown_and_audited(qtbot, desk, officer):
    dialog = LoginDialog(desk, "zh_CN")
    qtbot.addWidget(dialog)
    dialog.badge.setText(OFFICER)
    dialog.password.setText("wrong-password")
    dialog._log_in()
    assert dialog.error.text() == "警号或密码错误"
    assert dialog.password.text() == ""
    assert ("login_failed", OFFICER) in audit_actions(desk)

    dialog.password.setText(OFFICER_PASSWORD)
    dialog._log_in()
    assert dialog.officer is not None and dialog.officer.badge == OFFICER


@pytest.fixture
def window(qtbot, session):
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    return win


def nav_titles(win):
    return [
        win.nav.item(i).text() for i in range(win.nav.count()) if not win.nav.item(i).isHidden()
    ]


def test_the_window_lists_only_working_pages_and_opens_a_case(window, session, tangshan_cases):
    assert nav_titles(window) == [
        "New report",
        "Unfinished",
        "Cases",
        "Stop payment",
        "Statistics",
        "Leads",
        "Prevention log",
        "Seized lists",
    ]
    row = session.desk.intake.register(case_from_dict(tangshan_cases[0])[0], session.officer)

    session.open_case_requested.emit(row.case_no)

    assert window.current_page() == "case"
    assert "Case" in nav_titles(window)
    assert row.case_no in window.case_view.findChild(QLabel, "caseNoLabel").text()


def test_find_shortcut_shows_the_cases_page_with_the_search_focused(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == "cases"


def test_locking_audits_and_unlocking_needs_the_password(window, session, monkeypatch):
    monkeypatch.setattr(LoginDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    window.lock()
    actions = [a for a, _ in audit_actions(session.desk)]
    assert actions[-1] == "logout"
    assert session.desk.audit.entries(desk_admin(session.desk), limit=1)[0]["detail"] == {
        "reason": "idle_lock"
    }
    assert window.isVisible() and window._central.isVisible()
    assert window.idle.timer.isActive()


def test_idle_timer_locks_the_window(window, qtbot, monkeypatch):
    locked = []
    monkeypatch.setattr(MainWindow, "lock", lambda self: locked.append(True))
    window.idle.idle.disconnect()
    window.idle.idle.connect(window.lock)
    window.idle.timer.start(30)
    qtbot.waitUntil(lambda: bool(locked), timeout=2000)


def test_logging_out_from_the_lock_screen_closes_the_window(window, qtbot, session, monkeypatch):
    monkeypatch.setattr(LoginDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    with qtbot.waitSignal(window.logged_out):
        window.lock()
    assert not window.isVisible()


def test_a_damaged_database_gives_a_clear_dialog_and_is_left_alone(tmp_path, qapp, monkeypatch):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    damaged = b"not a database " * 500
    (data_dir / "desk.db").write_bytes(damaged)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[2]))

    desk = DeskApp(qapp, GuiOptions(data_dir=data_dir, lang="zh_CN")).open_desk()

    assert desk is None
    assert shown and "已损坏或不是本系统的数据库" in shown[0]
    assert (data_dir / "desk.db").read_bytes() == damaged


def run_app(*args, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "INTAKE_DATA_DIR": str(tmp_path / "d")}
    return subprocess.run(
        [sys.executable, "-m", "intake_app.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_smoke_test_starts_the_window_and_exits_0(tmp_path):
    result = run_app("--smoke-test", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "d").exists(), "the smoke test must not touch the real data folder"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_demo_screenshot_is_a_1280x800_png(tmp_path, lang):
    out = tmp_path / f"shot-{lang}.png"
    result = run_app(
        "--demo", "--screenshot", str(out), "--lang", lang, "--page", "cases", tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)


def test_screenshot_without_demo_is_a_usage_error(tmp_path):
    result = run_app("--screenshot", str(tmp_path / "x.png"), tmp_path=tmp_path)
    assert result.returncode == 2
    assert "--screenshot needs --demo" in result.stderr
