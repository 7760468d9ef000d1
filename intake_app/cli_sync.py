"""`intake-app sync ...`: keys, enrollment, push, pull, status, and the USB path.

push, pull, status, key and import-ack run without a login (scheduled tasks); enroll (admin)
and export (it writes case data to removable media) need --officer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app import cli
from intake_app.cli import EXIT_BAD_INPUT, EXIT_OK, Context, leaf

if TYPE_CHECKING:
    from intake_app.services.sync import SyncStatus

# PyNaCl and the sync services are imported when a sync command runs, not at every start.

cli.add_messages(
    {
        "sync_key": (
            "本所公钥（交市反诈中心登记）：\n{text}\n指纹 {fingerprint}",
            "This station's public key (give it to the city center):\n{text}\n"
            "Fingerprint {fingerprint}",
        ),
        "sync_key_written": (
            "本所公钥已写入 {path}\n指纹 {fingerprint}（请与市中心电话核对）",
            "Station public key written to {path}\nFingerprint {fingerprint} "
            "(read it to the center by phone)",
        ),
        "sync_enrolled": (
            "已配置市中心 {url}\n市中心公钥指纹 {fingerprint}\n请与市中心核对此指纹后再同步。",
            "Center {url} configured\nCenter key fingerprint {fingerprint}\n"
            "Check this fingerprint with the center before syncing.",
        ),
        "sync_pushed": (
            "已发送{batches}批：新接收{accepted}条，重复{duplicate}条，冲突{conflict}条，"
            "拒收{rejected}条；附件{attachments}个",
            "Sent {batches} batches: {accepted} accepted, {duplicate} duplicate, "
            "{conflict} conflict, {rejected} rejected; {attachments} attachments",
        ),
        "sync_pulled": (
            "已接收下发数据：关注线索{watch}条，指令{instructions}条{reference}",
            "Feed received: {watch} watched identifiers, {instructions} instructions{reference}",
        ),
        "sync_reference": ("，基础数据版本 {version}", ", reference data version {version}"),
        "sync_status": (
            "市中心 {url}\n待上报 {pending} 条{batch}\n待传附件 {attachments} 个\n"
            "上次成功 {success}\n上次错误 {error}\n关注线索 {watch} 条，指令 {instructions} 条",
            "Center {url}\nWaiting to send {pending} records{batch}\n"
            "Attachments to send {attachments}\nLast success {success}\nLast error {error}\n"
            "Watched identifiers {watch}, instructions {instructions}",
        ),
        "sync_refused": (
            "\n市中心未接收 {n} 条（冲突 {conflict} 条，拒收 {rejected} 条），请联系市中心",
            "\nNot taken by the center: {n} ({conflict} conflict, {rejected} rejected); "
            "contact the center",
        ),
        "sync_open_batch": ("（第{seq}批待确认）", " (batch {seq} awaiting acknowledgement)"),
        "sync_none": ("无", "none"),
        "sync_not_configured": ("未配置", "not configured"),
        "sync_exported": (
            "已写出 {path}：{records}条记录，附件{attachments}个。请带到市中心导入。",
            "Wrote {path}: {records} records, {attachments} attachments. "
            "Take it to the center for import.",
        ),
        "sync_nothing": ("没有待上报的记录", "Nothing waiting to be sent"),
        "sync_ack_applied": (
            "回执已应用：新接收{accepted}条，重复{duplicate}条，冲突{conflict}条，拒收{rejected}条",
            "Acknowledgement applied: {accepted} accepted, {duplicate} duplicate, "
            "{conflict} conflict, {rejected} rejected",
        ),
    }
)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        from intake_app.domain.errors import IntakeError

        raise IntakeError("file_unreadable", "file", value=str(path), detail=str(exc)) from None


def _sync_command(func: Callable[[Context], int]) -> Callable[[Context], int]:
    """A sync command: a refusal or failure (SyncError) is said in words, exit 1."""

    @wraps(func)
    def run(ctx: Context) -> int:
        from intake_app.domain.sync_protocol import SyncError

        try:
            return func(ctx)
        except SyncError as exc:
            ctx.out.error(exc.message(ctx.out.lang))
            return EXIT_BAD_INPUT

    return run


@_sync_command
def cmd_key(ctx: Context) -> int:
    ctx.unlock_if_asked()  # the public half is readable while locked, once the key exists
    key = ctx.desk.sync.public_key()
    text = json.dumps(key.to_dict(), ensure_ascii=False, indent=2)
    if ctx.args.output:
        Path(ctx.args.output).write_text(text + "\n", encoding="utf-8")
        if ctx.out.json:
            ctx.out.data({"path": ctx.args.output, **key.to_dict()})
        ctx.out.say("sync_key_written", path=ctx.args.output, fingerprint=key.fingerprint)
    elif ctx.out.json:
        ctx.out.data(key.to_dict())
    else:
        ctx.out.say("sync_key", text=text, fingerprint=key.fingerprint)
    return EXIT_OK


@_sync_command
def cmd_enroll(ctx: Context) -> int:
    text = _read_text(Path(ctx.args.center_key))
    key = ctx.desk.sync.enroll(ctx.args.center_url, text, ctx.officer())
    url = ctx.desk.sync.center_url
    if ctx.out.json:
        ctx.out.data({"center_url": url, "fingerprint": key.fingerprint, "name": key.name})
    ctx.out.say("sync_enrolled", url=url, fingerprint=key.fingerprint)
    return EXIT_OK


@_sync_command
def cmd_push(ctx: Context) -> int:
    ctx.officer()  # the store is encrypted: a login unlocks it
    result = ctx.desk.sync.push()
    if ctx.out.json:
        ctx.out.data(vars(result))
    ctx.out.say("sync_pushed", **vars(result))
    return EXIT_OK


@_sync_command
def cmd_pull(ctx: Context) -> int:
    ctx.officer()  # the store is encrypted: a login unlocks it
    feed = ctx.desk.sync.pull()
    version = (feed.reference or {}).get("version")
    if ctx.out.json:
        ctx.out.data(
            {
                "issued_at": feed.issued_at,
                "watchlist": len(feed.watchlist),
                "instructions": [vars(i) for i in feed.instructions],
                "reference_version": version,
            }
        )
    reference = ctx.out.t("sync_reference", version=version) if version else ""
    ctx.out.say(
        "sync_pulled",
        watch=len(feed.watchlist),
        instructions=len(feed.instructions),
        reference=reference,
    )
    return EXIT_OK


def status_dict(status: SyncStatus, lang: str) -> dict[str, Any]:
    return {
        "enrolled": status.enrolled,
        "center_url": status.center_url,
        "pending": status.pending,
        "pending_total": status.pending_total,
        "open_batch": status.open_batch,
        "acknowledged": status.acked,
        "attachments_pending": status.attachments_pending,
        "last_attempt": status.last_attempt,
        "last_success": status.last_success,
        "last_error": status.error_text(lang) or None,
        "watchlist": status.watchlist,
        "instructions": status.instructions,
    }


def _refused(ctx: Context, status: SyncStatus) -> str:
    conflict, rejected = status.acked.get("conflict", 0), status.acked.get("rejected", 0)
    if not conflict + rejected:
        return ""
    return ctx.out.t("sync_refused", n=conflict + rejected, conflict=conflict, rejected=rejected)


@_sync_command
def cmd_status(ctx: Context) -> int:
    ctx.officer()  # the store is encrypted: a login unlocks it
    status = ctx.desk.sync.status()
    if ctx.out.json:
        ctx.out.data(status_dict(status, ctx.out.lang))
        return EXIT_OK
    none = ctx.out.t("sync_none")
    ctx.out.say(
        "sync_status",
        url=status.center_url or ctx.out.t("sync_not_configured"),
        pending=status.pending_total,
        batch=(ctx.out.t("sync_open_batch", seq=status.open_batch) if status.open_batch else "")
        + _refused(ctx, status),
        attachments=status.attachments_pending,
        success=status.last_success or none,
        error=status.error_text(ctx.out.lang) or none,
        watch=status.watchlist,
        instructions=status.instructions,
    )
    return EXIT_OK


@_sync_command
def cmd_export(ctx: Context) -> int:
    officer = ctx.officer()
    written = ctx.desk.sync.export(Path(ctx.args.to), officer)
    if written is None:
        if ctx.out.json:
            ctx.out.data({"path": None})
        ctx.out.say("sync_nothing")
        return EXIT_OK
    path, records, attachments = written
    if ctx.out.json:
        ctx.out.data({"path": str(path), "records": records, "attachments": attachments})
    ctx.out.say("sync_exported", path=path, records=records, attachments=attachments)
    return EXIT_OK


@_sync_command
def cmd_import_ack(ctx: Context) -> int:
    ctx.officer()  # the store is encrypted: a login unlocks it
    counts = ctx.desk.sync.import_ack(Path(ctx.args.file))
    full = {k: counts.get(k, 0) for k in ("accepted", "duplicate", "conflict", "rejected")}
    if ctx.out.json:
        ctx.out.data(full)
    ctx.out.say("sync_ack_applied", **full)
    return EXIT_OK


def register(sub: Any) -> None:
    group = sub.add_parser(
        "sync",
        help="Sync with the city anti-fraud center (keys, push, pull, USB).",
        description="Sync with the city anti-fraud center: signed, encrypted batches over "
        "HTTP or on a USB stick.",
    ).add_subparsers(dest="sync_command", metavar="COMMAND", required=True)
    p = leaf(
        group,
        "key",
        cmd_key,
        "Print (or write) this station's public key and its fingerprint, for enrollment.",
        "intake-app sync key -o station.pub",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write the key file here")
    p.add_argument(
        "--officer",
        metavar="BADGE",
        help="log in first (needed only to make the key of a station set up before sync)",
    )
    p = leaf(
        group,
        "enroll",
        cmd_enroll,
        "Configure the city center: its address and public key; shows the fingerprint to "
        "check (admin).",
        "intake-app sync enroll --center-url https://fzzx.example:8443 --center-key center.pub "
        "--officer 100001",
        officer=True,
    )
    p.add_argument("--center-url", required=True, metavar="URL")
    p.add_argument("--center-key", required=True, metavar="FILE")
    leaf(
        group,
        "push",
        cmd_push,
        "Send every record and attachment the center has not acknowledged.",
        "intake-app sync push --json --officer 100001",
        officer=True,
    )
    leaf(
        group,
        "pull",
        cmd_pull,
        "Fetch the center's signed feed: watchlist, instructions, reference data.",
        "intake-app sync pull --officer 100001",
        officer=True,
    )
    leaf(
        group,
        "status",
        cmd_status,
        "Records waiting, the last success and the last error, in words.",
        "intake-app sync status --json --officer 100001",
        officer=True,
    )
    p = leaf(
        group,
        "export",
        cmd_export,
        "Write the next batch and its attachments to a file for the center (USB).",
        "intake-app sync export --to /media/usb --officer 100001",
        officer=True,
    )
    p.add_argument("--to", required=True, metavar="DIR")
    p = leaf(
        group,
        "import-ack",
        cmd_import_ack,
        "Apply the center's signed acknowledgement file (USB).",
        "intake-app sync import-ack /media/usb/130209510000-000001.ack --officer 100001",
        officer=True,
    )
    p.add_argument("file")


cli.FEATURE_COMMANDS.append(register)
