"""Registering, importing, revising, voiding, searching, attachments and export of cases.

Everything here goes through the services as the UI and CLI do, then looks at what was stored.
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import damm

from intake_app.domain.caseno import parse_case_no
from intake_app.domain.errors import AuthError, IntakeError, NotFound
from intake_app.domain.interchange import case_from_dict
from intake_app.domain.money import format_yuan
from intake_app.domain.times import SHANGHAI

from intake_app.store import audit, cases, cipher
from intake_app.store.officers import Officer

from intake_app.services import auth
from intake_app.services.desk import Desk
from intake_app.services.intake import ValidationFailed, read_records

from tests.conftest import connect_raw, desk_key

FIXTURE_FILE = Path(__file__).parent / "fixtures" / "tangshan_cases.json"
TABLES = (
    "cases",
    "case_revisions",
    "case_terms",
    "case_fts",
    "case_counters",
    "attachments",
    "case_attachments",
    "audit_log",
)


# Helpers ---------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    """Cheap argon2 parameters: these tests are about cases, not password hashing."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


def register(desk: Desk, officer: Officer, record: dict[str, Any], base_dir: Path | None = None):
    report, problems = case_from_dict(record)
    assert not [p for p in problems if p.severity == "error"], problems
    return desk.intake.register(report, officer, base_dir=base_dir)


def counts(desk: Desk) -> dict[str, int]:
    conn = desk.store.conn
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def blob_files(desk: Desk) -> list[Path]:
    root = desk.blobs.root
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def audit_actions(desk: Desk) -> list[tuple[str, str | None, str]]:
    rows = desk.store.all("SELECT action, officer, object_id FROM audit_log ORDER BY seq")
    return [(r[0], r[1], r[2]) for r in rows]


def add_officer(desk: Desk, admin: Officer, badge: str, role: str) -> Officer:
    password = f"{role}-pass-{badge}"
    desk.auth.add_officer(admin, badge, f"民警{badge}", role, password)
    return desk.auth.login(badge, password)


def revised(record: dict[str, Any], narrative: str, amount: str | None = None) -> dict[str, Any]:
    new = copy.deepcopy(record)
    new["incident"]["narrative"] = narrative
    if amount is not None:
        new["transactions"][0]["amount"] = amount
    return new


# Registering -----------------------------------------------------------------------------------


def test_register_gives_a_checked_case_number_status_and_first_revision(
    desk, admin, tangshan_cases
):
    row = register(desk, admin, tangshan_cases[0])

    number = parse_case_no(row.case_no)  # raises on a wrong check digit
    assert (number.station_code, number.year, number.seq) == (desk.station_code, 2026, 1)
    digits = row.case_no.replace("-", "")
    assert damm.is_valid(digits)
    wrong = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    assert not damm.is_valid(wrong)
    assert row.status == "registered"
    assert row.revision == 1
    assert row.uuid == tangshan_cases[0]["uuid"]
    assert row.reporter_name == "张志刚"
    assert row.reporter_id_masked == "13020*********7794"
    assert row.total_loss_fen == 150000
    assert row.registered_by == admin.badge

    stored = desk.intake.show(row.case_no)
    assert stored["case_no"] == row.case_no
    assert stored["status"] == "registered"
    assert stored["revision"] == 1
    assert stored["received_by"] == {"badge": admin.badge, "name": "张伟"}
    assert stored["incident"]["narrative"] == tangshan_cases[0]["incident"]["narrative"]
    assert stored["transactions"] == tangshan_cases[0]["transactions"]
    revisions = desk.store.all("SELECT revision, created_by FROM case_revisions")
    assert [tuple(r) for r in revisions] == [(1, admin.badge)]

    second = register(desk, admin, tangshan_cases[1])
    assert parse_case_no(second.case_no).seq == 2


def test_register_is_idempotent_for_the_same_report(desk, admin, tangshan_cases):
    first = register(desk, admin, tangshan_cases[0])
    again = register(desk, admin, tangshan_cases[0])
    assert again.case_no == first.case_no
    assert counts(desk)["cases"] == 1
    assert counts(desk)["case_revisions"] == 1


