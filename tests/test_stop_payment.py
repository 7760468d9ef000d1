"""Stop-payment items, outcomes, queue, reminders, figures, the request sheet and its audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlite_utils import Database

from intake_app.domain.errors import IntakeError
from intake_app.domain.stop_payment import RED

from intake_app.store import audit, cipher
from intake_app.store.db import Store
from intake_app.store.migrations import migrations

from intake_app.services.desk import Desk
from intake_app.services.stop_payment import SHEET

from tests.conftest import ADMIN, ADMIN_PASSWORD, STATION_NAME
from tests.pdfcheck import pdf_fonts, pdf_text, squeezed


@pytest.fixture
def cases(desk, admin, tangshan_cases):
    return [r.case_no for r in desk.intake.import_records(tangshan_cases, admin)]


def items_of(desk, case_no):
    return desk.stop_payment.case_entries(case_no)


def outcome_count(desk) -> int:
    return desk.store.one("SELECT COUNT(*) FROM stop_outcomes")[0]


def test_each_transaction_naming_a_payee_account_becomes_an_item(desk, cases, tangshan_cases):
    counts = [len(items_of(desk, n)) for n in cases]
    assert counts == [
        len([t for t in c["transactions"] if t["payee_account"]]) for c in tangshan_cases
    ]
    first = items_of(desk, cases[1])[0]
    assert first.item.payee_account == "6222027289661390569"
    assert first.item.amount_fen == 2_000_000
    assert first.state.state == "pending"
    # the item's uuid is stable: the case's uuid and the transaction's position
    again = desk.stop_payment.entry(first.item.uuid)
    assert again.item.id == first.item.id


def test_the_bank_comes_from_the_bin_table_when_the_case_lacks_it(desk, cases):
    entries = items_of(desk, cases[5])
    assert entries[0].item.payee_bank == ""
    assert entries[1].bank == "中国邮政储蓄银行"
    # A phone-number Alipay account matches no BIN: no bank is invented.
    assert entries[0].bank == ""
    match = desk.bins.lookup("6222027289661390569")
    assert match is not None
    assert (
        desk.stop_payment.bank_of(
            type(entries[0].item)(
                **{**entries[0].item.__dict__, "payee_account": "6222027289661390569"}
            )
        )
        == match.bank_name
    )


def test_the_queue_puts_red_first_then_the_nearest_deadline(desk, admin, cases, clock):
    sp = desk.stop_payment
    e = {n: items_of(desk, n) for n in cases}
    # Case 3: one item requested and stopped, one requested (awaiting the bank's answer).
    t = clock.now
    sp.record(e[cases[2]][0].ref, "requested", admin, at=t - timedelta(minutes=5))
    sp.record(e[cases[2]][0].ref, "stopped", admin, at=t - timedelta(minutes=4), amount_fen=100)
    sp.record(e[cases[2]][1].ref, "requested", admin, at=t - timedelta(minutes=3))
    clock.now = t + timedelta(minutes=10)
    queue = sp.queue()
    levels = [q.urgency.level for q in queue]
    assert levels == sorted(levels, key=["red", "amber", "normal", "done"].index)
    # 10 minutes after registering everything is still "normal"; pending items come first
    # because their deadline (the 30-minute target) is nearest.
    assert queue[0].state.state == "pending"
    clock.now = t + timedelta(hours=43)
    queue = sp.queue()
    # the pending items are overdue (red), so is the stop that ends in 5 hours: the stop's
    # deadline is later than the request target, so the pending ones come first
    reds = [q for q in queue if q.urgency.level == RED]
    assert reds[-1].state.state == "stopped"
    assert all(q.state.state == "pending" for q in reds[:-1])
    deadlines = [q.urgency.deadline for q in reds]
    assert deadlines == sorted(deadlines)
    # the requested item, awaiting the bank, comes after all red ones
    assert queue[len(reds)].state.state == "requested"


def test_recording_an_outcome_appends_a_row_and_an_audit_entry(desk, admin, cases, clock):
    sp = desk.stop_payment
    ref = items_of(desk, cases[1])[0].ref
    before = audit.entries(desk.store.conn, object_id=cases[1])
    sp.record(ref, "requested", admin)
    clock.now += timedelta(minutes=40)
    stopped = sp.record(ref, "stopped", admin, amount_fen=1_999_900)
    assert stopped.until == clock.now + timedelta(hours=48)
    assert len(stopped.uuid) == 36
    entries = audit.entries(desk.store.conn, object_id=cases[1])
    assert len(entries) == len(before) + 2
    newest = entries[0]
    assert newest["action"] == audit.STOP_OUTCOME == "stop_outcome"
    assert newest["officer"] == ADMIN
    assert newest["detail"]["outcome"] == "stopped"
    assert newest["detail"]["amount_fen"] == 1_999_900
    assert newest["detail"]["uuid"] == stopped.uuid
    assert desk.audit.verify().ok
    state = sp.entry(ref).state
    assert state.state == "stopped" and state.stopped_fen == 1_999_900


def test_a_refused_outcome_writes_nothing(desk, admin, cases):
    sp = desk.stop_payment
    ref = items_of(desk, cases[1])[0].ref
    sp.record(ref, "requested", admin)
    seq = audit.entries(desk.store.conn, limit=1)[0]["seq"]
    rows = outcome_count(desk)
    for kwargs, code in (
        ({"outcome": "stopped", "amount_fen": 2_000_001}, "sp_amount_over_transferred"),
        ({"outcome": "frozen", "amount_fen": 100}, "sp_freeze_without_stop"),
        ({"outcome": "bribed"}, "sp_outcome_unknown"),
        (
            {"outcome": "stopped", "amount_fen": 1, "at": "2026-11-24T03:00:00+08:00"},
            "sp_time_before_transfer",
        ),
        ({"outcome": "stopped", "amount_fen": 1, "at": "yesterday"}, "time_format"),
    ):
        outcome = kwargs.pop("outcome")
        with pytest.raises(IntakeError) as info:
            sp.record(ref, outcome, admin, **kwargs)
        assert info.value.code == code
        assert info.value.field in ("outcome", "amount", "outcome_at")
    assert outcome_count(desk) == rows
    assert audit.entries(desk.store.conn, limit=1)[0]["seq"] == seq
    with pytest.raises(IntakeError) as info:
        sp.record("99999", "requested", admin)
    assert info.value.code == "sp_item_not_found"


def test_outcomes_are_append_only(desk, admin, cases):
    desk.stop_payment.record(items_of(desk, cases[0])[0].ref, "requested", admin)
    for sql in ("UPDATE stop_outcomes SET amount_fen = 5", "DELETE FROM stop_outcomes"):
        with pytest.raises(cipher.DatabaseError, match="append-only"):
            desk.store.conn.execute(sql)


def test_revising_a_case_updates_its_items_and_voiding_takes_them_off_the_queue(desk, admin, cases):
    case_no = cases[1]
    record = desk.intake.show(case_no)
    record["transactions"][0]["amount"] = "19000.00"
    del record["transactions"][2]
    desk.intake.revise(case_no, record, admin)
    entries = items_of(desk, case_no)
    assert [e.item.tx_index for e in entries] == [0, 1]
    assert entries[0].item.amount_fen == 1_900_000
    desk.stop_payment.record(entries[0].ref, "requested", admin)
    with pytest.raises(IntakeError) as info:
        desk.stop_payment.record(entries[0].ref, "stopped", admin, amount_fen=1_900_001)
    assert info.value.code == "sp_amount_over_transferred"
    open_before = {q.item.case_no for q in desk.stop_payment.queue()}
    assert case_no in open_before
    desk.intake.void(case_no, "重复报案", admin)
    assert case_no not in {q.item.case_no for q in desk.stop_payment.queue()}


def test_reminders_follow_the_injected_clock(desk, admin, cases, clock):
    sp = desk.stop_payment
    registered = clock.now
    clock.now = registered + timedelta(minutes=29, seconds=59)
    assert sp.reminders() == []
    clock.now = registered + timedelta(minutes=30)
    overdue = sp.reminders()
    assert {r.kind for r in overdue} == {"request_overdue"}
    assert len(overdue) == len(sp.queue())
    # request and stop one item; its stop ends 48 hours later
    ref = items_of(desk, cases[3])[0].ref
    sp.record(ref, "requested", admin)
    stop = sp.record(ref, "stopped", admin, amount_fen=200_000)
    assert stop.until is not None
    kinds = lambda: {r.entry.ref: r.kind for r in sp.reminders()}  # noqa: E731
    clock.now = stop.until - timedelta(hours=6, minutes=1)
    assert ref not in kinds()
    clock.now = stop.until - timedelta(hours=6)
    assert kinds()[ref] == "stop_ending"
    frozen = sp.record(ref, "frozen", admin, amount_fen=200_000)
    assert ref not in kinds()
    assert frozen.until is not None
    clock.now = frozen.until - timedelta(days=15, minutes=1)
    assert ref not in kinds()
    clock.now = frozen.until - timedelta(days=15)
    assert kinds()[ref] == "freeze_ending"


def test_urgent_cases_are_those_with_a_request_in_the_last_48_hours(desk, admin, cases, clock):
    sp = desk.stop_payment
    assert sp.urgent_case_ids() == []
    first = desk.intake.find(cases[0])
    third = desk.intake.find(cases[3])
    sp.record(items_of(desk, cases[0])[0].ref, "requested", admin)
    clock.now += timedelta(hours=1)
    sp.record(items_of(desk, cases[3])[0].ref, "requested", admin)
    assert sp.urgent_case_ids() == [third.id, first.id]
    assert sp.urgent_case_ids(clock.now + timedelta(hours=47, minutes=30)) == [third.id]
    assert sp.urgent_case_ids(clock.now + timedelta(hours=48, minutes=1)) == []


def test_figures_by_day_and_by_bank(desk, admin, cases, clock):
    sp = desk.stop_payment
    a, b = items_of(desk, cases[1])[:2]  # 工商银行 and 建设银行, 20,000 each
    c = items_of(desk, cases[5])[1]  # no bank entered: the BIN table says 邮政储蓄银行
    for entry in (a, b, c):
        sp.record(entry.ref, "requested", admin)
    sp.record(a.ref, "stopped", admin, amount_fen=1_000_000)
    sp.record(c.ref, "stopped", admin, amount_fen=150_000)
    clock.now += timedelta(days=1)
    sp.record(a.ref, "stopped_again", admin, amount_fen=1_000_000)  # not counted twice
    sp.record(a.ref, "frozen", admin, amount_fen=900_000)
    sp.record(b.ref, "failed", admin, reason="withdrawn")
    figures = sp.figures()
    assert figures.total.stopped_fen == 1_150_000
    assert figures.total.frozen_fen == 900_000
    assert figures.total.returned_fen == 0
    assert list(figures.by_day) == [date(2026, 11, 30), date(2026, 12, 1)]
    assert figures.by_day[date(2026, 11, 30)].stopped_fen == 1_150_000
    assert figures.by_day[date(2026, 12, 1)].frozen_fen == 900_000
    assert figures.by_bank["中国工商银行"].stopped_fen == 1_000_000
    assert figures.by_bank["中国邮政储蓄银行"].stopped_fen == 150_000
    assert "中国建设银行" not in figures.by_bank


def test_the_request_sheet_lists_each_bank_with_what_it_checks(desk, admin, cases, tangshan_cases):
    case_no = cases[2]  # 380,000 to 建设银行, twice 500,000 to 工商银行
    printed = desk.stop_payment.print_sheet(case_no, admin)
    assert printed.document == SHEET
    text = pdf_text(printed.pdf)
    flat = squeezed(text)
    record = tangshan_cases[2]
    victim = record.get("victim") or record["reporter"]
    assert "紧急止付申请表" in flat
    assert case_no in flat
    assert squeezed(STATION_NAME) in flat
    assert victim["name"] in flat and victim["id_number"] in flat
    # one section per bank, each listing its payee name, account, amount, time and serial
    assert flat.count("收款银行：中国建设银行") == 1
    assert flat.count("收款银行：中国工商银行") == 1
    assert "（2笔，合计¥1,000,000.00）" in flat
    for t in record["transactions"]:
        assert squeezed(t["payee_name"]) in flat
        assert t["payee_account"] in flat
        if t["serial_no"]:
            assert t["serial_no"] in flat
    assert "¥380,000.00" in flat and "2026年11月26日09:48" in flat
    assert "张伟（警号100001）" in flat  # the requesting officer
    assert "申请时间：2026年11月30日18:00" in flat
    assert all(f["emb"] == "yes" for f in pdf_fonts(printed.pdf))
    entries = audit.entries(desk.store.conn, object_id=case_no)
    assert entries[0]["action"] == "print"
    assert entries[0]["detail"]["document"] == SHEET
    # a second print is logged as a reprint
    desk.stop_payment.print_sheet(case_no, admin)
    assert audit.entries(desk.store.conn, object_id=case_no)[0]["action"] == "reprint"


def test_a_sheet_names_an_unknown_bank_and_a_case_without_payees_is_refused(desk, admin, cases):
    flat = squeezed(pdf_text(desk.stop_payment.render_sheet(cases[5], admin).pdf))
    assert "收款银行：中国邮政储蓄银行" in flat
    assert "收款银行未识别" in flat  # the Alipay account
    with pytest.raises(IntakeError) as info:
        desk.stop_payment.render_sheet(cases[4], admin)
    assert info.value.code == "sp_no_items"


def test_mark_requested_records_each_pending_item_once(desk, admin, cases):
    sp = desk.stop_payment
    done = sp.mark_requested(cases[1], admin)
    assert len(done) == 3
    assert sp.mark_requested(cases[1], admin) == []
    assert {e.state.state for e in items_of(desk, cases[1])} == {"requested"}


def test_the_migration_makes_items_for_cases_registered_before_it(data_dir, desk, admin, cases):
    expected = desk.store.all("SELECT uuid, case_id, tx_index, amount_fen FROM stop_items")
    conn = desk.store.conn
    conn.execute("DROP TABLE stop_outcomes")
    conn.execute("DROP TABLE stop_items")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_stop_payment'")
    key = desk.key
    desk.close()
    with Store.open(Desk.db_path(data_dir), key=key) as store:
        rows = store.all("SELECT uuid, case_id, tx_index, amount_fen FROM stop_items")
    assert sorted(map(tuple, rows)) == sorted(map(tuple, expected))
    assert len(rows) == 11
    reopened = Desk.open(data_dir, auto_backup=False)
    reopened.auth.login(ADMIN, ADMIN_PASSWORD)
    reopened.close()


def test_outcome_records_for_the_sync_name_item_and_case_by_uuid(desk, admin, cases, clock):
    sp = desk.stop_payment
    entry = items_of(desk, cases[1])[2]
    first = sp.record(entry.ref, "requested", admin)
    clock.now += timedelta(minutes=5)
    second = sp.record(entry.ref, "stopped", admin, amount_fen=500_000)
    records = sp.outcome_records()
    assert [r["uuid"] for r in records] == [first.uuid, second.uuid]
    newest = records[-1]
    case = desk.intake.find(cases[1])
    assert newest["case_uuid"] == case.uuid and newest["case_no"] == cases[1]
    assert newest["item_uuid"] == entry.item.uuid and newest["transaction"] == 2
    assert (newest["outcome"], newest["amount_fen"], newest["seq"]) == ("stopped", 500_000, 2)
    assert newest["at"] == "2026-11-30T18:05:00+08:00"
    assert sp.outcome_records(records[0]["recorded_at"]) == [newest]
    assert sp.outcome_records(newest["recorded_at"]) == []


def test_items_never_requested_leave_the_queue_a_week_after_registering(desk, admin, cases, clock):
    sp = desk.stop_payment
    ref = items_of(desk, cases[0])[0].ref
    sp.record(ref, "requested", admin)
    clock.now += timedelta(days=7, seconds=1)
    assert [e.ref for e in sp.queue()] == [ref]
    assert len(sp.queue(open_only=False)) == 11  # still there, and in the case's list
    assert len(items_of(desk, cases[1])) == 3


def test_a_revision_that_drops_a_transaction_leaves_outcomes_with_their_account(
    desk, admin, cases, clock
):
    sp = desk.stop_payment
    case_no = cases[1]
    first, second, third = items_of(desk, case_no)
    sp.record(first.ref, "requested", admin)
    clock.now += timedelta(minutes=5)
    sp.record(first.ref, "stopped", admin, amount_fen=80_500)
    record = desk.intake.show(case_no)
    dropped = record["transactions"].pop(0)
    desk.intake.revise(case_no, record, admin)
    entries = items_of(desk, case_no)
    # The others keep their item (uuid, account, amount, no outcomes), one place earlier.
    assert [(e.item.uuid, e.item.payee_account, e.item.amount_fen) for e in entries] == [
        (e.item.uuid, e.item.payee_account, e.item.amount_fen) for e in (second, third)
    ]
    assert [e.item.tx_index for e in entries] == [0, 1]
    assert [e.state.state for e in entries] == ["pending", "pending"]
    gone = sp.entry(first.item.uuid)
    assert not gone.item.active and gone.state.state == "stopped"
    assert gone.item.payee_account == first.item.payee_account
    # The transaction comes back, at the end: its item is active again, outcomes and all.
    record["transactions"].append(dropped)
    desk.intake.revise(case_no, record, admin)
    entries = items_of(desk, case_no)
    assert [e.item.uuid for e in entries] == [second.item.uuid, third.item.uuid, first.item.uuid]
    assert entries[2].state.state == "stopped" and entries[2].item.tx_index == 2


def test_a_changed_amount_or_account_is_a_new_item_and_never_takes_outcomes(desk, admin, cases):
    sp = desk.stop_payment
    case_no = cases[1]
    first, second, _ = items_of(desk, case_no)
    sp.record(first.ref, "requested", admin)
    record = desk.intake.show(case_no)
    record["transactions"][0]["amount"] = "19000.00"
    record["transactions"][1]["payee_account"] = " " + record["transactions"][1]["payee_account"]
    desk.intake.revise(case_no, record, admin)
    entries = items_of(desk, case_no)
    assert entries[0].item.uuid not in (first.item.uuid, second.item.uuid)
    assert (entries[0].item.amount_fen, entries[0].state.state) == (1_900_000, "pending")
    assert not sp.entry(first.item.uuid).item.active
    # Spacing is not a different account: the second transaction keeps its item.
    assert entries[1].item.uuid == second.item.uuid
    records = sp.outcome_records()
    assert [(r["item_uuid"], r["transaction"]) for r in records] == [(first.item.uuid, 0)]


def test_migration_m011_keeps_items_outcomes_and_their_guards(data_dir, desk, admin, cases):
    desk.stop_payment.mark_requested(cases[1], admin)
    tables = ("stop_items", "stop_outcomes")
    before = [list(map(tuple, desk.store.all(f"SELECT * FROM {t} ORDER BY 1"))) for t in tables]
    schema = "SELECT type, name FROM sqlite_master WHERE tbl_name LIKE 'stop_%' ORDER BY name"
    names = list(map(tuple, desk.store.all(schema)))
    # Back to the tables as m006 made them, holding the same rows.
    conn = desk.store.conn
    conn.execute("DROP TABLE stop_outcomes")
    conn.execute("DROP TABLE stop_items")
    conn.execute(
        "DELETE FROM _sqlite_migrations WHERE name IN ('m006_stop_payment', 'm011_stop_item_keys')"
    )
    conn.commit()
    migrations.apply(Database(conn), stop_before="m011_stop_item_keys")
    conn.execute("DELETE FROM stop_items")
    conn.executemany(f"INSERT INTO stop_items VALUES ({', '.join('?' * 17)})", before[0])
    conn.executemany(f"INSERT INTO stop_outcomes VALUES ({', '.join('?' * 13)})", before[1])
    conn.commit()
    key = desk.key
    desk.close()
    with Store.open(Desk.db_path(data_dir), key=key) as store:
        after = [list(map(tuple, store.all(f"SELECT * FROM {t} ORDER BY 1"))) for t in tables]
        assert after == before
        assert list(map(tuple, store.all(schema))) == names
        assert store.one("PRAGMA foreign_key_check") is None
        with pytest.raises(cipher.DatabaseError, match="append-only"):
            store.conn.execute("DELETE FROM stop_outcomes")
        with pytest.raises(cipher.IntegrityError):  # an outcome needs its item
            store.conn.execute("DELETE FROM stop_items")
        with pytest.raises(cipher.IntegrityError):  # active items: one per position
            store.conn.execute(
                "INSERT INTO stop_items SELECT id + 100, uuid || 'x', case_id, tx_index, active, "
                "transfer_at, transfer_utc, amount_fen, method, payer_bank, payer_account, "
                "payee_name, payee_bank, payee_account, serial_no, state, created_at "
                "FROM stop_items WHERE active = 1 LIMIT 1"
            )
