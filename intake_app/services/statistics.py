"""The station's figures for a range of days: a registry of series, each one indexed query.

A series is a named query with its columns: a time series gives per-day values that are added
up per day, week or month (every bucket present, zeros too); a category series gives values per
code of a reference list (fraud types, target groups), every code of the list present. The
statistics page, `intake-app stats` and the monthly report show whatever is registered and
available. A feature adds its figures with one `register_series(...)` call, and says with
`available` when its tables exist, so nothing of it shows before then (the stop-payment money
series at the end of this module is one).

Only registered (not voided) cases count. Days are Beijing days.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from intake_app.domain.outreach import EVENT_KINDS
from intake_app.domain.periods import BUCKETS, DateRange, fold
from intake_app.domain.times import parse_date

from intake_app.store import instructions as instruction_sql
from intake_app.store import statistics as stats_sql

if TYPE_CHECKING:
    from intake_app.services.desk import Desk

TIME, CATEGORY = "time", "category"
COUNT, FEN, PEOPLE = "count", "fen", "people"
DEFAULT_DAYS = 30

Query = Callable[[sqlite3.Connection, str, str], list[tuple[str, tuple[int, ...]]]]


@dataclass(frozen=True)
class Column:
    key: str  # unique among all series' columns that count in the totals
    labels: tuple[str, str]  # zh_CN, en
    unit: str = COUNT

    def label(self, lang: str) -> str:
        return self.labels[0] if lang == "zh_CN" else self.labels[1]


def _always(_conn: sqlite3.Connection) -> bool:
    return True


@dataclass(frozen=True)
class Series:
    key: str
    labels: tuple[str, str]  # zh_CN, en
    kind: str  # TIME or CATEGORY
    columns: tuple[Column, ...]
    query: Query
    # Whether the store holds what the query reads (a feature's tables).
    available: Callable[[sqlite3.Connection], bool] = _always
    # CATEGORY: the reference list (or "prevention_kinds") whose codes are the categories.
    categories: str = ""
    chart_column: int = 0  # the column the chart draws; the table shows them all
    totals: bool = False  # add its columns up into Figures.totals

    def label(self, lang: str) -> str:
        return self.labels[0] if lang == "zh_CN" else self.labels[1]


SERIES: dict[str, Series] = {}


def register_series(series: Series) -> None:
    """Add a series (in the order shown). A key registered twice is a programming error."""
    if series.key in SERIES:
        raise ValueError(f"series registered twice: {series.key}")
    if series.kind not in (TIME, CATEGORY):
        raise ValueError(f"unknown series kind: {series.kind}")
    SERIES[series.key] = series


@dataclass(frozen=True)
class SeriesFigures:
    series: Series
    rows: list[tuple[str, tuple[int, ...]]]  # (bucket start day or category code, values)
    labels: dict[str, str] = field(default_factory=dict)  # category code -> label

    def total(self, column: int) -> int:
        return sum(values[column] for _key, values in self.rows)

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def as_dict(self, lang: str) -> dict[str, Any]:
        columns = self.series.columns
        return {
            "key": self.series.key,
            "title": self.series.label(lang),
            "kind": self.series.kind,
            "columns": [{"key": c.key, "label": c.label(lang), "unit": c.unit} for c in columns],
            "rows": [
                {"key": key, "label": self.label(key)}
                | {c.key: v for c, v in zip(columns, values, strict=True)}
                for key, values in self.rows
            ],
        }


@dataclass(frozen=True)
class Figures:
    span: DateRange
    bucket: str
    totals: dict[str, int]
    series: list[SeriesFigures]

    def get(self, key: str) -> SeriesFigures | None:
        return next((s for s in self.series if s.series.key == key), None)

    def as_dict(self, lang: str) -> dict[str, Any]:
        return {
            "from": self.span.first.isoformat(),
            "to": self.span.last.isoformat(),
            "bucket": self.bucket,
            "totals": dict(self.totals),
            "series": [s.as_dict(lang) for s in self.series],
        }


class StatisticsService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def span(self, date_from: str | date | None, date_to: str | date | None) -> DateRange:
        """A checked range; without an end it ends today, without a start it is the
        DEFAULT_DAYS days up to its end."""
        last = _day(date_to, "date_to") or self.desk.now().date()
        first = _day(date_from, "date_from") or DateRange.ending(last, DEFAULT_DAYS).first
        return DateRange.checked(first, last)

    def available(self) -> list[Series]:
        conn = self.desk.store.conn
        return [s for s in SERIES.values() if s.available(conn)]

    def figures(self, span: DateRange, bucket: str | None = None, lang: str = "zh_CN") -> Figures:
        bucket = bucket or span.default_bucket()
        if bucket not in BUCKETS:
            raise ValueError(f"unknown bucket {bucket!r}")  # the CLI and the page offer BUCKETS
        conn = self.desk.store.conn
        first, last = span.first.isoformat(), span.last.isoformat()
        found: list[SeriesFigures] = []
        totals: dict[str, int] = {}
        # One read transaction: every figure comes from the same state of the store.
        began = not conn.in_transaction
        if began:
            conn.execute("BEGIN")
        try:
            for series in self.available():
                raw = series.query(conn, first, last)
                if series.kind == TIME:
                    rows = fold(span, bucket, raw, len(series.columns))
                    labels: dict[str, str] = {}
                else:
                    labels = self._category_labels(series.categories, lang)
                    rows = _with_every_category(raw, labels, len(series.columns))
                figures = SeriesFigures(series, rows, labels)
                found.append(figures)
                if series.totals:
                    for i, column in enumerate(series.columns):
                        totals[column.key] = figures.total(i)
        finally:
            if began:
                conn.execute("COMMIT")
        return Figures(span, bucket, totals, found)

    def _category_labels(self, list_name: str, lang: str) -> dict[str, str]:
        if list_name == "prevention_kinds":
            return {
                code: pair[0] if lang == "zh_CN" else pair[1] for code, pair in EVENT_KINDS.items()
            }
        return {e.code: e.label(lang) for e in self.desk.reference.entries(list_name)}


def _day(value: str | date | None, field_name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    if not value.strip():
        return None
    return parse_date(value, field_name)


def _with_every_category(
    raw: list[tuple[str, tuple[int, ...]]], labels: dict[str, str], width: int
) -> list[tuple[str, tuple[int, ...]]]:
    """Every code of the list in the list's order (zeros too), then codes the list lacks."""
    values = dict(raw)
    rows = [(code, values.pop(code, (0,) * width)) for code in labels]
    return rows + sorted(values.items())


