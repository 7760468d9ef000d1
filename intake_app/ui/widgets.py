"""Small widgets shared by the pages."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


class ErrorLabel(QLabel):
    """A message under a form, in red, that also puts the focus on the field it names."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorLabel")
        self.setWordWrap(True)
        self.setStyleSheet("color: #b00020;")
        self.hide()

    def show_message(self, text: str, field: QWidget | None = None) -> None:
        self.setText(text)
        self.show()
        if field is not None:
            field.setFocus()

    def clear_message(self) -> None:
        self.clear()
        self.hide()
