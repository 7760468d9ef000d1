"""The audit trail: the right entries for each action, and tampering that verify must expose.

The attacks are made the way someone with the sqlite3 shell would make them: drop the triggers
that keep the table append-only, then change, delete, swap or cut off rows.
"""

from __future__ import annotations

import json
import secrets
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing

import pytest
from argon2 import PasswordHasher

from intake_app.domain.errors import AuthError
from intake_app.domain.interchange import case_from_dict

from intake_app.store import audit, cipher

from intake_app.services import auth
from intake_app.services.desk import Desk

from tests.conftest import connect_raw

ADMIN, ADMIN_PASSWORD = "100001", "admin-pass-2026"


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    """Cheap argon2 parameters: these tests are about the log, not password hashing."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


def log(desk: Desk) -> list[dict]:
    return list(reversed(audit.entries(desk.store.conn, limit=1000)))


@pytest.fixture
def busy_desk(desk, admin, tangshan_cases, tmp_path) -> Desk:
    """A desk with a dozen audit entries: set-up, login, three cases, a revision, an export."""
    for record in tangshan_cases[:3]:
        desk.intake.register(case_from_dict(record)[0], admin)
    changed = dict(tangshan_cases[0], incident=dict(tangshan_cases[0]["incident"], place="蟹塘边"))
    desk.intake.revise("130209510000-2026-000001-0", changed, admin)
    desk.intake.export(tmp_path / "out.jsonl", admin)
    assert audit.verify(desk.store.conn).ok
    # init, officer_add, login, create x3, revise, export
    assert last_seq(desk) == 8
    return desk


@pytest.fixture
def attacker(desk) -> Iterator[sqlite3.Connection]:
    """A second connection to the live database file, in autocommit mode like the shell."""
    with closing(connect_raw(desk.db_path(desk.data_dir), desk.key, isolation_level=None)) as conn:
        yield conn


def findings(desk: Desk) -> list[tuple[int, str]]:
    return [(f.seq, f.kind) for f in audit.verify(desk.store.conn).findings]


def last_seq(desk: Desk) -> int:
    return int(desk.store.one("SELECT max(seq) FROM audit_log")[0])


# What is recorded ------------------------------------------------------------------------------


def test_each_action_is_recorded_with_the_officers_badge(desk, tangshan_cases, tmp_path):
    with pytest.raises(AuthError) as failed:
        desk.auth.login(ADMIN, "wrong-password")
    assert failed.value.code == "login_failed"
    with pytest.raises(AuthError):
        desk.auth.login("999999", ADMIN_PASSWORD)
    admin = desk.auth.login(ADMIN, ADMIN_PASSWORD)
    desk.auth.add_officer(admin, "200002", "李明", "supervisor", "supervisor-pass")
    supervisor = desk.auth.login("200002", "supervisor-pass")
    row = desk.intake.register(case_from_dict(tangshan_cases[3])[0], admin)
    changed = dict(tangshan_cases[3], incident=dict(tangshan_cases[3]["incident"], place="信用社"))
    desk.intake.revise(row.case_no, changed, supervisor)
    desk.intake.void(row.case_no, "重复登记", supervisor)
    desk.intake.export(tmp_path / "cases.jsonl", admin)

    entries = log(desk)
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert [(e["action"], e["officer"], e["object_id"]) for e in entries] == [
        ("officer_add", ADMIN, ADMIN),
        ("init", ADMIN, desk.station_code),
        ("login_failed", None, ADMIN),
        ("login_failed", None, "999999"),
        ("login", ADMIN, ADMIN),
        ("officer_add", ADMIN, "200002"),
        ("login", "200002", "200002"),
        ("create", ADMIN, row.case_no),
        ("revise", "200002", row.case_no),
        ("void", "200002", row.case_no),
        ("export", ADMIN, "cases.jsonl"),
    ]
    assert entries[2]["detail"] == {"reason": "credentials"}
    assert entries[7]["detail"]["uuid"] == tangshan_cases[3]["uuid"]
    assert entries[7]["detail"]["revision"] == 1
    assert entries[8]["detail"]["revision"] == 2
    assert entries[10]["detail"]["count"] == 1
    assert all(e["at"] == "2026-11-30T10:00:00.000000+00:00" for e in entries)
    # No personal data in the log: no names, ID numbers, phones or accounts.
    text = json.dumps(entries, ensure_ascii=False)
    reporter = tangshan_cases[3]["reporter"]
    for secret in (
        reporter["name"],
        reporter["id_number"],
        reporter["phone"],
        "6221509720028704976",
    ):
        assert secret not in text
    result = audit.verify(desk.store.conn)
    assert result.ok and result.entries == 11
    head = desk.store.setting(audit.HEAD_KEY)
    assert head == f"11:{desk.store.one('SELECT hash FROM audit_log WHERE seq = 11')[0]}"


def test_a_refused_write_leaves_no_audit_entry(desk, admin, tangshan_cases):
    before = last_seq(desk)
    officer = desk.auth.add_officer(admin, "200001", "王强", "officer", "officer-pass")
    row = desk.intake.register(case_from_dict(tangshan_cases[0])[0], admin)
    after_create = last_seq(desk)
    assert after_create == before + 2
    with pytest.raises(AuthError):
        desk.intake.void(row.case_no, "误录", officer)
    _, changed = desk.intake.revise(row.case_no, tangshan_cases[0], admin)
    assert not changed
    assert last_seq(desk) == after_create


def test_the_triggers_refuse_plain_updates_and_deletes(busy_desk, attacker):
    for sql in ("UPDATE audit_log SET detail = '{}' WHERE seq = 3", "DELETE FROM audit_log"):
        with pytest.raises(cipher.IntegrityError, match="append-only"):
            attacker.execute(sql)
    assert audit.verify(busy_desk.store.conn).ok


# Tampering -------------------------------------------------------------------------------------


def test_an_altered_entry_is_found(busy_desk, attacker):
    target = 4
    assert busy_desk.store.one("SELECT action FROM audit_log WHERE seq = 4")[0] == "create"
    attacker.executescript(
        f"""
        DROP TRIGGER audit_log_no_update;
        UPDATE audit_log SET detail = '{{"revision": 1, "sha256": "forged"}}' WHERE seq = {target};
        """
    )
    result = audit.verify(busy_desk.store.conn)
    assert not result.ok
    assert [(f.seq, f.kind) for f in result.findings] == [(target, "altered")]
    assert f"entry {target}" in result.findings[0].detail


def test_an_altered_entry_with_a_recomputed_hash_breaks_the_next_link(busy_desk, attacker):
    target = 5
    attacker.execute("DROP TRIGGER audit_log_no_update")
    row = attacker.execute(
        "SELECT seq, at, officer, action, object_type, object_id, detail, prev_hash "
        "FROM audit_log WHERE seq = ?",
        (target,),
    ).fetchone()
    forged = (*row[:6], '{"revision": 1}', row[7])
    attacker.execute(
        "UPDATE audit_log SET detail = ?, hash = ? WHERE seq = ?",
        (forged[6], audit.entry_hash(*forged), target),
    )
    assert findings(busy_desk) == [(target + 1, "relinked")]


def test_a_deleted_entry_is_found(busy_desk, attacker):
    target = 5
    attacker.executescript(
        f"DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = {target};"
    )
    result = audit.verify(busy_desk.store.conn)
    assert [(f.seq, f.kind) for f in result.findings] == [(target + 1, "removed")]
    assert f"entries {target} are missing" in result.findings[0].detail


def test_two_swapped_entries_are_found(busy_desk, attacker):
    a, b = 4, 5
    attacker.executescript(
        f"""
        DROP TRIGGER audit_log_no_update;
        UPDATE audit_log SET seq = -1 WHERE seq = {a};
        UPDATE audit_log SET seq = {a} WHERE seq = {b};
        UPDATE audit_log SET seq = {b} WHERE seq = -1;
        """
    )
    found = findings(busy_desk)
    assert (a, "reordered") in found
    assert (b, "reordered") in found
    # The entry after the pair now follows the wrong one too.
    assert (b + 1, "reordered") in found
    assert {kind for _, kind in found} <= {"reordered", "altered"}
    details = [f.detail for f in audit.verify(busy_desk.store.conn).findings]
    assert f"entry {a} was written after entry {b}, not {a - 1}" in details


def test_swapped_contents_under_the_same_numbers_are_found(busy_desk, attacker):
    a, b = 4, 5
    cols = "at, officer, action, object_type, object_id, detail, prev_hash, hash"
    row_a = attacker.execute(f"SELECT {cols} FROM audit_log WHERE seq = ?", (a,)).fetchone()
    row_b = attacker.execute(f"SELECT {cols} FROM audit_log WHERE seq = ?", (b,)).fetchone()
    attacker.execute("DROP TRIGGER audit_log_no_update")
    sets = ", ".join(f"{c.strip()} = ?" for c in cols.split(","))
    attacker.execute(f"UPDATE audit_log SET {sets} WHERE seq = ?", (*row_b, a))
    attacker.execute(f"UPDATE audit_log SET {sets} WHERE seq = ?", (*row_a, b))
    found = findings(busy_desk)
    assert (a, "reordered") in found and (a, "altered") in found
    assert (b, "altered") in found


def test_entries_cut_off_the_end_are_found(busy_desk, attacker):
    end = last_seq(busy_desk)
    attacker.executescript(
        f"DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq > {end - 2};"
    )
    result = audit.verify(busy_desk.store.conn)
    assert [(f.seq, f.kind) for f in result.findings] == [(end, "truncated")]
    assert result.findings[0].detail == (f"the log should end at entry {end} but ends at {end - 2}")


def test_a_removed_head_record_is_found(busy_desk, attacker):
    end = last_seq(busy_desk)
    attacker.executescript(
        "DROP TRIGGER audit_log_no_delete; "
        f"DELETE FROM audit_log WHERE seq = {end}; "
        "DELETE FROM settings WHERE key = 'audit_head';"
    )
    assert findings(busy_desk) == [(end - 1, "truncated")]


def test_a_replaced_last_entry_is_found_through_the_head_record(busy_desk, attacker):
    end = last_seq(busy_desk)
    row = attacker.execute(
        "SELECT seq, at, officer, action, object_type, object_id, detail, prev_hash "
        "FROM audit_log WHERE seq = ?",
        (end,),
    ).fetchone()
    forged = (*row[:6], '{"count": 0}', row[7])
    attacker.execute("DROP TRIGGER audit_log_no_update")
    attacker.execute(
        "UPDATE audit_log SET detail = ?, hash = ? WHERE seq = ?",
        (forged[6], audit.entry_hash(*forged), end),
    )
    assert findings(busy_desk) == [(end, "altered")]


def test_a_relinked_entry_is_found(busy_desk, attacker):
    target = 6
    row = attacker.execute(
        "SELECT seq, at, officer, action, object_type, object_id, detail "
        "FROM audit_log WHERE seq = ?",
        (target,),
    ).fetchone()
    new_link = secrets.token_hex(32)
    attacker.execute("DROP TRIGGER audit_log_no_update")
    # The attacker even recomputes the entry's own hash, so only the link gives it away.
    attacker.execute(
        "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?",
        (new_link, audit.entry_hash(*row, new_link), target),
    )
    result = audit.verify(busy_desk.store.conn)
    assert (target, "relinked") in [(f.seq, f.kind) for f in result.findings]
    assert all(f.kind == "relinked" for f in result.findings)
    assert f"entry {target} does not follow entry {target - 1}" in result.findings[0].detail


def test_a_row_relinked_over_a_deleted_one_is_found(busy_desk, attacker):
    """Delete entry N and point N+1 at N-1, recomputing its hash: the gap still shows."""
    target = 5
    attacker.executescript("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
    before = attacker.execute("SELECT hash FROM audit_log WHERE seq = ?", (target - 1,)).fetchone()
    attacker.execute("DELETE FROM audit_log WHERE seq = ?", (target,))
    row = attacker.execute(
        "SELECT seq, at, officer, action, object_type, object_id, detail "
        "FROM audit_log WHERE seq = ?",
        (target + 1,),
    ).fetchone()
    attacker.execute(
        "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?",
        (before[0], audit.entry_hash(*row, before[0]), target + 1),
    )
    found = findings(busy_desk)
    assert (target + 1, "removed") in found


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="no sqlite3 shell on this machine")
def test_the_real_sqlite3_shell_can_neither_read_nor_tamper(busy_desk):
    """Without the key the file is noise: the shell cannot even read the schema."""
    target = 5
    sqlite3_shell = shutil.which("sqlite3")
    assert sqlite3_shell is not None
    done = subprocess.run(
        [
            sqlite3_shell,
            str(busy_desk.db_path(busy_desk.data_dir)),
            "DROP TRIGGER audit_log_no_update; "
            f"UPDATE audit_log SET officer = '999999' WHERE seq = {target};",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode != 0
    assert "not a database" in done.stderr
    assert busy_desk.store.one("SELECT officer FROM audit_log WHERE seq = ?", (target,))[0] != (
        "999999"
    )
    assert audit.verify(busy_desk.store.conn).ok


def test_tampering_by_someone_who_holds_the_key_is_found(busy_desk):
    target = 5
    with closing(
        connect_raw(busy_desk.db_path(busy_desk.data_dir), busy_desk.key, isolation_level=None)
    ) as shell:
        shell.executescript(
            "DROP TRIGGER audit_log_no_update; "
            f"UPDATE audit_log SET officer = '999999' WHERE seq = {target};"
        )
    assert busy_desk.store.one("SELECT officer FROM audit_log WHERE seq = ?", (target,))[0] == (
        "999999"
    )
    assert findings(busy_desk) == [(target, "altered")]


def test_verify_reads_a_closed_copy_of_the_database(busy_desk, tmp_path):
    """An auditor checks a copy taken off the station PC, with no desk running."""
    copy = tmp_path / "copy.db"
    busy_desk.backups.backup(copy, None)
    with closing(connect_raw(copy, busy_desk.key)) as conn:
        conn.executescript("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 3;")
        assert [(f.seq, f.kind) for f in audit.verify(conn).findings] == [(4, "removed")]
    assert audit.verify(busy_desk.store.conn).ok
