"""Backups taken while the desk is in use, restoring them, and the automatic daily copy."""

from __future__ import annotations

import copy
import hashlib
import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from intake_app.domain.caseno import parse_case_no
from intake_app.domain.errors import AuthError, IntakeError, NotFound
from intake_app.domain.interchange import case_from_dict

from intake_app.store import audit

from intake_app.services import auth
from intake_app.services.backups import check_backup, restore_fresh
from intake_app.services.desk import Desk

from tests.conftest import ADMIN, ADMIN_PASSWORD, connect_raw


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    """Cheap argon2 parameters: these tests are about backups, not password hashing."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


def register(desk: Desk, officer, record: dict) -> str:
    return desk.intake.register(case_from_dict(record)[0], officer).case_no


def case_numbers(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT case_no FROM cases ORDER BY id")]


def read_only(path: Path, key: bytes) -> sqlite3.Connection:
    return connect_raw(Path(f"{path.resolve().as_uri()}?mode=ro"), key, uri=True)


# Taking a backup -------------------------------------------------------------------------------


def test_backup_during_an_open_read_transaction_is_consistent(
    desk, admin, tangshan_cases, tmp_path
):
    numbers = [register(desk, admin, c) for c in tangshan_cases[:3]]
    with closing(
        connect_raw(desk.db_path(desk.data_dir), desk.key, isolation_level=None)
    ) as reader:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM cases").fetchone()[0] == 3
        # The desk goes on writing while the other program holds its snapshot...
        numbers.append(register(desk, admin, tangshan_cases[3]))
        target = tmp_path / "backups" / "manual.db"

        digest = desk.backups.backup(target, admin)

        # ...and the reader still sees its own consistent snapshot.
        assert reader.execute("SELECT count(*) FROM cases").fetchone()[0] == 3
        reader.execute("COMMIT")

    assert check_backup(target, desk.key) == desk.station_code
    assert not Path(f"{target}-wal").exists()
    with closing(read_only(target, desk.key)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert case_numbers(conn) == numbers
        assert conn.execute("SELECT count(*) FROM case_revisions").fetchone()[0] == 4
        assert audit.verify(conn).ok
    entry = audit.entries(desk.store.conn, limit=1)[0]
    assert (entry["action"], entry["officer"], entry["object_id"]) == (
        "backup",
        admin.badge,
        "manual.db",
    )
    assert entry["detail"]["sha256"] == digest == hashlib.sha256(target.read_bytes()).hexdigest()
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]


# Restoring -------------------------------------------------------------------------------------


def test_restore_brings_back_the_earlier_state_and_keeps_a_safety_copy(
    desk, admin, tangshan_cases, clock, tmp_path
):
    first = register(desk, admin, tangshan_cases[0])
    backup = tmp_path / "备份 #1.db"
    desk.backups.backup(backup, admin)
    clock.now += timedelta(hours=2)
    second = register(desk, admin, tangshan_cases[1])
    changed = copy.deepcopy(tangshan_cases[0])
    changed["incident"]["narrative"] += "（补充）"
    desk.intake.revise(first, changed, admin)

    safety = desk.backups.restore(backup, admin)

    assert case_numbers(desk.store.conn) == [first]
    assert desk.intake.find(first).revision == 1
    assert (
        desk.intake.show(first)["incident"]["narrative"]
        == (tangshan_cases[0]["incident"]["narrative"])
    )
    with pytest.raises(NotFound):
        desk.intake.find(second)
    assert desk.intake.search("渔船") == []
    assert desk.store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # The "#" in the name is part of the file name, not a URI fragment: no stray file appears.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "data",
        "备份 #1.db",
        "备份 #1.db.keyring",
    ]
    # The state before the restore is kept, whole, next to the automatic backups.
    assert safety.parent == desk.data_dir / "backups"
    assert safety.name == "pre-restore-20261130-200000.db"
    assert check_backup(safety, desk.key) == desk.station_code
    with closing(read_only(safety, desk.key)) as conn:
        assert case_numbers(conn) == [first, second]
        assert conn.execute("SELECT count(*) FROM case_revisions").fetchone()[0] == 3
        assert audit.verify(conn).ok
    entry = audit.entries(desk.store.conn, limit=1)[0]
    assert (entry["action"], entry["officer"], entry["detail"]) == (
        "restore",
        admin.badge,
        {"safety_copy": safety.name},
    )
    assert audit.verify(desk.store.conn).ok
    # The restored folder opens again as a desk.
    desk.close()
    with Desk.open(desk.data_dir, clock=clock, auto_backup=False) as again:
        again.auth.login(admin.badge, ADMIN_PASSWORD)
        assert case_numbers(again.store.conn) == [first]


def test_restore_does_not_hand_out_case_numbers_again(desk, admin, tangshan_cases, tmp_path):
    """Numbers issued after the backup are on receipts already: a restore must not reuse them."""
    register(desk, admin, tangshan_cases[0])
    backup = tmp_path / "backup.db"
    desk.backups.backup(backup, admin)
    lost = register(desk, admin, tangshan_cases[1])
    desk.backups.restore(backup, admin)

    new = register(desk, admin, tangshan_cases[2])

    assert new != lost
    assert parse_case_no(new).seq == parse_case_no(lost).seq + 1


def test_a_restore_that_fails_halfway_leaves_the_live_database_as_it_was(
    desk, admin, tangshan_cases, tmp_path, monkeypatch
):
    register(desk, admin, tangshan_cases[0])
    backup = tmp_path / "backup.db"
    desk.backups.backup(backup, admin)
    kept = register(desk, admin, tangshan_cases[1])

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(audit, "append", broken)
    with pytest.raises(OSError):
        desk.backups.restore(backup, admin)
    monkeypatch.undo()

    assert desk.intake.find(kept).case_no == kept
    assert not list(desk.backups.folder.glob(".staged-restore-*"))
    assert desk.audit.verify().ok


def test_restore_needs_an_admin(desk, admin, tangshan_cases, tmp_path):
    register(desk, admin, tangshan_cases[0])
    backup = tmp_path / "backup.db"
    desk.backups.backup(backup, admin)
    register(desk, admin, tangshan_cases[1])
    desk.auth.add_officer(admin, "200002", "李明", "supervisor", "supervisor-pass")
    supervisor = desk.auth.login("200002", "supervisor-pass")

    with pytest.raises(AuthError) as denied:
        desk.backups.restore(backup, supervisor)

    assert denied.value.code == "permission_denied"
    assert denied.value.message("zh_CN") == "警号“200002”无权执行此操作（需要管理员权限）"
    assert len(case_numbers(desk.store.conn)) == 2
    assert not list((desk.data_dir / "backups").glob("pre-restore-*"))


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (
            b"PK\x03\x04 this is a zip file, not a database" * 50,
            "not a desk database, or encrypted with another station's key",
        ),
        (b"", "no such table: _sqlite_migrations"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_desk_database(
    desk, admin, tangshan_cases, tmp_path, content, detail
):
    number = register(desk, admin, tangshan_cases[0])
    before = audit.verify(desk.store.conn).entries
    bad = tmp_path / "backup.db"
    bad.write_bytes(content)

    with pytest.raises(IntakeError) as refused:
        desk.backups.restore(bad, admin)

    assert refused.value.code == "backup_invalid"
    assert refused.value.message("en") == f'"{bad}" is not a valid backup: {detail}'
    assert refused.value.message("zh_CN") == f"“{bad}”不是有效的备份文件：{detail}"
    assert case_numbers(desk.store.conn) == [number]
    assert audit.verify(desk.store.conn).entries == before
    assert audit.verify(desk.store.conn).ok
    assert not list((desk.data_dir / "backups").glob("pre-restore-*"))
    assert bad.read_bytes() == content


def test_restore_refuses_a_damaged_backup(desk, admin, tangshan_cases, tmp_path):
    for record in tangshan_cases:
        register(desk, admin, record)
    backup = tmp_path / "backup.db"
    desk.backups.backup(backup, admin)
    data = bytearray(backup.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    data[5 * page : 7 * page] = b"\xff" * (2 * page)  # a disk that went bad
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(bytes(data))
    half = tmp_path / "half.db"
    half.write_bytes(backup.read_bytes()[: len(data) // 2])  # a copy cut short

    for bad in (damaged, half):
        with pytest.raises(IntakeError) as refused:
            desk.backups.restore(bad, admin)
        assert refused.value.code == "backup_invalid"
        assert str(bad) in refused.value.message("zh_CN")
    assert len(case_numbers(desk.store.conn)) == 6
    assert desk.store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_refuses_a_missing_file_and_another_stations_backup(desk, admin, tmp_path):
    with pytest.raises(IntakeError) as missing:
        desk.backups.restore(tmp_path / "nowhere.db", admin)
    assert missing.value.message("en").endswith("is not a valid backup: no such file")
    assert not (tmp_path / "nowhere.db").exists()

    other_dir = tmp_path / "other"
    with Desk.initialise(
        other_dir,
        station_code="130203500000",
        station_name="唐山市公安局路北分局",
        admin_badge="300001",
        admin_name="刘洋",
        password="other-admin-pass",
    ) as other:
        other.backups.backup(tmp_path / "other.db", None)
    with pytest.raises(IntakeError) as foreign:
        desk.backups.restore(tmp_path / "other.db", admin)
    assert foreign.value.code == "backup_invalid"
    assert "encrypted with another station's key" in foreign.value.message("en")
    assert desk.station_code == "130209510000"


def test_restore_fresh_sets_up_a_new_pc_from_a_backup(desk, admin, tangshan_cases, tmp_path, clock):
    numbers = [register(desk, admin, c) for c in tangshan_cases[:2]]
    backup = tmp_path / "usb stick" / "desk #3.db"
    desk.backups.backup(backup, admin)
    new_dir = tmp_path / "new-pc"

    with pytest.raises(IntakeError) as wrong:
        restore_fresh(backup, new_dir, admin.badge, "not-the-password")
    assert wrong.value.code == "backup_key_wrong"
    assert not Desk.is_initialised(new_dir)

    restore_fresh(backup, new_dir, admin.badge, ADMIN_PASSWORD)

    with Desk.open(new_dir, clock=clock, auto_backup=False) as restored:
        assert restored.locked
        assert restored.auth.login(admin.badge, ADMIN_PASSWORD).badge == admin.badge
        assert case_numbers(restored.store.conn) == numbers
        assert audit.verify(restored.store.conn).ok


# The automatic daily backup --------------------------------------------------------------------


def auto_files(desk: Desk) -> list[str]:
    return sorted(p.name for p in (desk.data_dir / "backups").glob("auto-*.db"))


def test_auto_backup_runs_once_a_day_and_keeps_the_newest(desk, admin, tangshan_cases, clock):
    desk.store.set_setting("backup_keep", "3")
    start = clock.now

    made = desk.backups.auto()

    assert made is not None and made.name == "auto-20261130-180000.db"
    assert check_backup(made, desk.key) == desk.station_code
    clock.now = start + timedelta(hours=23, minutes=59)
    assert desk.backups.auto() is None
    assert auto_files(desk) == ["auto-20261130-180000.db"]

    for day in range(1, 6):
        clock.now = start + timedelta(days=day)
        register(desk, admin, tangshan_cases[day - 1])
        assert desk.backups.auto() is not None
        assert desk.backups.auto() is None  # a second start the same day makes none

    assert auto_files(desk) == [
        "auto-20261203-180000.db",
        "auto-20261204-180000.db",
        "auto-20261205-180000.db",
    ]
    # The newest holds everything registered before it.
    with closing(read_only(desk.data_dir / "backups" / auto_files(desk)[-1], desk.key)) as conn:
        assert len(case_numbers(conn)) == 5
    automatic = [e for e in audit.entries(desk.store.conn) if e["action"] == "backup"]
    assert len(automatic) == 6
    assert all(e["officer"] is None for e in automatic)


def test_unlocking_the_desk_makes_the_daily_backup(desk, clock):
    data_dir = desk.data_dir
    desk.close()
    with Desk.open(data_dir, clock=clock):
        pass  # still locked: nothing to back up
    assert not list((data_dir / "backups").glob("auto-*.db"))
    for _ in range(2):
        with Desk.open(data_dir, clock=clock) as opened:
            opened.auth.login(ADMIN, ADMIN_PASSWORD)
    assert [p.name for p in (data_dir / "backups").glob("auto-*.db")] == ["auto-20261130-180000.db"]
    clock.now += timedelta(days=1)
    with Desk.open(data_dir, clock=clock) as opened:
        opened.auth.login(ADMIN, ADMIN_PASSWORD)
    assert len(list((data_dir / "backups").glob("auto-*.db"))) == 2


def test_auto_backup_can_be_switched_off(desk):
    desk.store.set_setting("backup_keep", "0")
    assert desk.backups.auto() is None
    assert not (desk.data_dir / "backups").exists()
