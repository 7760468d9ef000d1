"""The monthly report (月报) as PDF: the month's figures, a chart and a table per series, and a
signature line for the station head.

Charts are reportlab graphics (vector, in the embedded font), drawn from the same Figures as
the statistics page, so every registered and available series appears here too. Saving the
report is audited (an export entry with the PDF's SHA-256) in the transaction that writes it.
"""

from __future__ import annotations

import hashlib
import io
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from intake_app.domain.money import format_yuan_display
from intake_app.domain.periods import DateRange
from intake_app.domain.times import utc_stamp

from intake_app.store import audit
from intake_app.store.officers import Officer

from intake_app.services.pdf_fonts import REGULAR, FontSet, clean
from intake_app.services.pdf_text import cn_date, draw
from intake_app.services.statistics import FEN, TIME, Figures, SeriesFigures

if TYPE_CHECKING:
    from intake_app.services.desk import Desk

PAGE_W, PAGE_H = A4
MARGIN = 50.0
WIDTH = PAGE_W - 2 * MARGIN
CHART_H = 130.0
ROW_H = 12.0
BOXES_PER_ROW = 5
BAR = colors.HexColor("#2f6fb0")
GRID = colors.HexColor("#c8c8c8")
FOOTNOTE = "本报表由反诈受案台根据本所登记的数据生成；已作废的案件不计入。日期均为北京时间。"


@dataclass(frozen=True)
class MonthlyReport:
    month: str  # YYYY-MM
    pdf: bytes
    sha256: str
    figures: Figures


class MonthlyReportService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self._fonts: FontSet | None = None

    @property
    def fonts(self) -> FontSet:
        if self._fonts is None:
            self._fonts = FontSet([self.desk.data_dir / "fonts"])
        return self._fonts

    def render(self, month: str) -> MonthlyReport:
        span = DateRange.month(month)
        figures = self.desk.statistics.figures(span, "day", "zh_CN")
        pdf = _Layout(self.fonts, self.desk.station_name, span, figures).render(self.desk)
        return MonthlyReport(
            span.first.strftime("%Y-%m"), pdf, hashlib.sha256(pdf).hexdigest(), figures
        )

    def save(self, month: str, path: Path, officer: Officer) -> MonthlyReport:
        """Render the month and write it to `path`, audited in the same transaction."""
        from intake_app.services.documents import DocumentService

        report = self.render(month)
        with self.desk.store.write() as conn:
            audit.append(
                conn,
                officer.badge,
                audit.EXPORT,
                "monthly_report",
                report.month,
                {"file": path.name, "sha256": report.sha256},
                utc_stamp(self.desk.now()),
            )
            DocumentService.write(path, report.pdf)
        return report


