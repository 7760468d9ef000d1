"""The sample-data generator and the hand-written Tangshan fixtures obey the intake rules.

The rules are written out here on purpose rather than borrowed from the domain validator; the
validator is run too, as a cross-check, so that a change in either shows up as a disagreement.
"""

from __future__ import annotations

import copy
import csv
import json
import random
import re
import uuid
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from stdnum import luhn
from stdnum.cn import ric

from intake_app.domain.interchange import case_from_dict
from intake_app.domain.problems import ERROR
from intake_app.domain.validation import validate_case

from intake_app.services import resources, sample_data
from intake_app.services.sample_data import (
    DEFAULT_NOW,
    generate_cases,
    luhn_complete,
    resident_id,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "tangshan_cases.json"
CST = timezone(timedelta(hours=8))

MOBILE = re.compile(r"^1[3-9]\d{9}$")
AMOUNT = re.compile(r"^\d+\.\d{2}$")
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")
TANGSHAN_AREAS = {
    "130202",
    "130203",
    "130204",
    "130205",
    "130207",
    "130208",
    "130209",
    "130224",
    "130225",
    "130227",
    "130229",
    "130281",
    "130283",
}
CASE_KEYS = {
    "format",
    "reported_at",
    "source",
    "reporter",
    "victim",
    "incident",
    "transactions",
    "identifiers",
    "attachments",
}
PERSON_KEYS = {
    "name",
    "sex",
    "birth_date",
    "id_type",
    "id_number",
    "phone",
    "address",
    "occupation",
    "groups",
}
INCIDENT_KEYS = {
    "occurred_from",
    "occurred_to",
    "discovered_at",
    "place",
    "fraud_type",
    "contact_channel",
    "narrative",
}
TX_KEYS = {
    "at",
    "amount",
    "method",
    "payer_bank",
    "payer_account",
    "payee_name",
    "payee_bank",
    "payee_account",
    "serial_no",
}


# --- reference data -------------------------------------------------------------------------


@cache
def codes() -> dict[str, frozenset[str]]:
    data = json.loads((ROOT / "resources/reference/reference.json").read_text("utf-8"))
    return {
        name: frozenset(item["code"] for item in items)
        for name, items in data.items()
        if isinstance(items, list)
    }


@cache
def bins() -> tuple[dict[str, tuple[str, int]], dict[str, str]]:
    """(prefix -> (bank code, length), bank code -> bank name) from resources/bank-bin."""
    base = ROOT / "resources/bank-bin"
    with (base / "name.csv").open(encoding="utf-8") as f:
        names = {row["bank"]: row["name"] for row in csv.DictReader(f)}
    with (base / "bin.csv").open(encoding="utf-8") as f:
        table = {row["bin"]: (row["bank"], int(row["length"])) for row in csv.DictReader(f)}
    return table, names


def issuer(account: str) -> str | None:
    """The bank name of the longest matching prefix, as the desk looks it up."""
    table, names = bins()
    for size in range(min(len(account), 10), 2, -1):
        found = table.get(account[:size])
        if found:
            return names.get(found[0], found[0])
    return None


def area_known(area: str) -> bool:
    """Whether stdnum's GB/T 2260 table knows the area code (as of a recent birth year)."""
    body = f"{area}20150505001"
    try:
        ric.get_birth_place(body + ric.calc_check_digit(body + "0"))
    except Exception:
        return False
    return True


def normalize(kind: str, value: str) -> str:
    """How the desk compares suspect identifiers: digits only, +86 dropped, URL host lowercased."""
    value = value.strip()
    if kind in ("phone", "qq", "bank_account"):
        digits = re.sub(r"\D", "", value)
        return (
            digits[2:]
            if kind == "phone" and len(digits) == 13 and digits.startswith("86")
            else digits
        )
    if kind == "url":
        scheme, _, rest = value.partition("//")
        host, _, path = rest.partition("/")
        return f"{scheme.lower()}//{host.lower()}/{path}"
    return value.lower()


# --- the rules ------------------------------------------------------------------------------


def _time(value: str, field: str, problems: list[str]) -> datetime | None:
    if value == "":
        return None
    if not TIME.match(value):
        problems.append(f"{field}: not ISO 8601 with seconds and +08:00: {value!r}")
        return None
    return datetime.fromisoformat(value)


def _person(p: dict[str, Any], path: str, problems: list[str], *, full: bool) -> None:
    if set(p) != PERSON_KEYS:
        problems.append(f"{path}: keys {sorted(p)}")
        return
    name = p["name"]
    if not name or len(name) > 50:
        problems.append(f"{path}.name: {name!r}")
    if p["sex"] not in ("M", "F", "U"):
        problems.append(f"{path}.sex: {p['sex']!r}")
    if p["id_type"] not in codes()["id_types"]:
        problems.append(f"{path}.id_type: {p['id_type']!r}")
    for group in p["groups"]:
        if group not in codes()["target_groups"]:
            problems.append(f"{path}.groups: {group!r}")
    if len(p["address"]) > 200:
        problems.append(f"{path}.address too long")
    if len(p["occupation"]) > 50:
        problems.append(f"{path}.occupation too long")
    birth = date.fromisoformat(p["birth_date"]) if p["birth_date"] else None
    number = p["id_number"]
    if full and not number:
        problems.append(f"{path}.id_number missing")
    if number and p["id_type"] == "resident_id":
        if not re.fullmatch(r"\d{17}[\dX]", number):
            problems.append(f"{path}.id_number format: {number}")
            return
        if number[-1] != ric.calc_check_digit(number):
            problems.append(f"{path}.id_number check character: {number}")
        if not area_known(number[:6]):
            problems.append(f"{path}.id_number area code unknown: {number[:6]}")
        if birth is None or number[6:14] != birth.strftime("%Y%m%d"):
            problems.append(f"{path}.id_number birth date {number[6:14]} vs {p['birth_date']}")
        odd = int(number[16]) % 2 == 1
        if (p["sex"] == "M" and not odd) or (p["sex"] == "F" and odd):
            problems.append(f"{path}.id_number sequence parity vs sex {p['sex']}")
    elif number and not re.fullmatch(r"[0-9A-Za-z()\-]+", number):
        problems.append(f"{path}.id_number characters: {number}")
    if (full or p["phone"]) and not MOBILE.match(p["phone"]):
        problems.append(f"{path}.phone: {p['phone']!r}")


def case_problems(case: dict[str, Any], now: datetime) -> list[str]:
    """Every rule the intake-case/1 data must satisfy, as readable messages."""
    problems: list[str] = []
    keys = set(case) - {"uuid"}
    if keys != CASE_KEYS:
        return [f"case keys {sorted(case)}"]
    if case["format"] != "intake-case/1":
        problems.append("format")
    if case["source"] not in codes()["case_sources"]:
        problems.append(f"source {case['source']!r}")
    _person(case["reporter"], "reporter", problems, full=True)
    if case["victim"] is not None:
        _person(case["victim"], "victim", problems, full=False)

    inc = case["incident"]
    if set(inc) != INCIDENT_KEYS:
        return [*problems, f"incident keys {sorted(inc)}"]
    if inc["fraud_type"] not in codes()["fraud_types"]:
        problems.append(f"fraud_type {inc['fraud_type']!r}")
    if inc["contact_channel"] not in codes()["contact_channels"]:
        problems.append(f"contact_channel {inc['contact_channel']!r}")
    if not inc["narrative"].strip() or len(inc["narrative"]) > 5000:
        problems.append("narrative empty or too long")
    if len(inc["place"]) > 200:
        problems.append("place too long")

    reported = _time(case["reported_at"], "reported_at", problems)
    start = _time(inc["occurred_from"], "occurred_from", problems)
    end = _time(inc["occurred_to"], "occurred_to", problems)
    discovered = _time(inc["discovered_at"], "discovered_at", problems)
    if reported is None or start is None:
        return [*problems, "reported_at and occurred_from are required"]
    chain = [t for t in (start, end, discovered, reported) if t is not None]
    if chain != sorted(chain):
        problems.append(
            "times out of order: occurred_from <= occurred_to <= discovered_at <= reported_at"
        )
    if any(t > now for t in chain):
        problems.append("a time lies after now")

    for i, tx in enumerate(case["transactions"]):
        path = f"transactions[{i}]"
        if set(tx) != TX_KEYS:
            problems.append(f"{path} keys {sorted(tx)}")
            continue
        at = _time(tx["at"], f"{path}.at", problems)
        if at is None or not start <= at <= reported:
            problems.append(f"{path}.at outside occurred_from..reported_at")
        if not AMOUNT.match(tx["amount"]) or int(tx["amount"].replace(".", "")) <= 0:
            problems.append(f"{path}.amount {tx['amount']!r}")
        if tx["method"] not in codes()["transaction_methods"]:
            problems.append(f"{path}.method {tx['method']!r}")
        if len(tx["payee_name"]) > 100 or len(tx["serial_no"]) > 64:
            problems.append(f"{path} payee_name or serial_no too long")
        for key in ("payer_account", "payee_account"):
            if tx[key] and not tx[key].isdigit():
                problems.append(f"{path}.{key} not digits: {tx[key]!r}")
        account = tx["payee_account"]
        if account and len(account) >= 12:
            bank = issuer(account)
            if bank is not None and bank not in tx["payee_bank"]:
                problems.append(f"{path}.payee_bank {tx['payee_bank']!r}, BIN says {bank}")

    for i, ident in enumerate(case["identifiers"]):
        path = f"identifiers[{i}]"
        if ident["kind"] not in codes()["identifier_kinds"]:
            problems.append(f"{path}.kind {ident['kind']!r}")
        if not ident["value"] or len(ident["value"]) > 200 or len(ident["note"]) > 500:
            problems.append(f"{path} value empty or too long")
        if ident["kind"] == "phone" and not MOBILE.match(normalize("phone", ident["value"])):
            problems.append(f"{path}.value not a mobile number: {ident['value']!r}")
    if case["attachments"] != []:
        problems.append("attachments must be empty")

    _, parse_problems = case_from_dict(case)
    problems.extend(f"interchange: {p.code} {p.field}" for p in parse_problems)
    return problems


# --- the generator --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cases() -> list[dict[str, Any]]:
    return list(generate_cases(2000, seed=11))


def test_same_seed_same_cases() -> None:
    first = list(generate_cases(300, seed=7))
    assert first == list(generate_cases(300, seed=7))
    assert first != list(generate_cases(300, seed=8))
    # A shorter run is a prefix of a longer one.
    assert list(generate_cases(40, seed=7)) == first[:40]
    assert json.dumps(first, ensure_ascii=False)  # plain JSON data


def test_every_case_satisfies_the_rules(cases: list[dict[str, Any]]) -> None:
    failures = {i: p for i, c in enumerate(cases) if (p := case_problems(c, DEFAULT_NOW))}
    assert not failures, dict(list(failures.items())[:5])


def _flip_last_digit(case: dict[str, Any]) -> None:
    number = case["reporter"]["id_number"]
    case["reporter"]["id_number"] = number[:-1] + ("1" if number[-1] == "0" else "0")


@pytest.mark.parametrize(
    "break_it",
    [
        _flip_last_digit,
        lambda c: c["reporter"].update(sex="F" if c["reporter"]["sex"] == "M" else "M"),
        lambda c: c["reporter"].update(birth_date="1901-01-01"),
        lambda c: c["reporter"].update(phone="12345678901"),
        lambda c: c["incident"].update(fraud_type="phishing"),
        lambda c: c["incident"].update(occurred_from="2026-11-30T17:59:00+08:00"),
        lambda c: c.update(reported_at="2026-12-01T09:00:00+08:00"),
        lambda c: c["transactions"][0].update(amount="12.345"),
        lambda c: c["transactions"][0].update(amount="0.00"),
        lambda c: c["transactions"][0].update(payee_bank="招商银行"),
        lambda c: c["identifiers"].append({"kind": "qq", "value": "9" * 201, "note": ""}),
    ],
)
def test_the_checks_catch_broken_cases(break_it: Any) -> None:
    case = next(
        c
        for c in generate_cases(50, seed=1)
        if c["transactions"] and c["transactions"][0]["payee_bank"] not in ("", "招商银行")
    )
    assert not case_problems(case, DEFAULT_NOW)
    broken = copy.deepcopy(case)
    break_it(broken)
    assert case_problems(broken, DEFAULT_NOW)


def test_the_domain_validator_finds_no_errors(cases: list[dict[str, Any]]) -> None:
    ref, bin_table = resources.bundled_reference(), resources.bins()
    fixture_cases = json.loads(FIXTURES.read_text("utf-8"))
    for i, case in enumerate([*cases, *fixture_cases]):
        report, problems = case_from_dict(case)
        problems += validate_case(report, ref, bin_table, DEFAULT_NOW)
        errors = [(p.code, p.field) for p in problems if p.severity == ERROR]
        assert not errors, (i, errors)


def test_narratives_are_60_to_600_characters(cases: list[dict[str, Any]]) -> None:
    lengths = [len(c["incident"]["narrative"]) for c in cases]
    assert min(lengths) >= 60
    assert max(lengths) <= 600


def test_every_fraud_type_appears_with_realistic_weights(cases: list[dict[str, Any]]) -> None:
    counts = Counter(c["incident"]["fraud_type"] for c in cases)
    assert set(counts) == codes()["fraud_types"]
    top_two = {code for code, _ in counts.most_common(2)}
    assert top_two == {"rebate_task", "investment"}


def test_sources_are_mostly_reports(cases: list[dict[str, Any]]) -> None:
    counts = Counter(c["source"] for c in cases)
    assert set(counts) == {
        "report",
        "instruction_110",
        "public_tip",
        "company_request",
        "found_at_work",
    }
    assert counts["report"] > len(cases) * 0.7


def test_people_vary(cases: list[dict[str, Any]]) -> None:
    people = [c["reporter"] for c in cases] + [c["victim"] for c in cases if c["victim"]]
    assert {p["sex"] for p in people} >= {"M", "F"}
    groups = Counter(g for p in people for g in p["groups"])
    assert groups["students"] > 20 and groups["elderly"] > 20
    separate = [c for c in cases if c["victim"] is not None]
    assert 0.03 * len(cases) < len(separate) < 0.2 * len(cases)
    areas = Counter(p["id_number"][:6] for p in people if p["id_type"] == "resident_id")
    assert set(areas) & TANGSHAN_AREAS == TANGSHAN_AREAS
    assert sum(n for a, n in areas.items() if a not in TANGSHAN_AREAS) > 0
    names = {p["name"] for p in people}
    assert all(2 <= len(n) <= 3 for n in names)
    # A few names with characters outside the basic plane or GB 2312.
    assert any(not _in_gb2312(n) for n in names)


def _in_gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def test_money_ranges(cases: list[dict[str, Any]]) -> None:
    amounts = [int(t["amount"].replace(".", "")) for c in cases for t in c["transactions"]]
    assert min(amounts) >= 20_000
    assert max(amounts) <= 138_000_000
    assert max(amounts) > 50_000_000  # some big losses
    counts = Counter(len(c["transactions"]) for c in cases)
    assert set(counts) == {0, 1, 2, 3, 4}


def test_payee_cards_use_real_issuer_prefixes(cases: list[dict[str, Any]]) -> None:
    table, names = bins()
    for prefix, length, bank in sample_data._PAYEE_BINS:
        code, listed_length = table[prefix]
        assert names[code] == bank and listed_length == length, prefix
        assert not [p for p in table if p.startswith(prefix) and p != prefix], prefix
    accounts = {
        t["payee_account"]
        for c in cases
        for t in c["transactions"]
        if t["payee_account"] and len(t["payee_account"]) >= 15
    }
    failing = [a for a in accounts if not luhn.is_valid(a)]
    assert 0 < len(failing) < 0.15 * len(accounts)  # a few corporate accounts


def test_some_identifiers_and_accounts_repeat_across_cases(
    cases: list[dict[str, Any]],
) -> None:
    where: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, case in enumerate(cases):
        for ident in case["identifiers"]:
            where[(ident["kind"], normalize(ident["kind"], ident["value"]))].add(i)
        for tx in case["transactions"]:
            if tx["payee_account"]:
                where[("bank_account", tx["payee_account"])].add(i)
    shared = {key: found for key, found in where.items() if len(found) > 1 and key[0] != "app"}
    linked_cases = set().union(*shared.values())
    assert len(shared) >= 10
    assert 0.02 * len(cases) < len(linked_cases) < 0.15 * len(cases)
    assert {kind for kind, _ in shared} >= {"phone", "bank_account"}


def test_now_bounds_every_time() -> None:
    now = datetime(2025, 3, 1, 9, 30, tzinfo=CST)
    for case in generate_cases(300, seed=2, now=now):
        assert not case_problems(case, now)
        assert case["reported_at"] < "2025-03-01T09:30:01+08:00"


def test_station_hint_concentrates_addresses() -> None:
    batch = list(generate_cases(400, seed=5, station_hint="曹妃甸区"))
    local = sum("曹妃甸区" in c["reporter"]["address"] for c in batch)
    assert local > 0.5 * len(batch)
    unit = list(generate_cases(200, seed=5, station_hint="唐山市公安局玉田县公安局鸦鸿桥派出所"))
    assert sum("玉田县" in c["reporter"]["address"] for c in unit) > 0.5 * len(unit)
    haigang = list(generate_cases(200, seed=5, station_hint="海港"))
    assert sum("海港" in c["reporter"]["address"] for c in haigang) > 0.4 * len(haigang)
    with pytest.raises(ValueError):
        list(generate_cases(1, station_hint="石家庄"))


def test_helpers() -> None:
    rng = random.Random(3)
    number = luhn_complete("622202", 19, rng)
    assert len(number) == 19 and number.startswith("622202") and luhn.is_valid(number)
    for sex in ("M", "F"):
        rid = resident_id("130209", date(1955, 2, 28), sex, rng)
        assert rid[:14] == "13020919550228"
        assert rid[-1] == ric.calc_check_digit(rid)
        assert int(rid[16]) % 2 == (1 if sex == "M" else 0)
    with pytest.raises(ValueError):
        resident_id("1302", date(1990, 1, 1), "M", rng)


# --- the Tangshan fixtures ------------------------------------------------------------------

DISTINCTIVE = {
    "5b0e7c1a-3d42-4f6e-9a8b-1c2d3e4f5a60": "蟹塘",
    "8f3a9d24-6b1e-4c07-8e55-2a9b0c7d1e83": "渔船",
    "c2d47e91-0a5f-4b3c-a6d8-7e1f2b3c4d95": "钢材款",
    "1e9f8a7b-4c3d-4e2f-b1a0-9d8c7b6a5f41": "卖玉米",
    "a7c3e5f9-2b4d-4618-9c0e-3f5a7b9d1c27": "电竞酒店",
    "e4b6d8f0-1a3c-4e5f-8a9b-0c2d4e6f8a13": "考研资料",
}


@pytest.fixture(scope="module")
def fixtures() -> list[dict[str, Any]]:
    return json.loads(FIXTURES.read_text("utf-8"))


def test_fixtures_satisfy_the_rules(fixtures: list[dict[str, Any]]) -> None:
    assert len(fixtures) == 6
    for case in fixtures:
        assert not case_problems(case, DEFAULT_NOW), case["uuid"]
        assert uuid.UUID(case["uuid"]).version == 4
        assert "2026-11-20" <= case["reported_at"] < "2026-11-30T18:00:00+08:00"


def test_fixture_narratives_carry_a_distinctive_word(
    fixtures: list[dict[str, Any]],
    cases: list[dict[str, Any]],
) -> None:
    assert {c["uuid"] for c in fixtures} == set(DISTINCTIVE)
    generated = "\n".join(c["incident"]["narrative"] for c in cases)
    for case in fixtures:
        word = DISTINCTIVE[case["uuid"]]
        holders = [c["uuid"] for c in fixtures if word in c["incident"]["narrative"]]
        assert holders == [case["uuid"]], word
        assert word not in generated, word


def test_fixtures_tell_the_tangshan_stories(fixtures: list[dict[str, Any]]) -> None:
    by_word = {DISTINCTIVE[c["uuid"]]: c for c in fixtures}
    caofeidian, haigang = by_word["蟹塘"], by_word["渔船"]
    assert [t["amount"] for t in caofeidian["transactions"]] == ["1500.00"]
    assert sum(int(t["amount"][:-3]) for t in haigang["transactions"]) == 60_000
    accountant = by_word["钢材款"]
    assert len(accountant["transactions"]) >= 2
    assert sum(int(t["amount"].replace(".", "")) for t in accountant["transactions"]) == 138_000_000
    assert accountant["victim"] is not None and accountant["victim"]["groups"] == ["finance_staff"]
    liu = by_word["卖玉米"]
    assert liu["incident"]["fraud_type"] == "impersonate_authority"
    assert "玉田县" in liu["reporter"]["address"] and len(liu["transactions"]) == 1
    lead = by_word["电竞酒店"]
    assert lead["source"] in ("company_request", "public_tip") and not lead["transactions"]
    kinds = {i["kind"] for c in fixtures for i in c["identifiers"]}
    assert kinds >= {"phone", "qq", "wechat", "alipay", "bank_account", "url", "app", "email"}


def test_fixtures_share_identifiers_between_linked_cases(
    fixtures: list[dict[str, Any]],
) -> None:
    def keys(case: dict[str, Any]) -> set[tuple[str, str]]:
        found = {(i["kind"], normalize(i["kind"], i["value"])) for i in case["identifiers"]}
        found |= {
            ("bank_account", t["payee_account"]) for t in case["transactions"] if t["payee_account"]
        }
        return found

    by_word = {DISTINCTIVE[c["uuid"]]: keys(c) for c in fixtures}
    assert by_word["蟹塘"] & by_word["渔船"] == {
        ("phone", "17085213396"),
        ("bank_account", "6222027289661390569"),
    }
    assert by_word["电竞酒店"] & by_word["考研资料"] == {("bank_account", "6217997258559739746")}
