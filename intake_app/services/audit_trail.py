"""Reading and checking the station's audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from intake_app.store import audit
from intake_app.store.audit import VerifyResult
from intake_app.store.officers import Officer

if TYPE_CHECKING:
    from intake_app.services.desk import Desk


class AuditService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def verify(self) -> VerifyResult:
        """Check the whole hash chain; each finding names the entry and what happened to it."""
        return audit.verify(self.desk.store.conn)

    def entries(
        self, officer: Officer, *, limit: int = 100, object_id: str | None = None
    ) -> list[dict[str, Any]]:
        """The newest entries first, optionally only those about one object (a case number)."""
        self.desk.auth.require(officer, "officer")
        return audit.entries(self.desk.store.conn, limit=limit, object_id=object_id)
