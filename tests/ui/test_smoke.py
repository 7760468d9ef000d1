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
