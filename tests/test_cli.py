"""`intake-app` end to end: real processes on a real SQLite file in a temporary folder.

One module-scoped station (set up, officers added) and one module-scoped copy of it with the
Tangshan cases imported; tests that change data work on their own copy of either folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from intake_app.domain.caseno import make_case_no

from intake_app.store.db import DB_FILENAME

from intake_app.cli import main
from tests.conftest import (
    ADMIN,
    ADMIN_PASSWORD,
    FIXTURES,
    STATION,
    STATION_NAME,
    connect_raw,
    desk_key,
)

FIXTURE = FIXTURES / "tangshan_cases.json"
RECORDS: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))
OFFICER, OFFICER_PASSWORD = "100002", "officer-pass-2026"
SUPERVISOR, SUPERVISOR_PASSWORD = "100003", "supervisor-pass-2026"
CASE_NO = re.compile(rf"^{STATION}-\d{{4}}-\d{{6}}-\d$")
# A word of each fixture narrative that no other fixture narrative holds.
NARRATIVE_WORDS = ("蟹塘", "渔船", "钢材款", "逮捕令", "电竞酒店", "考研资料")


def intake(
    *args: str,
    data_dir: Path | None = None,
    password: str | None = ADMIN_PASSWORD,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `intake-app ARGS [--data-dir DIR]` in a fresh process with a clean environment."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}
    environment["PYTHONIOENCODING"] = "utf-8"
    if password is not None:
        environment["INTAKE_PASSWORD"] = password
    environment.update(env or {})
    argv = [sys.executable, "-m", "intake_app.cli", *args]
    if data_dir is not None:
        argv += ["--data-dir", str(data_dir)]
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        env=environment,
        timeout=120,
        check=False,
    )


def ok(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stderr}\n{proc.stdout}"
    return proc


def data(proc: subprocess.CompletedProcess[str]) -> Any:
    """The JSON a --json command printed; stdout must hold nothing else."""
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"stdout is not JSON (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


def failed(proc: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """A command that must fail with a message on stderr; returns the message."""
    assert proc.returncode == code, f"exit {proc.returncode}\n{proc.stderr}\n{proc.stdout}"
    assert proc.stderr.strip(), "no message on stderr"
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stderr


def assert_contains(expected: Any, actual: Any, path: str = "") -> None:
    """Every key and value of expected is in actual, recursively; lists match item by item."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r} is not an object"
        for key, value in expected.items():
            assert key in actual, f"{path}.{key} is missing"
            assert_contains(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: {actual!r} is not a list"
        assert len(actual) == len(expected), f"{path}: {len(actual)} items, not {len(expected)}"
        for i, (want, got) in enumerate(zip(expected, actual, strict=True)):
            assert_contains(want, got, f"{path}[{i}]")
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def copy_folder(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    path.write_text(
        "\n".join(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in lines)
        + "\n",
        encoding="utf-8",
    )
    return path


# --- shared folders ------------------------------------------------------------------------


@dataclass
class Station:
    data_dir: Path
    init: subprocess.CompletedProcess[str]
    officers: list[subprocess.CompletedProcess[str]]


@dataclass
class Loaded:
    data_dir: Path
    imported: subprocess.CompletedProcess[str]

    @property
    def case_nos(self) -> list[str]:
        results = data(ok(self.imported))
        return [r["case_no"] for r in results]


def init_station(folder: Path, *extra: str):
    """`intake-app init` of the test station (admin ADMIN) in folder."""
    return intake(
        "init",
        "--station-code",
        STATION,
        "--station-name",
        STATION_NAME,
        "--admin-badge",
        ADMIN,
        "--admin-name",
        "张伟",
        *extra,
        data_dir=folder,
    )


def tangshan_station(folder: Path) -> list[str]:
    """The test station in folder with the Tangshan cases imported; their case numbers."""
    ok(init_station(folder))
    imported = intake(
        "case",
        "import",
        str(FIXTURES / "tangshan_cases.json"),
        "--officer",
        ADMIN,
        "--json",
        data_dir=folder,
    )
    return [r["case_no"] for r in data(ok(imported))]


@pytest.fixture(scope="module")
def station(tmp_path_factory) -> Station:
    folder = tmp_path_factory.mktemp("station") / "data"
    init = init_station(folder, "--json")
    added = [
        intake(
            "officer",
            "add",
            "--badge",
            badge,
            "--name",
            name,
            "--role",
            role,
            "--officer",
            ADMIN,
            "--json",
            data_dir=folder,
            env={"INTAKE_NEW_PASSWORD": password},
        )
        for badge, name, role, password in (
            (OFFICER, "李娜", "officer", OFFICER_PASSWORD),
            (SUPERVISOR, "王强", "supervisor", SUPERVISOR_PASSWORD),
        )
    ]
    return Station(folder, init, added)


@pytest.fixture(scope="module")
def loaded(station, tmp_path_factory) -> Loaded:
    folder = copy_folder(station.data_dir, tmp_path_factory.mktemp("loaded") / "data")
    # Options after the file, as in the example.
    proc = intake("case", "import", str(FIXTURE), "--officer", ADMIN, "--json", data_dir=folder)
    return Loaded(folder, proc)


@pytest.fixture
def station_copy(station, tmp_path) -> Path:
    return copy_folder(station.data_dir, tmp_path / "data")


@pytest.fixture
def loaded_copy(loaded, tmp_path) -> Path:
    loaded.case_nos  # noqa: B018 - the import must have worked
    return copy_folder(loaded.data_dir, tmp_path / "data")


# --- set-up and officers -------------------------------------------------------------------


def test_init_and_officer_add_report_what_they_did(station):
    made = data(ok(station.init))
    assert re.fullmatch(r"([2-9A-HJKMNP-Z]{5}-){7}[2-9A-HJKMNP-Z]{5}", made.pop("recovery_key"))
    assert made == {
        "data_dir": str(station.data_dir),
        "station_code": STATION,
        "station_name": STATION_NAME,
        "admin_badge": ADMIN,
    }
    assert [data(ok(p)) for p in station.officers] == [
        {"badge": OFFICER, "name": "李娜", "role": "officer"},
        {"badge": SUPERVISOR, "name": "王强", "role": "supervisor"},
    ]
    listed = data(
        ok(intake("officer", "list", "--officer", ADMIN, "--json", data_dir=station.data_dir))
    )
    assert {(o["badge"], o["role"], o["active"]) for o in listed} == {
        (ADMIN, "admin", True),
        (OFFICER, "officer", True),
        (SUPERVISOR, "supervisor", True),
    }


def test_init_refuses_a_set_up_folder_and_a_bad_station_code(station, tmp_path):
    again = intake(
        "init",
        "--station-code",
        STATION,
        "--station-name",
        "另一个派出所",
        "--admin-badge",
        "200001",
        "--admin-name",
        "赵六",
        data_dir=station.data_dir,
    )
    assert "已经初始化" in failed(again)
    assert again.stdout == ""

    fresh = tmp_path / "fresh"
    bad = intake(
        "init",
        "--station-code",
        "13020951000",  # 11 digits
        "--station-name",
        STATION_NAME,
        "--admin-badge",
        ADMIN,
        "--admin-name",
        "张伟",
        "--lang",
        "en",
        data_dir=fresh,
    )
    message = failed(bad)
    assert "12-digit" in message and "13020951000" in message
    assert not (fresh / DB_FILENAME).exists()


def test_only_an_admin_adds_officers(station_copy):
    proc = intake(
        "officer",
        "add",
        "--badge",
        "100009",
        "--name",
        "钱七",
        "--role",
        "admin",
        "--officer",
        SUPERVISOR,
        data_dir=station_copy,
        password=SUPERVISOR_PASSWORD,
        env={"INTAKE_NEW_PASSWORD": "new-pass-2026"},
    )
    message = failed(proc)
    assert SUPERVISOR in message and "管理员" in message
    assert proc.stdout == ""


# --- import --------------------------------------------------------------------------------


def test_import_registers_every_fixture_record(loaded):
    proc = ok(loaded.imported)
    assert proc.stderr == ""
    results = data(proc)
    assert [r["index"] for r in results] == list(range(len(RECORDS)))
    assert [r["uuid"] for r in results] == [r["uuid"] for r in RECORDS]
    for result in results:
        assert CASE_NO.match(result["case_no"]), result
        assert result["created"] is True
        assert "errors" not in result
    assert len(set(loaded.case_nos)) == len(RECORDS)
    # The corporate accounts of record 2 fail the card check: a warning, not an error.
    assert {w["code"] for w in results[2]["warnings"]} == {"luhn_failed"}


def test_reimport_creates_no_duplicates(loaded, loaded_copy):
    again = data(
        ok(
            intake(
                "case", "import", str(FIXTURE), "--officer", ADMIN, "--json", data_dir=loaded_copy
            )
        )
    )
    assert [r["case_no"] for r in again] == loaded.case_nos
    assert all(r["created"] is False for r in again)
    status = data(ok(intake("status", "--officer", ADMIN, "--json", data_dir=loaded_copy)))
    assert (status["cases"], status["voided"], status["officers"]) == (len(RECORDS), 0, 3)


def _mixed_records() -> list[Any]:
    bad_id = json.loads(json.dumps(RECORDS[2]))
    bad_id["reporter"]["id_number"] = bad_id["reporter"]["id_number"][:17] + "0"  # right: 1
    no_uuid = {k: v for k, v in RECORDS[1].items() if k != "uuid"}
    negative = json.loads(json.dumps(RECORDS[3]))
    negative["transactions"][0]["amount"] = "-2000.00"
    year_one = json.loads(json.dumps(RECORDS[4]))
    for holder, key in (
        (year_one, "reported_at"),
        (year_one["incident"], "occurred_from"),
        (year_one["incident"], "occurred_to"),
        (year_one["incident"], "discovered_at"),
    ):
        holder[key] = "0001-01-01T00:00:00+08:00"
    return [RECORDS[0], bad_id, no_uuid, negative, "{not json", year_one]


def test_mixed_file_keeps_the_valid_records_and_reports_the_others(station_copy, tmp_path):
    mixed = write_jsonl(tmp_path / "mixed.jsonl", _mixed_records())
    proc = intake("case", "import", str(mixed), "--officer", ADMIN, "--json", data_dir=station_copy)
    assert proc.returncode == 1, proc.stderr
    results = data(proc)
    assert [r["index"] for r in results] == [0, 1, 2, 3, 4, 5]
    registered = {r["index"]: r["case_no"] for r in results if "case_no" in r}
    assert sorted(registered) == [0, 2]
    assert all(CASE_NO.match(n) for n in registered.values())
    assert results[0]["uuid"] == RECORDS[0]["uuid"]
    errors = {r["index"]: r["errors"] for r in results if "errors" in r}
    assert sorted(errors) == [1, 3, 4, 5]
    for problems in errors.values():
        assert problems, "a failed record must say why"
        for problem in problems:
            assert set(problem) == {"code", "field", "message"}
            assert problem["message"]
    assert ("id_checksum", "reporter.id_number") in {(p["code"], p["field"]) for p in errors[1]}
    assert "报案人·证件号码" in errors[1][0]["message"]
    assert ("amount_not_positive", "transactions[0].amount") in {
        (p["code"], p["field"]) for p in errors[3]
    }
    assert [p["code"] for p in errors[4]] == ["json_invalid"]
    assert "第5行" in errors[4][0]["message"]
    assert ("time_format", "reported_at") in {(p["code"], p["field"]) for p in errors[5]}

    # The invalid records are written nowhere.
    for query in ("孙国强", "刘桂兰", "周婷"):
        found = data(
            ok(intake("case", "search", query, "--officer", ADMIN, "--json", data_dir=station_copy))
        )
        assert found == [], query

    # Again, in words: the registered ones are known (also the one without a uuid), nothing new.
    again = intake("case", "import", str(mixed), "--officer", ADMIN, data_dir=station_copy)
    assert again.returncode == 1
    assert f"第1条：已存在 {registered[0]}" in again.stdout
    assert f"第3条：已存在 {registered[2]}" in again.stdout
    assert "共6条：新登记0条，已存在2条，失败4条" in again.stdout
    assert "第2条：未登记" in again.stderr and "校验位错误" in again.stderr
    status = data(ok(intake("status", "--officer", ADMIN, "--json", data_dir=station_copy)))
    assert status["cases"] == 2


# --- show, search, export ------------------------------------------------------------------


@pytest.mark.parametrize("index", range(len(RECORDS)))
def test_show_returns_every_imported_field_unchanged(loaded, index):
    case_no = loaded.case_nos[index]
    shown = data(
        ok(intake("case", "show", case_no, "--officer", ADMIN, "--json", data_dir=loaded.data_dir))
    )
    assert_contains(RECORDS[index], shown)
    assert shown["case_no"] == case_no
    assert shown["uuid"] == RECORDS[index]["uuid"]
    assert (shown["revision"], shown["status"]) == (1, "registered")


def _queries(record: dict[str, Any], case_no: str, word: str) -> list[str]:
    """Everything a case must be found by: its number, people, accounts, leads and words."""
    queries = [case_no, word]
    for person in (record["reporter"], record["victim"]):
        if person:
            queries += [person["name"], person["id_number"], person["phone"]]
    for tx in record["transactions"]:
        queries += [tx["payee_account"], tx["payer_account"], tx["payee_name"], tx["serial_no"]]
    queries += [ident["value"] for ident in record["identifiers"]]
    return [q for q in dict.fromkeys(queries) if q.strip()]


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(RECORDS)))
def test_search_finds_each_case_by_each_identifier_in_it(loaded, index, monkeypatch, capsys):
    # In-process (the same main() the entry point runs): ~100 look-ups, too many for processes.
    monkeypatch.setenv("INTAKE_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.delenv("INTAKE_LANG", raising=False)
    case_no = loaded.case_nos[index]
    missed = []
    for query in _queries(RECORDS[index], case_no, NARRATIVE_WORDS[index]):
        code = main(
            [
                "case",
                "search",
                query,
                "--officer",
                ADMIN,
                "--json",
                "--data-dir",
                str(loaded.data_dir),
            ]
        )
        out = capsys.readouterr().out
        assert code == 0
        if case_no not in {r["case_no"] for r in json.loads(out)}:
            missed.append(query)
    assert missed == []


def test_search_in_a_fresh_process_by_each_kind_of_query(loaded):
    nos = loaded.case_nos

    def search(query: str) -> list[str]:
        proc = ok(
            intake("case", "search", query, "--officer", ADMIN, "--json", data_dir=loaded.data_dir)
        )
        results = data(proc)
        for row in results:
            # Lists show masked ID numbers only.
            assert "*" in row["reporter_id"]
        assert RECORDS[4]["reporter"]["id_number"] not in proc.stdout
        return [r["case_no"] for r in results]

    # A case number as read over the phone: no dashes.
    assert search(nos[5].replace("-", "")) == [nos[5]]
    # An ID number with a lowercase x.
    assert search(RECORDS[4]["reporter"]["id_number"].lower()) == [nos[4]]
    # A suspect's phone with the country code; two cases share it.
    assert set(search("+86 170 8521 3396")) == {nos[0], nos[1]}
    # A payee card number with spaces; two cases paid into it.
    assert set(search("6222 0272 8966 1390 569")) == {nos[0], nos[1]}
    # A link without its scheme, and a word of a narrative.
    assert search("etc-renzheng.top/auth") == [nos[0]]
    assert search("逮捕令") == [nos[3]]
    assert search("没有这个人") == []


def test_export_writes_json_lines(loaded, tmp_path):
    out = tmp_path / "out" / "cases.jsonl"
    result = data(
        ok(
            intake(
                "case",
                "export",
                "-o",
                str(out),
                "--officer",
                ADMIN,
                "--json",
                data_dir=loaded.data_dir,
            )
        )
    )
    assert result == {"path": str(out), "count": len(RECORDS), "encrypted": False}
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["case_no"] for line in lines) == sorted(loaded.case_nos)
    by_uuid = {line["uuid"]: line for line in lines}
    for record in RECORDS:
        assert_contains(record, by_uuid[record["uuid"]])

    later = tmp_path / "later.jsonl"
    result = data(
        ok(
            intake(
                "case",
                "export",
                "--since",
                "2099-01-01T00:00:00+08:00",
                "-o",
                str(later),
                "--officer",
                ADMIN,
                "--json",
                data_dir=loaded.data_dir,
            )
        )
    )
    assert result["count"] == 0
    assert later.read_text(encoding="utf-8") == ""


