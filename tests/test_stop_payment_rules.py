"""The stop-payment rules on their own: the outcome state machine, amounts, times, urgency."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from intake_app.domain.errors import IntakeError
from intake_app.domain.stop_payment import (
    AMBER,
    FAILED,
    FREEZE_RENEWED,
    FROZEN,
    NORMAL,
    OUTCOMES,
    RED,
    REQUESTED,
    RETURNED,
    STOPPED,
    STOPPED_AGAIN,
    TRANSITIONS,
    WITH_AMOUNT,
    ItemFacts,
    Outcome,
    add_months,
    check_outcome,
    fold,
    reminder_kind,
    urgency,
)
from intake_app.domain.times import SHANGHAI

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)  # the transfer
REG = T0 + timedelta(hours=1)  # the case registered
FACTS = ItemFacts("130209510000-2026-000001-4", T0, 2_000_000, REG)  # 20,000 yuan


def at(minutes: float) -> datetime:
    return REG + timedelta(minutes=minutes)


def chain(*steps: tuple[str, float, int | None]) -> list[Outcome]:
    """Check and collect outcomes one after the other, as the service does."""
    done: list[Outcome] = []
    for outcome, minutes, amount in steps:
        new = Outcome(
            outcome, at(minutes), amount_fen=amount, reason="no_match" * (outcome == "failed")
        )
        done.append(check_outcome(FACTS, done, new, at(minutes)))
    return done


def refused(history, new, now=None, **kw) -> IntakeError:
    with pytest.raises(IntakeError) as info:
        check_outcome(FACTS, history, new, now or at(10_000), **kw)
    return info.value


def test_the_happy_path_to_a_return():
    done = chain(
        (REQUESTED, 5, None),
        (STOPPED, 20, 1_500_000),
        (STOPPED_AGAIN, 60 * 40, 1_500_000),
        (FROZEN, 60 * 80, 1_500_000),
        (FREEZE_RENEWED, 60 * 24 * 170, None),
        (RETURNED, 60 * 24 * 200, 1_200_000),
    )
    assert done[1].until == at(20) + timedelta(hours=48)
    assert done[2].until == at(60 * 40) + timedelta(hours=48)
    assert done[3].until == add_months(at(60 * 80), 6)
    state = fold(done)
    assert state.state == RETURNED and not state.is_open
    assert (state.stopped_fen, state.frozen_fen, state.returned_fen) == (
        1_500_000,
        1_500_000,
        1_200_000,
    )
    assert state.stops == 2


def test_every_transition_not_listed_is_refused_naming_the_outcome():
    for state, allowed in TRANSITIONS.items():
        history = [] if state == "pending" else [Outcome(state, at(0))]
        for outcome in OUTCOMES:
            if outcome in allowed:
                continue
            fake = fold(history)
            assert fake.state == state
            err = refused(history, Outcome(outcome, at(1), amount_fen=1))
            assert err.field == "outcome", (state, outcome, err.code)


def test_unknown_outcome_is_refused_naming_the_field():
    err = refused([], Outcome("paid_back", at(1)))
    assert (err.code, err.field) == ("sp_outcome_unknown", "outcome")
    assert "止付结果" in err.message("zh_CN") and "paid_back" in err.message("en")


def test_a_freeze_without_a_stop_is_refused():
    err = refused(chain((REQUESTED, 1, None)), Outcome(FROZEN, at(2), amount_fen=100))
    assert (err.code, err.field) == ("sp_freeze_without_stop", "outcome")
    assert "未止付不能冻结" in err.message("zh_CN")
    assert "no freeze without a stop" in err.message("en")


def test_a_third_stop_is_refused():
    done = chain((REQUESTED, 1, None), (STOPPED, 2, 100), (STOPPED_AGAIN, 3, 100))
    err = refused(done, Outcome(STOPPED_AGAIN, at(4), amount_fen=100))
    assert err.code == "sp_stop_limit"


def test_amounts_never_exceed_the_transfer():
    requested = chain((REQUESTED, 1, None))
    err = refused(requested, Outcome(STOPPED, at(2), amount_fen=2_000_001))
    assert (err.code, err.field) == ("sp_amount_over_transferred", "amount")
    assert "¥20,000.00" in err.message("en") and "¥20,000.01" in err.message("en")
    # exactly the transfer is fine
    check_outcome(FACTS, requested, Outcome(STOPPED, at(2), amount_fen=2_000_000), at(3))
    for bad in (0, -5):
        assert refused(requested, Outcome(STOPPED, at(2), amount_fen=bad)).code == (
            "amount_not_positive"
        )
    assert refused(requested, Outcome(STOPPED, at(2))).code == "required"
    assert refused([], Outcome(REQUESTED, at(2), amount_fen=5)).code == "sp_amount_not_expected"


def test_a_return_never_exceeds_what_was_frozen():
    done = chain((REQUESTED, 1, None), (STOPPED, 2, 900_000), (FROZEN, 3, 800_000))
    err = refused(done, Outcome(RETURNED, at(4), amount_fen=800_001))
    assert (err.code, err.field) == ("sp_amount_over_frozen", "amount")


def test_times_before_the_transfer_or_the_previous_outcome_or_in_the_future_are_refused():
    err = refused([], Outcome(REQUESTED, T0 - timedelta(minutes=1)))
    assert (err.code, err.field) == ("sp_time_before_transfer", "outcome_at")
    assert "2026-11-30 09:00" in err.message("zh_CN")
    done = chain((REQUESTED, 30, None))
    err = refused(done, Outcome(STOPPED, at(29), amount_fen=1))
    assert err.code == "sp_time_before_previous"
    err = refused([], Outcome(REQUESTED, at(20)), now=at(10))
    assert (err.code, err.field) == ("time_in_future", "outcome_at")


def test_a_failure_needs_a_known_reason_and_only_a_failure_takes_one():
    requested = chain((REQUESTED, 1, None))
    assert refused(requested, Outcome("failed", at(2))).field == "fail_reason"
    assert refused(requested, Outcome("failed", at(2), reason="bad luck")).code == (
        "sp_reason_unknown"
    )
    err = refused(requested, Outcome(STOPPED, at(2), amount_fen=1, reason="no_match"))
    assert err.code == "sp_reason_not_expected"
    failed = check_outcome(FACTS, requested, Outcome("failed", at(2), reason="withdrawn"), at(3))
    # a failed request may be made again
    check_outcome(FACTS, [*requested, failed], Outcome(REQUESTED, at(4)), at(5))


def test_a_one_year_freeze_needs_an_approval_reference():
    done = chain((REQUESTED, 1, None), (STOPPED, 2, 100))
    err = refused(done, Outcome(FROZEN, at(3), amount_fen=100), approved=True)
    assert (err.code, err.field) == ("sp_approval_required", "approval")
    frozen = check_outcome(
        FACTS,
        done,
        Outcome(FROZEN, at(3), amount_fen=100, approval="唐公刑审〔2026〕12号"),
        at(4),
        approved=True,
    )
    assert frozen.until == add_months(at(3), 12)


def test_a_lapsed_freeze_cannot_be_renewed():
    done = chain((REQUESTED, 1, None), (STOPPED, 2, 100), (FROZEN, 3, 100))
    assert done[-1].until is not None
    late = done[-1].until + timedelta(minutes=1)
    err = refused(done, Outcome(FREEZE_RENEWED, late), now=late)
    assert (err.code, err.field) == ("sp_freeze_lapsed", "outcome_at")


def test_add_months_keeps_the_wall_clock_and_clamps_the_day():
    moment = datetime(2026, 8, 31, 23, 30, tzinfo=SHANGHAI)
    assert add_months(moment, 6) == datetime(2027, 2, 28, 23, 30, tzinfo=SHANGHAI)
    assert add_months(moment, 12) == datetime(2027, 8, 31, 23, 30, tzinfo=SHANGHAI)


# Urgency and reminders --------------------------------------------------------------------------


def test_a_pending_item_turns_amber_at_20_minutes_and_red_at_30():
    state = fold([])
    assert urgency(FACTS, state, at(19)).level == NORMAL
    assert urgency(FACTS, state, at(20)).level == AMBER
    assert urgency(FACTS, state, at(29.9)).level == AMBER
    assert urgency(FACTS, state, at(30)).level == RED
    assert urgency(FACTS, state, at(0)).deadline == at(30)


def test_request_reminder_at_30_minutes_after_registration_and_not_before():
    state = fold([])
    assert reminder_kind(FACTS, state, at(29) + timedelta(seconds=59)) is None
    assert reminder_kind(FACTS, state, at(30)) == "request_overdue"
    assert reminder_kind(FACTS, fold(chain((REQUESTED, 10, None))), at(31)) is None
    # after the 48-hour window a stop can no longer help: no more nagging
    assert reminder_kind(FACTS, state, at(48 * 60 + 1)) is None


def test_stop_reminder_6_hours_before_the_end_unless_frozen():
    done = chain((REQUESTED, 1, None), (STOPPED, 2, 100))
    ends = done[-1].until
    assert ends is not None
    state = fold(done)
    assert reminder_kind(FACTS, state, ends - timedelta(hours=6, seconds=1)) is None
    assert reminder_kind(FACTS, state, ends - timedelta(hours=6)) == "stop_ending"
    assert urgency(FACTS, state, ends - timedelta(hours=6)).level == RED
    assert urgency(FACTS, state, ends - timedelta(hours=7)).level == AMBER
    assert reminder_kind(FACTS, state, ends + timedelta(hours=1)) == "stop_ending"
    frozen = fold(
        [*done, check_outcome(FACTS, done, Outcome(FROZEN, at(3), amount_fen=100), at(4))]
    )
    assert reminder_kind(FACTS, frozen, ends - timedelta(hours=1)) is None


def test_freeze_reminder_15_days_before_the_end():
    done = chain((REQUESTED, 1, None), (STOPPED, 2, 100), (FROZEN, 3, 100))
    ends = done[-1].until
    assert ends is not None
    state = fold(done)
    assert reminder_kind(FACTS, state, ends - timedelta(days=15, seconds=1)) is None
    assert reminder_kind(FACTS, state, ends - timedelta(days=15)) == "freeze_ending"
    renewed = [
        *done,
        check_outcome(FACTS, done, Outcome(FREEZE_RENEWED, ends - timedelta(days=2)), ends),
    ]
    assert reminder_kind(FACTS, fold(renewed), ends) is None


# Any sequence of attempts ------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_whatever_is_tried_what_is_accepted_keeps_the_rules(data):
    done: list[Outcome] = []
    minutes = data.draw(st.integers(min_value=-120, max_value=60), label="first")
    for _ in range(data.draw(st.integers(min_value=0, max_value=12), label="tries")):
        state = fold(done).state
        allowed = sorted(TRANSITIONS[state]) or ["requested"]
        outcome = data.draw(
            st.one_of(st.sampled_from(allowed), st.sampled_from([*OUTCOMES, "refunded", ""]))
        )
        minutes += data.draw(st.integers(min_value=-30, max_value=60 * 24 * 60))
        # Mostly what the outcome takes, sometimes what it must refuse.
        good_amount = st.integers(min_value=1, max_value=FACTS.amount_fen)
        bad_amount = st.one_of(
            st.sampled_from([-1, 0, FACTS.amount_fen + 1]),
            st.integers(min_value=FACTS.amount_fen + 1, max_value=10**9),
        )
        if outcome in WITH_AMOUNT:
            amount = data.draw(st.one_of(good_amount, good_amount, bad_amount, st.none()))
        else:
            amount = data.draw(st.one_of(st.none(), st.none(), st.none(), bad_amount))
        reasons = ["withdrawn"] * 3 + ["", "bad"] if outcome == FAILED else [""] * 4 + ["bad"]
        reason = data.draw(st.sampled_from(reasons))
        approved = data.draw(st.booleans())
        new = Outcome(
            outcome, at(minutes), amount_fen=amount, reason=reason, approval="审批" * approved
        )
        try:
            accepted = check_outcome(FACTS, done, new, at(60 * 24 * 800), approved=approved)
        except IntakeError as exc:
            assert exc.field in ("outcome", "outcome_at", "amount", "fail_reason", "approval")
            assert exc.message("zh_CN") and exc.message("en")
            continue
        done.append(accepted)
    states = ["pending", *(o.outcome for o in done)]
    for before, after in itertools.pairwise(states):
        assert after in TRANSITIONS[before]
    times = [o.at for o in done]
    assert times == sorted(times) and all(t >= T0 for t in times)
    frozen = 0
    for o in done:
        if o.amount_fen is not None:
            assert 0 < o.amount_fen <= FACTS.amount_fen
        if o.outcome == FROZEN:
            frozen = o.amount_fen or 0
        if o.outcome == RETURNED:
            assert (o.amount_fen or 0) <= frozen
    event(f"{len(done)} accepted")
