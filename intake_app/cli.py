"""`intake-app`: the station desk's command line, a thin layer over the services.

Every command takes --data-dir DIR (or INTAKE_DATA_DIR). Commands that read or change case data
take --officer BADGE and read the password from INTAKE_PASSWORD, else prompt. --json prints
machine-readable output on stdout; errors go to stderr. Exit 0 on success, 1 for bad input,
2 for usage errors.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from intake_app.domain.errors import IntakeError
from intake_app.domain.messages import DEFAULT_LANG, role_label, status_label
from intake_app.domain.money import format_yuan, format_yuan_display
from intake_app.domain.problems import ERROR, Problem

from intake_app.store.cases import CaseRow
from intake_app.store.officers import Officer

from intake_app.services import datadir
from intake_app.services.backups import restore_fresh
from intake_app.services.demo import create_demo
from intake_app.services.desk import Desk
from intake_app.services.intake import ValidationFailed, read_records

from intake_app import __version__
from intake_app.cli_stop_payment import register as register_stop_payment

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2
PASSWORD_ENV = "INTAKE_PASSWORD"
NEW_PASSWORD_ENV = "INTAKE_NEW_PASSWORD"

_T = {
    "registered": ("第{n}条：已登记 {case_no}", "Record {n}: registered {case_no}"),
    "unchanged": (
        "第{n}条：已存在 {case_no}（未重复登记）",
        "Record {n}: already registered as {case_no}",
    ),
    "failed": ("第{n}条：未登记", "Record {n}: not registered"),
    "import_summary": (
        "共{total}条：新登记{created}条，已存在{existing}条，失败{failed}条",
        "{total} records: {created} registered, {existing} already registered, {failed} failed",
    ),
    "initialised": (
        "已初始化派出所 {code} {name}，管理员警号 {badge}，数据目录 {dir}",
        "Station {code} {name} set up with admin badge {badge} in {dir}",
    ),
    "demo_ready": (
        "演示派出所已建立：{code} {name}\n数据目录 {dir}\n已登记演示案件 {cases} 件。"
        "以下账号仅供演示，请勿录入真实案件：",
        "Demo station set up: {code} {name}\nData folder {dir}\n{cases} sample cases registered. "
        "These accounts are for trying the desk only; never enter real cases here:",
    ),
    "demo_officer": (
        "  警号 {badge}  {name}（{role}）  密码 {password}",
        "  badge {badge}  {name} ({role})  password {password}",
    ),
    "officer_added": (
        "已添加民警 {badge} {name}（{role}）",
        "Added officer {badge} {name} ({role})",
    ),
    "password_changed": ("已修改警号 {badge} 的密码", "Password changed for badge {badge}"),
    "no_results": ("没有找到匹配的案件", "No matching cases"),
    "revised": (
        "已修改 {case_no}，当前为第{revision}版",
        "Revised {case_no}: now revision {revision}",
    ),
    "not_revised": (
        "{case_no} 内容未变化，未生成新版本",
        "{case_no} is unchanged; no revision made",
    ),
    "voided": ("已作废 {case_no}", "Voided {case_no}"),
    "exported": ("已导出{count}个案件到 {path}", "Exported {count} cases to {path}"),
    "audit_ok": (
        "审计日志完整：共{n}条，未发现篡改",
        "Audit log intact: {n} entries, no tampering found",
    ),
    "audit_bad": (
        "审计日志被篡改：共{n}条，发现{k}处问题",
        "Audit log tampered: {n} entries, {k} problems",
    ),
    "backup_done": ("已备份到 {path}（SHA-256 {sha}）", "Backed up to {path} (SHA-256 {sha})"),
    "restored": (
        "已从 {path} 恢复；原数据库另存为 {safety}",
        "Restored from {path}; the previous database is kept as {safety}",
    ),
    "restored_fresh": (
        "已从 {path} 恢复到新的数据目录",
        "Restored from {path} into the empty data folder",
    ),
    "not_set_up": (
        "数据目录 {dir} 尚未初始化。用 intake-app init 建立派出所。",
        "The data folder {dir} is not set up. Run intake-app init to set up the station.",
    ),
    "receipt_written": (
        "已生成受案回执 {path}（案件 {case_no}）{mark}",
        "Receipt of {case_no} written to {path}{mark}",
    ),
    "form_written": (
        "已生成受案登记表 {path}（案件 {case_no} 第{revision}版）{mark}",
        "Registration form of {case_no} (revision {revision}) written to {path}{mark}",
    ),
    "reprint_mark": ("，补打第{n}次", ", reprint {n}"),
    "template_installed": (
        "已安装回执模板“{name}”（版本 {version}）",
        'Installed the receipt template "{name}" (version {version})',
    ),
    "template_reset": (
        "已恢复自带的回执模板（版本 {version}）",
        "Back to the bundled receipt template (version {version})",
    ),
    "recovery_key": (
        "恢复密钥（只显示这一次，请抄在纸上交所长保管；忘记所有密码时凭它解锁）：\n  {secret}",
        "Recovery key (shown only this once: write it on paper for the station head; it "
        "unlocks the desk when every password is forgotten):\n  {secret}",
    ),
    "encrypted_now": (
        "本机数据已加密（原数据库先备份到 backups/ 并同样加密）。恢复密钥（只显示这一次，"
        "请抄在纸上交所长保管）：\n  {secret}",
        "This desk's data is now encrypted (the old database was first backed up under backups/, "
        "encrypted too). Recovery key (shown only this once: write it on paper for the station "
        "head):\n  {secret}",
    ),
    "status_locked": (
        "派出所 {code} {name}\n数据目录 {dir}\n数据已加密并锁定；可解锁的民警：{badges}\n"
        "案件数等内容需登录后查看：加 --officer 警号（密码取自 INTAKE_PASSWORD）",
        "Station {code} {name}\nData folder {dir}\nEncrypted and locked; officers who can "
        "unlock: {badges}\nCase counts and the rest need a login: add --officer BADGE "
        "(password from INTAKE_PASSWORD)",
    ),
    "status_plain": (
        "派出所 {name}\n数据目录 {dir}\n数据库尚未加密：下一次登录时自动加密（先备份）",
        "Station {name}\nData folder {dir}\nThe database is not encrypted yet: the next "
        "login encrypts it (after a backup)",
    ),
    "not_encrypted_warning": (
        "注意：{path} 未加密，含受害人个人信息。请存放在加密介质上，用完即删",
        "Warning: {path} is not encrypted and holds victims' personal data. Keep it on an "
        "encrypted drive and delete it when done",
    ),
    "status": (
        "派出所 {code} {name}\n数据目录 {dir}\n"
        "案件 {cases} 件（已作废 {voided} 件）\n民警 {officers} 名",
        "Station {code} {name}\nData folder {dir}\n"
        "Cases {cases} ({voided} void)\nOfficers {officers}",
    ),
}


def add_messages(messages: dict[str, tuple[str, str]]) -> None:
    """Feature command modules add their (zh_CN, en) message pairs to the CLI's catalog."""
    # The same pairs again are fine: build_parser may run more than once in a process.
    clash = {key for key in messages if key in _T and _T[key] != messages[key]}
    if clash:
        raise ValueError(f"CLI message keys defined twice: {sorted(clash)}")
    _T.update(messages)