# --- revise and void -----------------------------------------------------------------------


def test_revise_makes_revision_2(loaded, loaded_copy, tmp_path):
    case_no = loaded.case_nos[0]
    fixed = json.loads(json.dumps(RECORDS[0]))
    fixed["incident"]["narrative"] += "补充：报案人另称前一天曾接到自称ETC客服的来电。"
    path = tmp_path / "fixed.json"
    path.write_text(json.dumps(fixed, ensure_ascii=False), encoding="utf-8")

    args = ("case", "revise", case_no, str(path), "--officer", OFFICER, "--json")
    revised = data(
        ok(intake(*args, "--note", "补充笔录", data_dir=loaded_copy, password=OFFICER_PASSWORD))
    )
    assert revised == {"case_no": case_no, "revision": 2, "changed": True}

    shown = data(
        ok(intake("case", "show", case_no, "--officer", ADMIN, "--json", data_dir=loaded_copy))
    )
    assert shown["revision"] == 2
    assert shown["revised_by"] == OFFICER
    assert_contains(fixed, shown)

    same = data(ok(intake(*args, data_dir=loaded_copy, password=OFFICER_PASSWORD)))
    assert same == {"case_no": case_no, "revision": 2, "changed": False}

    history = data(
        ok(intake("case", "history", case_no, "--officer", ADMIN, "--json", data_dir=loaded_copy))
    )
    assert [h["revision"] for h in history] == [1, 2]
    assert history[1]["note"] == "补充笔录"
    assert [c["field"] for c in history[1]["changes"]] == ["incident.narrative"]


