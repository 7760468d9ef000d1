"""Setting Chinese text for printed documents: line breaking, drawing in font runs, dates.

Chinese breaks between any two characters, except that closing punctuation never starts a line
and opening punctuation never ends one; runs of Latin letters and digits (account numbers, case
numbers) stay together unless they are wider than the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from reportlab.pdfgen.canvas import Canvas

from intake_app.domain.times import SHANGHAI, parse_time

from intake_app.services.pdf_fonts import CACHE_SIZE, FontSet, clean

NO_LINE_START = frozenset("，。、；：？！）》」』】〕”’％·…—,.;:?!)%]}")
NO_LINE_END = frozenset("（《「『【〔“‘([{")
_TOKEN = re.compile(r"[A-Za-z0-9@._\-+/#&=%*:]+|.", re.DOTALL)


@dataclass(frozen=True)
class Value:
    """A printed value and the field it comes from (named when a character cannot print)."""

    text: str
    field: str


def cn_date(moment: datetime) -> str:
    """A date as printed on Chinese documents: "2026年11月30日" (Beijing time)."""
    local = moment.astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日"


def cn_datetime(iso: str | None) -> str:
    """An ISO time as "2026年11月21日 09:20" (Beijing time); "" for none."""
    if not iso:
        return ""
    local = parse_time(iso, "at").astimezone(SHANGHAI)
    return f"{cn_date(local)} {local:%H:%M}"


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def wrap(
    fonts: FontSet, text: str, field: str, size: float, width: float, *, bold: bool = False
) -> list[str]:
    """The lines a paragraph takes at a width. Explicit line breaks are kept."""
    key = (text, size, width, bold)
    found = fonts.wrapped.get(key)  # a receipt is measured before it is drawn
    if found is None:
        lines: list[str] = []
        for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            lines.extend(_wrap_one(fonts, clean(paragraph), field, size, width, bold))
        if len(fonts.wrapped) > CACHE_SIZE:
            fonts.wrapped.clear()
        found = fonts.wrapped[key] = tuple(lines)
    return list(found)


def _wrap_one(
    fonts: FontSet, text: str, field: str, size: float, width: float, bold: bool
) -> list[str]:
    lines: list[str] = []
    line, used = "", 0.0
    for token in tokens(text):
        w = fonts.width(token, field, size, bold=bold)
        fits = used + w <= width + 0.01
        if fits or not line or token in NO_LINE_START:
            if not fits and not line and w > width:
                # A single token wider than the line (a long number): cut it by characters.
                for ch in token:
                    cw = fonts.width(ch, field, size, bold=bold)
                    if line and used + cw > width + 0.01:
                        lines.append(line)
                        line, used = "", 0.0
                    line, used = line + ch, used + cw
                continue
            line, used = line + token, used + w
            continue
        carry = ""
        while line and line[-1] in NO_LINE_END:
            carry, line = line[-1] + carry, line[:-1]
        lines.append(line.rstrip())
        line = (carry + token).lstrip()
        used = fonts.width(line, field, size, bold=bold)
    if line or not lines:
        lines.append(line.rstrip())
    return lines


def draw(
    canvas: Canvas,
    fonts: FontSet,
    x: float,
    y: float,
    text: str,
    field: str,
    size: float,
    *,
    bold: bool = False,
    align: str = "left",
    spacing: float = 0.0,
) -> float:
    """Draw one line (left, centre or right of x), with `spacing` points between characters;
    returns its width."""
    runs = fonts.runs(text, field, bold=bold)
    chars = sum(len(t) for _f, t in runs)
    total = fonts.width(text, field, size, bold=bold) + spacing * max(chars - 1, 0)
    if align == "center":
        x -= total / 2
    elif align == "right":
        x -= total
    # One text object per line: the font changes inside it, the position follows the text.
    obj = canvas.beginText(x, y)
    if spacing:
        obj.setCharSpace(spacing)
    for font, piece in runs:
        obj.setFont(font, size)
        obj.textOut(piece)
    if spacing:
        obj.setCharSpace(0)  # character spacing outlives the text object otherwise
    canvas.drawText(obj)
    return total
