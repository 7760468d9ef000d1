"""Encryption at rest: what a copied disk shows, keys per officer, tampering, the migration."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from intake_app.domain.errors import AuthError, IntakeError
from intake_app.domain.interchange import case_from_dict

from intake_app.store import audit

from intake_app.services import auth, login_failures
from intake_app.services.desk import Desk
from intake_app.services.keyring import Keyring

from tests.conftest import ADMIN, ADMIN_PASSWORD, FIXTURES, STATION, STATION_NAME

OFFICER, OFFICER_PASSWORD = "200002", "officer-pass-2026"


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


def secrets_of(records: list[dict]) -> set[str]:
    """Names, ID numbers, phones and accounts of the records: none may show on disk."""
    found: set[str] = set()
    for r in records:
        for person in (r.get("reporter") or {}, r.get("victim") or {}):
            found.update(str(person.get(k) or "") for k in ("name", "id_number", "phone"))
        for tx in r.get("transactions") or []:
            found.update(str(tx.get(k) or "") for k in ("payee_account", "payee_name"))
        for ident in r.get("identifiers") or []:
            found.add(str(ident.get("value") or ""))
    return {s for s in found if len(s) >= 2}


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def leaks(folder: Path, words: set[str]) -> list[tuple[str, str]]:
    hits = []
    for path in files_under(folder):
        data = path.read_bytes()
        for word in words:
            for encoding in ("utf-8", "utf-16-le"):
                if word.encode(encoding) in data:
                    hits.append((path.name, word))
    return hits


def register_all(desk: Desk, officer, records: list[dict], base_dir: Path | None = None) -> None:
    for record in records:
        desk.intake.register(case_from_dict(record)[0], officer, base_dir=base_dir)


# A copied disk -----------------------------------------------------------------------------------


def test_a_copied_data_folder_shows_no_names_ids_phones_or_accounts(
    desk, admin, tangshan_cases, tmp_path
):
    evidence = tmp_path / "转账截图.txt"
    evidence.write_text("收款账户 6222020200112233445 张志刚 13812345678", encoding="utf-8")
    records = [dict(r) for r in tangshan_cases]
    records[0] = dict(records[0], attachments=[{"name": evidence.name, "path": evidence.name}])
    register_all(desk, admin, records, tmp_path)
    desk.backups.auto()
    desk.backups.backup(desk.data_dir / "backups" / "manual.db", admin)
    words = secrets_of(tangshan_cases) | {"6222020200112233445", "张志刚", "13812345678"}
    # While the desk runs, the WAL holds the newest pages: encrypted too.
    assert Path(f"{desk.db_path(desk.data_dir)}-wal").exists()
    assert leaks(desk.data_dir, words) == []
    reporter = tangshan_cases[0]["reporter"]
    for word in (reporter["id_number"], reporter["phone"], "6222020200112233445"):
        grep = subprocess.run(
            ["grep", "-r", "-l", "-a", "-F", word, str(desk.data_dir)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert grep.returncode == 1, grep.stdout  # 1: no file holds it, the WAL included
    desk.close()

    assert leaks(desk.data_dir, words) == []
    names = {p.name for p in files_under(desk.data_dir)}
    assert "desk.db" in names and any(n.startswith("auto-") for n in names)
    blobs = files_under(desk.data_dir / "attachments")
    assert len(blobs) == 1
    assert evidence.name not in blobs[0].name
    # The station's sync signing key is sealed too; only its public half is in clear.
    assert (desk.data_dir / "keys" / "station.key").read_bytes().startswith(b"INTAKES1")
    # The keyring holds no case data, only what opening needs.
    ring = json.loads(Keyring.path_in(desk.data_dir).read_text(encoding="utf-8"))
    assert set(ring) == {"format", "station_code", "station_name", "slots", "pending"}
    assert set(ring["slots"]) == {f"officer:{ADMIN}", "recovery"}
    assert set(ring["slots"]["recovery"]) == {"salt", "kdf", "wrapped"}


def test_the_sqlite3_shell_and_the_stdlib_cannot_read_the_file(desk, admin, tangshan_cases):
    register_all(desk, admin, tangshan_cases[:1])
    with (
        closing(sqlite3.connect(desk.db_path(desk.data_dir))) as conn,
        pytest.raises(sqlite3.DatabaseError, match="not a database"),
    ):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    assert desk.store.conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # memory


def test_attachments_are_sealed_and_a_changed_one_is_refused(desk, admin, tangshan_cases, tmp_path):
    evidence = tmp_path / "聊天记录.png"
    evidence.write_bytes(b"\x89PNG fake image bytes " * 20)
    record = dict(tangshan_cases[0], attachments=[{"name": evidence.name, "path": evidence.name}])
    row = desk.intake.register(case_from_dict(record)[0], admin, base_dir=tmp_path)
    sha = desk.intake.show(row.case_no)["attachments"][0]["sha256"]
    stored = desk.blobs.path_for(sha)
    assert sha not in str(stored)
    assert desk.blobs.read(sha) == evidence.read_bytes()
    assert evidence.read_bytes() not in stored.read_bytes()
    sealed = bytearray(stored.read_bytes())
    sealed[-1] ^= 1
    stored.write_bytes(bytes(sealed))
    with pytest.raises(IntakeError) as caught:
        desk.blobs.read(sha)
    assert caught.value.code == "attachment_tampered"


# Keys per officer -------------------------------------------------------------------------------


def reopen(desk: Desk, clock) -> Desk:
    desk.close()
    return Desk.open(desk.data_dir, clock=clock, auto_backup=False)


def test_a_wrong_password_cannot_open_the_store(desk, admin, clock):
    locked = reopen(desk, clock)
    try:
        assert locked.locked
        with pytest.raises(IntakeError) as caught:
            locked.counts()
        assert caught.value.code == "store_locked"
        with pytest.raises(AuthError) as wrong:
            locked.auth.login(ADMIN, "not-the-password")
        assert wrong.value.code == "login_failed"
        assert locked.locked
        with pytest.raises(AuthError):
            locked.auth.login("999999", ADMIN_PASSWORD)
        assert locked.station_name == STATION_NAME  # the login screen can still greet
        locked.auth.login(ADMIN, ADMIN_PASSWORD)
        assert not locked.locked
        # The failures made while locked reach the audit log at the unlock.
        entries = audit.entries(locked.store.conn, limit=3)
        assert [(e["action"], e["object_id"]) for e in entries] == [
            ("login", ADMIN),
            ("login_failed", "999999"),
            ("login_failed", ADMIN),
        ]
    finally:
        locked.close()


def test_each_officer_unlocks_with_their_own_password(desk, admin, clock):
    desk.auth.add_officer(admin, OFFICER, "李娜", "officer", OFFICER_PASSWORD)
    locked = reopen(desk, clock)
    try:
        officer = locked.auth.login(OFFICER, OFFICER_PASSWORD)
        assert officer.badge == OFFICER and not locked.locked
        # A second connection for a worker thread needs no password.
        with locked.second() as worker:
            assert worker.counts()["officers"] == 2
    finally:
        locked.close()


def test_a_password_change_rewraps_only_that_slot(desk, admin, clock):
    desk.auth.add_officer(admin, OFFICER, "李娜", "officer", OFFICER_PASSWORD)
    ring = Keyring.path_in(desk.data_dir)
    before = json.loads(ring.read_text(encoding="utf-8"))["slots"]
    desk.auth.change_password(admin, OFFICER, "new-officer-pass")
    after = json.loads(ring.read_text(encoding="utf-8"))["slots"]
    assert after[f"officer:{ADMIN}"] == before[f"officer:{ADMIN}"]
    assert after["recovery"] == before["recovery"]
    assert after[f"officer:{OFFICER}"] != before[f"officer:{OFFICER}"]
    locked = reopen(desk, clock)
    try:
        with pytest.raises(AuthError):
            locked.auth.login(OFFICER, OFFICER_PASSWORD)
        assert locked.auth.login(OFFICER, "new-officer-pass").badge == OFFICER
    finally:
        locked.close()


def test_removing_an_officer_removes_the_slot(desk, admin, clock):
    desk.auth.add_officer(admin, OFFICER, "李娜", "officer", OFFICER_PASSWORD)
    with pytest.raises(IntakeError) as itself:
        desk.auth.remove_officer(admin, ADMIN)
    assert itself.value.code == "officer_remove_self"
    officer = desk.auth.login(OFFICER, OFFICER_PASSWORD)
    with pytest.raises(AuthError):
        desk.auth.remove_officer(officer, ADMIN)

    desk.auth.remove_officer(admin, OFFICER)

    assert not Keyring.load(Keyring.path_in(desk.data_dir)).has_officer(OFFICER)
    entry = audit.entries(desk.store.conn, limit=1)[0]
    assert (entry["action"], entry["officer"], entry["object_id"]) == (
        "officer_remove",
        ADMIN,
        OFFICER,
    )
    locked = reopen(desk, clock)
    try:
        with pytest.raises(AuthError) as refused:
            locked.auth.login(OFFICER, OFFICER_PASSWORD)
        assert refused.value.code == "login_failed"
        assert locked.locked
    finally:
        locked.close()


def test_the_recovery_key_resets_an_admins_password(desk, data_dir, clock):
    recovery = desk.recovery_key  # as initialise left it
    assert recovery is not None and len(recovery) == 47
    locked = reopen(desk, clock)
    try:
        with pytest.raises(AuthError) as wrong:
            locked.auth.recover("AAAAA-" * 7 + "AAAAA", ADMIN, "brand-new-pass")
        assert wrong.value.code == "recovery_key_wrong"
        locked.auth.recover(recovery.lower().replace("-", " "), ADMIN, "brand-new-pass")
        entry = audit.entries(locked.store.conn, limit=1)[0]
        assert entry["detail"] == {"via": "recovery_key"}
    finally:
        locked.close()
    again = Desk.open(data_dir, clock=clock, auto_backup=False)
    try:
        assert again.auth.login(ADMIN, "brand-new-pass").badge == ADMIN
    finally:
        again.close()


def test_repeated_failures_make_the_next_attempt_wait_longer(desk, admin, clock):
    for _ in range(login_failures.FREE_ATTEMPTS):
        with pytest.raises(AuthError) as failed:
            desk.auth.login(ADMIN, "wrong-password")
        assert failed.value.code == "login_failed"
    with pytest.raises(AuthError) as wait:
        desk.auth.login(ADMIN, ADMIN_PASSWORD)  # even the right password waits
    assert wait.value.code == "login_delayed"
    assert wait.value.params["seconds"] == login_failures.FIRST_DELAY_S
    clock.now += timedelta(seconds=login_failures.FIRST_DELAY_S)
    with pytest.raises(AuthError):
        desk.auth.login(ADMIN, "wrong-password")
    with pytest.raises(AuthError) as longer:
        desk.auth.login(ADMIN, ADMIN_PASSWORD)
    assert longer.value.params["seconds"] == 2 * login_failures.FIRST_DELAY_S
    clock.now += timedelta(seconds=2 * login_failures.FIRST_DELAY_S)
    assert desk.auth.login(ADMIN, ADMIN_PASSWORD).badge == ADMIN
    with pytest.raises(AuthError) as fresh:
        desk.auth.login(ADMIN, "wrong-password")
    assert fresh.value.code == "login_failed"  # a success starts the count again
    assert [login_failures.delay_after(n) for n in range(2, 12)] == [
        0,
        5,
        10,
        20,
        40,
        80,
        160,
        300,
        300,
        300,
    ]


# Tampering --------------------------------------------------------------------------------------


def test_a_tampered_database_file_gives_a_clear_error(desk, admin, tangshan_cases, clock):
    register_all(desk, admin, tangshan_cases)
    path = desk.db_path(desk.data_dir)
    desk.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    desk.close()
    data = bytearray(path.read_bytes())
    data[100] ^= 0x01  # inside the first page, after the salt
    path.write_bytes(bytes(data))
    locked = Desk.open(desk.data_dir, clock=clock, auto_backup=False)
    try:
        with pytest.raises(IntakeError) as caught:
            locked.auth.login(ADMIN, ADMIN_PASSWORD)
        assert caught.value.code == "database_tampered"
        assert str(path) in caught.value.message("en")
        assert "altered" in caught.value.message("en")
    finally:
        locked.close()


def test_a_tampered_page_deep_in_the_file_is_found(desk, admin, tangshan_cases, clock):
    register_all(desk, admin, tangshan_cases)
    path = desk.db_path(desk.data_dir)
    desk.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    desk.close()
    data = bytearray(path.read_bytes())
    page = 4096
    data[5 * page + 200] ^= 0x01
    path.write_bytes(bytes(data))
    opened = Desk.open(desk.data_dir, clock=clock, auto_backup=False)
    try:
        with pytest.raises(IntakeError) as caught:
            opened.auth.login(ADMIN, ADMIN_PASSWORD)  # reads the page, or else
            opened.backups.auto()  # the backup reads every page
        assert caught.value.code == "database_tampered"
    finally:
        opened.close()


# Exports ---------------------------------------------------------------------------------------


def test_exports_need_a_supervisor_and_record_the_content_hash(
    desk, admin, tangshan_cases, tmp_path
):
    register_all(desk, admin, tangshan_cases[:2])
    desk.auth.add_officer(admin, OFFICER, "李娜", "officer", OFFICER_PASSWORD)
    officer = desk.auth.login(OFFICER, OFFICER_PASSWORD)
    with pytest.raises(AuthError) as denied:
        desk.intake.export(tmp_path / "out.jsonl", officer)
    assert denied.value.code == "export_needs_supervisor"
    assert not (tmp_path / "out.jsonl").exists()

    desk.intake.export(tmp_path / "out.jsonl", admin)
    entry = audit.entries(desk.store.conn, limit=1)[0]
    import hashlib

    assert (
        entry["detail"]["sha256"]
        == hashlib.sha256((tmp_path / "out.jsonl").read_bytes()).hexdigest()
    )
    assert entry["detail"]["encrypted"] is False


# The migration of a plain store -----------------------------------------------------------------


def plain_station(data_dir: Path, records: list[dict], tmp_path: Path) -> None:
    """A data folder as the earlier, unencrypted version left it: plain SQLite, plain blobs."""
    evidence = tmp_path / "截图.txt"
    evidence.write_text("证据 6222020200112233445", encoding="utf-8")
    desk = Desk.initialise(
        tmp_path / "scratch",
        station_code=STATION,
        station_name=STATION_NAME,
        admin_badge=ADMIN,
        admin_name="张伟",
        password=ADMIN_PASSWORD,
    )
    officer = desk.auth.login(ADMIN, ADMIN_PASSWORD)
    desk.auth.add_officer(officer, OFFICER, "李娜", "officer", OFFICER_PASSWORD)
    first = dict(records[0], attachments=[{"name": evidence.name, "path": evidence.name}])
    register_all(desk, officer, [first, *records[1:]], tmp_path)
    data_dir.mkdir(parents=True)
    # Decrypt into the plain layout of the earlier version.
    desk.store.conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(data_dir / "desk.db"),))
    desk.store.conn.execute("SELECT sqlcipher_export('plain')")
    desk.store.conn.execute("DETACH DATABASE plain")
    for row in desk.store.all("SELECT sha256 FROM attachments"):
        target = data_dir / "attachments" / row[0][:2] / row[0]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(desk.blobs.read(row[0]))
    desk.close()
    (data_dir / "backups").mkdir()
    shutil.copyfile(data_dir / "desk.db", data_dir / "backups" / "auto-20261129-090000.db")


def test_a_plain_store_is_encrypted_at_the_first_login_and_keeps_every_case(
    tangshan_cases, tmp_path, clock
):
    data_dir = tmp_path / "data"
    plain_station(data_dir, tangshan_cases, tmp_path)
    with closing(sqlite3.connect(data_dir / "desk.db")) as conn:
        before = {
            t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in ("cases", "case_revisions", "audit_log", "officers", "attachments")
        }
        numbers = sorted(r[0] for r in conn.execute("SELECT case_no FROM cases"))
    assert before["cases"] == len(tangshan_cases)
    assert Desk.is_initialised(data_dir)

    desk = Desk.open(data_dir, clock=clock, auto_backup=False)
    try:
        assert desk.keyring is None and desk.locked
        assert desk.station_name == STATION_NAME
        with pytest.raises(AuthError):
            desk.auth.login(ADMIN, "wrong-password")
        assert not Keyring.exists(data_dir)
        desk.auth.login(ADMIN, ADMIN_PASSWORD)
        assert desk.recovery_key
        for table, count in before.items():
            # + the failed login (kept while locked), the encryption, the login
            expected = count + (3 if table == "audit_log" else 0)
            assert desk.store.one(f'SELECT count(*) FROM "{table}"')[0] == expected, table
        got_numbers = sorted(r[0] for r in desk.store.all("SELECT case_no FROM cases"))
        assert got_numbers == numbers
        assert desk.audit.verify().ok
        actions = [e["action"] for e in audit.entries(desk.store.conn, limit=3)]
        assert actions == ["login", "login_failed", "encrypt"]
        sha = desk.store.one("SELECT sha256 FROM attachments")[0]
        assert b"6222020200112233445" in desk.blobs.read(sha)
        # The other officer has no key yet: told so while locked, given one at a login.
        desk.close()
        desk = Desk.open(data_dir, clock=clock, auto_backup=False)
        with pytest.raises(AuthError) as no_key:
            desk.auth.login(OFFICER, OFFICER_PASSWORD)
        assert no_key.value.code == "no_key_slot"
        desk.auth.login(ADMIN, ADMIN_PASSWORD)
        desk.auth.login(OFFICER, OFFICER_PASSWORD)
        assert Keyring.load(Keyring.path_in(data_dir)).has_officer(OFFICER)
    finally:
        desk.close()

    # Nothing in clear is left: database, safety copy, old backups, attachments.
    words = secrets_of(tangshan_cases) | {"6222020200112233445"}
    assert leaks(data_dir, words) == []
    backups = sorted(p.name for p in (data_dir / "backups").glob("*.db"))
    assert backups[0] == "auto-20261129-090000.db"
    assert any(n.startswith("pre-encryption-") for n in backups)
    key = Keyring.load(Keyring.path_in(data_dir)).unlock_officer(ADMIN, ADMIN_PASSWORD)
    assert key is not None
    from intake_app.services.backups import check_backup

    for name in backups:
        assert check_backup(data_dir / "backups" / name, key) == STATION
        # Each has its keyring beside it, so it can be restored on another PC.
        beside = Keyring.load(data_dir / "backups" / f"{name}.keyring")
        assert beside.unlock_officer(ADMIN, ADMIN_PASSWORD) == key


def test_the_fixture_file_is_what_the_leak_test_looks_for():
    records = json.loads((FIXTURES / "tangshan_cases.json").read_text(encoding="utf-8"))
    words = secrets_of(records)
    assert len(words) > 20
    assert any(len(w) == 18 for w in words)  # resident ID numbers
    assert any(w.startswith("1") and len(w) == 11 for w in words)  # mobile phones