def test_void_needs_a_supervisor(loaded, loaded_copy, tmp_path):
    case_no = loaded.case_nos[4]
    args = ("case", "void", case_no, "--reason", "重复报案")
    refused = intake(
        *args, "--officer", OFFICER, "--json", data_dir=loaded_copy, password=OFFICER_PASSWORD
    )
    message = failed(refused)
    assert OFFICER in message and "带班领导" in message
    assert refused.stdout == ""

    voided = data(
        ok(
            intake(
                *args,
                "--officer",
                SUPERVISOR,
                "--json",
                data_dir=loaded_copy,
                password=SUPERVISOR_PASSWORD,
            )
        )
    )
    assert voided == {"case_no": case_no, "status": "voided"}

    shown = data(
        ok(
            intake(
                "case",
                "show",
                case_no,
                "--officer",
                OFFICER,
                "--json",
                data_dir=loaded_copy,
                password=OFFICER_PASSWORD,
            )
        )
    )
    assert (shown["status"], shown["void_reason"]) == ("voided", "重复报案")

    path = tmp_path / "late.json"
    path.write_text(json.dumps(RECORDS[4], ensure_ascii=False), encoding="utf-8")
    late = intake("case", "revise", case_no, str(path), "--officer", ADMIN, data_dir=loaded_copy)
    assert "已作废" in failed(late)


