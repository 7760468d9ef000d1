"""The main window: navigation between the desk's pages, the officer on duty, lock and log out.

Only pages that work are listed; later features add theirs with `add_page`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from intake_app.domain.errors import IntakeError
from intake_app.domain.messages import role_label

from intake_app.ui import sync_status
from intake_app.ui.about import add_help_menu
from intake_app.ui.case_view import CaseView
from intake_app.ui.cases_page import CasesPage
from intake_app.ui.dashboard import add_dashboard_pages
from intake_app.ui.drafts_page import DraftsPage
from intake_app.ui.login import LoginDialog
from intake_app.ui.report_form import ReportForm
from intake_app.ui.session import Session
from intake_app.ui.stop_payment_page import StopPaymentPage

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Emits `idle` after `minutes` without keyboard or mouse input anywhere in the app."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        self.timer.stop()
        if minutes > 0:
            self.timer.start(minutes * 60_000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self.minutes > 0 and self.timer.isActive():
            self.timer.start()
        return False

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class MainWindow(QMainWindow):
    logged_out = Signal()

    def __init__(self, session: Session, *, demo_hint: str = "") -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.session = session
        self.demo_hint = demo_hint
        self._closing_for_logout = False
        desk = session.desk
        self.setWindowTitle(
            self.tr("Fraud Intake Desk — {station}").format(station=desk.station_name)
        )
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(170)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._central = central
        self._pages: dict[str, QWidget] = {}
        self._items: dict[str, QListWidgetItem] = {}
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)

        self.report_form = ReportForm(session)
        self.cases_page = CasesPage(session)
        self.case_view = CaseView(session)
        self.drafts_page = DraftsPage(session)
        self.drafts_page.open_requested.connect(self.continue_draft)
        self.add_page("report", self.tr("New report"), self.report_form)
        self.add_page("drafts", self.tr("Unfinished"), self.drafts_page)
        self.add_page("cases", self.tr("Cases"), self.cases_page)
        self.add_page("case", self.tr("Case"), self.case_view)
        self.add_page(
            "stop_payment", self.tr("Stop payment"), StopPaymentPage(session, self.statusBar())
        )
        self._items["case"].setHidden(True)  # shown once a case is opened
        add_dashboard_pages(self)

        session.open_case_requested.connect(self.open_case)
        session.revise_requested.connect(self.revise_case)
        self._build_menu()
        add_help_menu(self)
        self._build_status_bar()
        self.sync_status = sync_status.attach(self, session)
        self.idle = IdleWatcher(desk.idle_lock_minutes, self)
        self.idle.idle.connect(self.lock)
        self.show_page("report")

    # Pages ---------------------------------------------------------------------------------

    def add_page(self, key: str, title: str, widget: QWidget) -> None:
        self._pages[key] = widget
        self.stack.addWidget(widget)
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.nav.addItem(item)
        self._items[key] = item

    def show_page(self, key: str) -> None:
        item = self._items[key]
        item.setHidden(False)
        self.nav.setCurrentItem(item)
        self.stack.setCurrentWidget(self._pages[key])

    def current_page(self) -> str:
        return str(self.nav.currentItem().data(Qt.ItemDataRole.UserRole))

    def open_case(self, case_no: str) -> None:
        self.case_view.show_case(case_no)
        self.show_page("case")

    def revise_case(self, case_no: str) -> None:
        if not self.report_form.confirm_leave():
            return
        self.report_form.edit_case(case_no)
        self.show_page("report")

    def continue_draft(self, uuid: str) -> None:
        if not self.report_form.confirm_leave():
            return
        self.report_form.load_draft(uuid)
        self.show_page("report")

    def new_report(self) -> None:
        if not self.report_form.confirm_leave():
            return
        self.report_form.new_report()
        self.show_page("report")

    def find_cases(self) -> None:
        self.show_page("cases")
        self.cases_page.focus_search()

    def offer_unfinished_drafts(self) -> None:
        """After a crash or power cut: offer the newest unfinished report back."""
        if self.report_form.offer_recovery():
            self.show_page("report")

    # Menu and status -----------------------------------------------------------------------

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Desk"))
        for text, shortcut, slot, name in (
            (self.tr("New report"), QKeySequence.StandardKey.New, self.new_report, "newAction"),
            (self.tr("Find cases"), QKeySequence.StandardKey.Find, self.find_cases, "findAction"),
            (self.tr("Lock screen"), QKeySequence("Ctrl+L"), self.lock, "lockAction"),
            (self.tr("Log out"), QKeySequence("Ctrl+Shift+L"), self.log_out, "logoutAction"),
        ):
            action = QAction(text, self)
            action.setObjectName(name)
            action.setShortcut(shortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
            self.addAction(action)
        if self.session.officer.has_role("admin"):
            menu.addSeparator()
            idle = QAction(self.tr("Lock after idle…"), self)
            idle.setObjectName("idleSettingAction")
            idle.triggered.connect(self.ask_idle_minutes)
            menu.addAction(idle)
        menu.addSeparator()
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)

    def _build_status_bar(self) -> None:
        officer = self.session.officer
        who = QLabel(
            self.tr("On duty: {name} ({badge}, {role})").format(
                name=officer.name,
                badge=officer.badge,
                role=role_label(officer.role, self.session.lang),
            )
        )
        who.setObjectName("officerLabel")
        station = QLabel(f"{self.session.desk.station_name}  {self.session.desk.station_code}")
        self.statusBar().addWidget(who)
        self.statusBar().addPermanentWidget(station)

    def ask_idle_minutes(self) -> None:
        desk = self.session.desk
        minutes, ok = QInputDialog.getInt(
            self,
            self.tr("Lock after idle"),
            self.tr("Minutes without input before the screen locks (0: never):"),
            desk.idle_lock_minutes,
            0,
            240,
        )
        if not ok:
            return
        try:
            desk.set_idle_lock_minutes(self.session.officer, minutes)
        except IntakeError as exc:
            QMessageBox.warning(self, self.tr("Lock after idle"), exc.message(self.session.lang))
            return
        self.idle.set_minutes(minutes)

    # Lock and log out ----------------------------------------------------------------------

    def lock(self) -> None:
        """Hide the desk until the officer's password is entered again (audited)."""
        self.idle.timer.stop()
        self.report_form.flush()
        desk, officer = self.session.desk, self.session.officer
        desk.auth.logout(officer, "idle_lock")
        self._central.hide()
        dialog = LoginDialog(desk, self.session.lang, badge=officer.badge, locked=True, parent=self)
        dialog.setObjectName("lockDialog")
        unlocked = dialog.exec() == LoginDialog.DialogCode.Accepted
        self._central.show()
        if unlocked:
            self.idle.set_minutes(desk.idle_lock_minutes)
        else:
            self._finish_logout(audited=True)

    def log_out(self) -> None:
        if not self.report_form.confirm_leave():
            return
        self._finish_logout(audited=False)

    def _finish_logout(self, *, audited: bool) -> None:
        if not audited:
            self.session.desk.auth.logout(self.session.officer)
        self._closing_for_logout = True
        self.idle.stop()
        self.close()
        self.logged_out.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing_for_logout and not self.report_form.confirm_leave():
            event.ignore()
            return
        self.report_form.flush()
        self.idle.stop()
        event.accept()
