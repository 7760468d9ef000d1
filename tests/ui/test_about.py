"""Help → About: the version and every bundled part's licence, with its full text."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QTableWidget

from intake_app.services import licences

from intake_app import __version__
from intake_app.ui import about
from intake_app.ui.about import AboutDialog
from intake_app.ui.main_window import MainWindow


def rows(dialog):
    table = dialog.findChild(QTableWidget, "componentTable")
    return {
        table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, 4)]
        for r in range(table.rowCount())
    }


def select(qtbot, dialog, name):
    table = dialog.findChild(QTableWidget, "componentTable")
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == name)
    table.setCurrentCell(row, 0)
    return dialog.findChild(QPlainTextEdit, "licenceText").toPlainText()


def test_about_lists_qt_font_bins_and_each_library_with_licence_texts(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert __version__ in dialog.findChild(QLabel, "versionLabel").text()
    listed = rows(dialog)
    assert listed["Qt 6, PySide6, shiboken6"][2] == "LGPL-3.0-only"
    assert listed["Noto Sans SC"][2] == "OFL-1.1"
    assert listed["bcbc (BIN table)"][2] == "MIT"
    # Every library the desk needs at run time, each once, the Qt binding only as Qt.
    for library in ("reportlab", "sqlite-utils", "python-stdnum", "argon2-cffi", "platformdirs"):
        assert library in listed, library
        assert listed[library][2] not in ("", "?"), library
    assert not {"PySide6-Essentials", "shiboken6", "pytest", "ruff"} & set(listed)

    assert "GNU LESSER GENERAL PUBLIC LICENSE" in select(qtbot, dialog, "Qt 6, PySide6, shiboken6")
    assert "SIL OPEN FONT LICENSE" in select(qtbot, dialog, "Noto Sans SC").upper()
    assert "MIT License" in select(qtbot, dialog, "bcbc (BIN table)")
    assert "Python Software Foundation" in select(qtbot, dialog, "Python")
    assert "reportlab" in select(qtbot, dialog, "reportlab").lower()


def test_a_part_without_a_licence_file_says_so(qtbot, monkeypatch):
    bare = licences.Component(licences.LIBRARY, "bare-lib", "1.0", "MIT")
    monkeypatch.setattr(about, "bundled_components", lambda: [bare])
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.findChild(QPlainTextEdit, "licenceText").toPlainText()
    assert "bare-lib" in text and "MIT" in text


def test_about_is_translated_to_chinese(qtbot, zh_session):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "关于反诈受案台"
    assert (
        "许可协议"
        in dialog.findChild(QTableWidget, "componentTable").horizontalHeaderItem(3).text()
    )
    assert "Python 库" in rows(dialog)["reportlab"][0]


def test_f1_in_the_main_window_opens_about(qtbot, session, monkeypatch):
    shown = []
    monkeypatch.setattr(about, "run_dialog", shown.append)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()  # shortcuts act in the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert len(shown) == 1 and isinstance(shown[0], AboutDialog)
    help_menu = [a.text() for a in window.menuBar().actions()]
    assert "&Help" in help_menu