def _invalid(record: dict[str, Any]) -> dict[str, Any]:
    bad = copy.deepcopy(record)
    bad["reporter"]["id_number"] = "130209197904167795"  # wrong check character
    bad["incident"]["narrative"] = "   "
    bad["transactions"][0]["amount"] = ""
    return bad


def test_invalid_report_is_refused_with_every_problem_and_nothing_is_written(
    desk, admin, tangshan_cases, tmp_path
):
    (tmp_path / "shot.png").write_bytes(b"\x89PNG evidence of the SMS")
    bad = _invalid(tangshan_cases[0])
    bad["attachments"] = [{"path": "shot.png"}]
    before = counts(desk)

    with pytest.raises(ValidationFailed) as caught:
        register(desk, admin, bad, base_dir=tmp_path)

    found = {(p.code, p.field) for p in caught.value.problems if p.severity == "error"}
    assert ("id_checksum", "reporter.id_number") in found
    assert ("required", "incident.narrative") in found
    assert ("required", "transactions[0].amount") in found
    problem = next(p for p in caught.value.problems if p.field == "incident.narrative")
    assert problem.message("zh_CN") == "案情·简要案情为必填项"
    assert problem.message("en") == "Incident · narrative is required"
    assert counts(desk) == before
    assert blob_files(desk) == []
    # The refused report used no case number: the next one still gets sequence 1.
    assert parse_case_no(register(desk, admin, tangshan_cases[1]).case_no).seq == 1


def test_import_reports_an_invalid_record_and_writes_only_the_valid_ones(
    desk, admin, tangshan_cases
):
    before = counts(desk)
    results = list(
        desk.intake.import_records(
            [tangshan_cases[0], _invalid(tangshan_cases[1]), "not an object"], admin
        )
    )

    assert [r.index for r in results] == [0, 1, 2]
    assert [r.ok for r in results] == [True, False, False]
    assert results[1].uuid == tangshan_cases[1]["uuid"]
    assert ("id_checksum", "reporter.id_number") in {(p.code, p.field) for p in results[1].problems}
    assert [p.code for p in results[2].problems] == ["not_an_object"]
    after = counts(desk)
    assert after["cases"] == before["cases"] + 1
    assert after["case_revisions"] == before["case_revisions"] + 1
    assert after["audit_log"] == before["audit_log"] + 1
    assert (
        desk.store.one("SELECT 1 FROM cases WHERE uuid = ?", (tangshan_cases[1]["uuid"],)) is None
    )


# Importing -------------------------------------------------------------------------------------


def write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def test_importing_the_same_file_twice_creates_no_duplicates(desk, admin, tangshan_cases, tmp_path):
    no_uuid = copy.deepcopy(tangshan_cases[5])
    del no_uuid["uuid"]  # gets a uuid derived from its content
    path = write_jsonl(tmp_path / "batch.jsonl", [*tangshan_cases[:5], no_uuid])

    first = list(desk.intake.import_records(read_records(path), admin, path.parent))
    after_first = counts(desk)
    second = list(desk.intake.import_records(read_records(path), admin, path.parent))

    assert [r.created for r in first] == [True] * 6
    assert [r.created for r in second] == [False] * 6
    assert [r.case_no for r in second] == [r.case_no for r in first]
    assert [r.uuid for r in second] == [r.uuid for r in first]
    assert len(set(r.case_no for r in first)) == 6
    assert counts(desk) == after_first
    assert after_first["cases"] == 6
    assert [a for a, _, _ in audit_actions(desk)].count("create") == 6


def test_same_uuid_with_other_content_is_reported_as_a_conflict(desk, admin, tangshan_cases):
    row = register(desk, admin, tangshan_cases[0])
    before = counts(desk)
    changed = revised(tangshan_cases[0], "报案人称：完全不同的案情。")

    (result,) = desk.intake.import_records([changed], admin)

    assert not result.ok and not result.created
    conflict = next(p for p in result.problems if p.code == "uuid_conflict")
    assert conflict.field == "uuid"
    assert tangshan_cases[0]["uuid"] in conflict.message("en")
    assert "case revise" in conflict.message("zh_CN")
    assert counts(desk) == before
    assert (
        desk.intake.show(row.case_no)["incident"]["narrative"]
        == (tangshan_cases[0]["incident"]["narrative"])
    )
    with pytest.raises(ValidationFailed) as caught:
        register(desk, admin, changed)
    assert caught.value.code == "uuid_conflict"


