"""Emergency stop-payment (紧急止付) and freezing: the queue, outcomes, reminders, figures.

    sp = desk.stop_payment
    sp.queue()                                   # open items, most urgent first
    sp.record("12", "stopped", officer, amount_fen=150_000)
    sp.reminders()                               # what the desk must do now
    sp.figures()                                 # stopped, frozen, returned by day and bank
    sp.urgent_case_ids()                         # cases with a request in the last 48 hours
    printed = sp.render_sheet(case_no, officer)  # the request sheet (PDF), not yet logged

Every time here comes from the desk's clock (`desk.now()`), so tests move time by hand.

For the sync (issue 6): `urgent_case_ids(now)` returns the ids (cases.id) of registered cases
with an item requested in the 48 hours before `now`, newest request first; send those first.
Outcomes are append-only rows of `stop_outcomes`, each with a uuid; `outcome_records(after)`
lists those recorded after a `recorded_at` stamp, oldest first, naming item and case by uuid.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from intake_app.domain.errors import IntakeError, NotFound
from intake_app.domain.stop_payment import (
    FAILED,
    FROZEN,
    PENDING,
    PENDING_KEPT,
    PENDING_TRANSFER_KEPT,
    REQUESTED,
    RETURNED,
    STOPPED,
    URGENT_WINDOW,
    ItemFacts,
    ItemState,
    Outcome,
    Urgency,
    check_outcome,
    fold,
    reminder_kind,
    request_due,
    urgency,
)
from intake_app.domain.times import CLOCK_SKEW, SHANGHAI, parse_time, utc_stamp

from intake_app.store import audit, cases
from intake_app.store import stop_payment as rows
from intake_app.store.officers import Officer
from intake_app.store.stop_payment import ItemRow

if TYPE_CHECKING:
    from intake_app.services.desk import Desk
    from intake_app.services.documents import Printed

SHEET = "stop_payment_sheet"
FIGURE_OUTCOMES = (STOPPED, FROZEN, RETURNED)


@dataclass(frozen=True)
class QueueEntry:
    """An item with its outcomes, its state and how urgent it is now."""

    item: ItemRow
    facts: ItemFacts
    outcomes: list[Outcome]
    state: ItemState
    urgency: Urgency
    bank: str  # the payee bank as entered, else the BIN table's name, else ""

    @property
    def ref(self) -> str:
        return str(self.item.id)


@dataclass(frozen=True)
class Reminder:
    kind: str  # request_overdue | stop_ending | freeze_ending
    due: datetime  # when the request was due, or when the stop or freeze ends
    entry: QueueEntry


@dataclass
class Totals:
    stopped_fen: int = 0
    frozen_fen: int = 0
    returned_fen: int = 0

    def add(self, outcome: str, fen: int) -> None:
        if outcome == STOPPED:
            self.stopped_fen += fen
        elif outcome == FROZEN:
            self.frozen_fen += fen
        elif outcome == RETURNED:
            self.returned_fen += fen


@dataclass
class Figures:
    """Money first stopped, frozen and returned (a second stop or a renewal is not counted
    again), by Beijing day of the outcome and by payee bank."""

    total: Totals = field(default_factory=Totals)
    by_day: dict[date, Totals] = field(default_factory=dict)
    by_bank: dict[str, Totals] = field(default_factory=dict)


class StopPaymentService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    # Reading -----------------------------------------------------------------------------------

    def bank_of(self, item: ItemRow) -> str:
        """The payee bank: as entered, else looked up by the account's BIN (offline)."""
        if item.payee_bank.strip():
            return item.payee_bank.strip()
        match = self.desk.bins.lookup(item.payee_account)
        return match.bank_name if match else ""

    def _entries(self, items: list[ItemRow], now: datetime) -> list[QueueEntry]:
        found = rows.outcomes(self.desk.store.conn, [i.id for i in items])
        entries = []
        for item in items:
            facts = _facts(item)
            history = found[item.id]
            state = fold(history)
            entries.append(
                QueueEntry(
                    item, facts, history, state, urgency(facts, state, now), self.bank_of(item)
                )
            )
        return entries

    def queue(self, *, open_only: bool = True, now: datetime | None = None) -> list[QueueEntry]:
        """Items by urgency: red before amber before the rest; then the nearest deadline (the
        request target, the end of a stop or freeze), then the oldest transfer. `open_only`:
        not failed, released or returned, and if never requested, of a case registered in the
        last 7 days with money sent in the last 30 (PENDING_KEPT, PENDING_TRANSFER_KEPT)."""
        now = now or self.desk.now()
        conn = self.desk.store.conn
        if open_only:
            items = rows.open_items(
                conn, utc_stamp(now - PENDING_KEPT), utc_stamp(now - PENDING_TRANSFER_KEPT)
            )
        else:
            items = rows.all_items(conn)
        entries = self._entries(items, now)
        entries.sort(key=lambda e: e.urgency.sort_key(e.facts.transfer_at))
        return entries

    def case_entries(self, case_no: str, now: datetime | None = None) -> list[QueueEntry]:
        """The items of one case, in the order of its transactions."""
        row = self.desk.intake.find(case_no)
        items = rows.case_items(self.desk.store.conn, row.id)
        entries = self._entries(items, now or self.desk.now())
        entries.sort(key=lambda e: e.item.tx_index)
        return entries

    def entry(self, ref: str, now: datetime | None = None) -> QueueEntry:
        item = rows.item_by_ref(self.desk.store.conn, ref)
        if item is None:
            raise NotFound("sp_item_not_found", "item", value=ref)
        return self._entries([item], now or self.desk.now())[0]

    # Recording ---------------------------------------------------------------------------------

    def record(
        self,
        ref: str,
        outcome: str,
        officer: Officer,
        *,
        at: datetime | str | None = None,
        amount_fen: int | None = None,
        reason: str = "",
        approved: bool = False,
        approval: str = "",
        note: str = "",
    ) -> Outcome:
        """Check and append one outcome of an item, with its audit entry, in one transaction.
        `at` defaults to now. Refused with an IntakeError naming the field; nothing is written
        then."""
        now = self.desk.now()
        when = parse_time(at, "outcome_at") if isinstance(at, str) else (at or now)
        new = Outcome(
            outcome=outcome.strip() if isinstance(outcome, str) else outcome,
            at=when,
            officer=officer.badge,
            amount_fen=amount_fen,
            reason=reason.strip(),
            approval=approval,
            note=note.strip(),
        )
        recorded_at = utc_stamp(now)
        with self.desk.store.write() as conn:
            item = rows.item_by_ref(conn, ref)
            if item is None:
                raise NotFound("sp_item_not_found", "item", value=ref)
            if not item.active:
                raise IntakeError("sp_item_inactive", "item", value=ref)
            if item.case_status != "registered":
                raise IntakeError("case_voided", "case_no", value=item.case_no)
            history = rows.outcomes(conn, [item.id])[item.id]
            checked = check_outcome(_facts(item), history, new, now, approved=approved)
            uuid = rows.append_outcome(conn, item.id, checked, recorded_at)
            detail: dict[str, object] = {
                "item": item.uuid,
                "item_id": item.id,
                "outcome": checked.outcome,
                "uuid": uuid,
                "at": utc_stamp(checked.at),
            }
            if checked.amount_fen is not None:
                detail["amount_fen"] = checked.amount_fen
            if checked.until is not None:
                detail["until"] = utc_stamp(checked.until)
            if checked.reason:
                detail["reason"] = checked.reason
            audit.append(
                conn, officer.badge, audit.STOP_OUTCOME, "case", item.case_no, detail, recorded_at
            )
        return replace(checked, uuid=uuid)

    def mark_requested(self, case_no: str, officer: Officer) -> list[Outcome]:
        """Record "requested" now for each item of a case not yet requested (or failed), all
        in one transaction: what the sheet asked the banks for."""
        entries = [e for e in self.case_entries(case_no) if e.state.state in (PENDING, FAILED)]
        with self.desk.store.write():
            return [self.record(e.ref, REQUESTED, officer) for e in entries]

    # Reminders, urgency, figures ----------------------------------------------------------

    def reminders(
        self, now: datetime | None = None, queue: list[QueueEntry] | None = None
    ) -> list[Reminder]:
        """What the desk must see now, the most pressing first:

        - a request not yet made 30 minutes after the case was registered;
        - a stop ending within 6 hours with no freeze;
        - a freeze ending within 15 days.

        `queue`: the open queue already read at `now`, to save reading it again.
        """
        now = now or self.desk.now()
        found = []
        for entry in self.queue(now=now) if queue is None else queue:
            kind = reminder_kind(entry.facts, entry.state, now)
            if kind is None:
                continue
            if kind == "request_overdue":
                due = request_due(entry.facts)
            elif kind == "stop_ending":
                assert entry.state.stop_until is not None
                due = entry.state.stop_until
            else:
                assert entry.state.freeze_until is not None
                due = entry.state.freeze_until
            found.append(Reminder(kind, due, entry))
        found.sort(key=lambda r: (r.due, r.entry.item.id))
        return found

    def urgent_case_ids(self, now: datetime | None = None) -> list[int]:
        """Ids (cases.id) of registered cases with an item requested in the 48 hours before
        `now` (default: the desk's clock), the newest request first. The sync sends these
        cases first; the case list marks them."""
        now = now or self.desk.now()
        return rows.requested_case_ids(self.desk.store.conn, now - URGENT_WINDOW, now + CLOCK_SKEW)

    def outcome_records(self, recorded_after: str | None = None) -> list[dict[str, object]]:
        """Outcomes recorded after a UTC stamp (`recorded_at` of the last one sent), oldest
        first: uuid, item_uuid, case_uuid, case_no, transaction (0-based), seq, outcome, at
        (Beijing ISO time), amount_fen, until_utc, reason, approval, note, officer, recorded_at.
        Rows are never changed, so what was sent stays true. Outcomes written in one
        transaction (mark_requested) share a stamp: send all rows of a stamp together."""
        return rows.outcome_records(self.desk.store.conn, recorded_after)

    def urgent_case_nos(self, now: datetime | None = None) -> list[str]:
        """The case numbers of urgent_case_ids, in the same order."""
        ids = self.urgent_case_ids(now)
        by_id = {row.id: row.case_no for row in cases.by_ids(self.desk.store.conn, ids)}
        return [by_id[i] for i in ids]

    def figures(self, since: datetime | None = None) -> Figures:
        """Money stopped, frozen and returned (outcomes since a time, default all)."""
        conn = self.desk.store.conn
        found = rows.outcome_rows(conn, FIGURE_OUTCOMES, since)
        items = {i.id: i for i in rows.items_by_ids(conn, {r[0] for r in found})}
        figures = Figures()
        for item_id, outcome, at, fen in found:
            day = date.fromisoformat(at[:10])  # stored in Beijing time
            bank = self.bank_of(items[item_id])
            figures.total.add(outcome, fen)
            figures.by_day.setdefault(day, Totals()).add(outcome, fen)
            figures.by_bank.setdefault(bank, Totals()).add(outcome, fen)
        figures.by_day = dict(sorted(figures.by_day.items()))
        figures.by_bank = dict(
            sorted(figures.by_bank.items(), key=lambda kv: (-kv[1].stopped_fen, kv[0]))
        )
        return figures

    # The request sheet -------------------------------------------------------------------------

    def render_sheet(self, case_no: str, officer: Officer) -> Printed:
        """The stop-payment request sheet of a case (PDF), not yet in the audit log: record it
        with desk.documents.record once printed or saved. One section per payee bank."""
        from intake_app.services.stop_payment_sheet import SheetContent, render_sheet

        row = self.desk.intake.find(case_no)
        if row.status != "registered":
            raise IntakeError("case_voided", "case_no", value=row.case_no)
        entries = self.case_entries(row.case_no)
        if not entries:
            raise IntakeError("sp_no_items", "case_no", value=row.case_no)
        record = self.desk.intake.record(row)
        by_bank: dict[str, list[QueueEntry]] = defaultdict(list)
        for entry in entries:
            by_bank[entry.bank].append(entry)
        documents = self.desk.documents
        content = SheetContent(
            record=record,
            unit=documents.unit_value(),
            officer_name=officer.name,
            officer_badge=officer.badge,
            requested_at=self.desk.now(),
            sections=list(by_bank.items()),
        )
        pdf = render_sheet(content, documents.fonts)
        count = audit.count_prints(self.desk.store.conn, row.case_no, SHEET)
        return documents.make_printed(SHEET, row.case_no, int(record["revision"]), count, pdf)

    def print_sheet(self, case_no: str, officer: Officer) -> Printed:
        """The sheet, recorded in the audit log as printed."""
        printed = self.render_sheet(case_no, officer)
        self.desk.documents.record(printed, officer)
        return printed


def _facts(item: ItemRow) -> ItemFacts:
    return ItemFacts(
        case_no=item.case_no,
        transfer_at=parse_time(item.transfer_at, "at"),
        amount_fen=item.amount_fen,
        registered_at=parse_time(item.registered_at, "registered_at").astimezone(SHANGHAI),
        payee_name=item.payee_name,
        payee_bank=item.payee_bank,
        payee_account=item.payee_account,
        serial_no=item.serial_no,
    )