# The station's own figures ------------------------------------------------------------------

register_series(
    Series(
        "reports",
        ("报案数", "Reports"),
        TIME,
        (
            Column("cases", ("报案（件）", "Reports")),
            Column("loss_fen", ("损失金额（元）", "Loss (yuan)"), FEN),
        ),
        stats_sql.cases_by_day,
        totals=True,
    )
)
register_series(
    Series(
        "loss_by_type",
        ("各类诈骗损失", "Loss by fraud type"),
        CATEGORY,
        (
            Column("cases", ("报案（件）", "Reports")),
            Column("loss_fen", ("损失金额（元）", "Loss (yuan)"), FEN),
        ),
        stats_sql.cases_by_type,
        categories="fraud_types",
        chart_column=1,
    )
)
register_series(
    Series(
        "prevention_by_group",
        ("各类人群宣防", "Prevention events by target group"),
        CATEGORY,
        (
            Column("events", ("宣防活动（场）", "Events")),
            Column("audience", ("受众（人次）", "Audience"), PEOPLE),
        ),
        stats_sql.prevention_by_group,
        categories="target_groups",
        totals=True,
    )
)
register_series(
    Series(
        "leads",
        ("线索数", "Leads"),
        TIME,
        (Column("leads", ("线索（条）", "Leads")),),
        stats_sql.leads_by_day,
        totals=True,
    )
)
register_series(
    Series(
        "stop_payment_money",
        ("止付、冻结、返还金额", "Money stopped, frozen and returned"),
        TIME,
        (
            Column("stopped_fen", ("止付（元）", "Stopped (yuan)"), FEN),
            Column("frozen_fen", ("冻结（元）", "Frozen (yuan)"), FEN),
            Column("returned_fen", ("返还（元）", "Returned (yuan)"), FEN),
        ),
        stats_sql.stop_money_by_day,
        available=lambda conn: stats_sql.table_exists(conn, "stop_outcomes"),
        totals=True,
    )
)
register_series(
    Series(
        "dissuasion",
        ("劝阻结果", "Dissuasion outcomes"),
        TIME,
        (
            Column("dissuaded", ("成功劝阻（人）", "Dissuaded")),
            Column("not_reached", ("未联系上（人）", "Not reached")),
            Column("already_defrauded", ("已被骗（人）", "Already defrauded")),
        ),
        instruction_sql.dissuasion_by_day,
        available=lambda conn: stats_sql.table_exists(conn, "instruction_results"),
        totals=True,
    )
)
