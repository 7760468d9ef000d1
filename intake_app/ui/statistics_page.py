"""The statistics page: a chart and a table of numbers for each series the service offers.

The figures are computed on a worker thread with a Desk of its own (ui/background.py); the page
shows whatever series `StatisticsService.available()` gives, so a feature that registers a
series gets its chart here with no change to this page. Time series are bars on a date axis;
category series (fraud types, target groups) are horizontal bars labelled in the bundled font.
Each chart can be saved as PNG.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime

import pyqtgraph as pg

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.domain.errors import IntakeError
from intake_app.domain.money import format_yuan_display
from intake_app.domain.periods import DateRange

from intake_app.services.desk import Desk
from intake_app.services.statistics import FEN, TIME, Figures, SeriesFigures

from intake_app.ui.background import Background
from intake_app.ui.session import Session

BAR_COLOR = "#2f6fb0"
MAX_DATE_LABELS = 10
CHART_HEIGHT = 260
DAY_SECONDS = 86_400
BUCKET_SECONDS = {"day": DAY_SECONDS, "week": 7 * DAY_SECONDS, "month": 30 * DAY_SECONDS}


def _timestamp(day_text: str) -> float:
    """A day as seconds since the epoch at its UTC midnight (the date axis shows UTC)."""
    day = date.fromisoformat(day_text)
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


def _cell(value: int, unit: str) -> str:
    return format_yuan_display(value) if unit == FEN else f"{value:,}"


class SeriesView(QGroupBox):
    """One series: its chart, its numbers beside it, and a button to save the chart."""

    def __init__(self, figures: SeriesFigures, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(figures.series.label(lang), parent)
        self.key = figures.series.key
        self.lang = lang
        self.setObjectName(f"series_{self.key}")
        time_axis = figures.series.kind == TIME
        axes = {"bottom": pg.DateAxisItem(orientation="bottom", utcOffset=0)} if time_axis else {}
        self.plot = pg.PlotWidget(background="w", axisItems=axes)
        self.plot.setObjectName(f"chart_{self.key}")
        self.plot.setMinimumHeight(CHART_HEIGHT)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        font = QFont(self.font())
        font.setPointSize(8)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setTickFont(font)
            axis.setTextPen("k")
            axis.setPen("k")
        self.plot.showGrid(x=not time_axis, y=time_axis, alpha=0.25)
        self.table = QTableWidget(self)
        self.table.setObjectName(f"table_{self.key}")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.save_button = QPushButton(self.tr("Save chart as PNG…"), self)
        self.save_button.setObjectName(f"save_{self.key}")
        self.save_button.clicked.connect(self._save)
        self.ask_path: Callable[[str], str] = self._ask_path
        self.saved = ""
        left = QVBoxLayout()
        left.addWidget(self.plot, 1)
        left.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout(self)
        row.addLayout(left, 3)
        row.addWidget(self.table, 2)
        self.show_figures(figures, "day")

    def show_figures(self, figures: SeriesFigures, bucket: str) -> None:
        self.figures = figures
        series = figures.series
        column = series.columns[series.chart_column]
        scale = 100 if column.unit == FEN else 1  # the chart in yuan, the table to the fen
        values = [v[series.chart_column] / scale for _k, v in figures.rows]
        self.plot.clear()
        if series.kind == TIME:
            xs = [_timestamp(key) for key, _v in figures.rows]
            span = BUCKET_SECONDS[bucket]
            # Bars centred in their bucket.
            self.plot.addItem(
                pg.BarGraphItem(
                    x=[x + span / 2 for x in xs],
                    height=values,
                    width=span * 0.8,
                    brush=BAR_COLOR,
                    pen=None,
                )
            )
            self.plot.getAxis("left").setLabel(column.label(self.lang))
            # Day labels as the desk writes them (the date axis would name months in English).
            step = max(1, math.ceil(len(xs) / MAX_DATE_LABELS))
            form = (lambda k: k[:7]) if bucket == "month" else (lambda k: k[5:])
            ticks = [(x + span / 2, form(k)) for x, (k, _v) in zip(xs, figures.rows, strict=True)]
            self.plot.getAxis("bottom").setTicks([ticks[::step]])
            if xs:
                self.plot.setXRange(xs[0], xs[-1] + span, padding=0.01)
            top = max(values, default=0)
            self.plot.setYRange(0, top or 1, padding=0.05)
            if column.unit != FEN:  # counts: whole-number ticks
                self.plot.getAxis("left").setTickSpacing(max(1, math.ceil(top / 5)), 1)
        else:
            rows = list(reversed(figures.rows))  # the list's first code at the top
            ys = list(range(len(rows)))
            self.plot.addItem(
                pg.BarGraphItem(
                    x0=0,
                    y=ys,
                    height=0.6,
                    width=[v[series.chart_column] / scale for _k, v in rows],
                    brush=BAR_COLOR,
                    pen=None,
                )
            )
            self.plot.getAxis("left").setTicks(
                [[(y, figures.label(k)) for y, (k, _v) in zip(ys, rows, strict=True)]]
            )
            self.plot.getAxis("bottom").setLabel(column.label(self.lang))
            self.plot.setYRange(-0.5, len(rows) - 0.5, padding=0)
            self.plot.setXRange(0, max(values, default=0) or 1, padding=0.05)
        self._fill_table()

    def _fill_table(self) -> None:
        figures = self.figures
        series = figures.series
        headers = [self.tr("Period") if series.kind == TIME else self.tr("Category")]
        headers += [c.label(self.lang) for c in series.columns]
        rows = figures.rows
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        # The numbers always show; a long category name is cut short (the chart has it whole).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setRowCount(len(rows) + 1)
        for r, (key, values) in enumerate(rows):
            self._set_row(r, figures.label(key), values)
        totals = tuple(figures.total(i) for i in range(len(series.columns)))
        self._set_row(len(rows), self.tr("Total"), totals, bold=True)

    def _set_row(self, r: int, label: str, values: tuple[int, ...], bold: bool = False) -> None:
        cells = [label] + [
            _cell(v, c.unit) for c, v in zip(self.figures.series.columns, values, strict=True)
        ]
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(r, c, item)

    def _ask_path(self, suggested: str) -> str:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save chart"), suggested, self.tr("PNG images (*.png)")
        )
        return path

    @Slot()
    def _save(self) -> None:
        path = self.ask_path(f"{self.key}.png")
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        if self.plot.grab().save(path, "PNG"):
            self.saved = path


class StatisticsPage(QWidget):
    loaded = Signal()  # the newest figures are shown

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        today = session.desk.now().date()
        span = DateRange.ending(today, 30)
        self.date_from = self._date_edit("statsFrom", span.first)
        self.date_to = self._date_edit("statsTo", span.last)
        self.bucket = QComboBox(self)
        self.bucket.setObjectName("statsBucket")
        self.bucket.addItem(self.tr("Automatic"), None)
        self.bucket.addItem(self.tr("By day"), "day")
        self.bucket.addItem(self.tr("By week"), "week")
        self.bucket.addItem(self.tr("By month"), "month")
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setObjectName("statsRefresh")
        self.summary = QLabel(self)
        self.summary.setObjectName("statsSummary")
        self.summary.setWordWrap(True)
        filters = QHBoxLayout()
        from_label = QLabel(self.tr("From"), self)
        from_label.setBuddy(self.date_from)
        to_label = QLabel(self.tr("to"), self)
        to_label.setBuddy(self.date_to)
        for widget in (
            from_label,
            self.date_from,
            to_label,
            self.date_to,
            self.bucket,
            self.refresh_button,
        ):
            filters.addWidget(widget)
        filters.addStretch(1)
        self.views: dict[str, SeriesView] = {}
        self._content = QWidget()
        self._column = QVBoxLayout(self._content)
        self._column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._content)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        self.figures: Figures | None = None

        self.background = Background(session.worker_desk, self, "statistics-worker")
        self.background.answered.connect(self._show)
        self.background.failed.connect(self._failed)
        self.date_from.dateChanged.connect(self.refresh)
        self.date_to.dateChanged.connect(self.refresh)
        self.bucket.currentIndexChanged.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        session.cases_changed.connect(self.refresh)
        self.refresh()

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setCalendarPopup(True)
        edit.setDate(QDate(day.year, day.month, day.day))
        return edit

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # leads or events may have been added on another page

    @Slot()
    def refresh(self) -> None:
        first, last = (_day(e.date()) for e in (self.date_from, self.date_to))
        bucket = self.bucket.currentData()
        lang = self.session.lang
        self.summary.setText(self.tr("Counting…"))

        def job(desk: Desk) -> Figures:
            return desk.statistics.figures(DateRange.checked(first, last), bucket, lang)

        self.background.ask(job)

    @Slot(object)
    def _show(self, figures: Figures) -> None:
        self.figures = figures
        t = figures.totals
        self.summary.setText(
            self.tr(
                "{first} to {last}: {cases} reports, loss {loss}; {leads} leads; "
                "{events} prevention events reaching {audience} people. Voided cases are not "
                "counted."
            ).format(
                first=figures.span.first.isoformat(),
                last=figures.span.last.isoformat(),
                cases=f"{t.get('cases', 0):,}",
                loss=format_yuan_display(t.get("loss_fen", 0)),
                leads=f"{t.get('leads', 0):,}",
                events=f"{t.get('events', 0):,}",
                audience=f"{t.get('audience', 0):,}",
            )
        )
        for series in figures.series:
            view = self.views.get(series.series.key)
            if view is None:
                view = self.views[series.series.key] = SeriesView(series, self.session.lang)
                self._column.insertWidget(self._column.count() - 1, view)
            view.show_figures(series, figures.bucket)
        self.loaded.emit()

    @Slot(object)
    def _failed(self, error: object) -> None:
        text = self.session.text(error) if isinstance(error, IntakeError) else str(error)
        self.summary.setText(self.tr("Could not count: {detail}").format(detail=text))
        self.loaded.emit()


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
