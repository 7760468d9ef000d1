"""Leads (线索) and prevention events (宣防): records a station keeps beside its cases.

A lead is not a victim's report: an internet company's tip, account trading found at work. A
prevention event is a street campaign, a lecture, a bank-counter briefing or an online post.
Both are read from plain dicts (the CLI's JSON, the window's form) into checked dataclasses; the
first problem found raises IntakeError naming the field. Their canonical record (`to_dict`) is
what a revision stores and hashes, like a case's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from intake_app.domain.errors import IntakeError
from intake_app.domain.identifiers import IDENTIFIER_KINDS, normalize_account, normalize_identifier
from intake_app.domain.reference import ReferenceData, list_name_label
from intake_app.domain.times import CLOCK_SKEW, format_time, parse_date, parse_time

LEAD_FORMAT = "intake-lead/1"
PREVENTION_FORMAT = "intake-prevention/1"
# Where leads come from: the case sources of the reference data that are not a victim's report.
LEAD_SOURCES = ("public_tip", "company_request", "found_at_work", "instruction_110", "transfer")
EVENT_KINDS: dict[str, tuple[str, str]] = {
    "street_campaign": ("街头宣传", "Street campaign"),
    "lecture": ("讲座", "Lecture"),
    "bank_counter": ("银行网点劝阻宣传", "Bank-counter briefing"),
    "online_post": ("网络宣传", "Online post"),
    "other": ("其他", "Other"),
}
MAX_TEXT = 200
MAX_NARRATIVE = 5000
MAX_IDENTIFIERS = 500
MAX_AUDIENCE = 10_000_000


def event_kind_label(code: str, lang: str = "zh_CN") -> str:
    pair = EVENT_KINDS.get(code)
    return code if pair is None else pair[0] if lang == "zh_CN" else pair[1]


@dataclass
class LeadIdentifier:
    kind: str
    value: str
    note: str = ""

    def term(self) -> str:
        if self.kind == "bank_account":
            return normalize_account(self.value)
        return normalize_identifier(self.kind, self.value)


@dataclass
class Lead:
    received_at: str
    source: str
    summary: str
    narrative: str = ""
    source_detail: str = ""
    identifiers: list[LeadIdentifier] = field(default_factory=list)
    uuid: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": LEAD_FORMAT,
            "uuid": self.uuid,
            "received_at": self.received_at,
            "source": self.source,
            "source_detail": self.source_detail,
            "summary": self.summary,
            "narrative": self.narrative,
            "identifiers": [
                {"kind": i.kind, "value": i.value, "note": i.note} for i in self.identifiers
            ],
        }

    def terms(self) -> list[tuple[str, str]]:
        seen: dict[tuple[str, str], None] = {}
        for ident in self.identifiers:
            term = ident.term()
            if term:
                seen[(ident.kind, term)] = None
        return list(seen)


@dataclass
class PreventionEvent:
    held_on: str  # ISO day
    kind: str
    place: str
    target_group: str
    audience: int
    notes: str = ""
    uuid: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": PREVENTION_FORMAT,
            "uuid": self.uuid,
            "held_on": self.held_on,
            "kind": self.kind,
            "place": self.place,
            "target_group": self.target_group,
            "audience": self.audience,
            "notes": self.notes,
        }


def _text(
    data: dict[str, Any], name: str, *, required: bool, limit: int = MAX_TEXT, label: str = ""
) -> str:
    """A stripped text value; errors name `label` (the field's word) or the key."""
    value = data.get(name, "")
    name = label or name
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise IntakeError("not_a_string", name)
    value = value.strip()
    if required and not value:
        raise IntakeError("required", name)
    if len(value) > limit:
        raise IntakeError("too_long", name, length=len(value), limit=limit)
    return value


def _uuid(data: dict[str, Any]) -> str | None:
    import uuid as uuidlib

    value = data.get("uuid")
    if value in (None, ""):
        return None
    try:
        return str(uuidlib.UUID(str(value)))
    except ValueError:
        raise IntakeError("uuid_invalid", "uuid", value=str(value)) from None


def _code(value: str, name: str, allowed: Any, list_name: str) -> str:
    if value not in allowed:
        raise IntakeError(
            "unknown_code",
            name,
            value=value,
            list_name=list_name_label(list_name, "zh_CN"),
            list_name_en=list_name_label(list_name, "en"),
        )
    return value


def lead_from_dict(data: Any, reference: ReferenceData, now: datetime) -> Lead:
    """A checked lead. The received time defaults to now; it may not lie in the future."""
    if not isinstance(data, dict):
        raise IntakeError("not_an_object", "lead")
    received_text = _text(data, "received_at", required=False)
    received = parse_time(received_text, "received_at") if received_text else now
    if received > now + CLOCK_SKEW:
        raise IntakeError("time_in_future", "received_at")
    sources = [s for s in LEAD_SOURCES if reference.has("case_sources", s)] + ["other"]
    source = _code(_text(data, "source", required=True), "source", sources, "case_sources")
    raw_identifiers = data.get("identifiers") or []
    if not isinstance(raw_identifiers, list):
        raise IntakeError("not_a_list", "identifiers")
    if len(raw_identifiers) > MAX_IDENTIFIERS:
        raise IntakeError(
            "too_long", "identifiers", length=len(raw_identifiers), limit=MAX_IDENTIFIERS
        )
    identifiers = []
    for i, item in enumerate(raw_identifiers):
        if not isinstance(item, dict):
            raise IntakeError("not_an_object", f"identifiers[{i}]")
        kind = _code(
            _text(item, "kind", required=True),
            f"identifiers[{i}].kind",
            IDENTIFIER_KINDS,
            "identifier_kinds",
        )
        value = _text(item, "value", required=True)
        identifiers.append(LeadIdentifier(kind, value, _text(item, "note", required=False)))
    return Lead(
        received_at=format_time(received),
        source=source,
        source_detail=_text(data, "source_detail", required=False),
        summary=_text(data, "summary", required=True),
        narrative=_text(data, "narrative", required=False, limit=MAX_NARRATIVE),
        identifiers=identifiers,
        uuid=_uuid(data),
    )


def prevention_from_dict(data: Any, reference: ReferenceData, today: date) -> PreventionEvent:
    """A checked prevention event; its day may not lie in the future."""
    if not isinstance(data, dict):
        raise IntakeError("not_an_object", "prevention")
    held_text = _text(data, "held_on", required=True)
    held = parse_date(held_text, "held_on")
    if held > today:
        raise IntakeError("time_in_future", "held_on")
    kind = _code(_text(data, "kind", required=True), "kind", EVENT_KINDS, "prevention_kinds")
    group = _code(
        _text(data, "target_group", required=True),
        "target_group",
        reference.codes("target_groups"),
        "target_groups",
    )
    audience = data.get("audience", 0)
    if isinstance(audience, str) and audience.strip().isdigit():
        audience = int(audience.strip())
    if isinstance(audience, bool) or not isinstance(audience, int):
        raise IntakeError("not_a_number", "audience", value=str(audience))
    if not 0 <= audience <= MAX_AUDIENCE:
        raise IntakeError("out_of_range", "audience", value=audience, low=0, high=MAX_AUDIENCE)
    return PreventionEvent(
        held_on=held.isoformat(),
        kind=kind,
        place=_text(data, "place", required=True, label="venue"),
        target_group=group,
        audience=audience,
        notes=_text(data, "notes", required=False, limit=MAX_NARRATIVE),
        uuid=_uuid(data),
    )
