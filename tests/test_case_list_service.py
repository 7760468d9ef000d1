"""The case list service: every sort order, paging by offset and from a row, each filter, search."""

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from intake_app.domain.times import SHANGHAI, utc_stamp

from intake_app.store import cases
from intake_app.store.cases import ListRow

from intake_app.services import case_list
from intake_app.services.case_list import SEARCH_CAP, SORT_KEYS, CaseFilter, CaseListService
from intake_app.services.desk import Desk
from intake_app.services.sample_data import generate_cases

from tests.conftest import ADMIN, ADMIN_PASSWORD, FIXED_NOW, STATION, STATION_NAME

MANY = 1_000


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """A desk with 1,000 generated cases, a few of them voided (shared by this module's
    read-only tests)."""
    desk = Desk.initialise(
        tmp_path_factory.mktemp("many") / "data",
        station_code=STATION,
        station_name=STATION_NAME,
        admin_badge=ADMIN,
        admin_name="张伟",
        password=ADMIN_PASSWORD,
        clock=lambda: FIXED_NOW,
    )
    admin = desk.auth.login(ADMIN, ADMIN_PASSWORD)
    records = generate_cases(MANY, seed=7, now=FIXED_NOW, station_hint=STATION_NAME)
    results = list(desk.intake.import_records(records, admin))
    assert all(r.created for r in results)
    for result in results[::97]:
        desk.intake.void(result.case_no, "重复报案", admin)
    yield desk
    desk.close()


@pytest.fixture
def service(many):
    return CaseListService(many)


def everything(desk):
    return cases.list_page(desk.store.conn, limit=10**9)


def expected(desk, rows: list[ListRow], sort_key: str, descending: bool) -> list[str]:
    """The order the list promises, computed in Python from all the rows."""
    if sort_key in ("fraud_type", "status"):
        service = CaseListService(desk)
        rank = {v: i for i, v in enumerate(service.group_order(sort_key))}
        newest = sorted(rows, key=lambda r: (r.reported_utc, r.id), reverse=True)
        ordered = sorted(newest, key=lambda r: rank[getattr(r, sort_key)], reverse=descending)
    else:
        column = {
            "case_no": "case_no",
            "reported": "reported_utc",
            "reporter": "reporter_name",
            "total_loss": "total_loss_fen",
        }[sort_key]
        ordered = sorted(rows, key=lambda r: (getattr(r, column), r.id), reverse=descending)
    return [r.case_no for r in ordered]


def walk(service, case_filter, sort_key, descending, page=137):
    """Every row, a page at a time, each page starting after the last row of the one before."""
    found: list[ListRow] = []
    while True:
        rows = service.page(
            case_filter, sort_key, descending, limit=page, after=found[-1] if found else None
        )
        found += rows
        if len(rows) < page:
            return [r.case_no for r in found]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort_key", SORT_KEYS)
def test_every_sort_order_pages_through_all_cases_in_order(many, service, sort_key, descending):
    rows = everything(many)
    want = expected(many, rows, sort_key, descending)
    assert len(want) == MANY
    assert walk(service, CaseFilter(), sort_key, descending) == want
    # Offsets give the same pages.
    for offset in (0, 1, 136, 500, MANY - 3, MANY + 5):
        page = service.page(CaseFilter(), sort_key, descending, offset=offset, limit=50)
        assert [r.case_no for r in page] == want[offset : offset + 50]
    # And so do offsets counted from a row.
    after = service.page(CaseFilter(), sort_key, descending, limit=100)[-1]
    page = service.page(CaseFilter(), sort_key, descending, offset=30, limit=40, after=after)
    assert [r.case_no for r in page] == want[130:170]


def test_the_default_order_is_newest_first(service, many):
    rows = service.page(CaseFilter())
    assert len(rows) == case_list.PAGE_SIZE
    assert [r.case_no for r in rows] == expected(many, everything(many), "reported", True)[:200]


def test_fraud_types_sort_in_the_dictionarys_order(many, service):
    codes = [e.code for e in many.reference.entries("fraud_types")]
    seen = list(
        dict.fromkeys(
            r.fraud_type for r in service.page(CaseFilter(), "fraud_type", False, limit=MANY)
        )
    )
    assert seen == [c for c in codes if c in seen]
    assert len(seen) >= 8


