"""Registering and listing leads (线索) and prevention events (宣防).

Like a case, each record has a uuid and immutable revisions (canonical JSON and its SHA-256 in
`record_revisions`); a change is a new revision, and every write appends its audit entry in the
same transaction. The sync with the city center can send both up as it sends cases.
"""

from __future__ import annotations

import json
import sqlite3
import uuid as uuidlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from intake_app.domain.errors import Conflict, NotFound
from intake_app.domain.interchange import canonical_json, sha256_hex
from intake_app.domain.outreach import Lead, PreventionEvent, lead_from_dict, prevention_from_dict
from intake_app.domain.times import parse_time, utc_stamp

from intake_app.store import audit, outreach
from intake_app.store.officers import Officer
from intake_app.store.outreach import LeadRow, PreventionRow

if TYPE_CHECKING:
    from intake_app.services.desk import Desk

LEAD, PREVENTION = "lead", "prevention"
_BY_UUID: dict[str, Callable[[sqlite3.Connection, str], LeadRow | PreventionRow | None]] = {
    LEAD: outreach.lead_by_uuid,
    PREVENTION: outreach.prevention_by_uuid,
}


class OutreachService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    # Leads ---------------------------------------------------------------------------------

    def read_lead(self, data: Any) -> Lead:
        return lead_from_dict(data, self.desk.reference, self.desk.now())

    def add_lead(self, data: Any, officer: Officer) -> LeadRow:
        lead = self.read_lead(data)
        row = self._add(LEAD, lead, self._lead_columns(lead), officer, lead.terms())
        assert isinstance(row, LeadRow)
        return row

    def revise_lead(self, uuid: str, data: Any, officer: Officer) -> LeadRow:
        lead = self.read_lead(data)
        row = self._revise(LEAD, uuid, lead, self._lead_columns(lead), officer, lead.terms())
        assert isinstance(row, LeadRow)
        return row

    @staticmethod
    def _lead_columns(lead: Lead) -> dict[str, Any]:
        return {
            "received_at": lead.received_at,
            "received_utc": utc_stamp(parse_time(lead.received_at, "received_at")),
            "source": lead.source,
            "source_detail": lead.source_detail,
            "summary": lead.summary,
            "identifier_count": len(lead.identifiers),
        }

    def leads(self, limit: int = 200, offset: int = 0) -> list[LeadRow]:
        return outreach.leads(self.desk.store.conn, limit=limit, offset=offset)

    def record(self, uuid: str) -> dict[str, Any]:
        """The newest revision of a lead or prevention event, as stored."""
        found = outreach.revisions(self.desk.store.conn, uuid)
        if not found:
            raise NotFound("record_not_found", "uuid", value=uuid)
        newest = found[-1]
        return {
            "record_type": newest["record_type"],
            "revision": newest["revision"],
            "sha256": newest["sha256"],
            "record": json.loads(newest["data"]),
        }

    def changed_since(self, record_type: str, since_utc: str | None) -> list[dict[str, Any]]:
        """The newest revision of every lead (LEAD) or prevention event (PREVENTION) changed
        since a UTC stamp: what the sync with the city center sends up."""
        return [
            {
                "record_type": record_type,
                "uuid": r["uuid"],
                "revision": r["revision"],
                "sha256": r["sha256"],
                "updated_at": r["updated_at"],
                "record": json.loads(r["data"]),
            }
            for r in outreach.changed_since(self.desk.store.conn, record_type, since_utc)
        ]

    # Prevention events -----------------------------------------------------------------------

    def read_prevention(self, data: Any) -> PreventionEvent:
        return prevention_from_dict(data, self.desk.reference, self.desk.now().date())

    def add_prevention(self, data: Any, officer: Officer) -> PreventionRow:
        event = self.read_prevention(data)
        row = self._add(PREVENTION, event, self._event_columns(event), officer)
        assert isinstance(row, PreventionRow)
        return row

    def revise_prevention(self, uuid: str, data: Any, officer: Officer) -> PreventionRow:
        event = self.read_prevention(data)
        row = self._revise(PREVENTION, uuid, event, self._event_columns(event), officer)
        assert isinstance(row, PreventionRow)
        return row

    @staticmethod
    def _event_columns(event: PreventionEvent) -> dict[str, Any]:
        return {
            "held_on": event.held_on,
            "kind": event.kind,
            "place": event.place,
            "target_group": event.target_group,
            "audience": event.audience,
            "notes": event.notes,
        }

    def prevention_events(self, limit: int = 200, offset: int = 0) -> list[PreventionRow]:
        return outreach.prevention_events(self.desk.store.conn, limit=limit, offset=offset)

    # Shared --------------------------------------------------------------------------------

    def _add(
        self,
        record_type: str,
        record: Lead | PreventionEvent,
        columns: dict[str, Any],
        officer: Officer,
        terms: list[tuple[str, str]] | None = None,
    ) -> LeadRow | PreventionRow:
        """Store revision 1 of a new record, its summary row (and a lead's terms), audited."""
        conn = self.desk.store.conn
        with self.desk.store.write():
            record.uuid = self._new_uuid(record.uuid)
            at = utc_stamp(self.desk.now())
            row_id = outreach.insert(
                conn,
                record_type,
                columns
                | {
                    "uuid": record.uuid,
                    "revision": 1,
                    "station_code": self.desk.station_code,
                    "registered_at": at,
                    "registered_by": officer.badge,
                    "updated_at": at,
                    "updated_by": officer.badge,
                },
            )
            if terms is not None:
                outreach.write_lead_terms(conn, row_id, terms, replace=False)
            self._revision(conn, record_type, record.uuid, 1, record.to_dict(), officer, at)
            return self._row(record_type, record.uuid)

    def _revise(
        self,
        record_type: str,
        uuid: str,
        record: Lead | PreventionEvent,
        columns: dict[str, Any],
        officer: Officer,
        terms: list[tuple[str, str]] | None = None,
    ) -> LeadRow | PreventionRow:
        """Store the next revision of a record and update its summary row, audited."""
        conn = self.desk.store.conn
        with self.desk.store.write():
            current = _BY_UUID[record_type](conn, uuid)
            if current is None:
                raise NotFound("record_not_found", record_type, value=uuid)
            record.uuid = current.uuid
            at = utc_stamp(self.desk.now())
            number = current.revision + 1
            outreach.update(
                conn,
                record_type,
                uuid,
                columns | {"revision": number, "updated_at": at, "updated_by": officer.badge},
            )
            if terms is not None:
                outreach.write_lead_terms(conn, current.id, terms, replace=True)
            self._revision(conn, record_type, uuid, number, record.to_dict(), officer, at)
            return self._row(record_type, uuid)

    def _row(self, record_type: str, uuid: str) -> LeadRow | PreventionRow:
        row = _BY_UUID[record_type](self.desk.store.conn, uuid)
        assert row is not None
        return row

    def _new_uuid(self, wanted: str | None) -> str:
        """The record's own uuid (refused if already stored) or a new one. Inside the write."""
        if wanted is None:
            return str(uuidlib.uuid4())
        if outreach.revisions(self.desk.store.conn, wanted):
            raise Conflict("record_exists", "uuid", value=wanted)
        return wanted

    @staticmethod
    def _revision(
        conn: sqlite3.Connection,
        record_type: str,
        uuid: str,
        number: int,
        record: dict[str, Any],
        officer: Officer,
        at: str,
    ) -> None:
        data = canonical_json(record)
        digest = sha256_hex(data)
        outreach.add_revision(
            conn, record_type, uuid, number, data.decode("utf-8"), digest, at, officer.badge
        )
        audit.append(
            conn,
            officer.badge,
            audit.CREATE if number == 1 else audit.REVISE,
            record_type,
            uuid,
            {"revision": number, "sha256": digest},
            at,
        )