class Output:
    def __init__(self, lang: str, as_json: bool) -> None:
        self.lang = lang
        self.json = as_json

    def t(self, key: str, **params: Any) -> str:
        zh, en = _T[key]
        return (zh if self.lang == "zh_CN" else en).format(**params)

    def say(self, key: str, **params: Any) -> None:
        if not self.json:
            print(self.t(key, **params))

    def data(self, value: Any) -> None:
        print(json.dumps(value, ensure_ascii=False, indent=2))

    def error(self, message: str) -> None:
        print(message, file=sys.stderr)

    def problems(self, problems: Sequence[Problem], indent: str = "  ") -> None:
        for p in problems:
            mark = {"error": "✗", "warning": "!", "info": "i"}[p.severity]
            print(f"{indent}{mark} {p.message(self.lang)}", file=sys.stderr)


def _problem_dicts(problems: Sequence[Problem], lang: str, severity: str) -> list[dict[str, str]]:
    return [
        {"code": p.code, "field": p.field, "message": p.message(lang)}
        for p in problems
        if p.severity == severity
    ]


# Common options ----------------------------------------------------------------------------


def _common(parser: argparse.ArgumentParser, *, root: bool) -> None:
    default = None if root else argparse.SUPPRESS
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="data folder (default: INTAKE_DATA_DIR, else the per-user folder)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        default=False if root else argparse.SUPPRESS,
        help="machine-readable output on stdout",
    )
    parser.add_argument(
        "--lang",
        choices=("zh_CN", "en"),
        default=default,
        help="language of messages (default: INTAKE_LANG, else zh_CN)",
    )


def _officer_opt(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--officer",
        metavar="BADGE",
        required=True,
        help=f"the acting officer's badge; password from {PASSWORD_ENV} or a prompt",
    )


