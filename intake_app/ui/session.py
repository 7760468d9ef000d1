"""What every page of the window shares: the desk, the officer on duty, the language, and the
signals pages use to talk to each other without knowing each other."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from intake_app.domain.errors import IntakeError
from intake_app.domain.problems import Problem

from intake_app.services.auth import Officer
from intake_app.services.desk import Desk


class Session(QObject):
    cases_changed = Signal()  # a case was registered, revised or voided
    open_case_requested = Signal(str)  # case_no: show that case in the case view
    revise_requested = Signal(str)  # case_no: open the report form on that case
    drafts_changed = Signal()
    stop_payment_changed = Signal()  # a stop-payment outcome was recorded

    def __init__(self, desk: Desk, officer: Officer, lang: str, parent: QObject | None = None):
        super().__init__(parent)
        self.desk = desk
        self.officer = officer
        self.lang = lang

    def worker_desk(self) -> Desk:
        """A Desk of its own for a worker thread (SQLite connections belong to one thread).

        Open it in the worker, close it there when done. It opens with the key of the session's
        unlocked desk: no password is asked again.
        """
        return self.desk.second()

    def text(self, item: Problem | IntakeError) -> str:
        """A problem or error in the officer's language, naming the field."""
        return item.message(self.lang)