# --- audit, backup, restore ----------------------------------------------------------------


def test_audit_verify_names_the_altered_entry(loaded, loaded_copy):
    verified = data(
        ok(intake("audit", "verify", "--officer", ADMIN, "--json", data_dir=loaded_copy))
    )
    assert verified["ok"] is True and verified["findings"] == []
    assert verified["entries"] >= 1 + 3 + len(RECORDS)  # init, officers, one per case

    conn = connect_raw(loaded_copy / DB_FILENAME, desk_key(loaded_copy))
    try:
        (seq,) = conn.execute(
            "SELECT seq FROM audit_log WHERE action = 'create' AND object_id = ?",
            (loaded.case_nos[2],),
        ).fetchone()
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET officer = '100002' WHERE seq = ?", (seq,))
        conn.commit()
    finally:
        conn.close()

    tampered = intake("audit", "verify", "--officer", ADMIN, data_dir=loaded_copy)
    message = failed(tampered)
    assert f"#{seq} altered" in message
    assert "审计日志被篡改" in message

    as_json = intake("audit", "verify", "--officer", ADMIN, "--json", data_dir=loaded_copy)
    assert as_json.returncode == 1
    report = data(as_json)
    assert report["ok"] is False
    assert {"seq": seq, "kind": "altered"} in [
        {"seq": f["seq"], "kind": f["kind"]} for f in report["findings"]
    ]