def test_importing_an_older_revision_again_is_not_a_conflict(desk, admin, tangshan_cases):
    row = register(desk, admin, tangshan_cases[0])
    desk.intake.revise(row.case_no, revised(tangshan_cases[0], "更正后的案情。"), admin)

    (result,) = desk.intake.import_records([tangshan_cases[0]], admin)

    assert (result.ok, result.created, result.case_no) == (True, False, row.case_no)
    assert desk.intake.find(row.case_no).revision == 2


# Revising --------------------------------------------------------------------------------------


def test_revise_adds_revision_two_and_keeps_revision_one(desk, admin, tangshan_cases, clock):
    original = tangshan_cases[0]
    row = register(desk, admin, original)
    supervisor = add_officer(desk, admin, "200002", "supervisor")
    clock.now = datetime(2026, 11, 30, 19, 30, tzinfo=SHANGHAI)
    new = revised(original, original["incident"]["narrative"] + "补充：另有一笔300元。", "1800.00")

    updated, changed = desk.intake.revise(row.case_no, new, supervisor, note="补充笔录")

    assert changed is True
    assert updated.revision == 2
    assert updated.total_loss_fen == 180000
    assert updated.updated_by == "200002"
    assert updated.registered_by == admin.badge
    history = desk.intake.history(row.case_no)
    assert [h.number for h in history] == [1, 2]
    assert history[0].record == original
    assert history[1].record == new
    assert history[1].note == "补充笔录"
    assert history[1].created_by == "200002"
    assert history[1].created_at == "2026-11-30T19:30:00+08:00"
    assert {c.field for c in history[1].changes} == {"incident.narrative", "transactions[0].amount"}
    amount_change = next(c for c in history[1].changes if c.field == "transactions[0].amount")
    assert (amount_change.old, amount_change.new) == ("1500.00", "1800.00")

    first = desk.intake.record(updated, revision=1)
    assert first["revision"] == 1
    assert first["transactions"][0]["amount"] == "1500.00"
    assert first["incident"]["narrative"] == original["incident"]["narrative"]
    latest = desk.intake.record(updated)
    assert latest["revision"] == 2
    assert latest["transactions"][0]["amount"] == "1800.00"
    assert latest["revised_by"] == "200002"
    with pytest.raises(NotFound):
        desk.intake.record(updated, revision=3)
    # Search follows the newest revision.
    assert [r.case_no for r in desk.intake.search("另有一笔300元")] == [row.case_no]
    assert ("revise", "200002", row.case_no) in audit_actions(desk)


def test_revise_with_identical_content_is_reported_unchanged(desk, admin, tangshan_cases):
    row = register(desk, admin, tangshan_cases[0])
    before = counts(desk)

    same, changed = desk.intake.revise(row.case_no, copy.deepcopy(tangshan_cases[0]), admin)
    # What `case show` prints, fed back in, is the same content too.
    shown, changed_again = desk.intake.revise(row.case_no, desk.intake.show(row.case_no), admin)

    assert changed is False and changed_again is False
    assert same.revision == 1 and shown.revision == 1
    assert counts(desk) == before
    assert [h.number for h in desk.intake.history(row.case_no)] == [1]


def test_revise_refuses_an_invalid_record_and_keeps_the_case(desk, admin, tangshan_cases):
    row = register(desk, admin, tangshan_cases[0])
    before = counts(desk)
    with pytest.raises(ValidationFailed) as caught:
        desk.intake.revise(row.case_no, _invalid(tangshan_cases[0]), admin)
    assert ("id_checksum", "reporter.id_number") in {
        (p.code, p.field) for p in caught.value.problems
    }
    other_uuid = dict(tangshan_cases[0], uuid=tangshan_cases[1]["uuid"])
    with pytest.raises(ValidationFailed) as caught:
        desk.intake.revise(row.case_no, other_uuid, admin)
    assert caught.value.code == "uuid_conflict"
    assert counts(desk) == before
    assert desk.intake.find(row.case_no).revision == 1