class _Layout:
    def __init__(self, fonts: FontSet, station: str, span: DateRange, figures: Figures) -> None:
        self.fonts = fonts
        self.station = station
        self.span = span
        self.figures = figures
        self.c: Canvas | None = None
        self.y = PAGE_H - MARGIN

    def render(self, desk: Desk) -> bytes:
        buf = io.BytesIO()
        c = self.c = Canvas(buf, pagesize=A4, invariant=1, initialFontName=REGULAR)
        month = f"{self.span.first.year}年{self.span.first.month}月"
        c.setTitle(f"{self.station} {month}反诈工作月报")
        c.setAuthor(self.station)
        c.setCreator("Fraud Intake Desk")
        self.text(self.station, 15, bold=True, align="center", field="station_name")
        self.y -= 6
        self.text(f"{month}反诈工作月报", 15, bold=True, align="center")
        self.y -= 4
        period = f"统计期间：{cn_date_of(self.span.first)}至{cn_date_of(self.span.last)}"
        made = f"生成时间：{cn_date(desk.now())}"
        self.text(f"{period}    {made}", 9, align="center")
        self.y -= 10
        self.key_figures()
        for series in self.figures.series:
            self.series_block(series)
        self.signature()
        c.showPage()
        c.save()
        return buf.getvalue()

    # Pieces ----------------------------------------------------------------------------------

    def text(
        self,
        text: str,
        size: float,
        *,
        x: float | None = None,
        bold: bool = False,
        align: str = "left",
        field: str = "report",
        advance: bool = True,
    ) -> None:
        assert self.c is not None
        if x is None:
            x = PAGE_W / 2 if align == "center" else MARGIN
        draw(self.c, self.fonts, x, self.y - size, text, field, size, bold=bold, align=align)
        if advance:
            self.y -= size * 1.5

    def need(self, height: float) -> None:
        """Start a new page unless `height` points are left above the bottom margin."""
        assert self.c is not None
        if self.y - height < MARGIN:
            self.c.showPage()
            self.y = PAGE_H - MARGIN

    def key_figures(self) -> None:
        """A box per column of every series that counts in the totals (a series registered
        later with totals=True gets its boxes too), five to a row."""
        totals = self.figures.totals
        items = [
            (c.label("zh_CN"), _number(totals.get(c.key, 0), c.unit))
            for s in self.figures.series
            if s.series.totals
            for c in s.series.columns
        ]
        for start in range(0, len(items), BOXES_PER_ROW):
            self._boxes(items[start : start + BOXES_PER_ROW])
        self.y -= 16

    def _boxes(self, items: list[tuple[str, str]]) -> None:
        assert self.c is not None
        box_w = WIDTH / BOXES_PER_ROW
        top = self.y
        self.c.setStrokeColor(GRID)
        for i, (label, value) in enumerate(items):
            x = MARGIN + i * box_w
            self.c.rect(x, top - 42, box_w, 42, stroke=1, fill=0)
            draw(self.c, self.fonts, x + box_w / 2, top - 15, label, "report", 9, align="center")
            draw(
                self.c,
                self.fonts,
                x + box_w / 2,
                top - 33,
                value,
                "report",
                11,
                bold=True,
                align="center",
            )
        self.c.setStrokeColor(colors.black)
        self.y = top - 42

    def series_block(self, figures: SeriesFigures) -> None:
        series = figures.series
        table_rows = figures.rows if series.kind != TIME else [r for r in figures.rows if any(r[1])]
        height = 20 + CHART_H + 16 + ROW_H * (len(table_rows) + 1)
        self.need(min(height, 20 + CHART_H + 16 + ROW_H * 6))
        self.text(series.label("zh_CN"), 11, bold=True)
        assert self.c is not None
        renderPDF.draw(self.chart(figures), self.c, MARGIN, self.y - CHART_H)
        self.y -= CHART_H + 10
        self.table(figures, table_rows)
        self.y -= 12

    def chart(self, figures: SeriesFigures) -> Drawing:
        series = figures.series
        column = series.columns[series.chart_column]
        scale = 100 if column.unit == FEN else 1
        values = [v[series.chart_column] / scale for _k, v in figures.rows]
        drawing = Drawing(WIDTH, CHART_H)
        if series.kind == TIME:
            chart: VerticalBarChart | HorizontalBarChart = VerticalBarChart()
            chart.x, chart.y, chart.width, chart.height = 45, 25, WIDTH - 55, CHART_H - 40
            names = [
                key[8:10] if self.figures.bucket == "day" else key[5:] for key, _v in figures.rows
            ]
            chart.categoryAxis.labels.angle = 0
        else:
            chart = HorizontalBarChart()
            chart.x, chart.y, chart.width, chart.height = 150, 10, WIDTH - 175, CHART_H - 25
            names = [clean(figures.label(key)) for key, _v in reversed(figures.rows)]
            values.reverse()
            chart.categoryAxis.labels.boxAnchor = "e"
            chart.categoryAxis.labels.dx = -4
        chart.data = [values or [0]]
        chart.categoryAxis.categoryNames = names or [""]
        chart.bars[0].fillColor = BAR
        chart.bars[0].strokeColor = None
        for axis in (chart.categoryAxis, chart.valueAxis):
            axis.labels.fontName = REGULAR
            axis.labels.fontSize = 6.5
        chart.valueAxis.valueMin = 0
        chart.valueAxis.forceZero = 1
        chart.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}"
        top = max(values, default=0)
        if top <= 0:
            chart.valueAxis.valueMax = 1
        if scale == 1:  # counts: whole-number steps
            chart.valueAxis.valueStep = max(1, math.ceil(top / 5))
        chart.valueAxis.visibleGrid = 1
        chart.valueAxis.gridStrokeColor = GRID
        drawing.add(chart)
        unit = f"{column.label('zh_CN')}"
        drawing.add(String(0, CHART_H - 8, unit, fontName=REGULAR, fontSize=7))
        return drawing

    def table(self, figures: SeriesFigures, rows: list[tuple[str, tuple[int, ...]]]) -> None:
        series = figures.series
        columns = series.columns
        first_w = WIDTH - 130 * len(columns)
        header = [("日期" if series.kind == TIME else "类别")] + [c.label("zh_CN") for c in columns]
        self.table_row(header, first_w, bold=True)
        for key, values in rows:
            self.need(ROW_H)
            cells = [key if series.kind == TIME else figures.label(key)]
            cells += [_number(v, c.unit) for c, v in zip(columns, values, strict=True)]
            self.table_row(cells, first_w)
        if not rows:
            self.table_row(["（无）"] + [""] * len(columns), first_w)
        total = ["合计"] + [_number(figures.total(i), c.unit) for i, c in enumerate(columns)]
        self.table_row(total, first_w, bold=True)

    def table_row(self, cells: list[str], first_w: float, *, bold: bool = False) -> None:
        assert self.c is not None
        self.c.setStrokeColor(GRID)
        self.c.line(MARGIN, self.y - ROW_H + 2, MARGIN + WIDTH, self.y - ROW_H + 2)
        self.c.setStrokeColor(colors.black)
        draw(self.c, self.fonts, MARGIN + 2, self.y - 9, cells[0], "report", 8, bold=bold)
        x = MARGIN + first_w
        for cell in cells[1:]:
            x += 130
            draw(self.c, self.fonts, x - 4, self.y - 9, cell, "report", 8, bold=bold, align="right")
        self.y -= ROW_H

    def signature(self) -> None:
        self.need(90)
        self.y -= 24
        self.text(FOOTNOTE, 8)
        self.y -= 24
        self.text("所长（签字）：________________        日期：______年____月____日", 11)


def _number(value: int, unit: str) -> str:
    return format_yuan_display(value) if unit == FEN else f"{value:,}"


def cn_date_of(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
