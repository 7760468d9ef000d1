"""Dashboard commands: `stats`, `report monthly`, `match`, `lead ...` and `prevention ...`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from intake_app.domain.errors import IntakeError
from intake_app.domain.identifiers import IDENTIFIER_KINDS
from intake_app.domain.money import format_yuan_display
from intake_app.domain.outreach import EVENT_KINDS, LEAD_SOURCES, event_kind_label

from intake_app.services.statistics import FEN

from intake_app import cli
from intake_app.cli import EXIT_OK, Context, leaf

cli.add_messages(
    {
        "stats_head": (
            "{first} 至 {last}：报案 {cases} 件，损失 {loss}；线索 {leads} 条；"
            "宣防活动 {events} 场，受众 {audience} 人次",
            "{first} to {last}: {cases} reports, loss {loss}; {leads} leads; "
            "{events} prevention events, audience {audience}",
        ),
        "report_written": (
            "已生成 {month} 月报：{path}",
            "Monthly report {month} written to {path}",
        ),
        "match_summary": (
            "清单“{file}”共 {numbers} 个卡号/账号，{matched} 个与本所案件或线索关联"
            "（案件 {cases} 件，线索 {leads} 条）",
            'List "{file}": {numbers} card or account numbers, {matched} tied to the '
            "station's cases or leads ({cases} cases, {leads} leads)",
        ),
        "match_skipped": (
            "第 {rows} 行没有卡号或账号，已跳过",
            "Rows {rows} hold no number; skipped",
        ),
        "match_exported": ("已导出 {count} 条命中记录到 {path}", "{count} hits exported to {path}"),
        "lead_added": ("已登记线索 {uuid}", "Lead {uuid} registered"),
        "prevention_added": ("已登记宣防活动 {uuid}", "Prevention event {uuid} registered"),
        "nothing_yet": ("暂无记录", "Nothing yet"),
    }
)


# stats ---------------------------------------------------------------------------------------


def cmd_stats(ctx: Context) -> int:
    a = ctx.args
    ctx.officer()  # the store is encrypted: a login unlocks it
    service = ctx.desk.statistics
    figures = service.figures(service.span(a.date_from, a.date_to), a.by, ctx.out.lang)
    if ctx.out.json:
        ctx.out.data(figures.as_dict(ctx.out.lang))
        return EXIT_OK
    t = figures.totals
    ctx.out.say(
        "stats_head",
        first=figures.span.first,
        last=figures.span.last,
        cases=t.get("cases", 0),
        loss=format_yuan_display(t.get("loss_fen", 0)),
        leads=t.get("leads", 0),
        events=t.get("events", 0),
        audience=t.get("audience", 0),
    )
    for series in figures.series:
        print(f"\n{series.series.label(ctx.out.lang)}")
        columns = series.series.columns
        print("  " + "\t".join(["", *(c.label(ctx.out.lang) for c in columns)]))
        for key, values in series.rows:
            cells = [
                format_yuan_display(v) if c.unit == FEN else str(v)
                for c, v in zip(columns, values, strict=True)
            ]
            print("  " + "\t".join([series.label(key), *cells]))
    return EXIT_OK


def cmd_report_monthly(ctx: Context) -> int:
    officer = ctx.officer()
    path = Path(ctx.args.output)
    report = ctx.desk.monthly_report.save(ctx.args.month, path, officer)
    if ctx.out.json:
        ctx.out.data({"month": report.month, "path": str(path), "sha256": report.sha256})
    ctx.out.say("report_written", month=report.month, path=path)
    return EXIT_OK


# match ---------------------------------------------------------------------------------------


def cmd_match(ctx: Context) -> int:
    a = ctx.args
    officer = ctx.officer()
    result = ctx.desk.matching.match_file(Path(a.file))
    exported = None
    if a.export:
        exported = ctx.desk.matching.export(result, Path(a.export), officer, ctx.out.lang)
    if ctx.out.json:
        ctx.out.data(result.as_dict() | ({"exported": exported} if a.export else {}))
        return EXIT_OK
    summary = result.as_dict()
    ctx.out.say(
        "match_summary",
        file=result.name,
        numbers=summary["numbers"],
        matched=summary["matched"],
        cases=summary["cases"],
        leads=summary["leads"],
    )
    if result.skipped:
        rows = ", ".join(str(row) for row, _cell in result.skipped)
        ctx.out.error(ctx.out.t("match_skipped", rows=rows))
    for hit in summary["hits"]:
        print(f"  {hit['row']}\t{hit['number']}\t{hit['source']}\t{hit['reference']}")
    if exported is not None:
        ctx.out.say("match_exported", count=exported, path=a.export)
        ctx.out.error(ctx.out.t("not_encrypted_warning", path=a.export))
    return EXIT_OK


# leads and prevention events ------------------------------------------------------------------


def _identifier(text: str) -> dict[str, str]:
    kind, sep, value = text.partition(":")
    if not sep:
        kinds = ", ".join(IDENTIFIER_KINDS)
        raise IntakeError("identifier_format", "identifiers", value=text, kinds=kinds)
    return {"kind": kind.strip(), "value": value.strip()}


def _record_from(ctx: Context, fields: dict[str, Any]) -> Any:
    """The record from --file (JSON), else from the options given."""
    if ctx.args.file:
        path = Path(ctx.args.file)
        try:
            return json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as exc:
            raise IntakeError("file_unreadable", "file", value=str(path), detail=str(exc)) from exc
        except json.JSONDecodeError as exc:
            raise IntakeError("json_invalid", "file", line=exc.lineno, detail=exc.msg) from exc
    return {k: v for k, v in fields.items() if v is not None}


def cmd_lead_add(ctx: Context) -> int:
    a = ctx.args
    officer = ctx.officer()
    record = _record_from(
        ctx,
        {
            "received_at": a.received_at,
            "source": a.source,
            "source_detail": a.source_detail,
            "summary": a.summary,
            "narrative": a.narrative,
            "identifiers": [_identifier(i) for i in a.identifier or []],
        },
    )
    row = ctx.desk.outreach.add_lead(record, officer)
    if ctx.out.json:
        ctx.out.data(ctx.desk.outreach.record(row.uuid))
    ctx.out.say("lead_added", uuid=row.uuid)
    return EXIT_OK


def _list(ctx: Context, rows: list[Any], line: Callable[[Any], str]) -> int:
    if ctx.out.json:
        ctx.out.data([row._asdict() for row in rows])
        return EXIT_OK
    if not rows:
        ctx.out.say("nothing_yet")
    for row in rows:
        print(line(row))
    return EXIT_OK


def cmd_lead_list(ctx: Context) -> int:
    ctx.officer()
    ref, lang = ctx.desk.reference, ctx.out.lang
    return _list(
        ctx,
        ctx.desk.outreach.leads(limit=ctx.args.limit),
        lambda r: (
            f"{r.uuid}  {r.received_at}  {ref.label('case_sources', r.source, lang)}  "
            f"{r.source_detail}  {r.summary}"
        ),
    )


def cmd_lead_show(ctx: Context) -> int:
    ctx.officer()
    ctx.out.data(ctx.desk.outreach.record(ctx.args.uuid))
    return EXIT_OK


def cmd_prevention_add(ctx: Context) -> int:
    a = ctx.args
    officer = ctx.officer()
    record = _record_from(
        ctx,
        {
            "held_on": a.date,
            "kind": a.kind,
            "place": a.place,
            "target_group": a.group,
            "audience": a.audience,
            "notes": a.notes,
        },
    )
    row = ctx.desk.outreach.add_prevention(record, officer)
    if ctx.out.json:
        ctx.out.data(ctx.desk.outreach.record(row.uuid))
    ctx.out.say("prevention_added", uuid=row.uuid)
    return EXIT_OK


def cmd_prevention_list(ctx: Context) -> int:
    ctx.officer()
    ref, lang = ctx.desk.reference, ctx.out.lang
    return _list(
        ctx,
        ctx.desk.outreach.prevention_events(limit=ctx.args.limit),
        lambda r: (
            f"{r.held_on}  {event_kind_label(r.kind, lang)}  {r.place}  "
            f"{ref.label('target_groups', r.target_group, lang)}  {r.audience}  {r.uuid}"
        ),
    )


# The parsers ---------------------------------------------------------------------------------


def register(sub: Any) -> None:
    p = leaf(
        sub,
        "stats",
        cmd_stats,
        "The station's figures for a range of Beijing days: reports and loss per day or week, "
        "loss by fraud type, prevention events by target group, leads (voided cases not "
        "counted). Default: the last 30 days.",
        "intake-app stats --from 2026-11-01 --to 2026-11-30 --json --officer 100001",
        officer=True,
    )
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first day (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last day (default: today)")
    p.add_argument(
        "--by", choices=("day", "week", "month"), help="bucket (default: day up to 62 days)"
    )

    report = sub.add_parser("report", help="Reports for the station head.")
    rsub = report.add_subparsers(
        dest="report_command", metavar="COMMAND", required=True, parser_class=cli._Parser
    )
    p = leaf(
        rsub,
        "monthly",
        cmd_report_monthly,
        "Write a month's figures and charts as PDF, with a signature line for the station "
        "head (audited).",
        "intake-app report monthly --month 2026-11 -o 2026-11.pdf --officer 100001",
        officer=True,
    )
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("-o", "--output", required=True, metavar="FILE")

    p = leaf(
        sub,
        "match",
        cmd_match,
        "Match a list of seized card or account numbers (CSV or XLSX) against the payee "
        "accounts and suspect identifiers of the station's cases and leads.",
        "intake-app match seized-cards.xlsx --officer 100001 --export hits.csv",
        officer=True,
    )
    p.add_argument("file")
    p.add_argument("--export", metavar="FILE", help="also write the hits as CSV (audited)")

    lead = sub.add_parser("lead", help="Leads (线索): tips and findings that are not reports.")
    lsub = lead.add_subparsers(
        dest="lead_command", metavar="COMMAND", required=True, parser_class=cli._Parser
    )
    p = leaf(
        lsub,
        "add",
        cmd_lead_add,
        "Register a lead from options or from a JSON file (intake-lead/1).",
        "intake-app lead add --source company_request --source-detail 某网络公司 "
        '--summary "开平区有人收购个人银行账户" --identifier bank_account:6222021234567890123 '
        "--officer 100001",
        officer=True,
    )
    p.add_argument("--file", metavar="FILE", help="the lead as JSON (instead of the options)")
    p.add_argument("--source", choices=(*LEAD_SOURCES, "other"))
    p.add_argument("--source-detail", metavar="TEXT", help="who gave it (a company, a unit)")
    p.add_argument("--summary", metavar="TEXT")
    p.add_argument("--narrative", metavar="TEXT")
    p.add_argument("--received-at", metavar="TIME", help="ISO time (default: now)")
    p.add_argument(
        "--identifier", action="append", metavar="KIND:VALUE", help="repeatable, e.g. qq:12345"
    )
    p = leaf(
        lsub,
        "list",
        cmd_lead_list,
        "List leads, newest first.",
        "intake-app lead list --officer 100001",
        officer=True,
    )
    p.add_argument("--limit", type=int, default=50)
    p = leaf(
        lsub,
        "show",
        cmd_lead_show,
        "Show a lead's newest revision with its SHA-256.",
        "intake-app lead show 0b6c…-uuid --officer 100001",
        officer=True,
    )
    p.add_argument("uuid")

    prevention = sub.add_parser("prevention", help="The prevention log (宣防).")
    psub = prevention.add_subparsers(
        dest="prevention_command", metavar="COMMAND", required=True, parser_class=cli._Parser
    )
    p = leaf(
        psub,
        "add",
        cmd_prevention_add,
        "Record a prevention event from options or a JSON file (intake-prevention/1).",
        "intake-app prevention add --date 2026-11-20 --kind lecture --place 滨海镇中学 "
        "--group students --audience 120 --officer 100001",
        officer=True,
    )
    p.add_argument("--file", metavar="FILE", help="the event as JSON (instead of the options)")
    p.add_argument("--date", metavar="DATE", help="the day it was held (YYYY-MM-DD)")
    p.add_argument("--kind", choices=tuple(EVENT_KINDS))
    p.add_argument("--place", metavar="TEXT")
    p.add_argument("--group", metavar="CODE", help="target group code (reference data)")
    p.add_argument("--audience", type=int, metavar="N")
    p.add_argument("--notes", metavar="TEXT")
    p = leaf(
        psub,
        "list",
        cmd_prevention_list,
        "List prevention events, newest first.",
        "intake-app prevention list --officer 100001",
        officer=True,
    )
    p.add_argument("--limit", type=int, default=50)


cli.FEATURE_COMMANDS.append(register)
