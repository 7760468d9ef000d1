"""Checks on a report. Errors block registering; warnings and suggestions do not.

Each problem carries a code, the field path (e.g. `transactions[1].payee_account`), a severity
and its parameters; `Problem.message(lang)` words it in zh_CN or en.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from intake_app.domain.bins import BinTable
from intake_app.domain.identifiers import check_phone, check_resident_id, luhn_ok, normalize_account
from intake_app.domain.model import CaseReport, Person, Transaction
from intake_app.domain.problems import ERROR, INFO, WARNING, Problem
from intake_app.domain.reference import ReferenceData, list_name_label
from intake_app.domain.times import CLOCK_SKEW, SHANGHAI

# Length limits in characters; the limit is named in the message.
LIMITS = {
    "name": 50,
    "occupation": 50,
    "address": 200,
    "place": 200,
    "narrative": 5000,
    "payee_name": 100,
    "bank": 50,
    "account": 40,
    "serial_no": 64,
    "id_number": 30,
    "phone": 30,
    "identifier_value": 200,
    "note": 500,
    "attachment_name": 255,
    "media_type": 100,
    "transactions": 200,
    "identifiers": 200,
    "attachments": 50,
}
SEXES = ("M", "F", "U")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_ACCOUNT_OK = re.compile(r"^[0-9A-Z]+$")

# Reports are about recent events: an earlier time is a mistyped year.
EARLIEST = datetime(1990, 1, 1, tzinfo=SHANGHAI)


class _Checker:
    def __init__(self, ref: ReferenceData, bins: BinTable | None, now: datetime) -> None:
        self.ref = ref
        self.bins = bins
        self.now = now
        self.problems: list[Problem] = []

    def add(self, code: str, field: str, severity: str = ERROR, **params: Any) -> None:
        self.problems.append(Problem(code, field, severity, params))

    def text(self, value: str, field: str, limit: int, *, required: bool = False) -> bool:
        """Required and length checks. True when there is a value to look at further."""
        if not value.strip():
            if required:
                self.add("required", field)
            return False
        if len(value) > limit:
            self.add("too_long", field, length=len(value), limit=limit)
        return True

    def code(self, value: str, field: str, list_name: str, *, required: bool = True) -> None:
        if not value:
            if required:
                self.add("required", field)
            return
        if not self.ref.has(list_name, value):
            self.add(
                "unknown_code",
                field,
                value=value,
                list_name=list_name_label(list_name, "zh_CN"),
                list_name_en=list_name_label(list_name, "en"),
            )

    def not_future(self, moment: datetime | None, field: str) -> None:
        """Not ahead of the clock, and not before EARLIEST (a mistyped year such as 0026)."""
        if moment is not None and moment > self.now + CLOCK_SKEW:
            self.add("time_in_future", field)
        elif moment is not None and moment < EARLIEST:
            self.add("time_too_early", field, earliest=EARLIEST.date().isoformat())

    def order(
        self, earlier: datetime | None, later: datetime | None, later_field: str, earlier_field: str
    ) -> None:
        if earlier is not None and later is not None and later < earlier:
            self.add("time_order", later_field, other=earlier_field)

    def count(self, items: list[Any], field: str, limit: int) -> None:
        if len(items) > limit:
            self.add("too_long", field, length=len(items), limit=limit)


def validate_case(
    report: CaseReport, ref: ReferenceData, bins: BinTable | None, now: datetime
) -> list[Problem]:
    """Every problem of a report, in field order."""
    c = _Checker(ref, bins, now)
    if report.reported_at is None:
        c.add("required", "reported_at")
    c.not_future(report.reported_at, "reported_at")
    c.code(report.source, "source", "case_sources")
    _person(c, report.reporter, "reporter", full=True)
    if report.victim is not None:
        _person(c, report.victim, "victim", full=False)
    _incident(c, report)
    c.count(report.transactions, "transactions", LIMITS["transactions"])
    for i, tx in enumerate(report.transactions):
        _transaction(c, report, tx, f"transactions[{i}]")
    c.count(report.identifiers, "identifiers", LIMITS["identifiers"])
    for i, ident in enumerate(report.identifiers):
        path = f"identifiers[{i}]"
        c.code(ident.kind, f"{path}.kind", "identifier_kinds")
        if c.text(ident.value, f"{path}.value", LIMITS["identifier_value"], required=True):
            _identifier_value(c, ident.kind, ident.value, f"{path}.value")
        c.text(ident.note, f"{path}.note", LIMITS["note"])
    c.count(report.attachments, "attachments", LIMITS["attachments"])
    for i, att in enumerate(report.attachments):
        path = f"attachments[{i}]"
        c.text(att.name, f"{path}.name", LIMITS["attachment_name"], required=True)
        c.text(att.media_type, f"{path}.media_type", LIMITS["media_type"])
        if att.sha256 and not _SHA256.match(att.sha256):
            c.add("attachment_hash_mismatch", f"{path}.sha256")
        if not att.sha256 and not att.path:
            c.add("required", f"{path}.sha256")
    return c.problems


def _person(c: _Checker, person: Person, path: str, *, full: bool) -> None:
    c.text(person.name, f"{path}.name", LIMITS["name"], required=True)
    if person.sex not in SEXES:
        c.add("sex_invalid", f"{path}.sex")
    if person.birth_date is not None and person.birth_date > c.now.date():
        c.add("birth_in_future", f"{path}.birth_date")
    c.code(person.id_type, f"{path}.id_type", "id_types", required=full)
    id_field = f"{path}.id_number"
    if c.text(person.id_number, id_field, LIMITS["id_number"], required=full):
        if person.id_type == "resident_id":
            _resident_id(c, person, path)
        elif not re.match(r"^[0-9A-Za-z()\-]+$", person.id_number.strip()):
            c.add("id_chars", id_field)
    phone_field = f"{path}.phone"
    if c.text(person.phone, phone_field, LIMITS["phone"], required=full):
        _phone(c, person.phone, phone_field)
    c.text(person.address, f"{path}.address", LIMITS["address"])
    c.text(person.occupation, f"{path}.occupation", LIMITS["name"])
    for i, group in enumerate(person.groups):
        c.code(group, f"{path}.groups[{i}]", "target_groups")


def _resident_id(c: _Checker, person: Person, path: str) -> None:
    field = f"{path}.id_number"
    check = check_resident_id(person.id_number, c.now.date())
    if check.error:
        c.add(check.error, field)
        return
    for warning in check.warnings:
        c.add(warning, field, WARNING)
    if person.birth_date is not None and check.birth_date not in (None, person.birth_date):
        c.add("id_birth_mismatch", f"{path}.birth_date", WARNING)
    if person.sex in ("M", "F") and check.sex not in (None, person.sex):
        c.add("id_sex_mismatch", f"{path}.sex", WARNING)


def _phone(c: _Checker, value: str, field: str) -> None:
    check = check_phone(value)
    if check.error:
        c.add(check.error, field, value=value)
    elif check.warning:
        c.add(check.warning, field, WARNING)


def _incident(c: _Checker, report: CaseReport) -> None:
    inc = report.incident
    if inc.occurred_from is None:
        c.add("required", "incident.occurred_from")
    for name in ("occurred_from", "occurred_to", "discovered_at"):
        c.not_future(getattr(inc, name), f"incident.{name}")
    c.order(inc.occurred_from, inc.occurred_to, "incident.occurred_to", "incident.occurred_from")
    c.order(
        inc.occurred_from, inc.discovered_at, "incident.discovered_at", "incident.occurred_from"
    )
    latest_known = inc.discovered_at or inc.occurred_to or inc.occurred_from
    latest_field = (
        "incident.discovered_at"
        if inc.discovered_at
        else "incident.occurred_to"
        if inc.occurred_to
        else "incident.occurred_from"
    )
    c.order(latest_known, report.reported_at, "reported_at", latest_field)
    c.text(inc.place, "incident.place", LIMITS["place"])
    c.code(inc.fraud_type, "incident.fraud_type", "fraud_types")
    c.code(inc.contact_channel, "incident.contact_channel", "contact_channels")
    c.text(inc.narrative, "incident.narrative", LIMITS["narrative"], required=True)


def _transaction(c: _Checker, report: CaseReport, tx: Transaction, path: str) -> None:
    if tx.at is None:
        c.add("required", f"{path}.at")
    c.not_future(tx.at, f"{path}.at")
    c.order(tx.at, report.reported_at, "reported_at", f"{path}.at")
    if (
        tx.at is not None
        and report.incident.occurred_from is not None
        and tx.at < report.incident.occurred_from
    ):
        c.add("transaction_before_incident", f"{path}.at", WARNING)
    if tx.amount_fen is None and not any(p.field == f"{path}.amount" for p in c.problems):
        c.add("required", f"{path}.amount")
    c.code(tx.method, f"{path}.method", "transaction_methods")
    c.text(tx.payer_bank, f"{path}.payer_bank", LIMITS["bank"])
    c.text(tx.payee_bank, f"{path}.payee_bank", LIMITS["bank"])
    c.text(tx.payee_name, f"{path}.payee_name", LIMITS["payee_name"])
    c.text(tx.serial_no, f"{path}.serial_no", LIMITS["serial_no"])
    if c.text(tx.payer_account, f"{path}.payer_account", LIMITS["account"]):
        _account(c, tx.payer_account, f"{path}.payer_account")
    if c.text(tx.payee_account, f"{path}.payee_account", LIMITS["account"]):
        _account(c, tx.payee_account, f"{path}.payee_account")
        _suggest_bank(c, tx, path)


def _account(c: _Checker, value: str, field: str) -> None:
    normalized = normalize_account(value)
    if not normalized or not _ACCOUNT_OK.match(normalized):
        c.add("account_chars", field, value=value)
        return
    if normalized.isdigit() and len(normalized) >= 12 and not luhn_ok(normalized):
        c.add("luhn_failed", field, WARNING)


def _same_bank(given: str, suggested: str) -> bool:
    a, b = given.strip(), suggested.strip()
    return bool(a) and (a in b or b in a)


def _suggest_bank(c: _Checker, tx: Transaction, path: str) -> None:
    if c.bins is None:
        return
    match = c.bins.lookup(tx.payee_account)
    if match is None:
        return
    if not tx.payee_bank.strip():
        c.add("payee_bank_suggested", f"{path}.payee_bank", INFO, bank=match.bank_name)
    elif not _same_bank(tx.payee_bank, match.bank_name) and not any(
        _same_bank(tx.payee_bank, alt) for alt in match.alternatives
    ):
        c.add(
            "payee_bank_mismatch",
            f"{path}.payee_bank",
            WARNING,
            given=tx.payee_bank,
            bank=match.bank_name,
        )


def _identifier_value(c: _Checker, kind: str, value: str, field: str) -> None:
    if kind == "phone":
        _phone(c, value, field)
    elif kind == "email" and not _EMAIL.match(value.strip()):
        c.add("email_format", field, WARNING)
    elif kind == "bank_account":
        _account(c, value, field)
