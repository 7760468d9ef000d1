"""What an officer records for an instruction from the city center (issue 7 point 2).

A `dissuade` instruction (warn this person now) ends dissuaded, not reached or already
defrauded (then a report is taken); a `verify_lead` instruction ends lead confirmed or not.
"""

from __future__ import annotations

DISSUADE, VERIFY_LEAD = "dissuade", "verify_lead"
DISSUADED = "dissuaded"
NOT_REACHED = "not_reached"
ALREADY_DEFRAUDED = "already_defrauded"
LEAD_CONFIRMED = "lead_confirmed"
LEAD_NOT_CONFIRMED = "lead_not_confirmed"

OUTCOMES_BY_KIND: dict[str, tuple[str, ...]] = {
    DISSUADE: (DISSUADED, NOT_REACHED, ALREADY_DEFRAUDED),
    VERIFY_LEAD: (LEAD_CONFIRMED, LEAD_NOT_CONFIRMED),
}
OUTCOMES = tuple(o for outcomes in OUTCOMES_BY_KIND.values() for o in outcomes)
