"""Emergency stop-payment (紧急止付) and freezing: the rules, without I/O.

Every transaction of a registered case that names a payee account is a stop-payment *item*.
What happens to it is a list of *outcomes*, appended and never changed: requested, stopped
(48 hours), stopped again (a second 48 hours, at most once), failed, frozen (6 months, or a
year with city-level approval), freeze renewed, released, returned to the victim. The state of
an item is the fold of its outcomes; `check_outcome` decides whether a new one may follow.

Times are timezone-aware; money is integer fen.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from intake_app.domain.errors import IntakeError
from intake_app.domain.money import format_yuan_display
from intake_app.domain.times import CLOCK_SKEW, SHANGHAI

# States and outcomes. PENDING is the state of an item with no outcome yet.
PENDING = "pending"
REQUESTED = "requested"
STOPPED = "stopped"
STOPPED_AGAIN = "stopped_again"
FAILED = "failed"
FROZEN = "frozen"
FREEZE_RENEWED = "freeze_renewed"
RELEASED = "released"
RETURNED = "returned"
OUTCOMES = (
    REQUESTED,
    STOPPED,
    STOPPED_AGAIN,
    FAILED,
    FROZEN,
    FREEZE_RENEWED,
    RELEASED,
    RETURNED,
)
STATES = (PENDING, *OUTCOMES)
# What may follow each state. A failed request may be made again (corrected details).
TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING: frozenset({REQUESTED}),
    REQUESTED: frozenset({STOPPED, FAILED}),
    FAILED: frozenset({REQUESTED}),
    STOPPED: frozenset({STOPPED_AGAIN, FROZEN, RELEASED}),
    STOPPED_AGAIN: frozenset({FROZEN, RELEASED}),
    FROZEN: frozenset({FREEZE_RENEWED, RELEASED, RETURNED}),
    FREEZE_RENEWED: frozenset({FREEZE_RENEWED, RELEASED, RETURNED}),
    RELEASED: frozenset(),
    RETURNED: frozenset(),
}
CLOSED = frozenset({FAILED, RELEASED, RETURNED})
STOP_STATES = frozenset({STOPPED, STOPPED_AGAIN})
FREEZE_STATES = frozenset({FROZEN, FREEZE_RENEWED})
WITH_AMOUNT = frozenset({STOPPED, STOPPED_AGAIN, FROZEN, RETURNED})
FAIL_REASONS = ("no_match", "withdrawn", "account_closed", "bank_refused", "other")

STOP_PERIOD = timedelta(hours=48)
FREEZE_MONTHS = 6
FREEZE_MONTHS_APPROVED = 12
# Police must enter the request within 30 minutes of the report.
REQUEST_TARGET = timedelta(minutes=30)
REQUEST_AMBER = timedelta(minutes=20)
# Reminders on the desk.
STOP_ENDING = timedelta(hours=6)
FREEZE_ENDING = timedelta(days=15)
# A case with a request in this window is urgent (sent first in a sync, marked in the list).
URGENT_WINDOW = timedelta(hours=48)
# An item never requested leaves the queue this long after its case was registered, or when
# the money left this long ago (a stop would find nothing by then; the item can still be
# requested from its case, and is still listed).
PENDING_KEPT = timedelta(days=7)
PENDING_TRANSFER_KEPT = timedelta(days=30)
# When a waiting item's clock turns amber and red.
ANSWER_AMBER = timedelta(hours=2)
STOP_AMBER = timedelta(hours=24)
FREEZE_AMBER = timedelta(days=30)
NOTE_LIMIT = 500

RED, AMBER, NORMAL, DONE = "red", "amber", "normal", "done"
LEVEL_RANK = {RED: 0, AMBER: 1, NORMAL: 2, DONE: 3}


@dataclass(frozen=True)
class ItemFacts:
    """The transaction an item stands for, and when its case was registered."""

    case_no: str
    transfer_at: datetime
    amount_fen: int
    registered_at: datetime
    payee_name: str = ""
    payee_bank: str = ""
    payee_account: str = ""
    serial_no: str = ""


@dataclass(frozen=True)
class Outcome:
    """One recorded outcome. `until` is when a stop or freeze ends (computed, not typed)."""

    outcome: str
    at: datetime
    officer: str = ""
    amount_fen: int | None = None
    until: datetime | None = None
    reason: str = ""
    approval: str = ""
    note: str = ""
    uuid: str = ""


@dataclass(frozen=True)
class ItemState:
    """The fold of an item's outcomes."""

    state: str = PENDING
    requested_at: datetime | None = None
    last_at: datetime | None = None
    stops: int = 0
    stopped_fen: int = 0
    stop_until: datetime | None = None
    frozen_fen: int = 0
    freeze_until: datetime | None = None
    returned_fen: int = 0

    @property
    def is_open(self) -> bool:
        return self.state not in CLOSED


