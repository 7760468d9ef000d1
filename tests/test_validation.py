"""Checks on a report, through the public path: case_from_dict, then validate_case.

Each problem must carry the right code, field path and severity (errors block registering,
warnings and suggestions do not) and a message in zh_CN and en that names the field.
"""

import copy
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from intake_app.domain.interchange import case_from_dict, case_to_dict, content_hash
from intake_app.domain.messages import CATALOG, LANGUAGES, field_label
from intake_app.domain.problems import ERROR, INFO, WARNING, Problem, has_errors
from intake_app.domain.times import SHANGHAI, format_time, utc_stamp
from intake_app.domain.validation import LIMITS, validate_case

from intake_app.services import resources
from intake_app.services.intake import ValidationFailed

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 30, 18, 0, tzinfo=SHANGHAI)
REF = resources.bundled_reference()
BINS = resources.bins()
# Fixture record 0: a card theft, one transaction to an ICBC card; it validates clean.
BASE: dict[str, Any] = json.loads((FIXTURES / "tangshan_cases.json").read_text("utf-8"))[0]
# Record 1 has three transactions, so index paths beyond [0] can be checked.
THREE_TX: dict[str, Any] = json.loads((FIXTURES / "tangshan_cases.json").read_text("utf-8"))[1]


# Independent of the code under test: the GB 11643 weights and check characters.
def gb11643_check(body: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def make_id(area: str, born: date, seq: int) -> str:
    body = f"{area}{born:%Y%m%d}{seq:03d}"
    return body + gb11643_check(body)


def check(record: Any, now: datetime = NOW) -> list[Problem]:
    """What the desk reports for a record: problems met while reading it and, when reading
    found no errors, the problems validation finds (as IntakeService.read_record does)."""
    report, problems = case_from_dict(record)
    if has_errors(problems):
        return problems
    return problems + validate_case(report, REF, BINS, now)


def record(base: dict[str, Any] = BASE, **changes: Any) -> dict[str, Any]:
    """A deep copy of base with changes given as dotted paths: `reporter__name="..."`.

    `transactions__0__amount` reaches into lists; a value of DELETE removes the key.
    """
    data = copy.deepcopy(base)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        key: Any = int(last) if last.isdigit() else last
        if value is DELETE:
            del target[key]
        else:
            target[key] = value
    return data


DELETE = object()


def assert_names_field(problem: Problem) -> None:
    """The message exists in both languages, is not the fallback, and names the field."""
    for lang in LANGUAGES:
        text = problem.message(lang)
        assert problem.code in CATALOG, problem
        assert not text.endswith(f": {problem.code}"), (lang, text)
        label = field_label(problem.field, lang)
        assert label, problem
        assert label.casefold() in text.casefold(), (lang, label, text)


def only(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, (code, problems)
    return found[0]


def expect(
    data: dict[str, Any], code: str, field: str, severity: str, now: datetime = NOW
) -> Problem:
    problems = check(data, now)
    problem = only(problems, code)
    assert (problem.field, problem.severity) == (field, severity), problem
    assert_names_field(problem)
    # Errors block registering; warnings and suggestions alone do not.
    blocking = [p for p in problems if p.severity == ERROR]
    assert has_errors(problems) == (severity == ERROR), blocking
    return problem


# --- the baseline ----------------------------------------------------------------------------


def test_every_fixture_record_has_no_errors():
    for data in json.loads((FIXTURES / "tangshan_cases.json").read_text("utf-8")):
        problems = check(data)
        assert not has_errors(problems), problems
        for problem in problems:
            assert_names_field(problem)


def test_the_base_record_is_clean():
    assert check(BASE) == []


# --- resident ID -----------------------------------------------------------------------------


def test_wrong_check_character_is_an_error_on_the_id_number():
    wrong = BASE["reporter"]["id_number"][:17] + "5"  # the right one is 4
    expect(record(reporter__id_number=wrong), "id_checksum", "reporter.id_number", ERROR)


def test_wrong_check_character_on_the_victim_names_the_victim():
    data = copy.deepcopy(json.loads((FIXTURES / "tangshan_cases.json").read_text("utf-8"))[2])
    data["victim"]["id_number"] = data["victim"]["id_number"][:17] + "0"
    problem = expect(data, "id_checksum", "victim.id_number", ERROR)
    assert "受害人" in problem.message("zh_CN")
    assert "victim" in problem.message("en").lower()


@pytest.mark.parametrize(
    "birth",
    ["19790230", "19791301", "18891231", "20261201"],
    ids=["feb-30", "month-13", "before-1890", "after-today"],
)
def test_impossible_birth_date_in_the_id_is_an_error(birth):
    body = f"130209{birth}779"
    expect(
        record(reporter__id_number=body + gb11643_check(body)),
        "id_birth_date",
        "reporter.id_number",
        ERROR,
    )


def test_legacy_15_digit_id_is_accepted_without_a_warning():
    # 15 digits: area, YYMMDD (19YY), 3-digit sequence, no check character. Old cards exist.
    assert check(record(reporter__id_number="130209790416779")) == []


def test_legacy_15_digit_id_with_impossible_date_is_an_error():
    expect(
        record(reporter__id_number="130209790230779"), "id_birth_date", "reporter.id_number", ERROR
    )


@pytest.mark.parametrize(
    ("value", "code"),
    [("1302091979041677", "id_length"), ("13020919790416779A", "id_chars")],
)
def test_id_shape_errors(value, code):
    expect(record(reporter__id_number=value), code, "reporter.id_number", ERROR)


def test_lowercase_x_is_accepted():
    number = make_id("110105", date(1993, 7, 27), 342)
    assert number.endswith("X")
    data = record(
        reporter__id_number=number.lower(), reporter__birth_date="1993-07-27", reporter__sex="F"
    )
    assert check(data) == []


def test_unknown_area_code_is_only_a_warning():
    number = make_id("990000", date(1979, 4, 16), 779)
    expect(record(reporter__id_number=number), "id_area_unknown", "reporter.id_number", WARNING)


def test_birth_date_and_sex_that_disagree_with_the_id_are_warnings():
    expect(
        record(reporter__birth_date="1979-04-17"),
        "id_birth_mismatch",
        "reporter.birth_date",
        WARNING,
    )
    expect(record(reporter__sex="F"), "id_sex_mismatch", "reporter.sex", WARNING)


def test_birth_date_in_the_future_and_bad_format():
    data = record(reporter__id_type="passport", reporter__id_number="E12345678")
    expect(
        record(data, reporter__birth_date="2027-01-01"),
        "birth_in_future",
        "reporter.birth_date",
        ERROR,
    )
    expect(
        record(data, reporter__birth_date="1979-02-30"), "date_format", "reporter.birth_date", ERROR
    )


def test_other_id_types_only_refuse_odd_characters():
    data = record(reporter__id_type="passport", reporter__id_number="E1234567#")
    expect(data, "id_chars", "reporter.id_number", ERROR)
    assert check(record(data, reporter__id_number="E12345678")) == []


# --- phones ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["13832517746", "+86 138 3251 7746", "0086-13832517746"])
def test_mainland_mobiles_pass(value):
    assert check(record(reporter__phone=value)) == []


@pytest.mark.parametrize("value", ["0315-2345678", "12345678901", "+1 415 555 0100", "110"])
def test_odd_phone_numbers_only_warn(value):
    expect(record(reporter__phone=value), "phone_unusual", "reporter.phone", WARNING)


def test_a_phone_with_letters_is_an_error_and_the_message_quotes_it():
    problem = expect(record(reporter__phone="138abc"), "phone_chars", "reporter.phone", ERROR)
    assert "138abc" in problem.message("zh_CN") and "138abc" in problem.message("en")


def test_odd_phone_identifier_warns_on_its_value():
    expect(
        record(identifiers__0__value="0315-2345678"),
        "phone_unusual",
        "identifiers[0].value",
        WARNING,
    )


# --- cards and banks -------------------------------------------------------------------------


def test_payee_card_failing_luhn_only_warns():
    bad = BASE["transactions"][0]["payee_account"][:-1] + "8"
    data = record(transactions__0__payee_account=bad, identifiers__2__value=bad)
    problems = check(data)
    assert {(p.code, p.field, p.severity) for p in problems} == {
        ("luhn_failed", "transactions[0].payee_account", WARNING),
        ("luhn_failed", "identifiers[2].value", WARNING),
    }
    for problem in problems:
        assert_names_field(problem)


def test_luhn_warning_names_the_right_transaction():
    data = record(THREE_TX, transactions__1__payee_account="6217009606002330694")
    problem = expect(data, "luhn_failed", "transactions[1].payee_account", WARNING)
    assert "交易2·收款账号" in problem.message("zh_CN")
    assert "transaction 2 · payee account" in problem.message("en").lower()


def test_payee_bank_is_suggested_from_the_card_number():
    problem = expect(
        record(transactions__0__payee_bank=""),
        "payee_bank_suggested",
        "transactions[0].payee_bank",
        INFO,
    )
    assert problem.params["bank"] == "中国工商银行"
    assert "中国工商银行" in problem.message("zh_CN") and "中国工商银行" in problem.message("en")


def test_payee_bank_that_differs_from_the_card_issuer_warns():
    problem = expect(
        record(transactions__0__payee_bank="中国建设银行"),
        "payee_bank_mismatch",
        "transactions[0].payee_bank",
        WARNING,
    )
    for lang in LANGUAGES:
        assert "中国建设银行" in problem.message(lang) and "中国工商银行" in problem.message(lang)


def test_short_bank_name_inside_the_issuer_name_is_no_mismatch():
    assert check(record(transactions__0__payee_bank="工商银行")) == []


def test_account_with_odd_characters_is_an_error():
    expect(
        record(transactions__0__payer_account="6228#4810"),
        "account_chars",
        "transactions[0].payer_account",
        ERROR,
    )


# --- amounts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("0.00", "amount_not_positive"),
        ("0", "amount_not_positive"),
        ("-1500.00", "amount_not_positive"),
        ("1500.005", "amount_decimals"),
        ("1e3", "amount_format"),
        ("一千", "amount_format"),
        # JSON numbers cannot be trusted to carry exact money: amounts are decimal strings.
        (1500.5, "amount_not_text"),
        (1500, "amount_not_text"),
        ("100000000000000", "amount_too_large"),
    ],
)
def test_bad_amounts_are_errors(amount, code):
    problem = expect(
        record(THREE_TX, transactions__2__amount=amount), code, "transactions[2].amount", ERROR
    )
    assert "交易3·金额" in problem.message("zh_CN")


