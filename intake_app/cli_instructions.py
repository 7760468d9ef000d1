"""`intake-app instruction`: the city center's instructions and their outcomes, for scripts.

intake-app instruction list --json --officer B
intake-app instruction record ID --outcome dissuaded --note 已当面劝阻 --officer B
"""

from __future__ import annotations

from typing import Any

from intake_app.domain.instructions import OUTCOMES, outcome_words

from intake_app import cli
from intake_app.cli import EXIT_OK, Context, leaf

MESSAGES = {
    "ins_empty": ("没有市反诈中心的指令", "No instructions from the city center"),
    "ins_recorded": (
        "指令 {id}：已记录“{outcome}”（{at}，警号 {officer}）",
        'Instruction {id}: recorded "{outcome}" ({at}, officer {officer})',
    ),
    "ins_open": ("待处置", "open"),
    "ins_no_deadline": ("无时限", "no deadline"),
    "ins_overdue": ("已超时 {minutes} 分钟", "{minutes} min overdue"),
    "ins_left": ("剩余 {minutes} 分钟", "{minutes} min left"),
}


def _clock(ctx: Context, minutes: int | None) -> str:
    if minutes is None:
        return ctx.out.t("ins_no_deadline")
    if minutes < 0:
        return ctx.out.t("ins_overdue", minutes=-minutes)
    return ctx.out.t("ins_left", minutes=minutes)


def cmd_list(ctx: Context) -> int:
    ctx.officer()
    now = ctx.desk.now()
    entries = ctx.desk.instructions.listing()
    if ctx.out.json:
        ctx.out.data([e.as_dict(now) for e in entries])
        return EXIT_OK
    if not entries:
        ctx.out.say("ins_empty")
    for e in entries:
        state = (
            outcome_words(e.outcome, ctx.out.lang)
            if e.outcome
            else f"{ctx.out.t('ins_open')} · {_clock(ctx, e.minutes_left(now))}"
        )
        print(f"{e.id}\t{e.kind}\t{state}\t{e.text}")
    return EXIT_OK


def cmd_record(ctx: Context) -> int:
    a = ctx.args
    officer = ctx.officer()
    entry = ctx.desk.instructions.record(a.id, a.outcome, officer, note=a.note or "", at=a.at)
    if ctx.out.json:
        ctx.out.data(entry.as_dict(ctx.desk.now()))
        return EXIT_OK
    ctx.out.say(
        "ins_recorded",
        id=entry.id,
        outcome=outcome_words(a.outcome, ctx.out.lang),
        at=entry.outcome_at,
        officer=officer.badge,
    )
    return EXIT_OK


def register(sub: Any) -> None:
    """Add `instruction list|record` (cli.py lists this in FEATURE_COMMANDS)."""
    cli.add_messages(MESSAGES)
    group = sub.add_parser(
        "instruction",
        help="Instructions from the city center: list them, record their outcomes.",
    )
    gsub = group.add_subparsers(
        dest="instruction_command",
        metavar="COMMAND",
        required=True,
        parser_class=sub._parser_class,
    )
    leaf(
        gsub,
        "list",
        cmd_list,
        "List the center's instructions, open ones first by deadline, with their outcomes.",
        "intake-app instruction list --json --officer 100001",
        officer=True,
    )
    p = leaf(
        gsub,
        "record",
        cmd_record,
        "Record an instruction's outcome (dissuaded, not_reached, already_defrauded for "
        "dissuade; lead_confirmed, lead_not_confirmed for verify_lead); it goes up with the "
        "next sync.",
        "intake-app instruction record 4f0c... --outcome dissuaded --officer 100001",
        officer=True,
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("--outcome", required=True, choices=OUTCOMES)
    p.add_argument("--note", help="what was done, in a few words")
    p.add_argument("--at", metavar="ISO", help="when (default: now)")


cli.FEATURE_COMMANDS.append(register)
