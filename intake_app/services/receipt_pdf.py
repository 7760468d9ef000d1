"""The receipt (受案回执) as an A4 PDF: the copies a template lists, one above the other, with a
cut line between them.

Each copy has a title, its label (报案人联, 存根联 ...), the 补打 mark on a reprint, the
template's opening sentence, a table of the fields the template lists, the QR code (case number
and verification code) beside it, the template's texts, signature lines, and a footer with the
Code 128 barcode of the case number, the accepting unit and the date printed. When a copy does
not fit its half of the page at full size, it is set a little smaller, down to 80 %.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from intake_app.domain import code128
from intake_app.domain.errors import IntakeError
from intake_app.domain.qr_code import qr_matrix
from intake_app.domain.receipt_template import SETTING_FIELD, CopySpec, ReceiptTemplate

from intake_app.services.pdf_fonts import REGULAR, FontSet
from intake_app.services.pdf_text import Value, draw, wrap

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_Y = 36.0, 24.0
CUT_GAP = 28.0
PAD = 12.0
SCALES = (1.0, 0.95, 0.9, 0.85, 0.8)
QR_SIZE = 80.0
LINE = 0.6
GREY = 0.93


@dataclass(frozen=True)
class ReceiptContent:
    case_no: str
    qr_payload: str
    unit: Value
    printed_date: str
    reprint_mark: str  # "" on the first print
    values: Mapping[str, Value]  # field -> full value
    masked: Mapping[str, Value]  # field -> masked value (reporter_id, reporter_phone)
    texts: Mapping[str, Value]  # text key -> filled text


def fill_rects(
    c: Canvas, x: float, y: float, sx: float, sy: float, rects: Iterable[tuple[int, ...]]
) -> None:
    """Black rectangles given in whole units of (sx, sy) from (x, y), as one filled path.
    Written as PDF operators directly: a QR code has hundreds of them, and reportlab's
    path objects would format every coordinate one by one."""
    ops = " ".join(f"{a} {b} {w} {h} re" for a, b, w, h in rects)
    c.saveState()
    c.transform(sx, 0, 0, sy, x, y)
    c.setFillGray(0)
    c.addLiteral(f"{ops} f")
    c.restoreState()


def draw_qr(c: Canvas, matrix: Sequence[Sequence[bool]], x: float, y: float, size: float) -> None:
    """The QR code in a square, its quiet zone of four modules included."""
    n = len(matrix)
    rects = []
    for r, row in enumerate(matrix):
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                rects.append((start + 4, n + 3 - r, col - start, 1))
            else:
                col += 1
    module = size / (n + 8)
    fill_rects(c, x, y, module, module, rects)


def draw_code128(c: Canvas, value: str, x: float, y: float, bar: float, height: float) -> float:
    """A Code 128 barcode (no quiet zone, no text) from (x, y); returns its width."""
    rects, left = [], 0
    for i, width in enumerate(code128.modules(value)):  # bar, space, bar, ...
        if i % 2 == 0:
            rects.append((left, 0, width, 1))
        left += width
    fill_rects(c, x, y, bar, height, rects)
    return left * bar


class _Copy:
    """Lays out one copy; with no canvas it only measures."""

    def __init__(
        self,
        template: ReceiptTemplate,
        spec: CopySpec,
        content: ReceiptContent,
        fonts: FontSet,
        matrix: Sequence[Sequence[bool]],
        scale: float,
    ) -> None:
        self.t, self.spec, self.content, self.fonts, self.matrix = (
            template,
            spec,
            content,
            fonts,
            matrix,
        )
        self.s = scale
        self.size = 10.0 * scale
        self.lead = 14.5 * scale

    def value(self, name: str) -> Value:
        masked = (name == "reporter_id" and self.spec.mask_id_number) or (
            name == "reporter_phone" and self.spec.mask_phone
        )
        source = self.content.masked if masked else self.content.values
        return source.get(name) or self.content.values[name]

    def render(
        self, c: Canvas | None, x: float, top: float, width: float, bottom: float | None = None
    ) -> float:
        """Lay out (and with a canvas, draw) the copy from top down; returns its height. With
        a bottom, the signature lines and the footer sit at the bottom of the copy."""
        y = top
        y = self._header(c, x, y, width)
        if "body" in self.spec.texts:
            y = self._paragraph(c, x, y, width, self.content.texts["body"], gap=4)
        y = self._table(c, x, y - 4 * self.s, width)
        for key in self.spec.texts:
            if key == "body":
                continue
            if key == "warning_96110":
                y = self._boxed(c, x, y - 6 * self.s, width, self.content.texts[key], bold=True)
            elif key == "warning":
                y = self._boxed(c, x, y, width, self.content.texts[key], bold=False, joined=True)
            else:
                y = self._paragraph(c, x, y - 2 * self.s, width, self.content.texts[key])
        if bottom is not None:
            y = min(y, bottom - self._tail(None, x, 0, width))
        y = self._tail(c, x, y, width)
        return top - y

    def _tail(self, c: Canvas | None, x: float, y: float, width: float) -> float:
        if self.spec.signatures:
            y = self._signatures(c, x, y - 10 * self.s, width)
        return self._footer(c, x, y - 10 * self.s, width)

    # Parts -------------------------------------------------------------------------------------

    def _header(self, c: Canvas | None, x: float, y: float, width: float) -> float:
        s = self.s
        title_size = 20 * s
        base = y - title_size
        if c is not None:
            draw(
                c,
                self.fonts,
                x + width / 2,
                base,
                self.t.title,
                f"{SETTING_FIELD}.title",
                title_size,
                bold=True,
                align="center",
                spacing=6 * s,
            )
            self._tag(c, x + width, base, self.spec.label, align="right")
            if self.content.reprint_mark:
                self._tag(c, x, base, self.content.reprint_mark, align="left")
        return base - 10 * s

    def _tag(self, c: Canvas, x: float, base: float, text: str, *, align: str) -> None:
        size = 10.5 * self.s
        field = f"{SETTING_FIELD}.copies"
        w = self.fonts.width(text, field, size, bold=True) + 10 * self.s
        left = x - w if align == "right" else x
        c.setLineWidth(0.9)
        c.rect(left, base - 4 * self.s, w, size + 8 * self.s, stroke=1, fill=0)
        draw(
            c,
            self.fonts,
            left + w / 2,
            base + 0.5 * self.s,
            text,
            field,
            size,
            bold=True,
            align="center",
        )

    def _paragraph(
        self, c: Canvas | None, x: float, y: float, width: float, value: Value, gap: float = 0
    ) -> float:
        lines = wrap(self.fonts, value.text, value.field, self.size, width)
        for line in lines:
            y -= self.lead
            if c is not None:
                draw(c, self.fonts, x, y + 3.5 * self.s, line, value.field, self.size)
        return y - gap * self.s

    def _boxed(
        self,
        c: Canvas | None,
        x: float,
        y: float,
        width: float,
        value: Value,
        *,
        bold: bool,
        joined: bool = False,
    ) -> float:
        """A shaded box: the 96110 line in bold, the warning text (joined to the box above)."""
        pad = 5 * self.s
        lines = wrap(self.fonts, value.text, value.field, self.size, width - 2 * pad, bold=bold)
        height = len(lines) * self.lead + (pad if joined else 2 * pad)
        if c is not None:
            c.setFillGray(GREY)
            c.setLineWidth(LINE)
            c.rect(x, y - height, width, height, stroke=0, fill=1)
            c.setFillGray(0)
            line_y = y - (0 if joined else pad)
            for line in lines:
                line_y -= self.lead
                draw(
                    c,
                    self.fonts,
                    x + pad,
                    line_y + 3.5 * self.s,
                    line,
                    value.field,
                    self.size,
                    bold=bold,
                )
        return y - height

    def _rows(self, width: float) -> list[list[str]]:
        """Fields paired two to a row where both fit in half the width, else one to a row."""
        half_value = width / 2 - self._label_w()
        rows: list[list[str]] = []
        pending: list[str] = []
        for name in self.spec.fields:
            v = self.value(name)
            narrow = self.fonts.width(v.text, v.field, self.size) + 8 * self.s <= half_value
            if narrow:
                pending.append(name)
                if len(pending) == 2:
                    rows.append(pending)
                    pending = []
            else:
                if pending:
                    rows.append(pending)
                    pending = []
                rows.append([name])
        if pending:
            rows.append(pending)
        return rows

    def _label_w(self) -> float:
        widest = max(
            self.fonts.width(self.t.labels[f], f"{SETTING_FIELD}.labels.{f}", self.size)
            for f in self.spec.fields
        )
        return widest + 10 * self.s

    def _table(self, c: Canvas | None, x: float, y: float, width: float) -> float:
        if not self.spec.fields:
            return y
        s = self.s
        qr_w = QR_SIZE * s if self.spec.codes else 0.0
        table_w = width - (qr_w + 8 * s if qr_w else 0)
        label_w = self._label_w()
        rows = self._rows(table_w)
        top = y
        heights = []
        cells: list[list[tuple[str, list[str], float]]] = []
        for row in rows:
            cell_w = table_w / len(row)
            line_sets = []
            for name in row:
                v = self.value(name)
                lines = wrap(self.fonts, v.text, v.field, self.size, cell_w - label_w - 8 * s)
                line_sets.append((name, lines, cell_w))
            cells.append(line_sets)
            heights.append(max(len(ls[1]) for ls in line_sets) * self.lead + 7 * s)
        table_h = sum(heights)
        block_h = max(table_h, qr_w + 12 * s if qr_w else 0)
        if c is not None:
            c.setLineWidth(LINE)
            row_top = top
            for row_cells, h in zip(cells, heights, strict=True):
                cx = x
                for name, lines, cell_w in row_cells:
                    c.setFillGray(GREY)
                    c.rect(cx, row_top - h, label_w, h, stroke=0, fill=1)
                    c.setFillGray(0)
                    c.rect(cx, row_top - h, cell_w, h, stroke=1, fill=0)
                    c.line(cx + label_w, row_top, cx + label_w, row_top - h)
                    label = self.t.labels[name]
                    text_y = row_top - 3.5 * s - self.lead + 3.5 * s
                    draw(
                        c,
                        self.fonts,
                        cx + label_w / 2,
                        row_top - h / 2 - self.size * 0.35,
                        label,
                        f"{SETTING_FIELD}.labels.{name}",
                        self.size,
                        align="center",
                    )
                    v = self.value(name)
                    ly = text_y
                    for line in lines:
                        bold = name in ("case_no", "verification_code")
                        draw(
                            c,
                            self.fonts,
                            cx + label_w + 4 * s,
                            ly,
                            line,
                            v.field,
                            self.size,
                            bold=bold,
                        )
                        ly -= self.lead
                    cx += cell_w
                row_top -= h
            if qr_w:
                qx = x + width - qr_w
                draw_qr(c, self.matrix, qx, top - qr_w, qr_w)
                draw(
                    c,
                    self.fonts,
                    qx + qr_w / 2,
                    top - qr_w - 8 * s,
                    "扫码核验",
                    f"{SETTING_FIELD}.qr",
                    7.5 * s,
                    align="center",
                )
        return top - block_h

    def _signatures(self, c: Canvas | None, x: float, y: float, width: float) -> float:
        base = y - self.lead
        if c is not None:
            slot = width / len(self.spec.signatures)
            for i, label in enumerate(self.spec.signatures):
                sx = x + i * slot
                w = draw(
                    c, self.fonts, sx, base, f"{label}：", f"{SETTING_FIELD}.copies", self.size
                )
                c.setLineWidth(LINE)
                c.line(sx + w + 2, base - 2, sx + slot - 16 * self.s, base - 2)
        return base - 4 * self.s

    def _footer(self, c: Canvas | None, x: float, y: float, width: float) -> float:
        s = self.s
        bar_h = 24 * s
        height = bar_h + 12 * s
        if c is not None:
            if self.spec.codes:
                bar_w = draw_code128(c, self.content.case_no, x, y - bar_h, 0.72 * s, bar_h)
                draw(
                    c,
                    self.fonts,
                    x + bar_w / 2,
                    y - bar_h - 9 * s,
                    self.content.case_no,
                    "case_no",
                    7.5 * s,
                    align="center",
                    spacing=0.6 * s,
                )
            unit = self.content.unit
            right = x + width - 6 * s
            draw(
                c,
                self.fonts,
                right,
                y - 12 * s,
                f"{unit.text}（印章）",
                unit.field,
                self.size,
                align="right",
            )
            draw(
                c,
                self.fonts,
                right,
                y - 12 * s - self.lead * 1.3,
                self.content.printed_date,
                "printed_at",
                self.size,
                align="right",
            )
        return y - height


def render_receipt(template: ReceiptTemplate, content: ReceiptContent, fonts: FontSet) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, initialFontName=REGULAR)
    c.setTitle(f"{template.title} {content.case_no}")
    c.setAuthor(content.unit.text)
    c.setSubject(content.case_no)
    c.setCreator("Fraud Intake Desk")
    matrix = qr_matrix(content.qr_payload)
    n = len(template.copies)
    inner_w = PAGE_W - 2 * MARGIN_X - 2 * PAD
    box_h = (PAGE_H - 2 * MARGIN_Y - (n - 1) * CUT_GAP) / n
    top = PAGE_H - MARGIN_Y
    for i, spec in enumerate(template.copies):
        copy = next(
            (
                copy
                for scale in SCALES
                if (copy := _Copy(template, spec, content, fonts, matrix, scale)).render(
                    None, 0, 0, inner_w
                )
                <= box_h - 2 * PAD
            ),
            None,
        )
        if copy is None:
            raise IntakeError("receipt_does_not_fit", SETTING_FIELD, copy=spec.label)
        c.setLineWidth(LINE)
        c.rect(MARGIN_X, top - box_h, PAGE_W - 2 * MARGIN_X, box_h, stroke=1, fill=0)
        copy.render(c, MARGIN_X + PAD, top - PAD, inner_w, bottom=top - box_h + PAD)
        top -= box_h
        if i < n - 1:
            _cut_line(c, fonts, template, top - CUT_GAP / 2)
            top -= CUT_GAP
    c.showPage()
    c.save()
    return buf.getvalue()


def _cut_line(c: Canvas, fonts: FontSet, template: ReceiptTemplate, y: float) -> None:
    label = f"✂ {template.cut_line}" if template.cut_line else "✂"
    size = 8.0
    w = fonts.width(label, f"{SETTING_FIELD}.cut_line", size) + 12
    c.saveState()
    c.setLineWidth(0.5)
    c.setDash(4, 3)
    mid = PAGE_W / 2
    c.line(12, y, mid - w / 2, y)
    c.line(mid + w / 2, y, PAGE_W - 12, y)
    c.restoreState()
    draw(c, fonts, mid, y - size * 0.35, label, f"{SETTING_FIELD}.cut_line", size, align="center")