# Voiding ---------------------------------------------------------------------------------------


def test_void_needs_a_supervisor_and_a_reason_and_keeps_the_case(desk, admin, tangshan_cases):
    row = register(desk, admin, tangshan_cases[2])
    officer = add_officer(desk, admin, "200001", "officer")
    supervisor = add_officer(desk, admin, "200002", "supervisor")

    with pytest.raises(AuthError) as denied:
        desk.intake.void(row.case_no, "重复登记", officer)
    assert denied.value.code == "permission_denied"
    assert (
        denied.value.message("en") == 'Badge "200001" may not do this (needs the supervisor role)'
    )
    for empty in ("", "   "):
        with pytest.raises(IntakeError) as missing:
            desk.intake.void(row.case_no, empty, supervisor)
        assert missing.value.code == "void_reason_required"
        assert missing.value.message("zh_CN") == "作废原因为必填项：请写明作废原因"
    assert desk.intake.find(row.case_no).status == "registered"

    voided = desk.intake.void(row.case_no, "  与案件000001重复登记  ", supervisor)

    assert voided.status == "voided"
    assert voided.voided_by == "200002"
    assert voided.void_reason == "与案件000001重复登记"
    shown = desk.intake.show(row.case_no)
    assert shown["status"] == "voided"
    assert shown["void_reason"] == "与案件000001重复登记"
    assert shown["voided_at"] == "2026-11-30T18:00:00+08:00"
    assert shown["incident"]["narrative"] == tangshan_cases[2]["incident"]["narrative"]
    assert [r.case_no for r in desk.intake.search("钢材款")] == [row.case_no]
    with pytest.raises(IntakeError) as closed:
        desk.intake.revise(row.case_no, revised(tangshan_cases[2], "新的案情"), admin)
    assert closed.value.code == "case_voided"
    with pytest.raises(IntakeError) as twice:
        desk.intake.void(row.case_no, "再次作废", supervisor)
    assert twice.value.code == "case_voided"
    assert ("void", "200002", row.case_no) in audit_actions(desk)


def test_nothing_is_ever_hard_deleted(desk, admin, tangshan_cases):
    rows = [register(desk, admin, c) for c in tangshan_cases[:3]]
    desk.intake.revise(rows[0].case_no, revised(tangshan_cases[0], "更正一"), admin)
    desk.intake.revise(rows[0].case_no, revised(tangshan_cases[0], "更正二"), admin)
    desk.intake.void(rows[1].case_no, "误录", admin)

    assert counts(desk)["cases"] == 3
    assert counts(desk)["case_revisions"] == 5
    for row, revisions in zip(rows, (3, 1, 1), strict=True):
        assert len(desk.intake.history(row.case_no)) == revisions
    # The store refuses to change or delete a revision, whoever asks.
    attacker = connect_raw(desk.db_path(desk.data_dir), desk.key)
    try:
        for sql in (
            "DELETE FROM case_revisions",
            "UPDATE case_revisions SET data = '{}' WHERE revision = 1",
            "DELETE FROM audit_log WHERE seq = 1",
        ):
            with pytest.raises(cipher.DatabaseError, match=r"immutable|append-only"):
                attacker.execute(sql)
    finally:
        attacker.close()
    assert counts(desk)["case_revisions"] == 5
    assert (
        desk.intake.record(rows[0], revision=1)["incident"]["narrative"]
        == (tangshan_cases[0]["incident"]["narrative"])
    )


# Searching -------------------------------------------------------------------------------------

CASES = json.loads(FIXTURE_FILE.read_text(encoding="utf-8"))
FIXED_NOW = datetime(2026, 11, 30, 18, 0, tzinfo=SHANGHAI)


def _fresh_desk(folder: Path) -> Desk:
    return Desk.initialise(
        folder,
        station_code="130209510000",
        station_name="唐山市公安局曹妃甸分局滨海派出所",
        admin_badge="100001",
        admin_name="张伟",
        password="admin-pass-2026",
        clock=lambda: FIXED_NOW,
    )


