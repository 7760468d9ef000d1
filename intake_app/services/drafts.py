"""Drafts: autosaved, unnumbered reports that become cases when registered.

A draft stores the form's content as it is (it may be incomplete or wrong: that is what drafts
are for). Registering checks it like any other report; a draft made from a registered case
becomes that case's next revision instead. Drafts are never deleted: registering or discarding
one only changes its status.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.domain.errors import IntakeError, NotFound
from intake_app.domain.interchange import case_from_dict
from intake_app.domain.problems import Problem, has_errors
from intake_app.domain.times import utc_stamp

from intake_app.store import audit, cases
from intake_app.store import drafts as draft_rows
from intake_app.store.cases import CaseRow
from intake_app.store.drafts import DraftRow
from intake_app.store.officers import Officer

from intake_app.services.intake import ValidationFailed

if TYPE_CHECKING:
    from intake_app.services.desk import Desk

MAX_DRAFT_BYTES = 1024 * 1024
_STATUS_ZH = {draft_rows.REGISTERED: "受案", draft_rows.DISCARDED: "放弃"}


@dataclass(frozen=True)
class Draft:
    uuid: str
    officer: str
    status: str
    created_at: str
    updated_at: str
    data: dict[str, Any]
    case_no: str | None  # the case it became, or the case it revises

    @property
    def is_revision(self) -> bool:
        return self.case_no is not None and self.status == draft_rows.OPEN


class DraftService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def save(
        self,
        officer: Officer,
        data: dict[str, Any],
        *,
        uuid: str | None = None,
        case_no: str | None = None,
    ) -> Draft:
        """Create a draft (uuid None) or replace an open draft's content.

        `case_no` starts a draft that will become the next revision of that case.
        """
        if not isinstance(data, dict):
            raise IntakeError("not_an_object", "draft")
        case_id = None
        if uuid is not None:
            self._open_draft(uuid, officer)
        elif case_no is not None:
            row = self.desk.intake.find(case_no)
            case_id = row.id
            data = {**data, "uuid": row.uuid}
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        if len(text.encode()) > MAX_DRAFT_BYTES:
            raise IntakeError("too_long", "draft", length=len(text.encode()), limit=MAX_DRAFT_BYTES)
        draft_uuid = uuid or str(uuidlib.uuid4())
        if case_id is None and uuid is None:
            data = {**data, "uuid": data.get("uuid") or draft_uuid}
            text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        with self.desk.store.write() as conn:
            draft_rows.save(
                conn, draft_uuid, officer.badge, text, utc_stamp(self.desk.now()), case_id
            )
        return self.get(draft_uuid)

    def get(self, uuid: str) -> Draft:
        row = draft_rows.get(self.desk.store.conn, uuid)
        if row is None:
            raise NotFound("draft_not_found", "draft", value=uuid)
        return self._draft(row)

    def open_drafts(self, officer: Officer, *, everyone: bool = False) -> list[Draft]:
        """The officer's open drafts, newest first; a supervisor may ask for everyone's."""
        if everyone:
            self.desk.auth.require(officer, "supervisor")
        rows = draft_rows.open_drafts(self.desk.store.conn, None if everyone else officer.badge)
        return [self._draft(r) for r in rows]

    def check(self, uuid: str, base_dir: Path | None = None) -> list[Problem]:
        """Every problem registering the draft now would meet; nothing is written."""
        return self.desk.intake.read_record(self.get(uuid).data, base_dir)[1]

    def register(self, uuid: str, officer: Officer, base_dir: Path | None = None) -> CaseRow:
        """Register the draft as a case (or as the next revision of its case)."""
        draft = self._open_draft(uuid, officer)
        at = utc_stamp(self.desk.now())
        with self.desk.store.write() as conn:
            if draft.case_no is not None:
                row, _changed = self.desk.intake.revise(
                    draft.case_no, draft.data, officer, base_dir=base_dir
                )
            else:
                report, problems = case_from_dict(draft.data)
                if has_errors(problems):
                    raise ValidationFailed(problems)
                row = self.desk.intake.register(report, officer, base_dir=base_dir)
            if not draft_rows.close(conn, uuid, draft_rows.REGISTERED, at, row.id):
                raise self._closed(uuid)  # closed by another window meanwhile: roll back
        return row

    def discard(self, uuid: str, officer: Officer) -> Draft:
        self._open_draft(uuid, officer)
        at = utc_stamp(self.desk.now())
        with self.desk.store.write() as conn:
            if not draft_rows.close(conn, uuid, draft_rows.DISCARDED, at):
                raise self._closed(uuid)
            audit.append(conn, officer.badge, audit.DRAFT_DISCARD, "draft", uuid, {}, at)
        return self.get(uuid)

    def _closed(self, uuid: str) -> IntakeError:
        status = self.get(uuid).status
        return IntakeError(
            "draft_closed",
            "draft",
            value=uuid,
            status=status,
            status_zh=_STATUS_ZH.get(status, status),
        )

    def _open_draft(self, uuid: str, officer: Officer) -> Draft:
        draft = self.get(uuid)
        if draft.status != draft_rows.OPEN:
            raise self._closed(uuid)
        if draft.officer != officer.badge and not officer.has_role("supervisor"):
            raise IntakeError("draft_not_yours", "draft", value=uuid)
        return draft

    def _draft(self, row: DraftRow) -> Draft:
        case_no = None
        if row.case_id is not None:
            found = cases.by_ids(self.desk.store.conn, [row.case_id])
            case_no = found[0].case_no if found else None
        return Draft(
            row.uuid,
            row.officer,
            row.status,
            row.created_at,
            row.updated_at,
            json.loads(row.data),
            case_no,
        )
