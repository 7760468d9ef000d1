"""Starting the window: `intake-app` with no command.

intake-app [--data-dir DIR] [--lang zh_CN|en] [--demo] [--page NAME]
           [--smoke-test] [--screenshot FILE.png]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from intake_app.domain.errors import IntakeError

from intake_app.services.auth import Officer
from intake_app.services.demo import OFFICERS, create_demo
from intake_app.services.desk import Desk

from intake_app.ui.about import app_icon
from intake_app.ui.fonts import register_fonts
from intake_app.ui.i18n import install_translation
from intake_app.ui.login import LoginDialog, SetupDialog, show_recovery_key
from intake_app.ui.main_window import MainWindow
from intake_app.ui.session import Session

SCREENSHOT_SIZE = (1280, 800)
PAGES = ("report", "drafts", "cases", "stop_payment")


@dataclass
class GuiOptions:
    data_dir: Path
    lang: str
    demo: bool = False
    smoke_test: bool = False
    screenshot: Path | None = None
    page: str | None = None
    demo_cases: int = 200


class DeskApp:
    """Open the data folder, log in, show the main window; again after each log-out."""

    def __init__(self, app: QApplication, options: GuiOptions) -> None:
        self.app = app
        self.options = options
        self.desk: Desk | None = None
        self.window: MainWindow | None = None
        self.demo_dir: Path | None = None
        self.demo_hint = ""

    def open_desk(self) -> Desk | None:
        o = self.options
        data_dir = o.data_dir
        if o.demo or o.smoke_test:
            # A throwaway folder: the demo passwords are shown, so never a real station's data.
            self.demo_dir = Path(tempfile.mkdtemp(prefix="intake-demo-"))
            data_dir = self.demo_dir / "data"
            create_demo(data_dir, cases=o.demo_cases if o.demo else 20)
            demo = OFFICERS[1]
            self.demo_hint = QCoreApplication.translate(
                "DeskApp",
                "Demo station: log in with badge {badge} and password {password}. "
                "The cases are invented; nothing here is kept after closing.",
            ).format(badge=demo.badge, password=demo.password)
        try:
            if not Desk.is_initialised(data_dir):
                setup = SetupDialog(data_dir, o.lang)
                if setup.exec() != QDialog.DialogCode.Accepted or setup.desk is None:
                    return None
                return setup.desk
            return Desk.open(data_dir)
        except IntakeError as exc:
            QMessageBox.critical(
                None,
                QCoreApplication.translate("DeskApp", "The desk's data cannot be opened"),
                exc.message(o.lang),
            )
            return None

    def log_in(self) -> Officer | None:
        assert self.desk is not None
        if self.options.smoke_test or (self.options.demo and self.options.screenshot):
            demo = OFFICERS[1]
            return self.desk.auth.login(demo.badge, demo.password)
        dialog = LoginDialog(self.desk, self.options.lang, demo_hint=self.demo_hint)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.officer

    def show_window(self) -> bool:
        officer = self.log_in()
        if officer is None:
            return False
        assert self.desk is not None
        show_recovery_key(self.desk, None)  # a plain store was encrypted at this login
        session = Session(self.desk, officer, self.options.lang)
        self.window = MainWindow(session, demo_hint=self.demo_hint)
        self.window.logged_out.connect(self._after_logout)
        if self.options.page:
            self.window.show_page(self.options.page)
        self.window.resize(*SCREENSHOT_SIZE)
        self.window.show()
        if not (self.options.smoke_test or self.options.screenshot):
            self.window.offer_unfinished_drafts()
        return True

    def _after_logout(self) -> None:
        # Let the old window finish closing, then ask for the next officer.
        QTimer.singleShot(0, self._next_login)

    def _next_login(self) -> None:
        if not self.show_window():
            self.app.quit()

    def run(self) -> int:
        self.desk = self.open_desk()
        if self.desk is None:
            return 1
        try:
            if not self.show_window():
                return 0
            if self.options.smoke_test:
                self.app.processEvents()
                return 0
            if self.options.screenshot:
                return self.screenshot(self.options.screenshot)
            # Logging out closes the window without ending the program.
            self.app.setQuitOnLastWindowClosed(False)
            self.app.lastWindowClosed.connect(self._maybe_quit)
            return self.app.exec()
        finally:
            self.desk.close()
            if self.demo_dir is not None:
                shutil.rmtree(self.demo_dir, ignore_errors=True)

    def _maybe_quit(self) -> None:
        if self.window is not None and not self.window._closing_for_logout:
            self.app.quit()

    def screenshot(self, path: Path) -> int:
        assert self.window is not None
        window = self.window
        settle(self.app, 1.5)  # let the pages load and paint before grabbing
        path.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(path)):
            print(f"cannot write {path}", file=sys.stderr)
            return 1
        return 0


def settle(app: QApplication, seconds: float) -> None:
    """Process events (queued results of worker threads included) for a while."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


# How often a Python thread holding the GIL offers it to another (default 5 ms). The case
# list's worker thread hands its answers to the GUI thread: a shorter interval measured 1.0 ms
# -> 0.2 ms for a search answer at 200,000 cases, with no visible cost.
GIL_SWITCH_INTERVAL_S = 0.0005


def run_gui(options: GuiOptions) -> int:
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Fraud Intake Desk")
    app.setOrganizationName("intake-desk")
    app.setWindowIcon(app_icon())
    register_fonts(app)
    install_translation(app, options.lang)
    return DeskApp(app, options).run()