ADMIN_OFFICER = Officer("100001", "张伟", "admin", True)


@pytest.fixture(scope="module")
def search_desk(tmp_path_factory) -> Iterator[tuple[Desk, list[str]]]:
    """One desk holding the six Tangshan cases, shared by the read-only search tests."""
    desk = _fresh_desk(tmp_path_factory.mktemp("search") / "data")
    results = list(desk.intake.import_records(CASES, ADMIN_OFFICER))
    assert all(r.created for r in results)
    yield desk, [r.case_no or "" for r in results]
    desk.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # case number, as printed and as read out over the phone
        ("130209510000-2026-000003-2", [2]),
        ("1302095100002026000003 2", [2]),
        # reporter and victim names, payee names
        ("张志刚", [0]),
        ("赵丽华", [2]),
        ("志刚", [0]),
        ("韦立群", [0, 1]),
        # resident ID number, also with a lower-case x and spaces
        ("130229195803090608", [3]),
        ("11010519930727342x", [4]),
        ("130209 19790416 7794", [0]),
        # phone of the reporter in different written forms
        ("13832517746", [0]),
        ("+86 138 3251 7746", [0]),
        ("138-3251-7746", [0]),
        ("0086 13903158826", [2]),
        ("１３７８５５３１９０２", [3]),
        # bank accounts, with spaces or dashes
        ("6222 0272 8966 1390 569", [0, 1]),
        ("6217-0096-0600-2330-693", [1]),
        ("6217 0096 0600 2330 693", [1]),
        ("6228481000703369008", [0]),
        ("4000 0211 0920 0345 671", [2]),
        # transaction serial number
        ("2026112102310045871236", [0]),
        # every kind of suspect identifier in the fixtures
        ("17085213396", [0, 1]),
        ("+86 170 8521 3396", [0, 1]),
        ("2908817365", [2]),
        ("1479263058", [3]),
        ("KP_Shouka888", [4]),
        ("15633180472", [5]),
        ("https://sim-fuhe.top/verify", [1]),
        ("etc-renzheng.top/auth", [0]),
        ("h5.xingchenpaidan.vip", [5]),
        ("星辰派单", [5]),
        ("Shouka_KP@163.com", [4]),
        # words of the narrative
        ("蟹塘", [0]),
        ("渔船", [1]),
        ("钢材款", [2]),
        ("安全账户", [3]),
        ("电竞酒店", [4]),
        ("考研资料", [5]),
        ("鸦鸿桥镇", [3]),
    ],
)
def test_search_finds_a_case_by_what_the_officer_types(search_desk, query, expected):
    desk, numbers = search_desk
    found = [row.case_no for row in desk.intake.search(query)]
    assert sorted(found) == sorted(numbers[i] for i in expected)


@pytest.mark.parametrize(
    "query",
    ["", "   ", "不存在的词语", "19999999999", "130209510000-2026-000003-9", "nobody@example.org"],
)
def test_search_that_matches_nothing_is_empty(search_desk, query):
    desk, _ = search_desk
    assert desk.intake.search(query) == []


def test_search_results_are_newest_report_first_and_limited(search_desk):
    desk, numbers = search_desk
    found = desk.intake.search("6217997258559739746")
    assert [r.case_no for r in found] == [numbers[5], numbers[4]]
    assert len(desk.intake.search("6217997258559739746", limit=1)) == 1


# Attachments -----------------------------------------------------------------------------------


def evidence_record(base: dict[str, Any], relpath: str, name: str = "") -> dict[str, Any]:
    record = copy.deepcopy(base)
    record["attachments"] = [{"path": relpath, **({"name": name} if name else {})}]
    return record


