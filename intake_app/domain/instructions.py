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

OUTCOME_WORDS: dict[str, tuple[str, str]] = {
    DISSUADED: ("已劝阻", "dissuaded"),
    NOT_REACHED: ("未联系上", "not reached"),
    ALREADY_DEFRAUDED: ("已被骗", "already defrauded"),
    LEAD_CONFIRMED: ("线索属实", "lead confirmed"),
    LEAD_NOT_CONFIRMED: ("线索不实", "lead not confirmed"),
}

# Words for the errors of this feature (merged into domain/messages.CATALOG).
INSTRUCTION_CATALOG: dict[str, tuple[str, str]] = {
    "instruction_unknown": (
        "没有编号为“{value}”的指令",
        'There is no instruction "{value}"',
    ),
    "instruction_outcome_invalid": (
        "{field}“{value}”不适用于此类指令，可选：{allowed}",
        '{field} "{value}" does not fit this kind of instruction; choose one of: {allowed}',
    ),
    "instruction_already_recorded": (
        "该指令已记录处置结果（{value}），不能再次记录",
        "This instruction already has its outcome ({value}); it cannot be recorded again",
    ),
    "instruction_identifier_invalid": (
        "{field}应写成 种类=号码，例如 phone=13812345678",
        "{field} must be KIND=VALUE, e.g. phone=13812345678",
    ),
}
FIELD_WORDS: dict[str, tuple[str, str]] = {
    "instruction": ("指令", "instruction"),
    "instruction_outcome": ("处置结果", "outcome"),
    "identifier": ("标识", "identifier"),
}


def outcome_words(code: str, lang: str) -> str:
    pair = OUTCOME_WORDS.get(code)
    return code if pair is None else pair[0] if lang == "zh_CN" else pair[1]