@pytest.mark.parametrize(
    "sort_key", ["case_no", "reported", "reporter", "fraud_type", "total_loss", "status"]
)
def test_each_sort_order_is_served_by_an_index(many, service, sort_key, monkeypatch):
    plans = []
    conn = many.store.conn

    def explain(c, *, where="", params=(), order_by="", limit=100, offset=0):
        sql = f"SELECT * FROM cases {'WHERE ' + where if where else ''} ORDER BY {order_by}"
        plans.append(" | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)))
        return []

    searched = service.resolve(CaseFilter(query="报案"))
    monkeypatch.setattr(case_list.cases, "list_page", explain)
    service.page(CaseFilter(), sort_key, True)
    service.page(CaseFilter(), sort_key, False)
    assert plans
    for plan in plans:
        assert "TEMP B-TREE" not in plan and "USING" in plan, plan
    # A search's matches are looked up by id and sorted, not found by walking an index.
    plans.clear()
    service.page(searched, sort_key, False)
    service.page(replace(searched, status="registered", fraud_type="card_theft"), sort_key, True)
    service.page(replace(searched, date_from=date(2026, 1, 1)), sort_key, True)
    assert plans
    for plan in plans:
        assert plan.startswith("SEARCH cases USING INTEGER PRIMARY KEY"), plan


def test_filters_by_days_in_shanghai(many, service):
    rows = everything(many)
    day_from, day_to = date(2026, 9, 1), date(2026, 9, 30)

    def local_day(row):
        return datetime.fromisoformat(row.reported_utc).astimezone(SHANGHAI).date()

    want = {r.case_no for r in rows if day_from <= local_day(r) <= day_to}
    assert 0 < len(want) < MANY
    f = CaseFilter(date_from=day_from, date_to=day_to)
    assert {r.case_no for r in service.page(f, limit=MANY)} == want
    assert service.count(f) == len(want)
    only_from = CaseFilter(date_from=day_from)
    assert service.count(only_from) == sum(1 for r in rows if local_day(r) >= day_from)
    only_to = CaseFilter(date_to=day_to)
    assert service.count(only_to) == sum(1 for r in rows if local_day(r) <= day_to)


def test_a_day_is_a_day_in_shanghai_not_in_utc(desk, admin, tangshan_cases):
    # 2026-11-22T00:30 in Shanghai is still 2026-11-21 in UTC.
    record = dict(tangshan_cases[0], uuid=None, reported_at="2026-11-22T00:30:00+08:00")
    (result,) = desk.intake.import_records([record], admin)
    assert result.created, result.problems
    service = CaseListService(desk)
    day = date(2026, 11, 22)
    assert service.count(CaseFilter(date_from=day, date_to=day)) == 1
    assert service.count(CaseFilter(date_to=day - timedelta(days=1))) == 0
    assert service.count(CaseFilter(date_from=day + timedelta(days=1))) == 0


def test_filters_by_fraud_type_and_status(many, service):
    rows = everything(many)
    for code in ("card_theft", "rebate_task", "investment"):
        want = [r.case_no for r in rows if r.fraud_type == code]
        f = CaseFilter(fraud_type=code)
        assert [r.case_no for r in service.page(f, limit=MANY)] == want
        assert service.count(f) == len(want)
        for sort_key in SORT_KEYS:
            assert sorted(walk(service, f, sort_key, True, page=23)) == sorted(want)
    voided = [r.case_no for r in rows if r.status == "voided"]
    assert len(voided) == len(range(0, MANY, 97))
    assert [r.case_no for r in service.page(CaseFilter(status="voided"))] == voided
    both = CaseFilter(fraud_type="card_theft", status="registered", date_from=date(2026, 6, 1))
    assert service.count(both) == sum(
        1
        for r in rows
        if r.fraud_type == "card_theft"
        and r.status == "registered"
        and r.reported_utc >= utc_stamp(datetime(2026, 6, 1, tzinfo=SHANGHAI))
    )


@pytest.mark.parametrize("small_set", [0, 10**9], ids=["read-in-sort-order", "read-and-sorted"])
def test_filtered_pages_are_right_whichever_way_they_are_read(many, small_set, monkeypatch):
    """A filtered list is read through the sort column's index (large sets) or through the
    filter's index and sorted (small sets): the same rows in the same order either way."""
    monkeypatch.setattr(case_list, "SMALL_SET", small_set)
    service = CaseListService(many)
    rows = everything(many)
    for f, keep in (
        (CaseFilter(fraud_type="card_theft"), lambda r: r.fraud_type == "card_theft"),
        (CaseFilter(status="voided"), lambda r: r.status == "voided"),
        (
            CaseFilter(date_from=date(2026, 8, 1), status="registered"),
            lambda r: (
                r.status == "registered"
                and r.reported_utc >= utc_stamp(datetime(2026, 8, 1, tzinfo=SHANGHAI))
            ),
        ),
    ):
        kept = [r for r in rows if keep(r)]
        for sort_key in SORT_KEYS:
            for descending in (False, True):
                want = [
                    n
                    for n in expected(many, rows, sort_key, descending)
                    if n in {r.case_no for r in kept}
                ]
                assert walk(service, f, sort_key, descending, page=29) == want, (f, sort_key)


def test_a_large_filtered_set_is_read_in_sort_order(many, monkeypatch):
    monkeypatch.setattr(case_list, "SMALL_SET", 50)
    plans = []
    conn = many.store.conn

    def explain(c, *, where="", params=(), order_by="", limit=100, offset=0):
        sql = f"SELECT * FROM cases {'WHERE ' + where if where else ''} ORDER BY {order_by}"
        plans.append(" | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)))
        return []

    monkeypatch.setattr(case_list.cases, "list_page", explain)
    service = CaseListService(many)
    service.page(CaseFilter(status="registered"), "reporter")  # ~990 cases: large
    service.page(CaseFilter(status="voided"), "reporter")  # 11 cases: small
    assert "cases_reporter" in plans[0] and "TEMP B-TREE" not in plans[0]
    assert "cases_status_reported" in plans[1] and "TEMP B-TREE" in plans[1]


def test_a_query_matches_like_the_intake_search(many, service):
    rows = everything(many)
    some = rows[123]
    record = many.intake.record(many.intake.find(some.case_no))
    for text in (
        record["reporter"]["phone"],
        record["reporter"]["name"],
        some.case_no,
        record["incident"]["narrative"][10:14],
    ):
        f = CaseFilter(query=f"  {text} ")
        resolved = service.resolve(f)
        want = {r.id for r in many.intake.search(text, limit=SEARCH_CAP)}
        assert set(resolved.matches) == want and some.id in want
        assert {r.id for r in service.page(f, limit=SEARCH_CAP)} == want
        assert service.count(resolved) == len(want)
        # Sorting and other filters apply to the matches.
        for sort_key in SORT_KEYS:
            assert sorted(walk(service, resolved, sort_key, False, page=7)) == sorted(
                r.case_no for r in rows if r.id in want
            )
        only = replace(resolved, fraud_type=some.fraud_type)
        assert {r.id for r in service.page(only)} == {
            r.id for r in rows if r.id in want and r.fraud_type == some.fraud_type
        }


def test_a_search_shows_at_most_the_cap_and_says_so(many, service):
    common = CaseFilter(query="报案")  # in almost every narrative
    resolved = service.resolve(common)
    assert len(resolved.matches) == SEARCH_CAP and resolved.capped
    assert service.count(common) == SEARCH_CAP
    narrow = service.resolve(
        CaseFilter(
            query=many.intake.record(many.intake.find(everything(many)[5].case_no))["reporter"][
                "phone"
            ]
        )
    )
    assert not narrow.capped


def test_the_first_page_of_a_search_is_the_same_read_again_or_not(many):
    for text in ("报案", "银行", "张"):
        searching = CaseListService(many)
        resolved = searching.resolve(CaseFilter(query=text))
        first = searching.page(resolved, limit=150)  # from the rows the search found
        again = CaseListService(many).page(resolved, limit=150)  # read from the store
        assert [r.id for r in first] == [r.id for r in again] and first == again
        assert len(first) == min(150, len(resolved.matches))


def test_a_query_that_matches_nothing_shows_nothing(service):
    f = CaseFilter(query="没有这个词ZZZ")
    assert service.page(f) == [] and service.count(f) == 0
    assert service.resolve(f).matches == ()


def test_blank_query_text_is_no_query(service):
    assert service.count(CaseFilter(query="   ")) == MANY
    assert CaseFilter(query=" a  b ").text == "a b"
    assert CaseFilter(query="a b").with_query(" a   b").text == "a b"


def test_with_query_keeps_matches_only_for_the_same_text(service):
    resolved = service.resolve(CaseFilter(query="报案"))
    assert resolved.with_query(" 报案 ").matches == resolved.matches
    assert resolved.with_query("报案人").matches is None


def test_cases_with_a_retired_fraud_type_sort_after_the_dictionary(desk, admin, tangshan_cases):
    list(desk.intake.import_records(tangshan_cases, admin))
    with desk.store.write() as conn:
        conn.execute("UPDATE cases SET fraud_type = 'aa_retired' WHERE id = 1")
    service = CaseListService(desk)
    codes = [r.fraud_type for r in service.page(CaseFilter(), "fraud_type", False)]
    assert codes[-1] == "aa_retired" and len(codes) == 6
    codes = [r.fraud_type for r in service.page(CaseFilter(), "fraud_type", True)]
    assert codes[0] == "aa_retired"
    # Paging from a row whose type has since changed carries on where that row was.
    first = service.page(CaseFilter(), "fraud_type", False, limit=5)
    with desk.store.write() as conn:
        conn.execute("UPDATE cases SET fraud_type = 'other' WHERE fraud_type = 'aa_retired'")
    rest = service.page(CaseFilter(), "fraud_type", False, after=first[-1])
    assert len(rest) <= 1


def test_unknown_sort_keys_and_negative_pages_are_refused(service):
    with pytest.raises(ValueError):
        service.page(CaseFilter(), "victim")
    with pytest.raises(ValueError):
        service.page(CaseFilter(), offset=-1)


def test_dates_are_whole_days(service, many):
    day = date(2026, 10, 10)
    one = service.count(CaseFilter(date_from=day, date_to=day))
    two = service.count(CaseFilter(date_from=day, date_to=day + timedelta(days=1)))
    assert one <= two