def test_attachment_is_stored_once_by_sha256(desk, admin, tangshan_cases, tmp_path):
    evidence = tmp_path / "batch" / "evidence"
    evidence.mkdir(parents=True)
    content = b"\x89PNG\r\n\x1a\n transfer receipt screenshot" * 100
    (evidence / "receipt.png").write_bytes(content)
    sha = hashlib.sha256(content).hexdigest()
    path = write_jsonl(
        tmp_path / "batch" / "cases.jsonl",
        [
            evidence_record(tangshan_cases[0], "evidence/receipt.png"),
            evidence_record(tangshan_cases[1], "evidence/receipt.png", "转账截图.png"),
        ],
    )

    results = list(desk.intake.import_records(read_records(path), admin, path.parent))

    assert [r.created for r in results] == [True, True]
    assert blob_files(desk) == [desk.blobs.path_for(sha)]
    assert desk.blobs.read(sha) == content
    stored = desk.store.all("SELECT sha256, size, media_type FROM attachments")
    assert [tuple(r) for r in stored] == [(sha, len(content), "image/png")]
    links = desk.store.all("SELECT case_id, revision, name FROM case_attachments ORDER BY case_id")
    assert [tuple(r) for r in links] == [(1, 1, "receipt.png"), (2, 1, "转账截图.png")]
    shown = desk.intake.show(results[0].case_no or "")
    assert shown["attachments"] == [
        {"name": "receipt.png", "media_type": "image/png", "sha256": sha, "size": len(content)}
    ]
    # Importing the file again (paths and all) registers nothing new.
    again = list(desk.intake.import_records(read_records(path), admin, path.parent))
    assert [r.created for r in again] == [False, False]
    assert [r.case_no for r in again] == [r.case_no for r in results]
    assert blob_files(desk) == [desk.blobs.path_for(sha)]


def test_attachment_named_by_hash_must_already_be_stored(desk, admin, tangshan_cases):
    record = copy.deepcopy(tangshan_cases[0])
    record["attachments"] = [{"name": "x.png", "sha256": "ab" * 32, "size": 3}]
    (result,) = desk.intake.import_records([record], admin)
    assert not result.ok
    problem = next(p for p in result.problems if p.code == "attachment_not_stored")
    assert problem.field == "attachments[0].sha256"
    assert "ab" * 32 in problem.message("en")


def reopen(desk: Desk, clock) -> Desk:
    key = desk.key
    desk.close()
    return Desk.open(desk.data_dir, clock=clock, auto_backup=False, key=key)


def test_attachment_over_the_configured_limit_is_refused(desk, admin, tangshan_cases, tmp_path):
    desk.store.set_setting("attachment_max_bytes", str(1024 * 1024))
    desk = reopen(desk, desk.clock)
    try:
        (tmp_path / "video.mp4").write_bytes(b"\0" * (1024 * 1024 + 1))
        before = counts(desk)
        with pytest.raises(ValidationFailed) as caught:
            register(desk, admin, evidence_record(tangshan_cases[0], "video.mp4"), tmp_path)
        problem = caught.value.problems[0]
        assert (problem.code, problem.field) == ("attachment_too_large", "attachments[0].path")
        assert problem.message("zh_CN") == (
            "证据附件1·文件路径文件过大：1048577字节，上限为1048576字节（1 MB）"
        )
        assert problem.message("en") == (
            "Attachment 1 · file path is too large: 1048577 bytes, "
            "the limit is 1048576 bytes (1 MB)"
        )
        assert counts(desk) == before
        assert blob_files(desk) == []
        # At the limit exactly, it is accepted.
        (tmp_path / "video.mp4").write_bytes(b"\0" * (1024 * 1024))
        row = register(desk, admin, evidence_record(tangshan_cases[0], "video.mp4"), tmp_path)
        assert desk.intake.show(row.case_no)["attachments"][0]["size"] == 1024 * 1024
    finally:
        desk.close()


def test_attachment_over_the_default_limit_names_25_mb(desk, admin, tangshan_cases, tmp_path):
    with (tmp_path / "huge.bin").open("wb") as f:
        f.truncate(25 * 1024 * 1024 + 1)  # sparse: no need to write 25 MB
    (result,) = desk.intake.import_records(
        [evidence_record(tangshan_cases[0], "huge.bin")], admin, tmp_path
    )
    assert not result.ok
    (problem,) = [p for p in result.problems if p.severity == "error"]
    assert "上限为26214400字节（25 MB）" in problem.message("zh_CN")
    assert "the limit is 26214400 bytes (25 MB)" in problem.message("en")
    assert counts(desk)["cases"] == 0


