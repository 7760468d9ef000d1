"""The case interchange format `intake-case/1`: dict <-> CaseReport, and canonical JSON.

Parsing never raises on bad data: every field that cannot be read becomes a Problem with its
path, and the rest of the record is still read so that all problems show at once.
"""

from __future__ import annotations

import hashlib
import json
import uuid as uuidlib
from datetime import datetime
from typing import Any

from intake_app.domain.errors import IntakeError
from intake_app.domain.model import (
    CASE_FORMAT,
    Attachment,
    CaseReport,
    Identifier,
    Incident,
    Person,
    Transaction,
)
from intake_app.domain.money import format_yuan, parse_yuan
from intake_app.domain.problems import ERROR, WARNING, Problem
from intake_app.domain.times import format_time, parse_date, parse_time

PERSON_KEYS = (
    "name",
    "sex",
    "birth_date",
    "id_type",
    "id_number",
    "phone",
    "address",
    "occupation",
    "groups",
)
INCIDENT_KEYS = (
    "occurred_from",
    "occurred_to",
    "discovered_at",
    "place",
    "fraud_type",
    "contact_channel",
    "narrative",
)
TRANSACTION_KEYS = (
    "at",
    "amount",
    "method",
    "payer_bank",
    "payer_account",
    "payee_name",
    "payee_bank",
    "payee_account",
    "serial_no",
)
IDENTIFIER_KEYS = ("kind", "value", "note")
ATTACHMENT_KEYS = ("name", "media_type", "sha256", "size", "path")
CASE_KEYS = (
    "format",
    "uuid",
    "reported_at",
    "source",
    "reporter",
    "victim",
    "incident",
    "transactions",
    "identifiers",
    "attachments",
)
# Keys the desk adds on output (case show / export); accepted and ignored on import.
OUTPUT_KEYS = (
    "case_no",
    "revision",
    "status",
    "station_code",
    "station_name",
    "received_by",
    "registered_at",
    "voided_at",
    "void_reason",
    "revised_at",
    "revised_by",
    "sha256",
)