@pytest.mark.parametrize(
    ("amount", "canonical"),
    [
        ("1500", "1500.00"),
        ("1,500.5", "1500.50"),
        ("¥20000.00", "20000.00"),
        ("１５００", "1500.00"),
    ],
)
def test_good_amounts_in_other_spellings(amount, canonical):
    data = record(transactions__0__amount=amount)
    assert check(data) == []
    report, _ = case_from_dict(data)
    assert case_to_dict(report)["transactions"][0]["amount"] == canonical


def test_missing_amount_is_required_once():
    problems = check(record(transactions__0__amount=DELETE))
    assert [(p.code, p.field) for p in problems] == [("required", "transactions[0].amount")]


# --- times -----------------------------------------------------------------------------------


def _at(moment: datetime) -> str:
    return format_time(moment)


def test_report_time_beyond_the_clock_skew_is_in_the_future():
    data = record(reported_at=_at(NOW + timedelta(minutes=6)))
    expect(data, "time_in_future", "reported_at", ERROR)


def test_report_time_within_the_clock_skew_is_accepted():
    assert check(record(reported_at=_at(NOW + timedelta(minutes=4)))) == []


def test_future_transaction_time_names_the_transaction():
    future = _at(NOW + timedelta(hours=1))
    problems = check(record(transactions__0__at=future, reported_at=future))
    fields = {(p.code, p.field) for p in problems}
    assert ("time_in_future", "transactions[0].at") in fields
    assert ("time_in_future", "reported_at") in fields


