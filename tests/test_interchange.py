"""Reading and writing intake-case/1: round trips, exact money, canonical JSON."""

import copy
import hashlib
import json
import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from intake_app.domain.interchange import (
    canonical_json,
    case_from_dict,
    case_to_dict,
    content_hash,
)
from intake_app.domain.model import CASE_FORMAT
from intake_app.domain.money import MAX_FEN, format_yuan
from intake_app.domain.problems import WARNING

from tests.conftest import FIXTURES

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "resources/schemas/intake-case-1.schema.json"
VALIDATOR = Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def fixture_cases() -> list[dict[str, Any]]:
    return json.loads((FIXTURES / "tangshan_cases.json").read_text(encoding="utf-8"))


def floats_in(value: Any) -> list[Any]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for v in value.values() for f in floats_in(v)]
    if isinstance(value, list):
        return [f for v in value for f in floats_in(v)]
    return []


# --- fixtures ---------------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(6))
def test_fixtures_round_trip_exactly(index):
    record = fixture_cases()[index]
    report, problems = case_from_dict(record)
    assert problems == []
    # The fixtures are already in canonical form: writing gives back the very same record.
    assert case_to_dict(report) == record
    assert case_from_dict(case_to_dict(report)) == (report, [])


def test_amounts_are_read_as_exact_fen():
    totals = [case_from_dict(c)[0].total_loss_fen for c in fixture_cases()]
    assert totals == [150_000, 6_000_000, 138_000_000, 200_000, 0, 1_110_000]


@pytest.mark.parametrize(
    ("given", "written", "warned"),
    [
        ("2026-11-21T09:20:00+08:00", "2026-11-21T09:20:00+08:00", False),
        ("2026-11-21T01:20:00Z", "2026-11-21T01:20:00+00:00", False),
        ("2026-11-21T09:20+08:00", "2026-11-21T09:20:00+08:00", False),
        ("2026-11-21T09:20:00.999+08:00", "2026-11-21T09:20:00+08:00", False),
        (" 2026-11-20T20:20:00-05:00 ", "2026-11-20T20:20:00-05:00", False),
        ("2026-11-21T09:20:00", "2026-11-21T09:20:00+08:00", True),
        ("2026-11-21 09:20", "2026-11-21T09:20:00+08:00", True),
    ],
)
def test_times_are_written_to_the_second_with_their_offset(given, written, warned):
    record = fixture_cases()[0]
    record["reported_at"] = given
    report, problems = case_from_dict(record)
    assert [(p.code, p.field, p.severity) for p in problems] == (
        [("time_no_offset", "reported_at", WARNING)] if warned else []
    )
    once = case_to_dict(report)
    assert once["reported_at"] == written
    # From the first write on, reading and writing change nothing.
    again, problems = case_from_dict(once)
    assert problems == []
    assert case_to_dict(again) == once


@pytest.mark.parametrize(
    ("given", "written"),
    [("1500", "1500.00"), ("1500.5", "1500.50"), ("¥1,500.00", "1500.00"), ("１５００", "1500.00")],
)
def test_amounts_are_written_in_canonical_form(given, written):
    record = fixture_cases()[0]
    record["transactions"][0]["amount"] = given
    report, problems = case_from_dict(record)
    assert problems == []
    assert case_to_dict(report)["transactions"][0]["amount"] == written


# --- random records ---------------------------------------------------------------------------

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
# Anything JSON can carry: CJK, supplementary-plane characters (𠮷), punctuation, quotes,
# backslashes, control characters and white space; never lone surrogates.
ANY_CHAR = st.characters(blacklist_categories=("Cs",))
MIXED = st.one_of(CJK, CJK, ANY_CHAR, st.sampled_from('，。、“”（）《》 \t\n"\\/𠮷𡈼'))
OFFSETS = st.sampled_from(
    [
        timezone(timedelta(hours=8)),
        UTC,
        timezone(timedelta(hours=-5)),
        timezone(timedelta(hours=5, minutes=30)),
    ]
)
HEX = "0123456789abcdef"


def text(max_size: int, *, blank: bool = True) -> st.SearchStrategy[str]:
    """Random mostly-Chinese text; never blank unless allowed."""
    if blank:
        return st.text(MIXED, max_size=max_size)
    return st.builds(lambda c, rest: (c + rest)[:max_size], CJK, st.text(MIXED, max_size=max_size))


@st.composite
def times(draw: st.DrawFn) -> str:
    moment = draw(
        st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 12, 31))
    ).replace(microsecond=0, tzinfo=draw(OFFSETS))
    if moment.utcoffset() == timedelta(0) and draw(st.booleans()):
        return moment.replace(tzinfo=None).isoformat() + "Z"
    if moment.second == 0 and draw(st.booleans()):
        return moment.isoformat(timespec="minutes")
    return moment.isoformat()


@st.composite
def amounts(draw: st.DrawFn) -> tuple[int, str]:
    """(fen, the yuan string a writer might use for it)."""
    fen = draw(st.one_of(st.integers(1, 10_000_000), st.integers(1, MAX_FEN - 1)))
    spelt = format_yuan(fen)
    if fen % 10 == 0 and draw(st.booleans()):
        spelt = spelt.rstrip("0").rstrip(".")  # "1500", "1500.5"
    return fen, spelt


def optional(strategy: st.SearchStrategy[Any], *empty: Any) -> st.SearchStrategy[Any]:
    """A value, or one of the empty forms; MISSING drops the key."""
    return st.one_of(strategy, st.sampled_from([MISSING, *empty]))


MISSING = object()


def record_of(**fields: Any) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(fields).map(
        lambda d: {k: v for k, v in d.items() if v is not MISSING}
    )


