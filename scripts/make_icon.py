"""Draw the desk's icon from the bundled font: a shield with 反 on it.

    .venv/bin/python scripts/make_icon.py

Writes resources/icons/intake-desk.png (256 px, the window icon and the Linux bundle's) and
resources/icons/intake-desk.ico (16 to 256 px, the Windows programs'). Both are committed; run
this again only to change the design.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
NAVY, GOLD = QColor("#1d3f8f"), QColor("#f2c94c")


def shield(size: float) -> QPainterPath:
    """A heater shield filling a square of `size`."""
    m = size * 0.06
    left, right, top, bottom = m, size - m, m, size - m
    mid = size / 2
    path = QPainterPath(QPointF(mid, top))
    path.cubicTo(
        QPointF(mid + size * 0.18, top + size * 0.08),
        QPointF(right, top + size * 0.08),
        QPointF(right, top + size * 0.08),
    )
    path.lineTo(QPointF(right, top + size * 0.45))
    path.cubicTo(
        QPointF(right, top + size * 0.70),
        QPointF(mid + size * 0.2, bottom - size * 0.08),
        QPointF(mid, bottom),
    )
    path.cubicTo(
        QPointF(mid - size * 0.2, bottom - size * 0.08),
        QPointF(left, top + size * 0.70),
        QPointF(left, top + size * 0.45),
    )
    path.lineTo(QPointF(left, top + size * 0.08))
    path.cubicTo(
        QPointF(left, top + size * 0.08),
        QPointF(mid - size * 0.18, top + size * 0.08),
        QPointF(mid, top),
    )
    path.closeSubpath()
    return path


def draw(size: int, family: str) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    outline = shield(size)
    p.fillPath(outline, NAVY)
    p.setPen(QPen(GOLD, max(1.0, size * 0.035)))
    p.drawPath(outline)
    font = QFont(family)
    font.setBold(True)
    font.setPixelSize(round(size * 0.56))
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(QRectF(0, size * 0.02, size, size * 0.86), Qt.AlignmentFlag.AlignCenter, "反")
    p.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    font_id = QFontDatabase.addApplicationFont(
        str(ROOT / "resources" / "fonts" / "NotoSansSC-Bold.ttf")
    )
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    OUT.mkdir(parents=True, exist_ok=True)
    draw(256, family).save(str(OUT / "intake-desk.png"))
    # Qt's ICO writer stores one image per file; an .ico holds several sizes, so write it here:
    # a header, a directory entry per size, then each size as PNG (valid since Windows Vista).
    images = []
    for size in SIZES:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        draw(size, family).save(buffer, "PNG")
        images.append((size, bytes(data.data())))
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in images:
        dim = size % 256  # 0 means 256
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        blobs += png
    (OUT / "intake-desk.ico").write_bytes(header + entries + blobs)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