def test_end_of_incident_before_its_start():
    problem = expect(
        record(incident__occurred_to="2026-11-21T02:00:00+08:00"),
        "time_order",
        "incident.occurred_to",
        ERROR,
    )
    assert problem.params["other"] == "incident.occurred_from"
    assert "案发开始时间" in problem.message("zh_CN")
    assert "start of incident" in problem.message("en")


def test_discovered_before_the_incident():
    expect(
        record(incident__discovered_at="2026-11-20T23:00:00+08:00"),
        "time_order",
        "incident.discovered_at",
        ERROR,
    )


def test_reported_before_a_transaction():
    data = record(
        reported_at="2026-11-21T02:20:00+08:00",
        incident__occurred_to=DELETE,
        incident__discovered_at=DELETE,
    )
    problem = expect(data, "time_order", "reported_at", ERROR)
    assert problem.params["other"] == "transactions[0].at"


def test_transaction_before_the_incident_only_warns():
    expect(
        record(transactions__0__at="2026-11-21T01:00:00+08:00"),
        "transaction_before_incident",
        "transactions[0].at",
        WARNING,
    )


def test_unreadable_time_is_an_error_with_the_value():
    problem = expect(
        record(incident__occurred_from="21/11/2026 02:13"),
        "time_format",
        "incident.occurred_from",
        ERROR,
    )
    assert "21/11/2026 02:13" in problem.message("en")