def fold(outcomes: Sequence[Outcome]) -> ItemState:
    state = ItemState()
    for o in outcomes:
        state = _apply(state, o)
    return state


def _apply(s: ItemState, o: Outcome) -> ItemState:
    s = replace(s, state=o.outcome, last_at=o.at)
    if o.outcome == REQUESTED:
        return replace(s, requested_at=o.at)
    if o.outcome in STOP_STATES:
        return replace(s, stops=s.stops + 1, stopped_fen=o.amount_fen or 0, stop_until=o.until)
    if o.outcome == FROZEN:
        return replace(s, frozen_fen=o.amount_fen or 0, freeze_until=o.until)
    if o.outcome == FREEZE_RENEWED:
        return replace(s, freeze_until=o.until)
    if o.outcome == RETURNED:
        return replace(s, returned_fen=o.amount_fen or 0)
    return s


def add_months(moment: datetime, months: int) -> datetime:
    """The same wall-clock time `months` later in Beijing time (the 31st becomes the month's
    last day)."""
    local = moment.astimezone(SHANGHAI)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def freeze_until(at: datetime, approved: bool) -> datetime:
    return add_months(at, FREEZE_MONTHS_APPROVED if approved else FREEZE_MONTHS)


def check_outcome(
    facts: ItemFacts,
    history: Sequence[Outcome],
    new: Outcome,
    now: datetime,
    *,
    approved: bool = False,
) -> Outcome:
    """Check a new outcome against the item and what came before; return it with `until`
    filled in. Raises IntakeError naming the field (outcome, at, amount, reason, approval)."""
    if new.outcome not in OUTCOMES:
        raise IntakeError(
            "sp_outcome_unknown", "outcome", value=new.outcome, allowed=", ".join(OUTCOMES)
        )
    state = fold(history)
    if new.outcome not in TRANSITIONS[state.state]:
        if new.outcome in FREEZE_STATES and state.state not in FREEZE_STATES:
            raise IntakeError("sp_freeze_without_stop", "outcome", state=state.state)
        if new.outcome == STOPPED_AGAIN and state.state == STOPPED_AGAIN:
            raise IntakeError("sp_stop_limit", "outcome")
        raise IntakeError(
            "sp_outcome_not_allowed",
            "outcome",
            outcome=new.outcome,
            state=state.state,
            allowed=", ".join(sorted(TRANSITIONS[state.state])) or "-",
        )
    _check_time(facts, state, new, now)
    _check_amount(facts, state, new)
    until: datetime | None = None
    if new.outcome in STOP_STATES:
        until = new.at + STOP_PERIOD
    elif new.outcome in FREEZE_STATES:
        if approved and not new.approval.strip():
            raise IntakeError("sp_approval_required", "approval")
        if new.outcome == FREEZE_RENEWED and state.freeze_until and new.at >= state.freeze_until:
            raise IntakeError("sp_freeze_lapsed", "outcome_at", until=_shown(state.freeze_until))
        until = freeze_until(new.at, approved)
    if new.outcome == FAILED and new.reason not in FAIL_REASONS:
        if not new.reason:
            raise IntakeError("required", "fail_reason")
        raise IntakeError(
            "sp_reason_unknown", "fail_reason", value=new.reason, allowed=", ".join(FAIL_REASONS)
        )
    if new.outcome != FAILED and new.reason:
        raise IntakeError("sp_reason_not_expected", "fail_reason", outcome=new.outcome)
    if len(new.note) > NOTE_LIMIT:
        raise IntakeError("too_long", "note", length=len(new.note), limit=NOTE_LIMIT)
    if len(new.approval) > NOTE_LIMIT:
        raise IntakeError("too_long", "approval", length=len(new.approval), limit=NOTE_LIMIT)
    return replace(new, until=until, approval=new.approval.strip() if approved else "")


def _check_time(facts: ItemFacts, state: ItemState, new: Outcome, now: datetime) -> None:
    if new.at.tzinfo is None:
        raise IntakeError("time_no_offset", "outcome_at", value=new.at.isoformat())
    if new.at < facts.transfer_at:
        raise IntakeError(
            "sp_time_before_transfer", "outcome_at", transfer_at=_shown(facts.transfer_at)
        )
    if state.last_at is not None and new.at < state.last_at:
        raise IntakeError("sp_time_before_previous", "outcome_at", previous=_shown(state.last_at))
    if new.at > now + CLOCK_SKEW:
        raise IntakeError("time_in_future", "outcome_at")


