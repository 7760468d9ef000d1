"""The bundled Noto Sans SC, registered with Qt so the screen never depends on the PC's fonts."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from intake_app.services.resources import resource

FONT_FILES = ("NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf")
_registered: list[str] = []


def register_fonts(app: QApplication, point_size: int = 10) -> str:
    """Register the bundled fonts once and make them the application font; returns the family."""
    if not _registered:
        for name in FONT_FILES:
            font_id = QFontDatabase.addApplicationFont(str(resource("fonts", name)))
            if font_id < 0:
                raise RuntimeError(f"cannot load bundled font {name}")
            _registered.extend(QFontDatabase.applicationFontFamilies(font_id))
    family = _registered[0]
    font = QFont(family, point_size)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    app.setFont(font)
    return family