def person(required: bool) -> st.SearchStrategy[dict[str, Any]]:
    def needed(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
        return strategy if required else optional(strategy, "")

    return record_of(
        name=text(50, blank=False),
        sex=optional(st.sampled_from(["M", "F", "U"])),
        birth_date=optional(st.dates().map(lambda d: d.isoformat()), None, ""),
        id_type=optional(st.sampled_from(["resident_id", "passport", "other"]), ""),
        id_number=needed(st.text("0123456789X", min_size=1, max_size=30)),
        phone=needed(st.from_regex(r"\A(\+86)?1[3-9][0-9]{9}\Z")),
        address=optional(text(200), ""),
        occupation=optional(text(50), ""),
        groups=optional(st.lists(st.sampled_from(["elderly", "students", "rural_women"]))),
    )


TRANSACTION = st.tuples(
    amounts(),
    record_of(
        at=times(),
        method=st.sampled_from(["bank_transfer", "alipay", "wechat_pay", "card_theft", "cash"]),
        payer_bank=optional(text(50), ""),
        payer_account=optional(st.text("0123456789", max_size=19), ""),
        payee_name=optional(text(100), ""),
        payee_bank=optional(text(50), ""),
        payee_account=optional(st.text("0123456789", max_size=19), ""),
        serial_no=optional(st.text("0123456789ABCDEF", max_size=64), ""),
    ),
)
IDENTIFIER = record_of(
    kind=st.sampled_from(["phone", "qq", "wechat", "url", "app", "email", "other"]),
    value=text(200, blank=False),
    note=optional(text(500), ""),
)
ATTACHMENT = record_of(
    name=text(255, blank=False),
    media_type=optional(st.sampled_from(["image/jpeg", "application/pdf", ""])),
    sha256=st.text(HEX, min_size=64, max_size=64),
    size=optional(st.integers(0, 25 * 1024 * 1024), None),
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], list[int]]:
    """A record as a writer might send it, and the fen of each transaction."""
    txs = draw(st.lists(TRANSACTION, max_size=4))
    transactions = [dict(tx, amount=amount) for (_, amount), tx in txs]
    record = draw(
        record_of(
            format=optional(st.just(CASE_FORMAT)),
            uuid=optional(st.uuids().map(str), None, ""),
            reported_at=times(),
            source=st.sampled_from(["report", "public_tip", "company_request"]),
            reporter=person(required=True),
            victim=optional(person(required=False), None),
            incident=record_of(
                occurred_from=times(),
                occurred_to=optional(times(), None, ""),
                discovered_at=optional(times(), None, ""),
                place=optional(text(200), ""),
                fraud_type=st.sampled_from(["card_theft", "investment", "romance"]),
                contact_channel=st.sampled_from(["phone", "sms", "qq", "wechat", "app"]),
                narrative=text(600, blank=False),
            ),
            transactions=st.just(transactions) if transactions else optional(st.just([])),
            identifiers=optional(st.lists(IDENTIFIER, max_size=4)),
            attachments=optional(st.lists(ATTACHMENT, max_size=3)),
        )
    )
    return record, [fen for (fen, _), _ in txs]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_random_records_read_write_read_is_stable_and_money_exact(case):
    record, fens = case
    assert not list(VALIDATOR.iter_errors(record))
    first, problems = case_from_dict(record)
    assert problems == []
    written = case_to_dict(first)
    assert not list(VALIDATOR.iter_errors(written))

    second, problems = case_from_dict(written)
    assert problems == []
    assert second == first
    assert case_to_dict(second) == written

    # Money stays exact integer fen all the way, and no float is ever written.
    assert [t.amount_fen for t in first.transactions] == fens
    assert [t["amount"] for t in written["transactions"]] == [format_yuan(f) for f in fens]
    assert first.total_loss_fen == sum(fens)
    assert not floats_in(written)
    data = canonical_json(written)
    assert json.loads(data, parse_float=_no_float) == written


def _no_float(text: str) -> None:
    raise AssertionError(f"a float in canonical JSON: {text}")


# --- canonical JSON and content hashes --------------------------------------------------------


def shuffled(value: Any, rng: random.Random) -> Any:
    """The same value with every object's keys in another order."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: shuffled(value[k], rng) for k in keys}
    if isinstance(value, list):
        return [shuffled(v, rng) for v in value]
    return value


def test_canonical_json_is_sorted_compact_utf8():
    assert canonical_json({"b": [1, "中"], "a": None}) == '{"a":null,"b":[1,"中"]}'.encode()
    with pytest.raises(ValueError):
        canonical_json({"amount": float("nan")})


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 5), st.randoms(use_true_random=False))
def test_canonical_json_and_content_hash_ignore_key_order(index, rng):
    record = fixture_cases()[index]
    other = shuffled(record, rng)
    assert canonical_json(other) == canonical_json(record)
    assert content_hash(case_from_dict(other)[0]) == content_hash(case_from_dict(record)[0])


def test_content_hash_ignores_uuid_and_spelling_but_not_content():
    record = fixture_cases()[2]
    base = content_hash(case_from_dict(record)[0])
    assert base == hashlib.sha256(canonical_json(dict(record, uuid=None))).hexdigest()

    respelt = copy.deepcopy(record)
    del respelt["uuid"], respelt["format"]
    respelt["transactions"][0]["amount"] = "380,000"
    respelt["reporter"]["groups"] = None
    assert content_hash(case_from_dict(respelt)[0]) == base

    changed = copy.deepcopy(record)
    changed["transactions"][0]["amount"] = "380000.01"
    assert content_hash(case_from_dict(changed)[0]) != base
    hashes = {content_hash(case_from_dict(c)[0]) for c in fixture_cases()}
    assert len(hashes) == 6