def _check_amount(facts: ItemFacts, state: ItemState, new: Outcome) -> None:
    amount = new.amount_fen
    if new.outcome not in WITH_AMOUNT:
        if amount is not None:
            raise IntakeError("sp_amount_not_expected", "amount", outcome=new.outcome)
        return
    if amount is None:
        raise IntakeError("required", "amount")
    if amount <= 0:
        raise IntakeError("amount_not_positive", "amount", value=format_yuan_display(amount))
    if amount > facts.amount_fen:
        raise IntakeError(
            "sp_amount_over_transferred",
            "amount",
            amount=format_yuan_display(amount),
            transferred=format_yuan_display(facts.amount_fen),
        )
    if new.outcome == RETURNED and amount > state.frozen_fen:
        raise IntakeError(
            "sp_amount_over_frozen",
            "amount",
            amount=format_yuan_display(amount),
            frozen=format_yuan_display(state.frozen_fen),
        )


def _shown(moment: datetime) -> str:
    return f"{moment.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


# The queue -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Urgency:
    """How pressing an item is now: its level (red, amber, normal, done) and the deadline the
    level is about (the request target, the end of a stop or of a freeze), if any."""

    level: str
    deadline: datetime | None
    reason: str  # request_due, awaiting_answer, stop_ends, freeze_ends, closed

    def sort_key(self, transfer_at: datetime) -> tuple[int, float, float]:
        far = float("inf")
        deadline = self.deadline.timestamp() if self.deadline else far
        return (LEVEL_RANK[self.level], deadline, transfer_at.timestamp())


def request_due(facts: ItemFacts) -> datetime:
    return facts.registered_at + REQUEST_TARGET


def urgency(facts: ItemFacts, state: ItemState, now: datetime) -> Urgency:
    s = state.state
    if s == PENDING:
        due = request_due(facts)
        left = due - now
        level = (
            RED
            if left <= timedelta(0)
            else AMBER
            if left <= REQUEST_TARGET - REQUEST_AMBER
            else NORMAL
        )
        return Urgency(level, due, "request_due")
    if s == REQUESTED:
        assert state.requested_at is not None
        waited = now - state.requested_at
        return Urgency(AMBER if waited >= ANSWER_AMBER else NORMAL, None, "awaiting_answer")
    if s in STOP_STATES:
        assert state.stop_until is not None
        left = state.stop_until - now
        level = RED if left <= STOP_ENDING else AMBER if left <= STOP_AMBER else NORMAL
        return Urgency(level, state.stop_until, "stop_ends")
    if s in FREEZE_STATES:
        assert state.freeze_until is not None
        left = state.freeze_until - now
        level = RED if left <= FREEZE_ENDING else AMBER if left <= FREEZE_AMBER else NORMAL
        return Urgency(level, state.freeze_until, "freeze_ends")
    return Urgency(DONE, None, "closed")


# Reminders -----------------------------------------------------------------------------------

REQUEST_OVERDUE = "request_overdue"
STOP_ENDING_SOON = "stop_ending"
FREEZE_ENDING_SOON = "freeze_ending"


def reminder_kind(facts: ItemFacts, state: ItemState, now: datetime) -> str | None:
    """The reminder an item calls for now, if any:

    - request_overdue: no request 30 minutes after the case was registered (only while the
      case is inside the 48-hour window: after that a stop can no longer help);
    - stop_ending: a stop ends within 6 hours (or has ended) and nothing is frozen;
    - freeze_ending: a freeze ends within 15 days (or has ended) and was not renewed.
    """
    s = state.state
    if s == PENDING:
        since = now - facts.registered_at
        if REQUEST_TARGET <= since <= URGENT_WINDOW:
            return REQUEST_OVERDUE
    elif s in STOP_STATES and state.stop_until is not None:
        if state.stop_until - now <= STOP_ENDING:
            return STOP_ENDING_SOON
    elif (
        s in FREEZE_STATES
        and state.freeze_until is not None
        and state.freeze_until - now <= FREEZE_ENDING
    ):
        return FREEZE_ENDING_SOON
    return None


def is_urgent_request(requested_at: datetime, now: datetime) -> bool:
    return now - URGENT_WINDOW <= requested_at <= now + CLOCK_SKEW


def elapsed_text(delta: timedelta) -> str:
    """A clock: "0:07", "5:42", "3d 04h" (hours:minutes below a day)."""
    seconds = int(abs(delta.total_seconds()))
    sign = "-" if delta < timedelta(0) else ""
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{sign}{days}d {hours:02d}h"
    return f"{sign}{hours}:{minutes:02d}"
