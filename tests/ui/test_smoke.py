from PySide6.QtGui import QFontDatabase


def test_bundled_font_is_registered_and_covers_chinese(qapp):
    family = qapp.font().family()
    assert "Noto Sans SC" in family
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)


def test_session_opens_a_worker_desk_on_the_same_folder(session):
    worker = session.worker_desk()
    try:
        assert worker.station_code == session.desk.station_code
        assert worker.store.conn is not session.desk.store.conn
    finally:
        worker.close()


def test_the_installed_qt_binding_keeps_none_alive():
    """PySide6 6.12.0 on Python 3.11 drops a reference to None per void call and aborts."""
    import subprocess
    import sys

    code = (
        "from PySide6.QtCore import QObject\n"
        "o = QObject()\n"
        "for _ in range(1_000_000): o.setObjectName('x')\n"
        "print('alive')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0 and "alive" in result.stdout, result.stderr[-500:]
