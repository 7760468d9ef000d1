"""Timezone-aware times. Stations are in China: Asia/Shanghai unless told otherwise."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from intake_app.domain.errors import IntakeError

SHANGHAI = ZoneInfo("Asia/Shanghai")
# How far a time may lie ahead of the station clock before it counts as "in the future".
CLOCK_SKEW = timedelta(minutes=5)


def now() -> datetime:
    return datetime.now(SHANGHAI)


def parse_time(text: str, field: str) -> datetime:
    """Parse ISO 8601. A time without an offset is taken as Asia/Shanghai local time."""
    if not isinstance(text, str) or not text.strip():
        raise IntakeError("time_format", field, value=str(text))
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise IntakeError("time_format", field, value=text) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=SHANGHAI)
    try:
        parsed.astimezone(UTC)  # stored in UTC: year 1 at +08:00 has no UTC form
    except OverflowError:
        raise IntakeError("time_format", field, value=text) from None
    return parsed


def format_time(moment: datetime) -> str:
    """ISO 8601 with the offset the time carries, to the second."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    if isinstance(moment.tzinfo, ZoneInfo):
        moment = moment.astimezone(timezone(moment.utcoffset() or timedelta(0)))
    return moment.isoformat(timespec="seconds")


def parse_date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise IntakeError("date_format", field, value=str(text)) from None


def utc_stamp(moment: datetime | None = None) -> str:
    """A sortable UTC timestamp for storage columns."""
    moment = moment or now()
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