def test_a_time_without_offset_is_read_as_shanghai_time_with_a_warning():
    data = record(reported_at="2026-11-21T09:20:00")
    expect(data, "time_no_offset", "reported_at", WARNING)
    report, _ = case_from_dict(data)
    assert case_to_dict(report)["reported_at"] == "2026-11-21T09:20:00+08:00"


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00"]
)
def test_a_time_that_cannot_be_stored_is_refused(moment):
    # Registering stores every time in UTC: a time without a UTC form must not get that far.
    data = record(
        reported_at=moment,
        incident__occurred_from=moment,
        incident__occurred_to=DELETE,
        incident__discovered_at=DELETE,
        transactions=[],
    )
    problems = check(data, now=datetime(9999, 12, 30, tzinfo=SHANGHAI))
    assert ("time_format", "reported_at") in {(p.code, p.field) for p in problems}


# --- required fields and lengths -------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("reported_at", "reported_at"),
        ("source", "source"),
        ("reporter__name", "reporter.name"),
        ("reporter__id_number", "reporter.id_number"),
        ("reporter__phone", "reporter.phone"),
        ("incident__occurred_from", "incident.occurred_from"),
        ("incident__fraud_type", "incident.fraud_type"),
        ("incident__narrative", "incident.narrative"),
        ("transactions__0__at", "transactions[0].at"),
        ("transactions__0__method", "transactions[0].method"),
        ("identifiers__1__value", "identifiers[1].value"),
    ],
)
@pytest.mark.parametrize("how", ["missing", "blank"])
def test_missing_required_fields(path, field, how):
    # Reference codes come from pick lists: blank is "", not spaces.
    blank = "   " if path in TEXT_PATHS else ""
    problems = check(record(**{path: DELETE if how == "missing" else blank}))
    problem = next((p for p in problems if p.field == field and p.code == "required"), None)
    assert problem is not None, problems
    assert problem.severity == ERROR
    assert_names_field(problem)


TEXT_PATHS = (
    "reporter__name",
    "reporter__id_number",
    "reporter__phone",
    "incident__narrative",
    "identifiers__1__value",
)


def test_victim_needs_only_a_name():
    data = record(victim={"name": "赵丽华"})
    assert check(data) == []
    expect(record(victim={"phone": "13800000000"}), "required", "victim.name", ERROR)


@pytest.mark.parametrize(
    ("path", "field", "limit"),
    [
        ("reporter__name", "reporter.name", LIMITS["name"]),
        ("reporter__address", "reporter.address", LIMITS["address"]),
        ("incident__place", "incident.place", LIMITS["place"]),
        ("incident__narrative", "incident.narrative", LIMITS["narrative"]),
        ("transactions__0__payee_name", "transactions[0].payee_name", LIMITS["payee_name"]),
        ("transactions__0__serial_no", "transactions[0].serial_no", LIMITS["serial_no"]),
        ("identifiers__1__note", "identifiers[1].note", LIMITS["note"]),
    ],
)
def test_too_long_names_the_limit(path, field, limit):
    problem = expect(record(**{path: "长" * (limit + 1)}), "too_long", field, ERROR)
    for lang in LANGUAGES:
        assert str(limit) in problem.message(lang)
        assert str(limit + 1) in problem.message(lang)


