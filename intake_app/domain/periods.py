"""Ranges of Beijing days and the buckets statistics are counted in (day, week, month)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from intake_app.domain.errors import IntakeError

BUCKETS = ("day", "week", "month")
# A range longer than this many days is shown by week when no bucket is asked for.
DAYS_BY_DAY = 62
MAX_DAYS = 3660  # ten years: a range is a filter, not a way to make a million empty buckets
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


@dataclass(frozen=True)
class DateRange:
    """Days in Asia/Shanghai, both ends included."""

    first: date
    last: date

    @classmethod
    def checked(cls, first: date, last: date) -> DateRange:
        if last < first:
            raise IntakeError("range_reversed", "date_to", first=first.isoformat())
        if (last - first).days >= MAX_DAYS:
            raise IntakeError("range_too_long", "date_to", limit=MAX_DAYS)
        return cls(first, last)

    @classmethod
    def month(cls, text: str) -> DateRange:
        """The days of a month written "YYYY-MM"."""
        match = _MONTH.match(text or "")
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
            raise IntakeError("month_format", "month", value=str(text))
        first = date(int(match.group(1)), int(match.group(2)), 1)
        return cls(first, next_month(first) - timedelta(days=1))

    @classmethod
    def ending(cls, last: date, days: int) -> DateRange:
        return cls(last - timedelta(days=days - 1), last)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def default_bucket(self) -> str:
        return "day" if self.days <= DAYS_BY_DAY else "week"


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def bucket_start(day: date, bucket: str) -> date:
    """The first day of the bucket a day falls in (weeks start on Monday)."""
    if bucket == "day":
        return day
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown bucket {bucket!r}")


def bucket_starts(span: DateRange, bucket: str) -> Iterator[date]:
    """Every bucket the range touches, in order (the first may start before the range)."""
    start = bucket_start(span.first, bucket)
    while start <= span.last:
        yield start
        if bucket == "day":
            start += timedelta(days=1)
        elif bucket == "week":
            start += timedelta(days=7)
        else:
            start = next_month(start)


def fold(
    span: DateRange, bucket: str, daily: Iterable[tuple[str, tuple[int, ...]]], width: int
) -> list[tuple[str, tuple[int, ...]]]:
    """Per-day sums (ISO day, values) added up per bucket, every bucket present (zeros too)."""
    totals = {start: [0] * width for start in bucket_starts(span, bucket)}
    for day_text, values in daily:
        row = totals.get(bucket_start(date.fromisoformat(day_text), bucket))
        if row is None:
            continue  # outside the range
        for i, value in enumerate(values):
            row[i] += int(value or 0)
    return [(start.isoformat(), tuple(values)) for start, values in totals.items()]