def test_missing_attachment_file_gives_a_clear_error(desk, admin, tangshan_cases, tmp_path):
    before = counts(desk)
    with pytest.raises(ValidationFailed) as caught:
        register(desk, admin, evidence_record(tangshan_cases[0], "photos/missing.jpg"), tmp_path)
    problem = caught.value.problems[0]
    missing = tmp_path / "photos" / "missing.jpg"
    assert (problem.code, problem.field) == ("attachment_missing", "attachments[0].path")
    assert problem.message("en") == f'Attachment 1 · file path: file "{missing}" not found'
    assert problem.message("zh_CN") == f"证据附件1·文件路径找不到文件“{missing}”"
    assert counts(desk) == before


@pytest.mark.parametrize("relpath", ["../secret.txt", "/etc/hostname", "evidence/../../secret.txt"])
def test_an_import_file_cannot_attach_files_outside_its_folder(
    desk, admin, tangshan_cases, tmp_path, relpath
):
    (tmp_path / "secret.txt").write_text("not evidence")
    batch = tmp_path / "batch"
    batch.mkdir()
    before = counts(desk)
    with pytest.raises(ValidationFailed) as caught:
        register(desk, admin, evidence_record(tangshan_cases[0], relpath), batch)
    problem = caught.value.problems[0]
    assert (problem.code, problem.field) == ("attachment_path_outside", "attachments[0].path")
    assert "导入文件所在文件夹" in problem.message("zh_CN")
    assert counts(desk) == before
    assert blob_files(desk) == []


# Export ----------------------------------------------------------------------------------------


def test_export_writes_jsonl_that_reimports_idempotently(desk, admin, tangshan_cases, tmp_path):
    rows = [register(desk, admin, c) for c in tangshan_cases]
    desk.intake.revise(rows[0].case_no, revised(tangshan_cases[0], "更正后的案情。"), admin)
    desk.intake.void(rows[4].case_no, "企业求助，非诈骗报案", admin)
    out = tmp_path / "export" / "cases.jsonl"

    assert desk.intake.export(out, admin) == 6

    lines = out.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["case_no"] for r in records] == [r.case_no for r in rows]
    assert records[0]["revision"] == 2
    assert records[0]["incident"]["narrative"] == "更正后的案情。"
    assert records[4]["status"] == "voided"
    assert {k: records[1][k] for k in tangshan_cases[1]} == tangshan_cases[1]
    assert records[1]["station_code"] == desk.station_code
    assert not list(out.parent.glob(".cases.jsonl.*"))  # no temporary file left
    before = counts(desk)

    results = list(desk.intake.import_records(read_records(out), admin, out.parent))

    assert [(r.ok, r.created) for r in results] == [(True, False)] * 6
    assert [r.case_no for r in results] == [r.case_no for r in rows]
    assert all(p.severity != "error" for r in results for p in r.problems)
    assert counts(desk) == before
    export_entry = audit.entries(desk.store.conn, limit=1)[0]
    assert export_entry["action"] == "export"
    assert export_entry["detail"]["count"] == 6
    assert export_entry["detail"]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()


def test_export_reimports_into_another_desk_with_the_same_content(
    desk, admin, tangshan_cases, tmp_path
):
    for c in tangshan_cases:
        register(desk, admin, c)
    out = tmp_path / "cases.jsonl"
    desk.intake.export(out, admin)
    with _fresh_desk(tmp_path / "other") as other:
        results = list(other.intake.import_records(read_records(out), ADMIN_OFFICER))
        assert [r.created for r in results] == [True] * 6
        for result, original in zip(results, tangshan_cases, strict=True):
            (revision,) = other.intake.history(result.case_no or "")
            assert revision.record == original


def test_export_since_only_writes_cases_changed_since(desk, admin, tangshan_cases, clock, tmp_path):
    rows = [register(desk, admin, c) for c in tangshan_cases[:3]]
    clock.now = datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)
    desk.intake.revise(rows[1].case_no, revised(tangshan_cases[1], "次日补充的案情。"), admin)
    out = tmp_path / "since.jsonl"
    assert desk.intake.export(out, admin, since="2026-12-01T00:00:00+08:00") == 1
    (line,) = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["case_no"] == rows[1].case_no


