"""The center's instructions at the station (issue 7 point 2): listed newest and most urgent
first with their deadlines, acknowledged, and closed with one outcome each, audited; the
outcomes go up with the next sync (record kind `instruction_result`) and the interceptions
(dissuaded) count in the station's statistics.

    ins = desk.instructions
    ins.listing()                                  # open first, nearest deadline first
    ins.acknowledge(ident, officer)
    ins.record(ident, "dissuaded", officer, note="已当面劝阻")
    ins.report_record(ident)                        # a new case pre-filled from the instruction
"""

from __future__ import annotations

import json
import uuid as uuidlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from intake_app.domain.errors import IntakeError, NotFound
from intake_app.domain.instructions import OUTCOMES_BY_KIND, outcome_words
from intake_app.domain.times import SHANGHAI, format_time, parse_time, utc_stamp

from intake_app.store import audit
from intake_app.store import instructions as rows
from intake_app.store.officers import Officer

if TYPE_CHECKING:
    from intake_app.services.desk import Desk

ACKNOWLEDGE, RESULT = "instruction_ack", "instruction_result"


@dataclass(frozen=True)
class InstructionEntry:
    id: str
    kind: str
    text: str
    deadline: datetime | None
    issued_at: str
    received_at: str
    subject: dict[str, Any]
    acknowledged_by: str | None
    acknowledged_at: str | None
    outcome: str | None
    outcome_at: str | None
    outcome_by: str | None
    note: str

    @property
    def open(self) -> bool:
        return self.outcome is None

    def minutes_left(self, now: datetime) -> int | None:
        """Minutes to the deadline (negative once passed), None without one."""
        if self.deadline is None:
            return None
        return int((self.deadline - now).total_seconds() // 60)

    def as_dict(self, now: datetime) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "deadline": format_time(self.deadline) if self.deadline else "",
            "minutes_left": self.minutes_left(now),
            "issued_at": self.issued_at,
            "received_at": self.received_at,
            "subject": self.subject,
            "acknowledged_by": self.acknowledged_by,
            "acknowledged_at": self.acknowledged_at,
            "outcome": self.outcome,
            "outcome_at": self.outcome_at,
            "outcome_by": self.outcome_by,
            "note": self.note,
        }


def _deadline(text: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=SHANGHAI)
    return when


def _entry(r: Any) -> InstructionEntry:
    return InstructionEntry(
        r["id"],
        r["kind"],
        r["text"],
        _deadline(r["deadline"]),
        r["issued_at"],
        r["received_at"],
        json.loads(r["subject"] or "{}"),
        r["acknowledged_by"],
        r["acknowledged_at"],
        r["outcome"],
        r["outcome_at"],
        r["outcome_by"],
        r["note"] or "",
    )


class InstructionService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def listing(self) -> list[InstructionEntry]:
        """Open ones first: those with a deadline, nearest (or most overdue) first, then the
        newest; then the closed ones, the newest outcome first."""
        entries = [_entry(r) for r in rows.listing(self.desk.store.conn)]
        far = datetime.max.replace(tzinfo=SHANGHAI)

        def key(e: InstructionEntry) -> tuple[Any, ...]:
            if e.open:
                return (0, e.deadline or far, _desc(e.issued_at))
            return (1, _desc(e.outcome_at or ""), e.id)

        return sorted(entries, key=key)

    def get(self, ident: str) -> InstructionEntry:
        row = rows.one(self.desk.store.conn, ident)
        if row is None:
            raise NotFound("instruction_unknown", "instruction", value=ident)
        return _entry(row)

    def acknowledge(self, ident: str, officer: Officer) -> InstructionEntry:
        """The officer has read it (the first acknowledgement counts; audited once)."""
        self.get(ident)
        at = utc_stamp(self.desk.now())
        with self.desk.store.write() as conn:
            if rows.acknowledge(conn, ident, officer.badge, at):
                audit.append(conn, officer.badge, ACKNOWLEDGE, "instruction", ident, {}, at)
        return self.get(ident)

    def record(
        self,
        ident: str,
        outcome: str,
        officer: Officer,
        *,
        note: str = "",
        at: datetime | str | None = None,
    ) -> InstructionEntry:
        """Close an instruction with its outcome (acknowledging it too if not yet done).
        Refused, with nothing written, for an outcome that does not fit its kind or a second
        outcome."""
        entry = self.get(ident)
        allowed = OUTCOMES_BY_KIND.get(entry.kind, ())
        if outcome not in allowed:
            raise IntakeError(
                "instruction_outcome_invalid",
                "instruction_outcome",
                value=outcome,
                allowed=", ".join(allowed),
            )
        if not entry.open:
            raise IntakeError(
                "instruction_already_recorded",
                "instruction",
                value=outcome_words(entry.outcome or "", "zh_CN"),
            )
        now = self.desk.now()
        when = parse_time(at, "outcome_at") if isinstance(at, str) else (at or now)
        recorded = utc_stamp(now)
        result = {
            "uuid": str(uuidlib.uuid4()),
            "instruction_id": ident,
            "outcome": outcome,
            "at": format_time(when.astimezone(SHANGHAI)),
            "note": note.strip(),
            "officer": officer.badge,
            "recorded_at": recorded,
        }
        with self.desk.store.write() as conn:
            if rows.acknowledge(conn, ident, officer.badge, recorded):
                audit.append(conn, officer.badge, ACKNOWLEDGE, "instruction", ident, {}, recorded)
            rows.add_result(conn, result)
            audit.append(
                conn,
                officer.badge,
                RESULT,
                "instruction",
                ident,
                {"outcome": outcome, "at": result["at"], "note": result["note"]},
                recorded,
            )
        return self.get(ident)

    def report_record(self, ident: str) -> dict[str, Any]:
        """What a new report taken after "already defrauded" starts with: the person as
        reporter (and victim), the identifiers the center knew, the instruction as narrative."""
        entry = self.get(ident)
        subject = entry.subject
        person = {k: subject[k] for k in ("name", "phone") if subject.get(k)}
        return {
            "reporter": person,
            "victim": None,
            "identifiers": [
                {"kind": i["kind"], "value": i["value"], "note": ""}
                for i in subject.get("identifiers", [])
            ],
            "incident": {"narrative": entry.text},
        }


def _desc(text: str) -> str:
    """A sort key putting later ISO stamps first."""
    return "".join(chr(0x10FFFF - ord(c)) for c in text)
