"""Stop-payment outcomes for the demo station, so that the queue looks like a working desk.

The newest transfers are left waiting for a request; the next ones are requested and waiting
for the bank, stopped (one stop ends within hours), stopped again, or frozen (one freeze ends
within 15 days); older ones went all the way: returned to the victim, released, or failed
because the money had already gone. Every outcome goes through the same checks as a real one.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from intake_app.domain.stop_payment import FAIL_REASONS, add_months

from intake_app.store.officers import Officer

from intake_app.services.desk import Desk
from intake_app.services.stop_payment import QueueEntry

PENDING_LEFT = 5
OPEN_SCENARIOS = 21
FREEZES_ENDING = 2

Step = tuple[str, datetime, int | None, str]  # outcome, when, amount, reason


def _later(entry: QueueEntry, moment: datetime) -> datetime:
    """A time not before the transfer (plus the minutes it takes to reach the bank)."""
    return max(moment, entry.facts.transfer_at + timedelta(minutes=12))


def _share(entry: QueueEntry, rng: random.Random, low: float = 0.3) -> int:
    """Part of the transfer still in the account: whole yuan, at least one."""
    fen = entry.facts.amount_fen
    return max(100, int(fen * rng.uniform(low, 1.0)) // 100 * 100)


def _open_steps(entry: QueueEntry, i: int, now: datetime, rng: random.Random) -> list[Step]:
    """Items still being worked on, one scenario per position in the queue."""
    fen = _share(entry, rng)
    kind = i % 7
    if kind == 0:  # requested three hours ago, the bank has not answered
        return [("requested", _later(entry, now - timedelta(hours=3)), None, "")]
    if kind in (1, 2, 3):  # stopped 44, 30 or 8 hours ago: the stop ends in 4, 18, 40 hours
        hours = (44, 30, 8)[kind - 1]
        at = _later(entry, now - timedelta(hours=hours, minutes=rng.randrange(40)))
        return [("requested", at, None, ""), ("stopped", at + timedelta(minutes=25), fen, "")]
    if kind == 4:  # stopped, then stopped again before the first stop ended
        at = _later(entry, now - timedelta(hours=60))
        return [
            ("requested", at, None, ""),
            ("stopped", at + timedelta(minutes=30), fen, ""),
            ("stopped_again", at + timedelta(hours=46), fen, ""),
        ]
    return _frozen_steps(entry, _later(entry, now - timedelta(days=rng.randrange(20, 60))), fen)


def _frozen_steps(entry: QueueEntry, at: datetime, fen: int) -> list[Step]:
    return [
        ("requested", at, None, ""),
        ("stopped", at + timedelta(minutes=20), fen, ""),
        ("frozen", at + timedelta(hours=20), fen, ""),
    ]


def _freeze_ending_steps(
    entry: QueueEntry, i: int, now: datetime, rng: random.Random
) -> list[Step]:
    """Frozen almost six months ago: the freeze ends within 15 days."""
    at = add_months(now, -6) + timedelta(days=rng.randrange(3, 12))
    return _frozen_steps(entry, at - timedelta(hours=20), _share(entry, rng))


def _closed_steps(entry: QueueEntry, i: int, now: datetime, rng: random.Random) -> list[Step]:
    """Older items, settled one way or another."""
    at = entry.facts.transfer_at + timedelta(minutes=rng.randrange(15, 90))
    fen = _share(entry, rng)
    kind = i % 5
    if kind in (0, 1):  # the money had gone, or the details did not match
        reason = "withdrawn" if kind == 0 or rng.random() < 0.6 else FAIL_REASONS[0]
        return [("requested", at, None, ""), ("failed", at + timedelta(hours=2), None, reason)]
    steps: list[Step] = [
        ("requested", at, None, ""),
        ("stopped", at + timedelta(minutes=40), fen, ""),
    ]
    if kind == 2:  # nothing to freeze after all: released
        return [*steps, ("released", at + timedelta(hours=47), None, "")]
    frozen = at + timedelta(days=1)
    steps.append(("frozen", frozen, fen, ""))
    back = frozen + timedelta(days=rng.randrange(35, 120))
    if back > now:
        return steps
    returned = min(fen, max(100, fen * rng.randint(80, 100) // 10_000 * 100))
    return [*steps, ("returned", back, returned, "")]


def add_outcomes(desk: Desk, officer: Officer, now: datetime, seed: int = 2026) -> int:
    """Record outcomes for the demo's items (all in one transaction); returns how many."""
    rng = random.Random(seed)
    sp = desk.stop_payment
    entries = sorted(
        sp.queue(open_only=False, now=now), key=lambda e: e.facts.transfer_at, reverse=True
    )
    old = [e for e in entries if e.facts.transfer_at < add_months(now, -6) - timedelta(days=1)]
    ending = {e.item.id for e in old[:FREEZES_ENDING]}
    count = 0
    with desk.store.write():
        for i, entry in enumerate(entries):
            if i < PENDING_LEFT:
                continue
            make: Callable[[QueueEntry, int, datetime, random.Random], list[Step]]
            if i < PENDING_LEFT + OPEN_SCENARIOS:
                make = _open_steps
            elif entry.item.id in ending:
                make = _freeze_ending_steps
            else:
                make = _closed_steps
            for outcome, at, amount, reason in make(entry, i, now, rng):
                if at > now:
                    break
                sp.record(entry.ref, outcome, officer, at=at, amount_fen=amount, reason=reason)
                count += 1
    return count