@pytest.mark.slow
def test_backup_and_restore(loaded, loaded_copy, tmp_path):
    case_no = loaded.case_nos[0]
    backup = tmp_path / "usb" / "desk-backup.db"
    made = data(
        ok(intake("backup", "-o", str(backup), "--officer", ADMIN, "--json", data_dir=loaded_copy))
    )
    assert made["sha256"] == hashlib.sha256(backup.read_bytes()).hexdigest()

    ok(
        intake(
            "case",
            "void",
            case_no,
            "--reason",
            "误报",
            "--officer",
            SUPERVISOR,
            data_dir=loaded_copy,
            password=SUPERVISOR_PASSWORD,
        )
    )
    restored = data(
        ok(intake("restore", str(backup), "--officer", ADMIN, "--json", data_dir=loaded_copy))
    )
    assert Path(restored["safety_copy"]).is_file()
    shown = data(
        ok(intake("case", "show", case_no, "--officer", ADMIN, "--json", data_dir=loaded_copy))
    )
    assert shown["status"] == "registered"

    # Onto a new PC: the backup's keyring (beside it) opens with an officer's password.
    assert (backup.parent / "desk-backup.db.keyring").is_file()
    fresh = tmp_path / "new-pc"
    ok(intake("restore", str(backup), "--officer", ADMIN, data_dir=fresh))
    shown = data(ok(intake("case", "show", case_no, "--officer", ADMIN, "--json", data_dir=fresh)))
    assert_contains(RECORDS[0], shown)

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    refused = intake("restore", str(junk), "--officer", ADMIN, "--lang", "en", data_dir=loaded_copy)
    assert "not a valid backup" in failed(refused)