def test_exactly_at_the_limit_is_fine():
    assert check(record(reporter__name="长" * LIMITS["name"])) == []


def test_too_many_transactions():
    tx = BASE["transactions"][0]
    data = record(transactions=[tx] * (LIMITS["transactions"] + 1))
    problem = only(check(data), "too_long")
    assert problem.field == "transactions"
    assert str(LIMITS["transactions"]) in problem.message("en")


# --- reference codes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "field", "list_zh", "list_en"),
    [
        ("incident__fraud_type", "incident.fraud_type", "诈骗类型", "fraud types"),
        ("source", "source", "案件来源", "case sources"),
        ("reporter__id_type", "reporter.id_type", "证件类型", "ID types"),
        ("incident__contact_channel", "incident.contact_channel", "联系方式", "contact channels"),
        ("transactions__0__method", "transactions[0].method", "支付方式", "payment methods"),
        ("identifiers__0__kind", "identifiers[0].kind", "线索类别", "identifier kinds"),
        ("reporter__groups__0", "reporter.groups[0]", "重点人群", "target groups"),
    ],
)
def test_unknown_reference_codes(path, field, list_zh, list_en):
    problem = expect(record(**{path: "no_such_code"}), "unknown_code", field, ERROR)
    assert "no_such_code" in problem.message("zh_CN") and list_zh in problem.message("zh_CN")
    assert "no_such_code" in problem.message("en") and list_en in problem.message("en")


def test_bad_sex_and_email_and_shapes():
    expect(record(reporter__sex="X"), "sex_invalid", "reporter.sex", ERROR)
    email = record(identifiers__0__kind="email", identifiers__0__value="not-an-address")
    expect(email, "email_format", "identifiers[0].value", WARNING)
    expect(record(reporter="张志刚"), "not_an_object", "reporter", ERROR)
    expect(record(transactions={}), "not_a_list", "transactions", ERROR)
    expect(record(reporter__name=["张"]), "not_a_string", "reporter.name", ERROR)
    expect(record(uuid="not-a-uuid"), "uuid_invalid", "uuid", ERROR)
    expect(record(format="intake-case/2"), "format_unsupported", "format", ERROR)
    expect(record(reporter__nickname="老张"), "unknown_field", "reporter.nickname", WARNING)


# --- errors block, warnings do not: through the desk -----------------------------------------


def test_the_desk_registers_with_warnings_and_refuses_errors(desk, admin):
    warned = record(uuid=None, transactions__0__payee_bank="中国建设银行")
    report, problems = case_from_dict(warned)
    assert problems == []
    row = desk.intake.register(report, admin)
    assert row.case_no.startswith("130209510000-2026-")

    failing = record(uuid=None, reporter__name="另一人", reporter__phone="138abc")
    report, _ = case_from_dict(failing)
    with pytest.raises(ValidationFailed) as caught:
        desk.intake.register(report, admin)
    assert [(p.code, p.field) for p in caught.value.problems if p.severity == ERROR] == [
        ("phone_chars", "reporter.phone")
    ]
    assert desk.intake.search("另一人") == []


# --- properties ------------------------------------------------------------------------------

AREAS = ("130209", "130225", "130203", "130229", "110105", "410105")


@st.composite
def resident_ids(draw: st.DrawFn) -> tuple[str, date, str]:
    area = draw(st.sampled_from(AREAS))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=NOW.date()))
    seq = draw(st.integers(0, 999))
    return make_id(area, born, seq), born, "M" if seq % 2 else "F"


def _with_id(number: str, born: date | None = None, sex: str = "U") -> dict[str, Any]:
    return record(
        reporter__id_number=number,
        reporter__birth_date=born.isoformat() if born else None,
        reporter__sex=sex,
    )


@given(resident_ids())
@settings(max_examples=200, deadline=None)
def test_any_valid_resident_id_passes(generated):
    number, born, sex = generated
    assert check(_with_id(number, born, sex)) == []
    assert check(_with_id(number.lower(), born, sex)) == []


