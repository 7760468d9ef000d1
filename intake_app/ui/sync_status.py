"""Sync with the city center from the window: a status-bar button that says what is waiting,
when sync last worked and why it last failed, a background push and pull every few minutes
with backoff, and the watchlist mark on identifiers in the report form.

The push and pull run on a pool thread with a Desk of their own (Session.worker_desk); the
window only reads the status. Clicking the button syncs now.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QMainWindow, QTableWidgetItem, QToolButton, QWidget

from intake_app.domain.sync_protocol import SyncError
from intake_app.domain.times import SHANGHAI

from intake_app.services.desk import Desk

from intake_app.ui.instructions_page import InstructionsPage
from intake_app.ui.session import Session

INTERVAL_MS = 3 * 60 * 1000  # every three minutes while the center answers
MAX_INTERVAL_MS = 30 * 60 * 1000  # backoff doubles up to half an hour


class _Signals(QObject):
    done = Signal(object)  # None on success, else the SyncError (or other exception)
    reference = Signal()  # the pull installed newer reference data


class _SyncJob(QRunnable):
    def __init__(
        self, open_desk: Callable[[], Desk], signals: _Signals, cancel: threading.Event
    ) -> None:
        super().__init__()
        self._open_desk = open_desk
        self.signals = signals
        self.cancel = cancel  # set at quit: the push stops between requests

    def run(self) -> None:
        error: Exception | None = None
        try:
            desk = self._open_desk()
            desk.sync.cancel = self.cancel
            try:
                desk.sync.push()
                before = desk.reference.version
                if not self.cancel.is_set():
                    desk.sync.pull()
                if desk.reference.version != before:
                    self.signals.reference.emit()
            finally:
                desk.close()
        except Exception as exc:  # reported to the officer in words, retried later
            error = exc
        self.signals.done.emit(error)


def _local_time(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).astimezone(SHANGHAI).strftime("%m-%d %H:%M")
    except ValueError:
        return stamp


class SyncStatusButton(QToolButton):
    """The status-bar entry: "Sync: 12 waiting · last 14:05"; click to sync now."""

    finished = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setAutoRaise(True)
        self.session = session
        self.failures = 0
        self.running = False
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.signals = _Signals()  # no parent: a running job may outlive the button
        self.cancel = threading.Event()
        self.signals.done.connect(self._done)
        # The window's own desk takes up reference data the worker's desk installed.
        self.signals.reference.connect(self._reload_reference)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sync_now)
        self.instructions_page = InstructionsPage(session)
        self.finished.connect(self.instructions_page.refresh)
        self.clicked.connect(self.sync_now)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)
        self.refresh()
        if self.session.desk.sync.status().enrolled:
            self.timer.start(5000)  # soon after login, then every INTERVAL_MS

    def next_interval_ms(self) -> int:
        return min(INTERVAL_MS * (2**self.failures), MAX_INTERVAL_MS)

    def sync_now(self) -> None:
        if self.running or self.cancel.is_set() or not self.session.desk.sync.status().enrolled:
            return
        self.running = True
        self.timer.stop()
        self.setText(self.tr("Sync: sending…"))
        self.pool.start(_SyncJob(self.session.worker_desk, self.signals, self.cancel))

    def _reload_reference(self) -> None:
        self.session.desk.reload_reference()

    def _done(self, error: object) -> None:
        self.running = False
        self.failures = self.failures + 1 if error is not None else 0
        self.refresh(error if isinstance(error, Exception) else None)
        if not self.cancel.is_set():
            self.timer.start(self.next_interval_ms())
        self.finished.emit()

    def refresh(self, error: Exception | None = None) -> None:
        lang = self.session.lang
        status = self.session.desk.sync.status()
        if not status.enrolled:
            self.setText(self.tr("Sync: not set up"))
            self.setToolTip(self.tr("Ask the admin to enroll this station with the city center."))
            return
        waiting = status.pending_total + status.attachments_pending
        parts = [
            self.tr("Sync: all sent")
            if waiting == 0
            else self.tr("Sync: {n} waiting").format(n=waiting)
        ]
        if status.last_success:
            parts.append(self.tr("last {time}").format(time=_local_time(status.last_success)))
        if status.last_error:
            minutes = max(1, self.next_interval_ms() // 60000)
            parts.append(self.tr("failed, retrying in {n} min").format(n=minutes))
        self.setText(" · ".join(parts))
        words = status.error_text(lang)
        if error is not None and not isinstance(error, SyncError):
            words = str(error)
        tip = [self.tr("Center: {url}").format(url=status.center_url)]
        if words:
            tip.append(self.tr("Last error: {error}").format(error=words))
        refused = status.acked.get("conflict", 0) + status.acked.get("rejected", 0)
        if refused:
            tip.append(
                self.tr("Not taken by the center: {n} records; contact the center.").format(
                    n=refused
                )
            )
        if status.instructions:
            tip.append(self.tr("Instructions from the center: {n}").format(n=status.instructions))
        tip.append(self.tr("Click to sync now."))
        self.setToolTip("\n".join(tip))

    def page_title(self) -> str:
        return self.tr("Instructions")

    def stop(self) -> None:
        """At quit: the running push stops after its current request (at most TIMEOUT_S)."""
        self.cancel.set()
        self.timer.stop()
        self.pool.waitForDone(35_000)


def attach(window: QMainWindow, session: Session) -> SyncStatusButton:
    """Put the sync status into the window's status bar, and the instructions page into its
    navigation (listed once the station is enrolled with a center)."""
    button = SyncStatusButton(session, window)
    window.statusBar().addPermanentWidget(button)
    add_page = getattr(window, "add_page", None)
    if add_page is not None:
        add_page("instructions", button.page_title(), button.instructions_page)
        button.instructions_page.report_requested.connect(lambda known: _report(window, known))
        nav = getattr(window, "nav", None)
        if nav is not None:
            nav.item(nav.count() - 1).setHidden(not session.desk.sync.status().enrolled)
    return button


def _report(window: QMainWindow, known: dict[str, Any]) -> None:
    """On "already defrauded": the New report page, pre-filled with what the instruction knew."""
    form = getattr(window, "report_form", None)
    if form is None or not form.confirm_leave():
        return
    form.new_report_from(known)
    window.show_page("report")  # type: ignore[attr-defined]


def mark_watched(item: QTableWidgetItem, session: Session, kind: str, value: str) -> None:
    """Flag an identifier on the center's watchlist in its row of the report form."""
    hit = session.desk.sync.watch_hit(kind, value) if value.strip() else None
    if hit is None:
        item.setToolTip("")
        item.setForeground(QBrush(QColor("#555555")))
        return
    cases = hit[0]
    if cases:
        short = QCoreApplication.translate("SyncStatusButton", "{n} cases in the city").format(
            n=cases
        )
        note = QCoreApplication.translate(
            "SyncStatusButton", "This account appears in {n} cases in the city"
        ).format(n=cases)
    else:
        short = QCoreApplication.translate("SyncStatusButton", "watched")
        note = QCoreApplication.translate("SyncStatusButton", "Flagged by the city center")
    # The column is narrow: a short mark in the cell, the whole sentence in its tooltip.
    item.setText(f"{item.text()}  ⚠ {short}")
    item.setToolTip(note)
    item.setForeground(QBrush(QColor("#b00020")))
