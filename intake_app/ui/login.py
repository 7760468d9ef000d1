"""First-run station set-up, login, and the lock screen's password check."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.errors import IntakeError

from intake_app.services.auth import Officer
from intake_app.services.desk import Desk

from intake_app.ui.widgets import ErrorLabel


class SetupDialog(QDialog):
    """Shown when the data folder is empty: the station and its first administrator."""

    def __init__(self, data_dir: Path, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupDialog")
        self.data_dir = data_dir
        self.lang = lang
        self.desk: Desk | None = None
        self.setWindowTitle(self.tr("Set up this station"))
        intro = QLabel(
            self.tr(
                "This data folder is empty. Enter the station and its first administrator; "
                "the administrator then adds the other officers."
            )
        )
        intro.setWordWrap(True)
        folder = QLabel(self.tr("Data folder: {path}").format(path=data_dir))
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, label, echo in (
            ("station_code", self.tr("Station code (12 digits)"), False),
            ("station_name", self.tr("Station name"), False),
            ("badge", self.tr("Administrator's badge"), False),
            ("name", self.tr("Administrator's name"), False),
            ("password", self.tr("Password"), True),
            ("confirm", self.tr("Password again"), True),
        ):
            edit = QLineEdit()
            edit.setObjectName(f"{key}Edit")
            if echo:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.fields[key] = edit
            form.addRow(label, edit)
        self.fields["station_code"].setInputMask("")
        self.fields["station_code"].setMaxLength(12)
        self.error = ErrorLabel()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Set up"))
        buttons.accepted.connect(self._set_up)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(folder)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _set_up(self) -> None:
        f = {
            k: e.text().strip() if k not in ("password", "confirm") else e.text()
            for k, e in self.fields.items()
        }
        if f["password"] != f["confirm"]:
            self.error.show_message(self.tr("The two passwords differ."), self.fields["confirm"])
            return
        try:
            self.desk = Desk.initialise(
                self.data_dir,
                station_code=f["station_code"],
                station_name=f["station_name"],
                admin_badge=f["badge"],
                admin_name=f["name"],
                password=f["password"],
            )
        except IntakeError as exc:
            target = {
                "station_code": "station_code",
                "station_name": "station_name",
                "badge": "badge",
                "name": "name",
                "password": "password",
            }.get(exc.field)
            self.error.show_message(exc.message(self.lang), self.fields.get(target or ""))
            return
        self.accept()


class LoginDialog(QDialog):
    """Badge and password. Every attempt, failed ones too, is written to the audit log."""

    def __init__(
        self,
        desk: Desk,
        lang: str,
        *,
        demo_hint: str = "",
        badge: str = "",
        locked: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.desk = desk
        self.lang = lang
        self.officer: Officer | None = None
        self.setWindowTitle(self.tr("Fraud Intake Desk — log in"))
        title = QLabel(desk.station_name)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel(
            self.tr("The screen is locked. Enter your password to go on.")
            if locked
            else self.tr("Log in with your badge number and password.")
        )
        self.badge = QLineEdit(badge)
        self.badge.setObjectName("badgeEdit")
        self.badge.setReadOnly(locked)
        self.password = QLineEdit()
        self.password.setObjectName("passwordEdit")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("Badge"), self.badge)
        form.addRow(self.tr("Password"), self.password)
        self.error = ErrorLabel()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Unlock") if locked else self.tr("Log in")
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("Log out") if locked else self.tr("Quit")
        )
        buttons.accepted.connect(self._log_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addLayout(form)
        if demo_hint:
            hint = QLabel(demo_hint)
            hint.setObjectName("demoHint")
            hint.setWordWrap(True)
            hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            hint.setStyleSheet("background: #fff7d6; border: 1px solid #e0c060; padding: 6px;")
            layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.password if badge else self.badge).setFocus()

    def _log_in(self) -> None:
        try:
            self.officer = self.desk.auth.login(self.badge.text().strip(), self.password.text())
        except IntakeError as exc:
            self.password.clear()
            self.error.show_message(exc.message(self.lang), self.password)
            return
        self.accept()