# --- usage, passwords, options, languages --------------------------------------------------


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (("frobnicate",), "invalid choice"),
        (("case", "void", "130209510000-2026-000001-0", "--officer", ADMIN), "--reason"),
        (("case", "show", "130209510000-2026-000001-0"), "--officer"),
        (
            (
                "officer",
                "add",
                "--badge",
                "100010",
                "--name",
                "孙八",
                "--role",
                "chief",
                "--officer",
                ADMIN,
            ),
            "--role",
        ),
    ],
    ids=["unknown-command", "missing-reason", "missing-officer", "bad-role"],
)
def test_usage_errors_exit_2(station, args, mentions):
    proc = intake(*args, data_dir=station.data_dir)
    message = failed(proc, code=2)
    assert "usage:" in message and mentions in message
    assert proc.stdout == ""


def test_wrong_or_missing_password(loaded):
    case_no = loaded.case_nos[0]
    args = ("case", "show", case_no, "--officer", ADMIN, "--json")
    wrong = intake(*args, data_dir=loaded.data_dir, password="not-the-password")
    assert "警号或密码错误" in failed(wrong)
    assert wrong.stdout == ""

    unknown = intake("case", "show", case_no, "--officer", "999999", data_dir=loaded.data_dir)
    assert failed(unknown) == wrong.stderr  # an unknown badge reads like a wrong password

    missing = intake(*args, data_dir=loaded.data_dir, password=None)
    assert "INTAKE_PASSWORD" in failed(missing)
    assert missing.stdout == ""


def test_data_folder_from_the_environment_and_options_anywhere(loaded, tmp_path):
    case_no = loaded.case_nos[1]
    # Common options before the command, the data folder from INTAKE_DATA_DIR.
    proc = intake(
        "--lang",
        "en",
        "case",
        "show",
        case_no,
        "--officer",
        ADMIN,
        "--json",
        env={"INTAKE_DATA_DIR": str(loaded.data_dir)},
    )
    assert data(ok(proc))["case_no"] == case_no

    # --data-dir wins over INTAKE_DATA_DIR.
    found = intake(
        "case",
        "search",
        RECORDS[1]["reporter"]["name"],
        "--json",
        "--officer",
        ADMIN,
        data_dir=loaded.data_dir,
        env={"INTAKE_DATA_DIR": str(tmp_path / "elsewhere")},
    )
    assert [r["case_no"] for r in data(ok(found))] == [case_no]

    empty = intake(
        "case",
        "show",
        case_no,
        "--officer",
        ADMIN,
        env={"INTAKE_DATA_DIR": str(tmp_path / "nothing")},
    )
    message = failed(empty)
    assert str(tmp_path / "nothing") in message and "intake-app init" in message


def test_messages_in_chinese_by_default_and_in_english_on_request(loaded):
    missing = make_case_no(STATION, 2026, 999_999)
    args = ("case", "show", missing, "--officer", ADMIN)
    assert f"找不到案件“{missing}”" in failed(intake(*args, data_dir=loaded.data_dir))
    assert f'No case "{missing}"' in failed(intake(*args, "--lang", "en", data_dir=loaded.data_dir))
    from_env = intake(*args, data_dir=loaded.data_dir, env={"INTAKE_LANG": "en"})
    assert f'No case "{missing}"' in failed(from_env)