# Property: revisions are never lost ------------------------------------------------------------


@pytest.fixture(scope="module")
def template_dir(tmp_path_factory) -> Path:
    """A closed data folder holding one registered case, copied afresh for every example."""
    folder = tmp_path_factory.mktemp("template") / "data"
    with _fresh_desk(folder) as desk:
        register(desk, ADMIN_OFFICER, CASES[0])
    return folder


@contextmanager
def desk_copy(template: Path, tmp_path_factory) -> Iterator[Desk]:
    folder = tmp_path_factory.mktemp("example") / "data"
    shutil.copytree(template, folder)
    desk = Desk.open(folder, clock=lambda: FIXED_NOW, auto_backup=False, key=desk_key(folder))
    try:
        yield desk
    finally:
        desk.close()
        shutil.rmtree(folder.parent, ignore_errors=True)


narratives = st.text(
    alphabet=st.sampled_from(list("报案人称蟹塘渔船钢材款转账验证码短信 ，。ETCabc0123456789\n")),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip())
amounts = st.integers(min_value=1, max_value=10**11).map(format_yuan)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(narratives, st.none() | amounts), min_size=1, max_size=6))
def test_revisions_are_never_lost(template_dir, tmp_path_factory, steps):
    with desk_copy(template_dir, tmp_path_factory) as desk:
        case_no_text = desk.intake.search("张志刚")[0].case_no
        written = [CASES[0]]
        for narrative, amount in steps:
            record = revised(written[-1], narrative, amount)
            row, changed = desk.intake.revise(case_no_text, record, ADMIN_OFFICER)
            assert changed == (record != written[-1])
            if changed:
                written.append(record)
            assert row.revision == len(written)

        history = desk.intake.history(case_no_text)
        assert [h.number for h in history] == list(range(1, len(written) + 1))
        assert [h.record for h in history] == written
        row = desk.intake.find(case_no_text)
        for number, record in enumerate(written, start=1):
            stored = desk.intake.record(row, revision=number)
            assert stored["revision"] == number
            assert {k: stored[k] for k in record} == record
        numbers = desk.store.all(
            "SELECT revision FROM case_revisions WHERE case_id = ? ORDER BY revision", (row.id,)
        )
        assert [r[0] for r in numbers] == list(range(1, len(written) + 1))
        assert audit.verify(desk.store.conn).ok


def test_a_case_voided_by_another_desk_after_it_was_read_is_not_revised(
    desk, admin, tangshan_cases, monkeypatch
):
    row = register(desk, admin, tangshan_cases[0])
    stale = desk.intake.find(row.case_no)
    desk.intake.void(row.case_no, "重复报案", admin)
    monkeypatch.setattr(desk.intake, "find", lambda case_no: stale)  # read before the void

    with pytest.raises(IntakeError) as caught:
        desk.intake.revise(row.case_no, revised(tangshan_cases[0], "迟到的修改。"), admin)
    assert caught.value.code == "case_voided"
    with pytest.raises(IntakeError):
        desk.intake.void(row.case_no, "再次作废", admin)
    assert len(desk.intake.history(row.case_no)) == 1
    voids = [e for e in desk.audit.entries(admin) if e["action"] == "void"]
    assert len(voids) == 1


def test_attachment_paths_come_back_when_the_write_rolls_back(
    desk, admin, tangshan_cases, tmp_path, monkeypatch
):
    (tmp_path / "receipt.png").write_bytes(b"\x89PNG fake screenshot" * 10)
    report, _ = case_from_dict(evidence_record(tangshan_cases[0], "receipt.png"))

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(cases, "insert_case", fail)
    with pytest.raises(RuntimeError):
        desk.intake.register(report, admin, base_dir=tmp_path)
    assert report.attachments[0].path == str((tmp_path / "receipt.png").resolve())
    monkeypatch.undo()
    row = desk.intake.register(report, admin)  # again, as the window retries: the path is known
    assert desk.intake.record(row)["attachments"][0]["size"] == 200