def _password(env: str, prompt: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise IntakeError("password_missing", "password", value=env)


class Context:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.data_dir = datadir.resolve(args.data_dir)
        self.out = Output(args.lang or os.environ.get("INTAKE_LANG") or DEFAULT_LANG, args.json)
        self._desk: Desk | None = None

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            self._desk = Desk.open(self.data_dir)
        return self._desk

    def officer(self) -> Officer:
        officer = self.desk.auth.login(self.args.officer, _password(PASSWORD_ENV, "Password: "))
        if self.desk.recovery_key:
            # The plain store of an earlier version was encrypted just now.
            self.out.error(self.out.t("encrypted_now", secret=self.desk.recovery_key))
            self.desk.recovery_key = None
        return officer

    def unlock_if_asked(self) -> bool:
        """Log in when --officer was given (commands that show less while locked)."""
        if getattr(self.args, "officer", None):
            self.officer()
        return not self.desk.locked

    def close(self) -> None:
        if self._desk is not None:
            self._desk.close()


# Commands ----------------------------------------------------------------------------------


def cmd_init(ctx: Context) -> int:
    a = ctx.args
    password = _password(PASSWORD_ENV, "Admin password: ")
    desk = Desk.initialise(
        ctx.data_dir,
        station_code=a.station_code,
        station_name=a.station_name,
        admin_badge=a.admin_badge,
        admin_name=a.admin_name,
        password=password,
    )
    recovery = desk.recovery_key
    desk.close()
    if ctx.out.json:
        ctx.out.data(
            {
                "data_dir": str(ctx.data_dir),
                "station_code": a.station_code,
                "station_name": a.station_name,
                "admin_badge": a.admin_badge,
                "recovery_key": recovery,
            }
        )
    ctx.out.say(
        "initialised",
        code=a.station_code,
        name=a.station_name,
        badge=a.admin_badge,
        dir=ctx.data_dir,
    )
    ctx.out.say("recovery_key", secret=recovery)
    return EXIT_OK


def cmd_demo(ctx: Context) -> int:
    result = create_demo(ctx.data_dir, cases=ctx.args.cases)
    if ctx.out.json:
        ctx.out.data(
            {
                "data_dir": str(result.data_dir),
                "station_code": result.station_code,
                "station_name": result.station_name,
                "cases": result.cases,
                "officers": [vars(o) for o in result.officers],
            }
        )
        return EXIT_OK
    ctx.out.say(
        "demo_ready",
        code=result.station_code,
        name=result.station_name,
        dir=result.data_dir,
        cases=result.cases,
    )
    for o in result.officers:
        ctx.out.say(
            "demo_officer",
            badge=o.badge,
            name=o.name,
            role=role_label(o.role, ctx.out.lang),
            password=o.password,
        )
    return EXIT_OK


def cmd_status(ctx: Context) -> int:
    if not Desk.is_initialised(ctx.data_dir):
        if ctx.out.json:
            ctx.out.data({"data_dir": str(ctx.data_dir), "initialised": False})
        else:
            ctx.out.say("not_set_up", dir=ctx.data_dir)
        return EXIT_OK
    desk = ctx.desk
    if not ctx.unlock_if_asked():
        return _status_locked(ctx, desk)
    counts = desk.counts()
    if ctx.out.json:
        ctx.out.data(
            {
                "data_dir": str(ctx.data_dir),
                "initialised": True,
                "encrypted": True,
                "locked": False,
                "station_code": desk.station_code,
                "station_name": desk.station_name,
                "reference_version": desk.reference.version,
                "schema": desk.store.schema_version(),
                **counts,
            }
        )
    else:
        ctx.out.say(
            "status", code=desk.station_code, name=desk.station_name, dir=ctx.data_dir, **counts
        )
    return EXIT_OK


def _status_locked(ctx: Context, desk: Desk) -> int:
    """What a locked desk can tell: the station and who can unlock it (from the keyring)."""
    ring = desk.keyring
    if ctx.out.json:
        ctx.out.data(
            {
                "data_dir": str(ctx.data_dir),
                "initialised": True,
                "encrypted": ring is not None,
                "locked": True,
                "station_code": desk.station_code,
                "station_name": desk.station_name,
                "officers_with_keys": ring.badges() if ring else [],
            }
        )
    elif ring is None:
        ctx.out.say("status_plain", name=desk.station_name, dir=ctx.data_dir)
    else:
        ctx.out.say(
            "status_locked",
            code=desk.station_code,
            name=desk.station_name,
            dir=ctx.data_dir,
            badges=", ".join(ring.badges()),
        )
    return EXIT_OK


def cmd_officer_add(ctx: Context) -> int:
    a = ctx.args
    actor = ctx.officer()
    password = _password(NEW_PASSWORD_ENV, f"New password for {a.badge}: ")
    added = ctx.desk.auth.add_officer(actor, a.badge, a.name, a.role, password)
    if ctx.out.json:
        ctx.out.data({"badge": added.badge, "name": added.name, "role": added.role})
    ctx.out.say(
        "officer_added",
        badge=added.badge,
        name=added.name,
        role=role_label(added.role, ctx.out.lang),
    )
    return EXIT_OK


def cmd_officer_list(ctx: Context) -> int:
    ctx.officer()
    rows = ctx.desk.auth.list_officers()
    if ctx.out.json:
        ctx.out.data(
            [{"badge": o.badge, "name": o.name, "role": o.role, "active": o.active} for o in rows]
        )
    else:
        for o in rows:
            role = role_label(o.role, ctx.out.lang)
            print(f"{o.badge}\t{o.name}\t{role}\t{'' if o.active else '(disabled)'}")
    return EXIT_OK


def cmd_officer_passwd(ctx: Context) -> int:
    actor = ctx.officer()
    badge = ctx.args.badge or actor.badge
    ctx.desk.auth.change_password(
        actor, badge, _password(NEW_PASSWORD_ENV, f"New password for {badge}: ")
    )
    ctx.out.say("password_changed", badge=badge)
    return EXIT_OK


def cmd_case_import(ctx: Context) -> int:
    path = Path(ctx.args.file)
    officer = ctx.officer()
    results = []
    created = existing = failed = 0
    lang = ctx.out.lang
    for result in ctx.desk.intake.import_records(read_records(path), officer, path.parent):
        n = result.index + 1
        warnings = _problem_dicts(result.problems, lang, "warning")
        if result.ok:
            created += result.created
            existing += not result.created
            results.append(
                {
                    "index": result.index,
                    "uuid": result.uuid,
                    "case_no": result.case_no,
                    "created": result.created,
                    **({"warnings": warnings} if warnings else {}),
                }
            )
            if not ctx.out.json:
                print(
                    ctx.out.t(
                        "registered" if result.created else "unchanged", n=n, case_no=result.case_no
                    )
                )
                ctx.out.problems([p for p in result.problems if p.severity == "warning"])
        else:
            failed += 1
            results.append(
                {
                    "index": result.index,
                    **({"uuid": result.uuid} if result.uuid else {}),
                    "errors": _problem_dicts(result.problems, lang, ERROR),
                }
            )
            if not ctx.out.json:
                ctx.out.error(ctx.out.t("failed", n=n))
                ctx.out.problems([p for p in result.problems if p.severity == ERROR])
    if ctx.out.json:
        ctx.out.data(results)
    else:
        ctx.out.say(
            "import_summary", total=len(results), created=created, existing=existing, failed=failed
        )
    return EXIT_BAD_INPUT if failed else EXIT_OK


def _summary_dict(row: CaseRow) -> dict[str, Any]:
    return {
        "case_no": row.case_no,
        "uuid": row.uuid,
        "status": row.status,
        "revision": row.revision,
        "reported_at": row.reported_at,
        "source": row.source,
        "fraud_type": row.fraud_type,
        "reporter_name": row.reporter_name,
        "reporter_id": row.reporter_id_masked,
        "total_loss": format_yuan(row.total_loss_fen),
    }


def cmd_case_show(ctx: Context) -> int:
    # One named case in full, ID, phone and account numbers too: audited as a "reveal".
    record = ctx.desk.intake.reveal(ctx.args.case_no, ctx.officer(), "cli")
    if ctx.out.json:
        ctx.out.data(record)
    else:
        print(_format_record(ctx, record))
    return EXIT_OK


def _format_record(ctx: Context, record: dict[str, Any]) -> str:
    ref, lang = ctx.desk.reference, ctx.out.lang
    zh = lang == "zh_CN"
    lines = [
        f"{record['case_no']}  ({status_label(record['status'], lang)}, "
        f"{'第' if zh else 'rev '}{record['revision']}{'版' if zh else ''})",
        f"{'报案时间' if zh else 'Reported'}: {record['reported_at']}",
        f"{'案件来源' if zh else 'Source'}: {ref.label('case_sources', record['source'], lang)}",
        f"{'诈骗类型' if zh else 'Fraud type'}: "
        f"{ref.label('fraud_types', record['incident']['fraud_type'], lang)}",
        f"{'报案人' if zh else 'Reporter'}: {record['reporter']['name']} "
        f"{record['reporter']['id_number']} {record['reporter']['phone']}",
    ]
    if record.get("victim"):
        lines.append(f"{'受害人' if zh else 'Victim'}: {record['victim']['name']}")
    lines.append(f"{'简要案情' if zh else 'Narrative'}: {record['incident']['narrative']}")
    for i, tx in enumerate(record["transactions"], 1):
        lines.append(
            f"  #{i} {tx['at']} ¥{tx['amount']} -> {tx['payee_name']} "
            f"{tx['payee_bank']} {tx['payee_account']}"
        )
    for ident in record["identifiers"]:
        lines.append(f"  [{ref.label('identifier_kinds', ident['kind'], lang)}] {ident['value']}")
    for att in record["attachments"]:
        lines.append(f"  📎 {att['name']} {att['size']} B sha256 {att['sha256']}")
    if record.get("void_reason"):
        lines.append(f"{'作废原因' if zh else 'Void reason'}: {record['void_reason']}")
    return "\n".join(lines)


def cmd_case_history(ctx: Context) -> int:
    ctx.officer()
    revisions = ctx.desk.intake.history(ctx.args.case_no)
    if ctx.out.json:
        ctx.out.data(
            [
                {
                    "revision": r.number,
                    "created_at": r.created_at,
                    "created_by": r.created_by,
                    "note": r.note,
                    "sha256": r.sha256,
                    "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in r.changes],
                }
                for r in revisions
            ]
        )
        return EXIT_OK
    for r in revisions:
        print(f"rev {r.number}  {r.created_at}  {r.created_by}  {r.note}")
        for c in r.changes:
            print(f"    {c.field}: {c.old!r} -> {c.new!r}")
    return EXIT_OK


def cmd_case_search(ctx: Context) -> int:
    ctx.officer()
    rows = ctx.desk.intake.search(ctx.args.query, limit=ctx.args.limit)
    if ctx.out.json:
        ctx.out.data([_summary_dict(r) for r in rows])
        return EXIT_OK
    if not rows:
        ctx.out.say("no_results")
    ref = ctx.desk.reference
    for r in rows:
        print(
            f"{r.case_no}  {r.reported_at}  {r.reporter_name}  {r.reporter_id_masked}  "
            f"{ref.label('fraud_types', r.fraud_type, ctx.out.lang)}  "
            f"{format_yuan_display(r.total_loss_fen)}  {status_label(r.status, ctx.out.lang)}"
        )
    return EXIT_OK


def cmd_case_export(ctx: Context) -> int:
    officer = ctx.officer()
    path = Path(ctx.args.output)
    count = ctx.desk.intake.export(path, officer, ctx.args.since)
    if ctx.out.json:
        ctx.out.data({"path": str(path), "count": count, "encrypted": False})
    ctx.out.say("exported", count=count, path=path)
    ctx.out.error(ctx.out.t("not_encrypted_warning", path=path))
    return EXIT_OK


def cmd_case_revise(ctx: Context) -> int:
    officer = ctx.officer()
    path = Path(ctx.args.file)
    records = [r for r in read_records(path)]
    if len(records) != 1:
        raise IntakeError("not_an_object", "file")
    row, changed = ctx.desk.intake.revise(
        ctx.args.case_no, records[0], officer, note=ctx.args.note or "", base_dir=path.parent
    )
    if ctx.out.json:
        ctx.out.data({"case_no": row.case_no, "revision": row.revision, "changed": changed})
    elif changed:
        ctx.out.say("revised", case_no=row.case_no, revision=row.revision)
    else:
        ctx.out.say("not_revised", case_no=row.case_no)
    return EXIT_OK


def cmd_case_void(ctx: Context) -> int:
    officer = ctx.officer()
    row = ctx.desk.intake.void(ctx.args.case_no, ctx.args.reason, officer)
    if ctx.out.json:
        ctx.out.data({"case_no": row.case_no, "status": row.status})
    ctx.out.say("voided", case_no=row.case_no)
    return EXIT_OK


def cmd_case_form(ctx: Context) -> int:
    officer = ctx.officer()
    printed = ctx.desk.documents.print_case_form(ctx.args.case_no, officer, ctx.args.revision)
    _write_printed(ctx, printed, Path(ctx.args.output))
    return EXIT_OK


def cmd_receipt(ctx: Context) -> int:
    a = ctx.args
    if a.case_no == "template":
        return _receipt_template(ctx)
    if a.show or a.install or a.reset:
        a.parser.error("--show, --install and --reset go with: intake-app receipt template")
    if not a.output:
        a.parser.error("the following arguments are required: -o/--output")
    if not a.officer:
        a.parser.error("the following arguments are required: --officer")
    officer = ctx.officer()
    printed = ctx.desk.documents.print_receipt(a.case_no, officer, reprint=a.reprint)
    _write_printed(ctx, printed, Path(a.output))
    return EXIT_OK


def _receipt_template(ctx: Context) -> int:
    a = ctx.args
    if sum((a.show, bool(a.install), a.reset)) != 1 or a.output or a.reprint:
        a.parser.error("receipt template takes one of --show, --install FILE or --reset")
    documents = ctx.desk.documents
    if a.show:
        ctx.unlock_if_asked()  # the template is kept in the encrypted store
        sys.stdout.write(documents.template().to_json())
        return EXIT_OK
    if not a.officer:
        a.parser.error("the following arguments are required: --officer")
    officer = ctx.officer()
    if a.reset:
        template = documents.install_template(officer, None)
    else:
        path = Path(a.install)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise IntakeError("file_unreadable", "file", value=str(path), detail=str(exc)) from exc
        template = documents.install_template(officer, text)
    if ctx.out.json:
        ctx.out.data({"name": template.name, "version": template.version, "bundled": a.reset})
    elif a.reset:
        ctx.out.say("template_reset", version=template.version)
    else:
        ctx.out.say("template_installed", name=template.name, version=template.version)
    return EXIT_OK


def _write_printed(ctx: Context, printed: Any, path: Path) -> None:
    ctx.desk.documents.write(path, printed.pdf)
    if printed.document != "receipt":
        # The form holds every number in full (the receipt's reporter copy is masked).
        ctx.out.error(ctx.out.t("not_encrypted_warning", path=path))
    if ctx.out.json:
        ctx.out.data(
            {
                "path": str(path),
                "document": printed.document,
                "case_no": printed.case_no,
                "revision": printed.revision,
                "reprint": printed.reprint,
                "sha256": printed.sha256,
            }
        )
        return
    mark = ctx.out.t("reprint_mark", n=printed.reprint) if printed.reprint else ""
    if printed.document == "receipt":
        ctx.out.say("receipt_written", path=path, case_no=printed.case_no, mark=mark)
    else:
        ctx.out.say(
            "form_written",
            path=path,
            case_no=printed.case_no,
            revision=printed.revision,
            mark=mark,
        )


def cmd_audit_verify(ctx: Context) -> int:
    ctx.unlock_if_asked()
    result = ctx.desk.audit.verify()
    if ctx.out.json:
        ctx.out.data(
            {
                "ok": result.ok,
                "entries": result.entries,
                "findings": [f.as_dict() for f in result.findings],
            }
        )
    elif result.ok:
        ctx.out.say("audit_ok", n=result.entries)
    else:
        ctx.out.error(ctx.out.t("audit_bad", n=result.entries, k=len(result.findings)))
        for finding in result.findings:
            ctx.out.error(f"  #{finding.seq} {finding.kind}: {finding.detail}")
    return EXIT_OK if result.ok else EXIT_BAD_INPUT


def cmd_audit_log(ctx: Context) -> int:
    rows = ctx.desk.audit.entries(ctx.officer(), limit=ctx.args.limit, object_id=ctx.args.object)
    if ctx.out.json:
        ctx.out.data(rows)
    else:
        for r in rows:
            print(
                f"#{r['seq']}  {r['at']}  {r['officer'] or '-'}  {r['action']}  "
                f"{r['object_type']}:{r['object_id']}  "
                f"{json.dumps(r['detail'], ensure_ascii=False)}"
            )
    return EXIT_OK


def cmd_backup(ctx: Context) -> int:
    officer = ctx.officer()
    path = Path(ctx.args.output)
    digest = ctx.desk.backups.backup(path, officer)
    if ctx.out.json:
        ctx.out.data({"path": str(path), "sha256": digest})
    ctx.out.say("backup_done", path=path, sha=digest)
    return EXIT_OK


def cmd_restore(ctx: Context) -> int:
    path = Path(ctx.args.file)
    if not Desk.is_initialised(ctx.data_dir):
        if not ctx.args.officer:
            raise IntakeError("required", "badge")
        restore_fresh(path, ctx.data_dir, ctx.args.officer, _password(PASSWORD_ENV, "Password: "))
        if ctx.out.json:
            ctx.out.data({"path": str(path), "safety_copy": None})
        ctx.out.say("restored_fresh", path=path)
        return EXIT_OK
    if not ctx.args.officer:
        raise IntakeError("required", "badge")
    safety = ctx.desk.backups.restore(path, ctx.officer())
    if ctx.out.json:
        ctx.out.data({"path": str(path), "safety_copy": str(safety)})
    ctx.out.say("restored", path=path, safety=safety)
    return EXIT_OK


# The parser --------------------------------------------------------------------------------


def leaf(
    group: Any,
    name: str,
    func: Callable[[Context], int],
    help_text: str,
    example: str,
    *,
    officer: bool = False,
) -> argparse.ArgumentParser:
    """One command: its help, an example in the epilog, the common options, the handler."""
    p: argparse.ArgumentParser = group.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=f"Example: {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(p, root=False)
    if officer:
        _officer_opt(p)
    p.set_defaults(func=func)
    return p


# Feature command modules (intake_app/cli_*.py) add their commands to the top-level
# sub-parsers with `register(sub)`; they are listed here, one line each.
FEATURE_COMMANDS: list[Callable[[Any], None]] = []
FEATURE_COMMANDS.append(register_stop_payment)
# These add themselves to FEATURE_COMMANDS when imported (they import this module).
from intake_app import cli_dashboard, cli_instructions, cli_security, cli_sync  # noqa: E402, F401


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="intake-app",
        description="Fraud Intake Desk (反诈受案台). With no command, opens the desk's window; "
        "the commands below are for scripts and scheduled tasks.",
        epilog="Example: intake-app --demo   |   INTAKE_PASSWORD=... intake-app case import "
        "cases.json --officer 100001",
    )
    parser.add_argument("--version", action="version", version=f"intake-app {__version__}")
    _common(parser, root=True)
    window = parser.add_argument_group("window (no command)")
    window.add_argument(
        "--demo",
        action="store_true",
        help="open a throwaway demo station with sample cases; the login screen shows the "
        "demo officer's badge and password",
    )
    window.add_argument(
        "--smoke-test", action="store_true", help="start, show the main window, exit 0"
    )
    window.add_argument(
        "--screenshot",
        metavar="FILE",
        help="with --demo: log in as the demo officer, save the main window (1280x800) as a "
        "PNG file, exit",
    )
    window.add_argument(
        "--page",
        choices=(
            "report",
            "drafts",
            "cases",
            "stop_payment",
            "statistics",
            "leads",
            "prevention",
            "seized",
        ),
        help="the page to open first",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = leaf(
        sub,
        "init",
        cmd_init,
        "Set up a station in an empty data folder.",
        "INTAKE_PASSWORD=... intake-app init --station-code 130209510000 "
        "--station-name 曹妃甸区公安分局某派出所 --admin-badge 100001 --admin-name 张伟",
    )
    p.add_argument("--station-code", required=True, help="the station's 12-digit organisation code")
    p.add_argument("--station-name", required=True)
    p.add_argument("--admin-badge", required=True)
    p.add_argument("--admin-name", required=True)

    p = leaf(
        sub,
        "demo",
        cmd_demo,
        "Set up a demo station with sample cases in an empty data folder (never for real "
        "cases: the demo passwords are printed).",
        "intake-app demo --data-dir ./demo-data --cases 200",
    )
    p.add_argument("--cases", type=int, default=200, metavar="N", help="sample cases to register")

    leaf(
        sub,
        "status",
        cmd_status,
        "Show the data folder, the station and what it holds. While locked (no --officer) "
        "only the station and the badges that can unlock it.",
        "intake-app status --officer 100001 --json",
    ).add_argument(
        "--officer", metavar="BADGE", help="log in to show the counts and the schema too"
    )

    officer = sub.add_parser("officer", help="Officer accounts.")
    osub = officer.add_subparsers(
        dest="officer_command", metavar="COMMAND", required=True, parser_class=_Parser
    )
    p = leaf(
        osub,
        "add",
        cmd_officer_add,
        f"Add an officer (admin only); the new password from {NEW_PASSWORD_ENV}.",
        "INTAKE_PASSWORD=... INTAKE_NEW_PASSWORD=... intake-app officer add --badge 100002 "
        "--name 李娜 --role officer --officer 100001",
        officer=True,
    )
    p.add_argument("--badge", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, choices=("officer", "supervisor", "admin"))
    leaf(
        osub,
        "list",
        cmd_officer_list,
        "List officers.",
        "intake-app officer list --officer 100001",
        officer=True,
    )
    p = leaf(
        osub,
        "passwd",
        cmd_officer_passwd,
        f"Change a password (yours, or anyone's as admin); new one from {NEW_PASSWORD_ENV}.",
        "intake-app officer passwd --officer 100001",
        officer=True,
    )
    p.add_argument("--badge", help="whose password (default: your own)")

    case = sub.add_parser("case", help="Register, find, revise, void and export cases.")
    csub = case.add_subparsers(
        dest="case_command", metavar="COMMAND", required=True, parser_class=_Parser
    )
    p = leaf(
        csub,
        "import",
        cmd_case_import,
        "Register each valid case of a file (JSON object, JSON array or JSON Lines in the "
        "intake-case/1 format); report each invalid one. Re-importing creates no duplicates.",
        "intake-app case import cases.json --officer 100001 --json",
        officer=True,
    )
    p.add_argument("file")
    p = leaf(
        csub,
        "show",
        cmd_case_show,
        "Show a case in the intake-case/1 format, with full ID, phone and account numbers "
        "(recorded in the audit log as a reveal).",
        "intake-app case show 130209510000-2026-000001-4 --officer 100001 --json",
        officer=True,
    )
    p.add_argument("case_no")
    p = leaf(
        csub,
        "history",
        cmd_case_history,
        "List a case's revisions and what changed.",
        "intake-app case history 130209510000-2026-000001-4 --officer 100001",
        officer=True,
    )
    p.add_argument("case_no")
    p = leaf(
        csub,
        "search",
        cmd_case_search,
        "Find cases by case number, name, ID number, phone, account, any identifier or "
        "words of the narrative.",
        "intake-app case search 6222020200112233445 --officer 100001",
        officer=True,
    )
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=50)
    p = leaf(
        csub,
        "export",
        cmd_case_export,
        "Write cases (all, or changed since a time) as JSON Lines.",
        "intake-app case export --since 2026-11-01T00:00:00+08:00 -o cases.jsonl --officer 100001",
        officer=True,
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--since", metavar="ISO-TIME")
    p = leaf(
        csub,
        "revise",
        cmd_case_revise,
        "Add a revision of a case from a file holding the whole corrected record.",
        "intake-app case revise 130209510000-2026-000001-4 fixed.json --officer 100001",
        officer=True,
    )
    p.add_argument("case_no")
    p.add_argument("file")
    p.add_argument("--note", help="why the case was revised")
    p = leaf(
        csub,
        "void",
        cmd_case_void,
        "Void a case with a reason (supervisor or admin).",
        "intake-app case void 130209510000-2026-000001-4 --reason 重复报案 --officer 100001",
        officer=True,
    )
    p.add_argument("case_no")
    p.add_argument("--reason", required=True)
    p = leaf(
        csub,
        "form",
        cmd_case_form,
        "Write the case registration form (受案登记表) of a case as PDF: every detail of the "
        "newest revision, or of the one given. Printing a revision again marks it 补打.",
        "intake-app case form 130209510000-2026-000001-4 -o form.pdf --officer 100001",
        officer=True,
    )
    p.add_argument("case_no")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.add_argument("--revision", type=int, metavar="N", help="which revision (default: newest)")

    p = leaf(
        sub,
        "receipt",
        cmd_receipt,
        "Write the receipt (受案回执) of a case as PDF: the reporter's copy and the station's "
        "stub. A receipt printed before is printed again only with --reprint (marked 补打). "
        "`intake-app receipt template` shows or installs (admin) the receipt template.",
        "intake-app receipt 130209510000-2026-000001-4 -o receipt.pdf --officer 100001\n"
        "         intake-app receipt template --install my-template.json --officer 100001",
    )
    p.set_defaults(parser=p)
    p.add_argument("case_no", metavar="CASE_NO|template")
    p.add_argument("-o", "--output", metavar="FILE.pdf", help="the PDF to write")
    p.add_argument(
        "--reprint", action="store_true", help="print again a receipt printed before (补打)"
    )
    p.add_argument(
        "--officer",
        metavar="BADGE",
        help=f"the acting officer's badge; password from {PASSWORD_ENV} or a prompt",
    )
    p.add_argument("--show", action="store_true", help="template: print the template in use")
    p.add_argument(
        "--install", metavar="FILE", help="template: check and install a template (admin)"
    )
    p.add_argument(
        "--reset", action="store_true", help="template: go back to the bundled template (admin)"
    )

    aud = sub.add_parser("audit", help="The tamper-evident audit log.")
    asub = aud.add_subparsers(
        dest="audit_command", metavar="COMMAND", required=True, parser_class=_Parser
    )
    leaf(
        asub,
        "verify",
        cmd_audit_verify,
        "Check the hash chain; name every entry that was altered, removed or reordered. "
        "Exit 1 when the log was tampered with.",
        "intake-app audit verify --officer 100001",
    ).add_argument(
        "--officer",
        metavar="BADGE",
        help=f"the officer who unlocks the store; password from {PASSWORD_ENV}",
    )
    p = leaf(
        asub,
        "log",
        cmd_audit_log,
        "Show the newest audit entries.",
        "intake-app audit log --limit 20 --officer 100001",
        officer=True,
    )
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--object", help="only entries about this case number or object")

    p = leaf(
        sub,
        "backup",
        cmd_backup,
        "Copy the database to a file encrypted with the station's key (consistent while the "
        "desk runs); the keyring is written beside it as FILE.keyring.",
        "intake-app backup -o /media/usb/desk-backup.db --officer 100001",
        officer=True,
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p = leaf(
        sub,
        "restore",
        cmd_restore,
        "Replace the database with a backup (admin); the current one is kept as a safety "
        "copy. Into an empty data folder, any officer of the backup's keyring (FILE.keyring "
        "beside it) unlocks it; the recovery key works as that officer's password.",
        "intake-app restore /media/usb/desk-backup.db --officer 100001",
    )
    p.add_argument("file")
    p.add_argument(
        "--officer", metavar="BADGE", help="admin badge (into an empty folder: any officer)"
    )
    for register in FEATURE_COMMANDS:
        register(sub)
    return parser


def _open_window(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.screenshot and not args.demo:
        parser.error("--screenshot needs --demo")
    from intake_app.ui.app import GuiOptions, run_gui  # Qt only when the window is wanted

    return run_gui(
        GuiOptions(
            data_dir=datadir.resolve(args.data_dir),
            lang=args.lang or os.environ.get("INTAKE_LANG") or DEFAULT_LANG,
            demo=args.demo,
            smoke_test=args.smoke_test,
            screenshot=Path(args.screenshot) if args.screenshot else None,
            page=args.page,
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        return _open_window(parser, args)
    ctx = Context(args)
    try:
        return int(args.func(ctx))
    except ValidationFailed as exc:
        for p in exc.problems:
            if p.severity == ERROR:
                ctx.out.error(p.message(ctx.out.lang))
        return EXIT_BAD_INPUT
    except IntakeError as exc:
        ctx.out.error(exc.message(ctx.out.lang))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    finally:
        ctx.close()


def run() -> NoReturn:
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_OK
    sys.exit(code)


if __name__ == "__main__":
    # `python -m intake_app.cli`: run the module as imported, so that feature command modules
    # (which import intake_app.cli) and this code share one FEATURE_COMMANDS and one catalog.
    from intake_app.cli import run as run_imported

    run_imported()
