"""`intake-app officer remove` and `officer recover`: the keyring side of officer accounts.

Removing an officer disables the account and deletes its keyring slot, so that password no
longer opens the store. Recovering uses the recovery key shown at set-up to give an
administrator a new password when every password is forgotten.
"""

from __future__ import annotations

import argparse
from typing import Any

from intake_app import cli
from intake_app.cli import NEW_PASSWORD_ENV, Context, _password, leaf

RECOVERY_ENV = "INTAKE_RECOVERY_KEY"

cli.add_messages(
    {
        "officer_removed": (
            "已停用民警 {badge}，并删除其解锁密钥",
            "Officer {badge} disabled and their unlock key deleted",
        ),
        "recovered": (
            "已用恢复密钥重设管理员 {badge} 的密码",
            "Password of administrator {badge} reset with the recovery key",
        ),
    }
)


def cmd_officer_remove(ctx: Context) -> int:
    actor = ctx.officer()
    ctx.desk.auth.remove_officer(actor, ctx.args.badge)
    if ctx.out.json:
        ctx.out.data({"badge": ctx.args.badge, "active": False})
    ctx.out.say("officer_removed", badge=ctx.args.badge)
    return cli.EXIT_OK


def cmd_officer_recover(ctx: Context) -> int:
    badge = ctx.args.badge
    recovery = _password(RECOVERY_ENV, "Recovery key: ")
    new_password = _password(NEW_PASSWORD_ENV, f"New password for {badge}: ")
    ctx.desk.auth.recover(recovery, badge, new_password)
    if ctx.out.json:
        ctx.out.data({"badge": badge})
    ctx.out.say("recovered", badge=badge)
    return cli.EXIT_OK


def _subcommands(parser: argparse.ArgumentParser) -> Any:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise LookupError(parser.prog)


def register(sub: Any) -> None:
    officers = _subcommands(sub.choices["officer"])
    p = leaf(
        officers,
        "remove",
        cmd_officer_remove,
        "Disable an officer and delete their key to the encrypted store (admin only); "
        "their cases and history stay.",
        "intake-app officer remove --badge 100002 --officer 100001",
        officer=True,
    )
    p.add_argument("--badge", required=True)
    p = leaf(
        officers,
        "recover",
        cmd_officer_recover,
        f"Unlock with the recovery key ({RECOVERY_ENV}) and set an administrator's new "
        f"password ({NEW_PASSWORD_ENV}).",
        "INTAKE_RECOVERY_KEY=... INTAKE_NEW_PASSWORD=... intake-app officer recover --badge 100001",
    )
    p.add_argument("--badge", required=True, help="the administrator's badge")


cli.FEATURE_COMMANDS.append(register)
