"""Statistics: every figure against a direct SQL count on a fixture store."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from intake_app.domain.errors import IntakeError
from intake_app.domain.periods import DateRange, bucket_start, fold
from intake_app.domain.times import SHANGHAI, utc_stamp

from intake_app.services.sample_data import generate_cases
from intake_app.services.statistics import (
    SERIES,
    TIME,
    Column,
    Series,
    register_series,
)

from tests.conftest import FIXED_NOW

SPAN = DateRange(date(2026, 9, 1), date(2026, 11, 30))


@pytest.fixture
def stocked(desk, admin, clock, tangshan_cases):
    """The Tangshan cases, 400 generated ones (one voided), leads and prevention events."""
    records = tangshan_cases + list(generate_cases(400, seed=7, now=FIXED_NOW))
    results = list(desk.intake.import_records(records, admin))
    assert all(r.ok for r in results)
    desk.intake.void(results[-1].case_no, "重复报案", admin)
    for day, group, audience in (
        ("2026-11-02", "elderly", 80),
        ("2026-11-02", "students", 300),
        ("2026-10-15", "rural_women", 45),
        ("2026-08-30", "elderly", 20),  # before the range
    ):
        desk.outreach.add_prevention(
            {
                "held_on": day,
                "kind": "lecture",
                "place": "滨海镇",
                "target_group": group,
                "audience": audience,
            },
            admin,
        )
    clock.now = FIXED_NOW.replace(hour=23, minute=59)
    for at in (
        "2026-11-30T23:30:00+08:00",
        "2026-09-01T00:10:00+08:00",
        "2026-08-31T23:50:00+08:00",
    ):
        desk.outreach.add_lead(
            {"received_at": at, "source": "public_tip", "summary": "群众举报收购银行卡"}, admin
        )
    return desk


def _day_bounds(day: date) -> tuple[str, str]:
    start = datetime.combine(day, time(), tzinfo=SHANGHAI)
    return utc_stamp(start), utc_stamp(start + timedelta(days=1))


def _sql_day(conn, day: date, fraud_type: str | None = None) -> tuple[int, int]:
    low, high = _day_bounds(day)
    sql = (
        "SELECT count(*), coalesce(sum(total_loss_fen), 0) FROM cases "
        "WHERE status = 'registered' AND reported_utc >= ? AND reported_utc < ?"
    )
    params: list[object] = [low, high]
    if fraud_type:
        sql += " AND fraud_type = ?"
        params.append(fraud_type)
    return tuple(conn.execute(sql, params).fetchone())  # type: ignore[return-value]


def test_reports_per_day_match_a_direct_count(stocked):
    figures = stocked.statistics.figures(SPAN, "day")
    rows = dict(figures.get("reports").rows)
    assert len(rows) == SPAN.days
    conn = stocked.store.conn
    for offset in range(SPAN.days):
        day = SPAN.first + timedelta(days=offset)
        assert rows[day.isoformat()] == _sql_day(conn, day), day
    low, high = _day_bounds(SPAN.first)[0], _day_bounds(SPAN.last)[1]
    total = conn.execute(
        "SELECT count(*), sum(total_loss_fen) FROM cases WHERE status = 'registered' "
        "AND reported_utc >= ? AND reported_utc < ?",
        (low, high),
    ).fetchone()
    assert figures.totals["cases"] == total[0] > 50
    assert figures.totals["loss_fen"] == total[1]


def test_weeks_add_up_the_days_they_hold(stocked):
    by_day = stocked.statistics.figures(SPAN, "day").get("reports").rows
    by_week = dict(stocked.statistics.figures(SPAN, "week").get("reports").rows)
    for start, values in by_week.items():
        monday = date.fromisoformat(start)
        assert monday.weekday() == 0
        inside = [v for d, v in by_day if bucket_start(date.fromisoformat(d), "week") == monday]
        assert values == tuple(map(sum, zip(*inside, strict=True)))


def test_voided_cases_do_not_count(stocked):
    conn = stocked.store.conn
    voided = conn.execute("SELECT reported_utc FROM cases WHERE status = 'voided'").fetchone()
    assert voided is not None
    everything = DateRange(date(2000, 1, 1), date(2026, 11, 30))
    figures = stocked.statistics.figures(everything, "month")
    registered = conn.execute("SELECT count(*) FROM cases WHERE status = 'registered'").fetchone()
    assert figures.totals["cases"] == registered[0]
    assert figures.totals["cases"] == conn.execute("SELECT count(*) FROM cases").fetchone()[0] - 1


def test_loss_by_type_matches_a_direct_sum(stocked):
    figures = stocked.statistics.figures(SPAN)
    by_type = figures.get("loss_by_type")
    codes = [e.code for e in stocked.reference.entries("fraud_types")]
    assert [key for key, _v in by_type.rows] == codes  # every type, in the dictionary's order
    low, high = _day_bounds(SPAN.first)[0], _day_bounds(SPAN.last)[1]
    for code, values in by_type.rows:
        expected = stocked.store.conn.execute(
            "SELECT count(*), coalesce(sum(total_loss_fen), 0) FROM cases WHERE status = "
            "'registered' AND fraud_type = ? AND reported_utc >= ? AND reported_utc < ?",
            (code, low, high),
        ).fetchone()
        assert values == tuple(expected), code
    assert by_type.label("investment") == "虚假网络投资理财类"
    assert by_type.total(1) == figures.totals["loss_fen"]


def test_prevention_and_leads_match_direct_counts(stocked):
    figures = stocked.statistics.figures(SPAN)
    groups = dict(figures.get("prevention_by_group").rows)
    conn = stocked.store.conn
    for code, values in groups.items():
        expected = conn.execute(
            "SELECT count(*), coalesce(sum(audience), 0) FROM prevention_events "
            "WHERE target_group = ? AND held_on >= '2026-09-01' AND held_on <= '2026-11-30'",
            (code,),
        ).fetchone()
        assert values == tuple(expected), code
    assert groups["elderly"] == (1, 80)  # the August event is outside the range
    assert figures.totals["events"] == 3 and figures.totals["audience"] == 425
    # Leads by Beijing day: 23:30 on the last day counts, 23:50 the day before the first not.
    assert figures.totals["leads"] == 2


def test_a_range_is_checked():
    with pytest.raises(IntakeError) as err:
        DateRange.checked(date(2026, 11, 2), date(2026, 11, 1))
    assert err.value.field == "date_to"
    assert DateRange.month("2026-02") == DateRange(date(2026, 2, 1), date(2026, 2, 28))
    assert DateRange.month("2026-12").last == date(2026, 12, 31)
    for bad in ("2026-13", "26-1", "November", ""):
        with pytest.raises(IntakeError):
            DateRange.month(bad)


def test_default_span_is_the_last_30_days(desk):
    span = desk.statistics.span(None, None)
    assert span.last == FIXED_NOW.date() and span.days == 30
    assert desk.statistics.span("2026-11-01", None).first == date(2026, 11, 1)


def test_fold_fills_every_bucket():
    span = DateRange(date(2026, 11, 1), date(2026, 11, 3))
    assert fold(span, "day", [("2026-11-02", (2, 5)), ("2026-12-01", (9, 9))], 2) == [
        ("2026-11-01", (0, 0)),
        ("2026-11-02", (2, 5)),
        ("2026-11-03", (0, 0)),
    ]


def test_a_registered_series_shows_only_when_available(desk):
    """How a feature's series plugs in: shown once its table exists."""
    series = Series(
        "test_money",
        ("测试", "Test"),
        TIME,
        (Column("test_fen", ("测试", "Test")),),
        lambda conn, first, last: [(first, (7,))],
        available=lambda conn: (
            conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'test_money_items'").fetchone()
            is not None
        ),
    )
    register_series(series)
    try:
        span = DateRange(date(2026, 11, 1), date(2026, 11, 2))
        assert desk.statistics.figures(span).get("test_money") is None
        desk.store.conn.execute("CREATE TABLE test_money_items (x)")
        shown = desk.statistics.figures(span).get("test_money")
        assert shown is not None and shown.rows == [("2026-11-01", (7,)), ("2026-11-02", (0,))]
        with pytest.raises(ValueError):
            register_series(series)
    finally:
        SERIES.pop("test_money")


