"""`intake-app` and the encrypted store: status while locked, officer remove and recover."""

from __future__ import annotations

import re

from tests.conftest import ADMIN, STATION, STATION_NAME
from tests.test_cli import data, failed, init_station, intake, ok

OFFICER, OFFICER_PASSWORD = "100002", "officer-pass-2026"


def test_status_while_locked_shows_only_the_station_and_who_can_unlock(tmp_path):
    data_dir = tmp_path / "data"
    recovery = data(ok(init_station(data_dir, "--json")))["recovery_key"]

    locked = data(ok(intake("status", "--json", data_dir=data_dir, password=None)))

    assert locked == {
        "data_dir": str(data_dir),
        "initialised": True,
        "encrypted": True,
        "locked": True,
        "station_code": STATION,
        "station_name": STATION_NAME,
        "officers_with_keys": [ADMIN],
    }
    text = ok(intake("status", "--lang", "en", data_dir=data_dir, password=None)).stdout
    assert "Encrypted and locked" in text and "--officer BADGE" in text
    unlocked = data(ok(intake("status", "--officer", ADMIN, "--json", data_dir=data_dir)))
    assert (unlocked["locked"], unlocked["cases"], unlocked["officers"]) == (False, 0, 1)
    verify = intake("audit", "verify", "--lang", "en", data_dir=data_dir, password=None)
    assert "encrypted and locked" in failed(verify)
    # The recovery key is not in the data folder.
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert recovery.encode() not in path.read_bytes()


def test_officer_remove_and_recover(tmp_path):
    data_dir = tmp_path / "data"
    recovery = data(ok(init_station(data_dir, "--json")))["recovery_key"]
    assert re.fullmatch(r"[0-9A-Z]{5}(-[0-9A-Z]{5}){7}", recovery)
    ok(
        intake(
            "officer", "add", "--badge", OFFICER, "--name", "李娜", "--role", "officer",
            "--officer", ADMIN, data_dir=data_dir, env={"INTAKE_NEW_PASSWORD": OFFICER_PASSWORD},
        )
    )  # fmt: skip
    ok(intake("status", "--officer", OFFICER, data_dir=data_dir, password=OFFICER_PASSWORD))

    removed = intake("officer", "remove", "--badge", OFFICER, "--officer", ADMIN, data_dir=data_dir)
    assert f"已停用民警 {OFFICER}" in ok(removed).stdout
    refused = intake("status", "--officer", OFFICER, data_dir=data_dir, password=OFFICER_PASSWORD)
    assert "警号或密码错误" in failed(refused)

    wrong = intake(
        "officer", "recover", "--badge", ADMIN, data_dir=data_dir, password=None,
        env={"INTAKE_RECOVERY_KEY": "22222-" * 7 + "22222", "INTAKE_NEW_PASSWORD": "x" * 12},
    )  # fmt: skip
    assert "恢复密钥不正确" in failed(wrong)
    recovered = intake(
        "officer", "recover", "--badge", ADMIN, data_dir=data_dir, password=None,
        env={"INTAKE_RECOVERY_KEY": recovery, "INTAKE_NEW_PASSWORD": "brand-new-pass"},
    )  # fmt: skip
    assert f"管理员 {ADMIN} 的密码" in ok(recovered).stdout
    log = data(
        ok(
            intake(
                "audit", "log", "--officer", ADMIN, "--json", data_dir=data_dir,
                password="brand-new-pass",
            )
        )
    )  # fmt: skip
    assert [(e["action"], e["object_id"]) for e in log[:4]] == [
        ("login", ADMIN),
        ("password_change", ADMIN),
        ("login_failed", OFFICER),  # kept while locked, written at the unlock
        ("officer_remove", OFFICER),
    ]
    assert log[1]["detail"] == {"via": "recovery_key"}
