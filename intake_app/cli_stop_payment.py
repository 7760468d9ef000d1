"""`intake-app stop-payment`: the request sheet, the queue, outcomes, reminders and figures.

intake-app stop-payment CASE_NO -o sheet.pdf --officer B     (same as: stop-payment sheet)
intake-app stop-payment list --open --json --officer B
intake-app stop-payment record 12 --outcome stopped --amount 1500 --officer B
intake-app stop-payment reminders --officer B
intake-app stop-payment figures --since 2026-11-01 --officer B
intake-app stop-payment urgent --officer B
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.domain.caseno import looks_like_case_no
from intake_app.domain.messages import outcome_label
from intake_app.domain.money import format_yuan, format_yuan_display, parse_yuan
from intake_app.domain.stop_payment import FAIL_REASONS, OUTCOMES
from intake_app.domain.times import SHANGHAI, format_time, parse_date

from intake_app.services.stop_payment import QueueEntry, Totals

if TYPE_CHECKING:
    from intake_app.cli import Context

# cli.py imports this module to list `register` in FEATURE_COMMANDS, so this module imports
# cli only inside register (when the parser is built).
EXIT_OK = 0

MESSAGES = {
    "sp_sheet_written": (
        "已生成紧急止付申请表 {path}（案件 {case_no}，{count}笔）",
        "Stop-payment request sheet of {case_no} ({count} items) written to {path}",
    ),
    "sp_marked": (
        "已登记 {n} 笔为“已申请止付”",
        'Recorded {n} items as "requested"',
    ),
    "sp_recorded": (
        "事项 {item}（案件 {case_no}）：已登记“{outcome}”{until}",
        'Item {item} ({case_no}): recorded "{outcome}"{until}',
    ),
    "sp_until": ("，有效至 {until}", ", until {until}"),
    "sp_empty": ("没有待办的止付事项", "No stop-payment items to act on"),
    "sp_no_reminders": ("当前没有止付提醒", "No stop-payment reminders now"),
    "sp_reminder_request_overdue": (
        "事项 {item}（案件 {case_no}）：受案已超过30分钟，尚未申请止付（应于 {due} 前）",
        "Item {item} ({case_no}): no request 30 minutes after registering (due {due})",
    ),
    "sp_reminder_stop_ending": (
        "事项 {item}（案件 {case_no}）：止付将于 {due} 到期，尚未冻结",
        "Item {item} ({case_no}): the stop ends at {due} and nothing is frozen",
    ),
    "sp_reminder_freeze_ending": (
        "事项 {item}（案件 {case_no}）：冻结将于 {due} 到期，请及时续冻",
        "Item {item} ({case_no}): the freeze ends at {due}; renew it in time",
    ),
    "sp_figures": (
        "止付 {stopped}　冻结 {frozen}　返还 {returned}",
        "Stopped {stopped}   frozen {frozen}   returned {returned}",
    ),
    "sp_no_urgent": ("没有紧急案件", "No urgent cases"),
}


def _local(moment: datetime | None) -> str:
    return format_time(moment.astimezone(SHANGHAI)) if moment else ""


def _short(moment: datetime | None) -> str:
    return f"{moment.astimezone(SHANGHAI):%Y-%m-%d %H:%M}" if moment else ""


def entry_dict(e: QueueEntry) -> dict[str, Any]:
    item, state = e.item, e.state
    return {
        "item": item.id,
        "uuid": item.uuid,
        "case_no": item.case_no,
        "case_uuid": item.case_uuid,
        "transaction": item.tx_index + 1,
        "state": state.state,
        "urgency": e.urgency.level,
        "deadline": _local(e.urgency.deadline),
        "transfer_at": item.transfer_at,
        "amount": format_yuan(item.amount_fen),
        "payee_name": item.payee_name,
        "payee_bank": e.bank,
        "payee_account": item.payee_account,
        "serial_no": item.serial_no,
        "stopped": format_yuan(state.stopped_fen),
        "stop_until": _local(state.stop_until),
        "frozen": format_yuan(state.frozen_fen),
        "freeze_until": _local(state.freeze_until),
        "returned": format_yuan(state.returned_fen),
        "outcomes": [
            {
                "uuid": o.uuid,
                "outcome": o.outcome,
                "at": _local(o.at),
                "officer": o.officer,
                "amount": format_yuan(o.amount_fen) if o.amount_fen is not None else None,
                "until": _local(o.until),
                "reason": o.reason,
                "approval": o.approval,
                "note": o.note,
            }
            for o in e.outcomes
        ],
    }


def cmd_sheet(ctx: Context) -> int:
    a = ctx.args
    officer = ctx.officer()
    sp = ctx.desk.stop_payment
    printed = sp.render_sheet(a.case_no, officer)
    path = Path(a.output)
    ctx.desk.documents.write(path, printed.pdf)
    ctx.desk.documents.record(printed, officer, "file")
    ctx.out.error(ctx.out.t("not_encrypted_warning", path=path))  # the victim's details in full
    marked = sp.mark_requested(printed.case_no, officer) if a.requested else []
    count = len(sp.case_entries(printed.case_no))
    if ctx.out.json:
        ctx.out.data(
            {
                "path": str(path),
                "case_no": printed.case_no,
                "items": count,
                "sha256": printed.sha256,
                "requested": len(marked),
            }
        )
        return EXIT_OK
    ctx.out.say("sp_sheet_written", path=path, case_no=printed.case_no, count=count)
    if a.requested:
        ctx.out.say("sp_marked", n=len(marked))
    return EXIT_OK


def cmd_list(ctx: Context) -> int:
    a = ctx.args
    ctx.officer()
    sp = ctx.desk.stop_payment
    entries = sp.case_entries(a.case) if a.case else sp.queue(open_only=a.open)
    if a.case and a.open:
        entries = [e for e in entries if e.state.is_open]
    if ctx.out.json:
        ctx.out.data([entry_dict(e) for e in entries])
        return EXIT_OK
    if not entries:
        ctx.out.say("sp_empty")
    lang = ctx.out.lang
    for e in entries:
        print(
            f"{e.item.id}\t{e.urgency.level}\t{e.item.case_no}\t"
            f"{outcome_label(e.state.state, lang)}\t{format_yuan_display(e.item.amount_fen)}\t"
            f"{e.bank or '-'}\t{e.item.payee_account}\t{_short(e.urgency.deadline)}"
        )
    return EXIT_OK


def cmd_record(ctx: Context) -> int:
    a = ctx.args
    officer = ctx.officer()
    amount = parse_yuan(a.amount, "amount") if a.amount is not None else None
    sp = ctx.desk.stop_payment
    outcome = sp.record(
        a.item,
        a.outcome,
        officer,
        at=a.at,
        amount_fen=amount,
        reason=a.reason or "",
        approved=a.approval is not None,
        approval=a.approval or "",
        note=a.note or "",
    )
    entry = sp.entry(a.item)
    if ctx.out.json:
        ctx.out.data(entry_dict(entry))
        return EXIT_OK
    until = ctx.out.t("sp_until", until=_short(outcome.until)) if outcome.until else ""
    ctx.out.say(
        "sp_recorded",
        item=entry.item.id,
        case_no=entry.item.case_no,
        outcome=outcome_label(outcome.outcome, ctx.out.lang),
        until=until,
    )
    return EXIT_OK


def cmd_reminders(ctx: Context) -> int:
    ctx.officer()
    reminders = ctx.desk.stop_payment.reminders()
    if ctx.out.json:
        ctx.out.data(
            [{"kind": r.kind, "due": _local(r.due), **entry_dict(r.entry)} for r in reminders]
        )
        return EXIT_OK
    if not reminders:
        ctx.out.say("sp_no_reminders")
    for r in reminders:
        ctx.out.say(
            f"sp_reminder_{r.kind}",
            item=r.entry.item.id,
            case_no=r.entry.item.case_no,
            due=_short(r.due),
        )
    return EXIT_OK


def _totals(t: Totals) -> dict[str, str]:
    return {
        "stopped": format_yuan(t.stopped_fen),
        "frozen": format_yuan(t.frozen_fen),
        "returned": format_yuan(t.returned_fen),
    }


def cmd_figures(ctx: Context) -> int:
    a = ctx.args
    ctx.officer()
    since = None
    if a.since:
        day = parse_date(a.since, "since")
        since = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
    figures = ctx.desk.stop_payment.figures(since)
    if ctx.out.json:
        ctx.out.data(
            {
                "total": _totals(figures.total),
                "by_day": [
                    {"day": day.isoformat(), **_totals(t)} for day, t in figures.by_day.items()
                ],
                "by_bank": [{"bank": bank, **_totals(t)} for bank, t in figures.by_bank.items()],
            }
        )
        return EXIT_OK

    def line(label: str, t: Totals) -> None:
        text = ctx.out.t(
            "sp_figures",
            stopped=format_yuan_display(t.stopped_fen),
            frozen=format_yuan_display(t.frozen_fen),
            returned=format_yuan_display(t.returned_fen),
        )
        print(f"{label}\t{text}")

    line("*", figures.total)
    for day, t in figures.by_day.items():
        line(day.isoformat(), t)
    for bank, t in figures.by_bank.items():
        line(bank or "-", t)
    return EXIT_OK


def cmd_urgent(ctx: Context) -> int:
    ctx.officer()
    numbers = ctx.desk.stop_payment.urgent_case_nos()
    if ctx.out.json:
        ctx.out.data(numbers)
    elif not numbers:
        ctx.out.say("sp_no_urgent")
    for number in numbers if not ctx.out.json else []:
        print(number)
    return EXIT_OK


class _CaseNumbers(dict[str, Any]):
    """The sub-command names, and any case number: `stop-payment CASE_NO` is the sheet."""

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key) or (isinstance(key, str) and looks_like_case_no(key))


class _SheetByDefault(argparse._SubParsersAction):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._name_parser_map = self.choices = _CaseNumbers()

    def __call__(self, parser: Any, namespace: Any, values: Any, option_string: Any = None) -> None:
        if values and not dict.__contains__(self._name_parser_map, values[0]):
            values = ["sheet", *values]
        super().__call__(parser, namespace, values, option_string)


def register(sub: Any) -> None:
    """Add `stop-payment` and its commands (cli.py calls this through FEATURE_COMMANDS)."""
    from intake_app import cli

    cli.add_messages(MESSAGES)
    group = sub.add_parser(
        "stop-payment",
        help="Emergency stop-payment (紧急止付): request sheets, the queue, outcomes.",
    )
    gsub = group.add_subparsers(
        dest="sp_command",
        metavar="COMMAND|CASE_NO",
        required=True,
        parser_class=sub._parser_class,
        action=_SheetByDefault,
    )
    p = cli.leaf(
        gsub,
        "sheet",
        cmd_sheet,
        "Write the stop-payment request sheet (紧急止付申请表) of a case as PDF: one section "
        "per payee bank with what the bank checks. `intake-app stop-payment CASE_NO` is the "
        "same. --requested also records each item not yet requested as requested.",
        "intake-app stop-payment sheet 130209510000-2026-000001-4 -o sheet.pdf --officer 100001"
        "\n         intake-app stop-payment 130209510000-2026-000001-4 -o sheet.pdf "
        "--officer 100001",
        officer=True,
    )
    p.add_argument("case_no")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.add_argument(
        "--requested",
        action="store_true",
        help="record the items not yet requested (or failed) as requested now",
    )
    p = cli.leaf(
        gsub,
        "list",
        cmd_list,
        "List stop-payment items, most urgent first (or those of one case).",
        "intake-app stop-payment list --open --json --officer 100001",
        officer=True,
    )
    p.add_argument("--open", action="store_true", help="only items still to act on")
    p.add_argument("--case", metavar="CASE_NO", help="only the items of this case")
    p = cli.leaf(
        gsub,
        "record",
        cmd_record,
        "Record an outcome of an item (number from `list`, or its uuid). Outcomes: "
        + ", ".join(OUTCOMES)
        + ". Amounts in yuan; a stop lasts 48 hours, a freeze 6 months (a year with "
        "--approval).",
        "intake-app stop-payment record 12 --outcome stopped --amount 1500.00 --officer 100001",
        officer=True,
    )
    p.add_argument("item", metavar="ITEM")
    p.add_argument("--outcome", required=True, help="one of: " + ", ".join(OUTCOMES))
    p.add_argument("--amount", metavar="YUAN", help="stopped, frozen or returned amount")
    p.add_argument("--at", metavar="ISO-TIME", help="when it happened (default: now)")
    p.add_argument("--reason", help="why it failed: " + ", ".join(FAIL_REASONS))
    p.add_argument(
        "--approval", metavar="REF", help="frozen for a year: the city-level approval reference"
    )
    p.add_argument("--note")
    cli.leaf(
        gsub,
        "reminders",
        cmd_reminders,
        "Show what needs doing now: requests overdue 30 minutes after registering, stops "
        "ending within 6 hours without a freeze, freezes ending within 15 days.",
        "intake-app stop-payment reminders --officer 100001",
        officer=True,
    )
    p = cli.leaf(
        gsub,
        "figures",
        cmd_figures,
        "Money stopped, frozen and returned, in all, by day and by payee bank.",
        "intake-app stop-payment figures --since 2026-11-01 --json --officer 100001",
        officer=True,
    )
    p.add_argument("--since", metavar="DATE", help="only outcomes from this day on")
    cli.leaf(
        gsub,
        "urgent",
        cmd_urgent,
        "List the urgent cases: those with an item requested in the last 48 hours.",
        "intake-app stop-payment urgent --officer 100001",
        officer=True,
    )