def test_money_stopped_frozen_and_returned_per_day_match_direct_sums(stocked, admin, clock):
    sp = stocked.stop_payment
    case_nos = [r[0] for r in stocked.store.conn.execute("SELECT case_no FROM cases ORDER BY id")]
    entries = [found[0] for no in case_nos if (found := sp.case_entries(no))][:4]  # 4 cases
    assert len(entries) == 4
    clock.now = FIXED_NOW
    for entry in entries:
        sp.record(entry.ref, "requested", admin)
        sp.record(entry.ref, "stopped", admin, amount_fen=100)
    clock.now = FIXED_NOW + timedelta(days=1)
    sp.record(entries[0].ref, "stopped_again", admin, amount_fen=100)  # the same money
    sp.record(entries[0].ref, "frozen", admin, amount_fen=80)
    sp.record(entries[0].ref, "returned", admin, amount_fen=50)
    stocked.intake.void(entries[3].facts.case_no, "重复报案", admin)  # no longer counts

    span = DateRange(date(2026, 11, 30), date(2026, 12, 1))
    money = stocked.statistics.figures(span).get("stop_payment_money")
    assert money is not None
    direct = {
        day: tuple(
            stocked.store.one(
                "SELECT coalesce(sum(o.amount_fen), 0) FROM stop_outcomes o "
                "JOIN stop_items i ON i.id = o.item_id JOIN cases c ON c.id = i.case_id "
                "WHERE c.status = 'registered' AND o.outcome = ? AND o.at LIKE ?",
                (outcome, f"{day}%"),
            )[0]
            for outcome in ("stopped", "frozen", "returned")
        )
        for day in ("2026-11-30", "2026-12-01")
    }
    assert (
        dict(money.rows)
        == direct
        == {
            "2026-11-30": (300, 0, 0),
            "2026-12-01": (0, 80, 50),
        }
    )
    figures = sp.figures()  # the stop-payment page's own figures agree
    assert (money.total(0), money.total(1), money.total(2)) == (
        figures.total.stopped_fen,
        figures.total.frozen_fen,
        figures.total.returned_fen,
    )


def test_statistics_read_the_index_not_the_table(stocked):
    """The day and type queries are answered from cases_stats_day (m008) alone."""
    from intake_app.store import statistics as sql

    conn = stocked.store.conn
    for query in (
        f"SELECT {sql.CASE_DAY}, count(*), total(total_loss_fen) FROM cases WHERE status = ? "
        f"AND {sql.CASE_DAY} BETWEEN ? AND ? GROUP BY {sql.CASE_DAY}",
        f"SELECT fraud_type, count(*), total(total_loss_fen) FROM cases WHERE status = ? "
        f"AND {sql.CASE_DAY} BETWEEN ? AND ? GROUP BY fraud_type",
    ):
        plan = " ".join(
            r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + query, ("registered", "a", "b"))
        )
        assert "COVERING INDEX cases_stats_day" in plan, plan
