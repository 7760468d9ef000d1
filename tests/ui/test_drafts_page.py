from PySide6.QtWidgets import QMessageBox

from intake_app.ui.drafts_page import DraftsPage


def test_unfinished_reports_are_listed_continued_and_discarded(qtbot, session, monkeypatch):
    draft = session.desk.drafts.save(session.officer, {"reporter": {"name": "王芳"}})
    page = DraftsPage(session)
    qtbot.addWidget(page)

    assert page.count() == 1
    assert "王芳" in page.list.item(0).text()
    assert not page.empty.isVisibleTo(page)
    with qtbot.waitSignal(page.open_requested) as opened:
        page.open_button.click()
    assert opened.args == [draft.uuid]

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    page.discard_button.click()

    assert page.count() == 0
    assert page.empty.isVisibleTo(page)
    assert not page.open_button.isEnabled()
    assert session.desk.drafts.get(draft.uuid).status == "discarded"


def test_cancelling_the_discard_keeps_the_draft(qtbot, session, monkeypatch):
    draft = session.desk.drafts.save(session.officer, {"reporter": {"name": "王芳"}})
    page = DraftsPage(session)
    qtbot.addWidget(page)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    page.discard_button.click()
    assert page.count() == 1
    assert session.desk.drafts.get(draft.uuid).status == "open"
