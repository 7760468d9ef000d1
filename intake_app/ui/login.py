"""First-run station set-up (with the recovery key, shown once), login, and the lock screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
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
        show_recovery_key(self.desk, self)
        self.accept()


class RecoveryKeyDialog(QDialog):
    """The recovery key, once: the station head writes it down; the desk never shows it again."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryKeyDialog")
        self.setWindowTitle(self.tr("Recovery key"))
        intro = QLabel(
            self.tr(
                "The desk's data is encrypted. Each officer's password unlocks it; if every "
                "password is forgotten, only this recovery key can. Write it on paper now and give "
                "it to the station head to keep locked away. It is shown only this once."
            )
        )
        intro.setWordWrap(True)
        self.key_label = QLabel(key)
        self.key_label.setObjectName("recoveryKeyLabel")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(self.font().pointSizeF() * 1.5)
        font.setBold(True)
        self.key_label.setFont(font)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.written = QCheckBox(self.tr("I have written the recovery key down"))
        self.written.setObjectName("writtenCheck")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.written.toggled.connect(self.ok_button.setEnabled)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.key_label)
        layout.addWidget(self.written)
        layout.addWidget(buttons)

    def reject(self) -> None:
        """Esc does not close it before the key is written down."""
        if self.written.isChecked():
            super().reject()


def run_recovery_key_dialog(key: str, parent: QWidget | None) -> None:
    RecoveryKeyDialog(key, parent).exec()


def show_recovery_key(desk: Desk, parent: QWidget | None) -> None:
    """Show a new recovery key (after set-up, or after a plain store was encrypted), then
    forget it. Tests replace `run_recovery_key_dialog`."""
    if desk.recovery_key:
        run_recovery_key_dialog(desk.recovery_key, parent)
        desk.recovery_key = None


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
