"""Work off the GUI thread: a job `desk -> result` runs on a thread with a Desk of its own.

Each request carries a serial number; an answer to anything but the newest request is dropped
(the filters have changed since). The thread stops when its owner is destroyed or the
application quits.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable
from typing import Any

from shiboken6 import Shiboken

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from intake_app.services.desk import Desk

Job = Callable[[Desk], Any]


class _Worker(QObject):
    answered = Signal(int, object)  # serial, result
    failed = Signal(int, object)  # serial, exception

    def __init__(self, open_desk: Callable[[], Desk]) -> None:
        super().__init__()
        self._open_desk = open_desk
        self._desk: Desk | None = None
        self.latest = 0  # set from the GUI thread

    @Slot(int, object)
    def run(self, serial: int, job: Job) -> None:
        if serial != self.latest:
            return  # a newer request is queued behind this one
        try:
            if self._desk is None:
                self._desk = self._open_desk()
            result = job(self._desk)
        except Exception as exc:
            self.failed.emit(serial, exc)
            return
        self.answered.emit(serial, result)

    @Slot()
    def close(self) -> None:
        if self._desk is not None:
            self._desk.close()
            self._desk = None


# The threads and their workers outlive their owner's Python wrapper: a QThread must never be
# deleted while it runs, nor a worker while its thread runs a job. They are let go here once
# the thread has finished and Qt has deleted them.
_running: list[tuple[QThread, _Worker]] = []
_quit_hooked = False


def _stop_all() -> None:
    for thread, _worker in _running:
        if Shiboken.isValid(thread) and thread.isRunning():
            thread.quit()
            thread.wait()
    _running.clear()


atexit.register(_stop_all)


class Background(QObject):
    """Owned by a page: `ask(job)` runs it on the worker; `answered(result)` or
    `failed(exception)` come back on the GUI thread for the newest request only."""

    answered = Signal(object)
    failed = Signal(object)
    _request = Signal(int, object)

    def __init__(self, open_desk: Callable[[], Desk], parent: QObject, name: str) -> None:
        super().__init__(parent)
        self._serial = 0
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._worker = _Worker(open_desk)
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.close, Qt.ConnectionType.DirectConnection)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.finished.connect(self._thread.deleteLater)
        self._request.connect(self._worker.run)
        self._worker.answered.connect(self._on_answer)
        self._worker.failed.connect(self._on_failure)
        parent.destroyed.connect(self._thread.quit)
        global _quit_hooked
        app = QCoreApplication.instance()
        if app is not None and not _quit_hooked:
            app.aboutToQuit.connect(_stop_all)
            _quit_hooked = True
        _running[:] = [(t, w) for t, w in _running if Shiboken.isValid(t)]
        _running.append((self._thread, self._worker))
        self._thread.start()

    def ask(self, job: Job) -> None:
        self._serial += 1
        self._worker.latest = self._serial
        self._request.emit(self._serial, job)

    @Slot(int, object)
    def _on_answer(self, serial: int, result: object) -> None:
        if serial == self._serial:
            self.answered.emit(result)

    @Slot(int, object)
    def _on_failure(self, serial: int, error: object) -> None:
        if serial == self._serial:
            self.failed.emit(error)
