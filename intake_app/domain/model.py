"""The report of a fraud case, as plain dataclasses.

Times are timezone-aware datetimes, money is integer fen. A field that could not be parsed is
None and the parse step reports a problem for it, so validation can still look at the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

CASE_FORMAT = "intake-case/1"

# Case lifecycle.
DRAFT = "draft"
REGISTERED = "registered"
VOIDED = "voided"


@dataclass
class Person:
    name: str = ""
    sex: str = "U"  # M, F or U(nknown)
    birth_date: date | None = None
    id_type: str = "resident_id"
    id_number: str = ""
    phone: str = ""
    address: str = ""
    occupation: str = ""
    groups: list[str] = field(default_factory=list)


@dataclass
class Incident:
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    discovered_at: datetime | None = None
    place: str = ""
    fraud_type: str = ""
    contact_channel: str = ""
    narrative: str = ""


@dataclass
class Transaction:
    at: datetime | None = None
    amount_fen: int | None = None
    method: str = ""
    payer_bank: str = ""
    payer_account: str = ""
    payee_name: str = ""
    payee_bank: str = ""
    payee_account: str = ""
    serial_no: str = ""


@dataclass
class Identifier:
    kind: str = ""
    value: str = ""
    note: str = ""


@dataclass
class Attachment:
    name: str = ""
    media_type: str = ""
    sha256: str = ""
    size: int | None = None
    # Only on import: where the file lies, relative to the JSON file. Never stored.
    path: str | None = None


@dataclass
class CaseReport:
    reported_at: datetime | None = None
    source: str = ""
    reporter: Person = field(default_factory=Person)
    # None when the reporter is the victim.
    victim: Person | None = None
    incident: Incident = field(default_factory=Incident)
    transactions: list[Transaction] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    uuid: str | None = None

    @property
    def the_victim(self) -> Person:
        return self.victim if self.victim is not None else self.reporter

    @property
    def total_loss_fen(self) -> int:
        return sum(t.amount_fen or 0 for t in self.transactions)
