"""Help → About (F1): the desk's version and the licences of everything it ships.

    add_help_menu(main_window)

The list comes from services.licences: Python, Qt and PySide6 (LGPL-3.0), the Noto Sans SC
font (OFL-1.1), the BIN table (MIT), and each Python library with its licence as its metadata
states it; picking a row shows that part's full licence text.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.services.licences import (
    BINS,
    FONT,
    LIBRARY,
    PYTHON,
    QT,
    Component,
    bundled_components,
)
from intake_app.services.resources import resource

from intake_app import __version__

ICON = ("icons", "intake-desk.png")


def app_icon() -> QIcon:
    return QIcon(str(resource(*ICON)))


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About Fraud Intake Desk"))
        self.resize(760, 560)
        self.components = bundled_components()

        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(64, 64))
        title = QLabel(
            "<b>"
            + self.tr("Fraud Intake Desk")
            + "</b><br>"
            + self.tr("Version {version}").format(version=__version__)
        )
        title.setObjectName("versionLabel")
        head = QHBoxLayout()
        head.addWidget(logo)
        head.addWidget(title, 1)

        intro = QLabel(
            self.tr(
                "The desk is built from the parts below, each under its own licence; select "
                "one to read its full licence text. Qt and PySide6 are used unmodified as "
                "shared libraries under the GNU LGPL version 3: a station may replace them "
                "with its own build of the same version."
            )
        )
        intro.setWordWrap(True)

        self.table = QTableWidget(len(self.components), 4)
        self.table.setObjectName("componentTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Part"), self.tr("What it is"), self.tr("Version"), self.tr("Licence")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for row, part in enumerate(self.components):
            for column, text in enumerate(
                (part.name, self.kind_label(part.kind), part.version, part.licence)
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.text = QPlainTextEdit()
        self.text.setObjectName("licenceText")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(intro)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.text, 2)
        layout.addWidget(buttons)

        self.table.currentCellChanged.connect(lambda row, *_: self.show_licence(row))
        self.table.selectRow(0)

    def kind_label(self, kind: str) -> str:
        return {
            PYTHON: self.tr("Programming language and its standard library"),
            QT: self.tr("User interface toolkit and its Python binding"),
            FONT: self.tr("Chinese font for the screen and printed PDFs"),
            BINS: self.tr("Bank card numbers to banks (suggests the payee bank)"),
            LIBRARY: self.tr("Python library"),
        }.get(kind, kind)

    def show_licence(self, row: int) -> None:
        if not 0 <= row < len(self.components):
            return
        part: Component = self.components[row]
        text = part.licence_text()
        if not text:
            text = self.tr(
                "{name} ships no separate licence file; its licence is {licence}."
            ).format(name=part.name, licence=part.licence)
        self.text.setPlainText(text)
        self.text.moveCursor(self.text.textCursor().MoveOperation.Start)


def run_dialog(dialog: QDialog) -> None:
    """Show the dialog modally (tests replace this)."""
    dialog.exec()


def show_about(parent: QWidget) -> None:
    run_dialog(AboutDialog(parent))


def add_help_menu(window: QMainWindow) -> QAction:
    """A Help menu with About (F1) on the main window's menu bar."""
    menu = window.menuBar().addMenu(QCoreApplication.translate("AboutDialog", "&Help"))
    action = QAction(QCoreApplication.translate("AboutDialog", "About Fraud Intake Desk"), window)
    action.setObjectName("aboutAction")
    action.setShortcut(QKeySequence(Qt.Key.Key_F1))
    action.setMenuRole(QAction.MenuRole.AboutRole)
    action.triggered.connect(lambda: show_about(window))
    menu.addAction(action)
    window.addAction(action)
    return action