@given(resident_ids(), st.integers(0, 17), st.sampled_from("0123456789X"))
@settings(max_examples=300, deadline=None)
def test_any_single_changed_character_of_a_resident_id_is_an_error(generated, position, new):
    number = generated[0]
    assume(new != number[position])
    assume(position == 17 or new != "X")
    changed = number[:position] + new + number[position + 1 :]
    errors = [p for p in check(_with_id(changed)) if p.severity == ERROR]
    assert [p.field for p in errors] == ["reporter.id_number"], errors
    assert errors[0].code in ("id_checksum", "id_birth_date")


@given(st.from_regex(r"\A[0-9]{1,12}\.[0-9]{3,8}\Z"))
@settings(deadline=None)
def test_any_amount_with_more_than_two_decimals_is_refused(amount):
    problems = check(record(transactions__0__amount=amount))
    problem = only(problems, "amount_decimals")
    assert (problem.field, problem.severity) == ("transactions[0].amount", ERROR)


@given(st.integers(0, 10**11), st.integers(0, 99), st.integers(0, 2))
@settings(deadline=None)
def test_any_positive_amount_with_at_most_two_decimals_is_kept_exactly(whole, cents, decimals):
    if decimals == 0:
        text, fen = f"{whole}", whole * 100
    elif decimals == 1:
        text, fen = f"{whole}.{cents // 10}", whole * 100 + cents // 10 * 10
    else:
        text, fen = f"{whole}.{cents:02d}", whole * 100 + cents
    assume(fen > 0)
    data = record(transactions__0__amount=text)
    assert check(data) == []
    report, _ = case_from_dict(data)
    assert report.transactions[0].amount_fen == fen


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
# Strings that reach deeper branches than random text does.
tricky = st.sampled_from(
    [
        "",
        " ",
        "0001-01-01T00:00:00+08:00",
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59-12:00",
        "2026-11-21T02:31:00Z",
        "2026-13-01T00:00:00",
        "1979-02-30",
        "1979-04-16",
        "130209197904167794",
        "11010519930727342x",
        "130209790416779",
        "+8613832517746",
        "0315-2345678",
        "６２２２０２７２８９６６１３９０５６９",
        "1,500.00",
        "-1",
        "0.001",
        "1" * 40,
        "¥",
        "resident_id",
        "passport",
        "phone",
        "email",
        "bank_account",
        "report",
        "\u200b",
        "Ｘ",
    ]
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*prefix, i))
    return found


ALL_PATHS = sorted(
    {p for data in (BASE, THREE_TX) for p in _paths(data)}, key=lambda p: tuple(map(str, p))
)


@st.composite
def mutated_records(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    data = copy.deepcopy(draw(st.sampled_from([BASE, THREE_TX])))
    for _ in range(draw(st.integers(1, 6))):
        path = draw(st.sampled_from(ALL_PATHS))
        target: Any = data
        try:
            for part in path[:-1]:
                target = target[part]
            if isinstance(target, dict) or (isinstance(target, list) and path[-1] < len(target)):
                target[path[-1]] = draw(tricky | json_values)
        except (KeyError, IndexError, TypeError):
            continue
    return data


@given(mutated_records())
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_validation_never_raises_and_every_problem_can_be_worded(data):
    report, read = case_from_dict(data)
    # validate_case must cope with whatever reading left, even after reading errors.
    problems = read + validate_case(report, REF, BINS, NOW)
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.severity in (ERROR, WARNING, INFO)
        for lang in LANGUAGES:
            text = problem.message(lang)
            assert problem.code in CATALOG and not text.endswith(f": {problem.code}"), text
    if isinstance(data, dict) and not has_errors(problems):
        # What validation accepts, the desk must be able to store: canonical form, hash and
        # the UTC stamps it sorts by.
        content_hash(report)
        assert report.reported_at is not None
        utc_stamp(report.reported_at)
        again, reread = case_from_dict(json.loads(json.dumps(case_to_dict(report))))
        assert not has_errors(reread)
        assert case_to_dict(again) == case_to_dict(report)


def test_a_mistyped_year_long_ago_is_an_error_naming_the_earliest_date():
    problem = expect(
        record(incident__occurred_from="0026-11-21T01:00:00+08:00"),
        "time_too_early",
        "incident.occurred_from",
        ERROR,
    )
    assert "1990-01-01" in problem.message("zh_CN")
    assert "check the year" in problem.message("en")