class _Reader:
    """Collects problems while reading one record."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, code: str, field: str, severity: str = ERROR, **params: Any) -> None:
        self.problems.append(Problem(code, field, severity, params))

    def obj(self, value: Any, path: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.add("not_an_object", path)
        return None

    def unknown(self, data: dict[str, Any], known: tuple[str, ...], path: str) -> None:
        for key in data:
            if key not in known:
                self.add("unknown_field", f"{path}.{key}" if path else key, WARNING)

    def text(self, data: dict[str, Any], key: str, path: str) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # Numbers typed into spreadsheets lose their quotes; keep their digits.
            return str(value)
        if not isinstance(value, str):
            self.add("not_a_string", _join(path, key))
            return ""
        return value

    def time(self, data: dict[str, Any], key: str, path: str) -> Any:
        value = data.get(key)
        if value in (None, ""):
            return None
        try:
            moment = parse_time(value, _join(path, key))
        except IntakeError as exc:
            self.add(exc.code, exc.field, **exc.params)
            return None
        if not _has_offset(value):
            # The format requires an offset; without one the time is read as Beijing time.
            self.add("time_no_offset", _join(path, key), WARNING, value=value)
        return moment

    def date(self, data: dict[str, Any], key: str, path: str) -> Any:
        value = data.get(key)
        if value in (None, ""):
            return None
        try:
            return parse_date(value, _join(path, key))
        except IntakeError as exc:
            self.add(exc.code, exc.field, **exc.params)
            return None

    def items(self, data: dict[str, Any], key: str, path: str) -> list[Any]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add("not_a_list", _join(path, key))
            return []
        return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _has_offset(text: str) -> bool:
    """Whether a time that parse_time accepted carries its own UTC offset (or Z)."""
    value = text.strip()
    return value.endswith(("Z", "z")) or datetime.fromisoformat(value).tzinfo is not None


def _person(r: _Reader, value: Any, path: str) -> Person:
    data = r.obj(value, path)
    if data is None:
        return Person()
    r.unknown(data, PERSON_KEYS, path)
    groups = []
    for i, group in enumerate(r.items(data, "groups", path)):
        if isinstance(group, str):
            groups.append(group)
        else:
            r.add("not_a_string", f"{path}.groups[{i}]")
    sex = r.text(data, "sex", path) or "U"
    return Person(
        name=r.text(data, "name", path),
        sex=sex,
        birth_date=r.date(data, "birth_date", path),
        id_type=r.text(data, "id_type", path) or "resident_id",
        id_number=r.text(data, "id_number", path),
        phone=r.text(data, "phone", path),
        address=r.text(data, "address", path),
        occupation=r.text(data, "occupation", path),
        groups=groups,
    )


def _transaction(r: _Reader, value: Any, path: str) -> Transaction:
    data = r.obj(value, path)
    if data is None:
        return Transaction()
    r.unknown(data, TRANSACTION_KEYS, path)
    amount_fen = None
    raw_amount = data.get("amount")
    if raw_amount in (None, ""):
        amount_fen = None
    elif not isinstance(raw_amount, str):
        # JSON numbers cannot be trusted to carry exact money (1500 would pass where 1500.5
        # fails); "amount" must be a decimal string.
        r.add("amount_not_text", f"{path}.amount", value=json.dumps(raw_amount))
    else:
        try:
            amount_fen = parse_yuan(str(raw_amount), f"{path}.amount")
        except IntakeError as exc:
            r.add(exc.code, exc.field, **exc.params)
    return Transaction(
        at=r.time(data, "at", path),
        amount_fen=amount_fen,
        method=r.text(data, "method", path),
        payer_bank=r.text(data, "payer_bank", path),
        payer_account=r.text(data, "payer_account", path),
        payee_name=r.text(data, "payee_name", path),
        payee_bank=r.text(data, "payee_bank", path),
        payee_account=r.text(data, "payee_account", path),
        serial_no=r.text(data, "serial_no", path),
    )


def _identifier(r: _Reader, value: Any, path: str) -> Identifier:
    data = r.obj(value, path)
    if data is None:
        return Identifier()
    r.unknown(data, IDENTIFIER_KEYS, path)
    return Identifier(
        kind=r.text(data, "kind", path),
        value=r.text(data, "value", path),
        note=r.text(data, "note", path),
    )


def _attachment(r: _Reader, value: Any, path: str) -> Attachment:
    data = r.obj(value, path)
    if data is None:
        return Attachment()
    r.unknown(data, ATTACHMENT_KEYS, path)
    size = data.get("size")
    return Attachment(
        name=r.text(data, "name", path),
        media_type=r.text(data, "media_type", path),
        sha256=r.text(data, "sha256", path).lower(),
        size=size if isinstance(size, int) and not isinstance(size, bool) else None,
        path=data.get("path") if isinstance(data.get("path"), str) else None,
    )


def case_from_dict(value: Any) -> tuple[CaseReport, list[Problem]]:
    """Read one interchange record. Returns the report and the problems met while reading."""
    r = _Reader()
    data = r.obj(value, "")
    if data is None:
        return CaseReport(), r.problems
    r.unknown(data, CASE_KEYS + OUTPUT_KEYS, "")
    fmt = data.get("format", CASE_FORMAT)
    if fmt != CASE_FORMAT:
        r.add("format_unsupported", "format", value=str(fmt), expected=CASE_FORMAT)
    case_uuid = data.get("uuid")
    if case_uuid not in (None, ""):
        try:
            case_uuid = str(uuidlib.UUID(str(case_uuid)))
        except ValueError:
            r.add("uuid_invalid", "uuid", value=str(case_uuid))
            case_uuid = None
    else:
        case_uuid = None
    victim_raw = data.get("victim")
    report = CaseReport(
        uuid=case_uuid,
        reported_at=r.time(data, "reported_at", ""),
        source=r.text(data, "source", ""),
        reporter=_person(r, data.get("reporter", {}), "reporter"),
        victim=None if victim_raw is None else _person(r, victim_raw, "victim"),
        incident=_incident(r, data.get("incident", {})),
        transactions=[
            _transaction(r, t, f"transactions[{i}]")
            for i, t in enumerate(r.items(data, "transactions", ""))
        ],
        identifiers=[
            _identifier(r, t, f"identifiers[{i}]")
            for i, t in enumerate(r.items(data, "identifiers", ""))
        ],
        attachments=[
            _attachment(r, t, f"attachments[{i}]")
            for i, t in enumerate(r.items(data, "attachments", ""))
        ],
    )
    return report, r.problems


def _incident(r: _Reader, value: Any) -> Incident:
    data = r.obj(value, "incident")
    if data is None:
        return Incident()
    r.unknown(data, INCIDENT_KEYS, "incident")
    return Incident(
        occurred_from=r.time(data, "occurred_from", "incident"),
        occurred_to=r.time(data, "occurred_to", "incident"),
        discovered_at=r.time(data, "discovered_at", "incident"),
        place=r.text(data, "place", "incident"),
        fraud_type=r.text(data, "fraud_type", "incident"),
        contact_channel=r.text(data, "contact_channel", "incident"),
        narrative=r.text(data, "narrative", "incident"),
    )


def _opt_time(value: Any) -> str | None:
    return format_time(value) if value is not None else None


def person_to_dict(person: Person) -> dict[str, Any]:
    return {
        "name": person.name,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        "id_type": person.id_type,
        "id_number": person.id_number,
        "phone": person.phone,
        "address": person.address,
        "occupation": person.occupation,
        "groups": list(person.groups),
    }


def case_to_dict(report: CaseReport) -> dict[str, Any]:
    """The interchange record of a report (without the desk's own keys such as case_no)."""
    inc = report.incident
    return {
        "format": CASE_FORMAT,
        "uuid": report.uuid,
        "reported_at": _opt_time(report.reported_at),
        "source": report.source,
        "reporter": person_to_dict(report.reporter),
        "victim": person_to_dict(report.victim) if report.victim is not None else None,
        "incident": {
            "occurred_from": _opt_time(inc.occurred_from),
            "occurred_to": _opt_time(inc.occurred_to),
            "discovered_at": _opt_time(inc.discovered_at),
            "place": inc.place,
            "fraud_type": inc.fraud_type,
            "contact_channel": inc.contact_channel,
            "narrative": inc.narrative,
        },
        "transactions": [
            {
                "at": _opt_time(t.at),
                "amount": format_yuan(t.amount_fen) if t.amount_fen is not None else None,
                "method": t.method,
                "payer_bank": t.payer_bank,
                "payer_account": t.payer_account,
                "payee_name": t.payee_name,
                "payee_bank": t.payee_bank,
                "payee_account": t.payee_account,
                "serial_no": t.serial_no,
            }
            for t in report.transactions
        ],
        "identifiers": [
            {"kind": i.kind, "value": i.value, "note": i.note} for i in report.identifiers
        ],
        "attachments": [
            {"name": a.name, "media_type": a.media_type, "sha256": a.sha256, "size": a.size}
            for a in report.attachments
        ],
    }


def canonical_json(value: Any) -> bytes:
    """One byte sequence per value: sorted keys, no spaces, UTF-8. What hashes are taken of."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_hash(report: CaseReport) -> str:
    """SHA-256 of the report's content, independent of its uuid."""
    record = case_to_dict(report)
    record["uuid"] = None
    return sha256_hex(canonical_json(record))
