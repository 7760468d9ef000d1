"""`intake-center`: the city anti-fraud center's command line and HTTP service.

Every command takes --data-dir DIR (or INTAKE_CENTER_DATA_DIR), before or after its arguments,
and --json where it prints something, and --lang zh_CN|en (default INTAKE_LANG, else zh_CN)
for its messages. Exit 0 on success, 1 for bad input or a refused file, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import platformdirs

from intake_app.domain.errors import IntakeError
from intake_app.domain.messages import DEFAULT_LANG, LANGUAGES
from intake_app.domain.sync_protocol import INSTRUCTION_KINDS, SyncError

from intake_app import __version__
from intake_app.center.service import Center, Refusal

ENV_DATA_DIR = "INTAKE_CENTER_DATA_DIR"
EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2

# What the commands say: key -> (zh_CN, en). Errors come from the domain's catalogs.
WORDS: dict[str, tuple[str, str]] = {
    "init": (
        "市中心 {name} 已在 {folder} 初始化\n公钥指纹 {fingerprint}",
        "Center {name} set up in {folder}\nFingerprint {fingerprint}",
    ),
    "key_written": (
        "市中心公钥已写入 {path}\n公钥指纹 {fingerprint}",
        "Center public key written to {path}\nFingerprint {fingerprint}",
    ),
    "fingerprint": ("公钥指纹 {fingerprint}", "Fingerprint {fingerprint}"),
    "station_added": (
        "派出所 {code} {name} 已登记\n公钥指纹 {fingerprint}（请与派出所核对）",
        "Station {code} {name} registered\nFingerprint {fingerprint} (check it with the station)",
    ),
    "station_row": (
        "{code}  {name}  批次 {seq}  {fingerprint}",
        "{code}  {name}  batches {seq}  {fingerprint}",
    ),
    "serving": (
        "intake-center 正在为 {name} 提供服务：{url}",
        "intake-center serving {name} on {url}",
    ),
    "imported": (
        "派出所 {station} 第{seq}批：{counts}\n回执已写入 {path}（请带回派出所）",
        "Batch {seq} of station {station}: {counts}\n"
        "Acknowledgement written to {path} (take it back to the station)",
    ),
    "accepted": ("接收", "accepted"),
    "duplicate": ("重复", "duplicate"),
    "conflict": ("冲突", "conflict"),
    "rejected": ("拒收", "rejected"),
    "case_row": (
        "{case_no}  第{revision}版  {fraud_type}  {uuid}{mark}",
        "{case_no}  rev {revision}  {fraud_type}  {uuid}{mark}",
    ),
    "incomplete": ("（附件未齐）", "(attachments missing)"),
    "voided": ("（已作废）", "(voided)"),
    "cases_total": ("共 {n} 起案件，{incomplete} 起附件未齐", "{n} cases, {incomplete} incomplete"),
    "link_row": (
        "{kind} {value}：{stations} 个派出所的 {cases} 起案件：{case_list}",
        "{kind} {value}: {cases} cases at {stations} stations: {case_list}",
    ),
    "no_links": ("没有出现在多起案件中的线索", "No identifier appears in more than one case"),
    "instructed": (
        "指令 {id} 已发给派出所 {station}，随其下次拉取下发",
        "Instruction {id} for station {station}; it goes down with the next pull",
    ),
    "watching": (
        "已关注 {kind} {value}，各派出所下次拉取时收到",
        "Watching {kind} {value}; stations get it with their next pull",
    ),
    "reference": (
        "基础数据 {version} 随下次拉取下发",
        "Reference data {version} goes down with the next pull",
    ),
}


class Context:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        given = args.data_dir or os.environ.get(ENV_DATA_DIR)
        self.data_dir = (
            Path(given).expanduser()
            if given
            else Path(platformdirs.user_data_dir("intake-center", appauthor=False))
        )
        self.json: bool = bool(getattr(args, "json", False))
        lang = getattr(args, "lang", None) or os.environ.get("INTAKE_LANG") or DEFAULT_LANG
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANG
        self._center: Center | None = None

    @property
    def center(self) -> Center:
        if self._center is None:
            self._center = Center.open(self.data_dir)
        return self._center

    def t(self, key: str, **params: Any) -> str:
        zh, en = WORDS[key]
        return (zh if self.lang == "zh_CN" else en).format(**params)

    def say(self, text: str) -> None:
        if not self.json:
            print(text)

    def data(self, value: Any) -> None:
        print(json.dumps(value, ensure_ascii=False, indent=2))

    def close(self) -> None:
        if self._center is not None:
            self._center.close()


def cmd_init(ctx: Context) -> int:
    center = Center.initialise(ctx.data_dir, ctx.args.name)
    ctx._center = center
    key = center.public_key()
    if ctx.json:
        ctx.data({"data_dir": str(ctx.data_dir), **key.to_dict()})
    ctx.say(ctx.t("init", name=center.name, folder=ctx.data_dir, fingerprint=key.fingerprint))
    return EXIT_OK


def cmd_key(ctx: Context) -> int:
    key = ctx.center.public_key()
    text = json.dumps(key.to_dict(), ensure_ascii=False, indent=2)
    if ctx.args.output:
        Path(ctx.args.output).write_text(text + "\n", encoding="utf-8")
        if ctx.json:
            ctx.data({"path": ctx.args.output, **key.to_dict()})
        ctx.say(ctx.t("key_written", path=ctx.args.output, fingerprint=key.fingerprint))
    elif ctx.json:
        ctx.data(key.to_dict())
    else:
        ctx.say(f"{text}\n" + ctx.t("fingerprint", fingerprint=key.fingerprint))
    return EXIT_OK


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise IntakeError("file_unreadable", "file", value=path, detail=str(exc)) from None


def cmd_station_add(ctx: Context) -> int:
    key = ctx.center.add_station(ctx.args.code, ctx.args.name, _read(ctx.args.public_key))
    if ctx.json:
        ctx.data({"code": ctx.args.code, "name": ctx.args.name, "fingerprint": key.fingerprint})
    ctx.say(
        ctx.t("station_added", code=ctx.args.code, name=ctx.args.name, fingerprint=key.fingerprint)
    )
    return EXIT_OK


def cmd_station_list(ctx: Context) -> int:
    stations = ctx.center.stations()
    if ctx.json:
        ctx.data(stations)
    for s in stations:
        ctx.say(
            ctx.t(
                "station_row",
                code=s["code"],
                name=s["name"],
                seq=s["last_seq"],
                fingerprint=s["fingerprint"],
            )
        )
    return EXIT_OK


def cmd_serve(ctx: Context) -> int:
    import uvicorn

    from intake_app.center.app import create_app

    url = f"http://{ctx.args.host}:{ctx.args.port}"
    print(ctx.t("serving", name=ctx.center.name, url=url))
    uvicorn.run(
        create_app(ctx.center),
        host=ctx.args.host,
        port=ctx.args.port,
        log_level="warning",
        timeout_keep_alive=30,
    )
    return EXIT_OK


def cmd_import(ctx: Context) -> int:
    ack, path = ctx.center.import_file(Path(ctx.args.file))
    from intake_app.domain.sync_protocol import parse_ack

    parsed = parse_ack(ack, ctx.center.identity.verify_key)
    counts: dict[str, int] = {}
    for r in parsed.results:
        counts[r.status] = counts.get(r.status, 0) + 1
    if ctx.json:
        ctx.data(
            {
                "station": parsed.station,
                "seq": parsed.seq,
                "ack": str(path),
                "results": counts,
                "missing_attachments": len(parsed.missing_attachments),
            }
        )
    words = ", ".join(f"{n} {ctx.t(k)}" for k, n in sorted(counts.items()))
    ctx.say(ctx.t("imported", station=parsed.station, seq=parsed.seq, counts=words, path=path))
    return EXIT_OK


def cmd_cases(ctx: Context) -> int:
    cases = ctx.center.cases()
    if ctx.json:
        ctx.data(cases)
        return EXIT_OK
    for c in cases:
        mark = "" if c["complete"] else "  " + ctx.t("incomplete")
        mark += "  " + ctx.t("voided") if c["status"] == "voided" else ""
        ctx.say(ctx.t("case_row", **c, mark=mark))
    incomplete = sum(1 for c in cases if not c["complete"])
    ctx.say(ctx.t("cases_total", n=len(cases), incomplete=incomplete))
    return EXIT_OK


def _yuan(fen: int | None) -> str:
    return f"{(fen or 0) / 100:,.2f}"


def cmd_stop_payment(ctx: Context) -> int:
    rows = ctx.center.stop_payment()
    if ctx.json:
        ctx.data(rows)
        return EXIT_OK
    for r in rows:
        mark = "" if r["case_received"] else "  (case not yet received)"
        ctx.say(
            f"{r['station']} {r['case_no']}  stopped {_yuan(r['stopped_fen'])}  "
            f"frozen {_yuan(r['frozen_fen'])}  returned {_yuan(r['returned_fen'])} yuan  "
            f"({r['outcomes']} outcomes){mark}"
        )
    totals = {
        k: sum(r[k] or 0 for r in rows) for k in ("stopped_fen", "frozen_fen", "returned_fen")
    }
    ctx.say(
        f"{len(rows)} cases: stopped {_yuan(totals['stopped_fen'])}, frozen "
        f"{_yuan(totals['frozen_fen'])}, returned {_yuan(totals['returned_fen'])} yuan"
    )
    return EXIT_OK


def cmd_links(ctx: Context) -> int:
    links = ctx.center.links()
    if ctx.json:
        ctx.data(links)
        return EXIT_OK
    for link in links:
        ctx.say(ctx.t("link_row", **{**link, "case_list": ", ".join(link["case_list"])}))
    if not links:
        ctx.say(ctx.t("no_links"))
    return EXIT_OK


def cmd_instruct(ctx: Context) -> int:
    a = ctx.args
    subject: dict[str, Any] = {k: getattr(a, k) for k in ("name", "phone") if getattr(a, k)}
    pairs = [x.partition("=") for x in a.identifier]
    if any(not kind or not value for kind, _eq, value in pairs):
        raise IntakeError("instruction_identifier_invalid", "identifier")
    if pairs:
        subject["identifiers"] = [{"kind": k, "value": v} for k, _eq, v in pairs]
    ident = ctx.center.instruct(a.station, a.kind, a.text, a.deadline or "", subject)
    if ctx.json:
        ctx.data({"id": ident, "station": a.station, "kind": a.kind, "deadline": a.deadline})
    ctx.say(ctx.t("instructed", id=ident, station=a.station))
    return EXIT_OK


def cmd_instructions(ctx: Context) -> int:
    rows = ctx.center.instructions()
    if ctx.json:
        ctx.data(rows)
        return EXIT_OK
    for r in rows:
        result = r["result"]
        outcome = (
            f"{result['outcome']} at {result['outcome_at']} by {result['officer']}"
            if result
            else "no result yet"
        )
        deadline = f"  deadline {r['deadline']}" if r["deadline"] else ""
        ctx.say(f"{r['station']} {r['kind']} {r['id']}{deadline}: {outcome}")
        ctx.say(f"    {r['text']}")
    done = sum(1 for r in rows if r["result"])
    ctx.say(f"{len(rows)} instructions, {done} with a result")
    return EXIT_OK


def cmd_watch_add(ctx: Context) -> int:
    value = ctx.center.watch_add(ctx.args.kind, ctx.args.value)
    if ctx.json:
        ctx.data({"kind": ctx.args.kind, "value": value})
    ctx.say(ctx.t("watching", kind=ctx.args.kind, value=value))
    return EXIT_OK


def cmd_reference(ctx: Context) -> int:
    from intake_app.domain.reference import ReferenceData

    text = _read(ctx.args.file)
    try:
        data = json.loads(text)
        version = ReferenceData.from_dict(data).version
    except (ValueError, KeyError, TypeError, AttributeError):
        raise IntakeError(
            "format_unsupported", "file", value=ctx.args.file, expected="intake-reference/1"
        ) from None
    ctx.center.set_reference(data)
    if ctx.json:
        ctx.data({"version": version})
    ctx.say(ctx.t("reference", version=version))
    return EXIT_OK


# The parser --------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _common(parser: argparse.ArgumentParser, *, root: bool) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None if root else argparse.SUPPRESS,
        help=f"the center's data folder (default: {ENV_DATA_DIR}, else the per-user folder)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        default=False if root else argparse.SUPPRESS,
        help="machine-readable output on stdout",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None if root else argparse.SUPPRESS,
        help="language of messages (default: INTAKE_LANG, else zh_CN)",
    )


def leaf(
    group: Any, name: str, func: Callable[[Context], int], help_text: str, example: str
) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = group.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=f"Example: {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(p, root=False)
    p.set_defaults(func=func)
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="intake-center",
        description="The city anti-fraud center's receiving service for Fraud Intake Desk "
        "stations: registered stations, signed and encrypted batches, links across stations.",
        epilog="Example: intake-center --data-dir /srv/center serve --port 8443",
    )
    parser.add_argument("--version", action="version", version=f"intake-center {__version__}")
    _common(parser, root=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = leaf(
        sub,
        "init",
        cmd_init,
        "Set up the center: its data folder and keys.",
        "intake-center init --name 唐山市反诈中心 --data-dir /srv/center",
    )
    p.add_argument("--name", required=True)
    p = leaf(
        sub,
        "key",
        cmd_key,
        "Print (or write) the center's public keys and fingerprint.",
        "intake-center key -o center.pub",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write the key file here")

    station = sub.add_parser(
        "station", help="Registered stations.", description="Registered stations."
    ).add_subparsers(dest="station_command", metavar="COMMAND", required=True)
    p = leaf(
        station,
        "add",
        cmd_station_add,
        "Register a station with the public key file it gave you.",
        "intake-center station add --code 130209510000 --name 滨海派出所 --public-key station.pub",
    )
    p.add_argument("--code", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--public-key", required=True, metavar="FILE")
    leaf(
        station,
        "list",
        cmd_station_list,
        "List registered stations and their last batch.",
        "intake-center station list --json",
    )

    p = leaf(
        sub,
        "serve",
        cmd_serve,
        "Run the HTTP service (uvicorn).",
        "intake-center serve --host 0.0.0.0 --port 8443",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8443)
    p = leaf(
        sub,
        "import",
        cmd_import,
        "Ingest a station's USB export file; writes the signed acknowledgement file "
        "(FILE with .ack) beside it.",
        "intake-center import /media/usb/130209510000-000001.sync",
    )
    p.add_argument("file")
    leaf(
        sub,
        "cases",
        cmd_cases,
        "Cases received, newest revision, complete or not.",
        "intake-center cases --json",
    )
    leaf(
        sub,
        "stop-payment",
        cmd_stop_payment,
        "Money stopped, frozen and returned per case, from the stations' outcomes.",
        "intake-center stop-payment --json",
    )
    leaf(
        sub,
        "links",
        cmd_links,
        "Identifiers found in two or more cases, across stations.",
        "intake-center links --json",
    )
    p = leaf(
        sub,
        "instruct",
        cmd_instruct,
        "Send an instruction to a station (next pull).",
        "intake-center instruct --station 130209510000 --kind dissuade --text "
        "'刘女士正在银行柜台转账，立即劝阻' --deadline 2026-12-01T10:30:00+08:00",
    )
    p.add_argument("--station", required=True, metavar="CODE")
    p.add_argument("--kind", required=True, choices=INSTRUCTION_KINDS)
    p.add_argument("--text", required=True)
    p.add_argument("--deadline", metavar="ISO")
    p.add_argument("--name", default="", help="the person's name, for the station's report")
    p.add_argument("--phone", default="", help="the person's phone number")
    p.add_argument(
        "--identifier",
        action="append",
        default=[],
        metavar="KIND=VALUE",
        help="an identifier the center knows (phone, bank_account, wechat ...); repeatable",
    )
    leaf(
        sub,
        "instructions",
        cmd_instructions,
        "Instructions sent to stations, each with the station's result once it came up.",
        "intake-center instructions --json",
    )
    watch = sub.add_parser(
        "watch", help="The center's watchlist.", description="The center's watchlist."
    ).add_subparsers(dest="watch_command", metavar="COMMAND", required=True)
    p = leaf(
        watch,
        "add",
        cmd_watch_add,
        "Flag an identifier for every station's watchlist.",
        "intake-center watch add --kind phone --value 13800138000",
    )
    p.add_argument("--kind", required=True, metavar="KIND")
    p.add_argument("--value", required=True)
    p = leaf(
        sub,
        "reference",
        cmd_reference,
        "Publish reference data (intake-reference/1) to the stations (next pull).",
        "intake-center reference reference-2026.1.json",
    )
    p.add_argument("file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    ctx = Context(args)
    try:
        return int(args.func(ctx))
    except (IntakeError, SyncError) as exc:
        print(exc.message(ctx.lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    except Refusal as refusal:
        print(refusal.error.message(ctx.lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    finally:
        ctx.close()


def run() -> NoReturn:
    sys.exit(main())


if __name__ == "__main__":
    run()
