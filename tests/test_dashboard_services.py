"""Leads and prevention events, seized-list matching, the monthly report PDF, and their CLI."""

from __future__ import annotations

import csv
import json

import pytest
from openpyxl import Workbook

from intake_app.domain.errors import IntakeError

from intake_app.store import audit

from intake_app.services.matching import normalize_seized, read_seized_list

from intake_app.cli import main
from tests.conftest import ADMIN, ADMIN_PASSWORD
from tests.pdfcheck import pdf_text, squeezed

LEAD = {
    "source": "company_request",
    "source_detail": "某互联网公司",
    "summary": "开平区有人收购个人银行账户",
    "identifiers": [{"kind": "bank_account", "value": "6222 0212 3456 7890 123"}],
}


@pytest.fixture
def with_cases(desk, admin, tangshan_cases):
    results = list(desk.intake.import_records(tangshan_cases, admin))
    assert all(r.ok for r in results)
    return desk


def _payees(desk) -> list[tuple[str, str]]:
    """(payee account as stored, case number) of the fixture cases."""
    rows = desk.store.conn.execute(
        "SELECT t.term, c.case_no FROM case_terms t JOIN cases c ON c.id = t.case_id "
        "WHERE t.kind = 'payee_account' ORDER BY c.id"
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def _noisy(number: str, style: int) -> str:
    if style == 0:
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    if style == 1:
        return "-".join(number[i : i + 4] for i in range(0, len(number), 4))
    return number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def test_lead_revisions_are_hashed_and_audited(desk, admin):
    row = desk.outreach.add_lead(LEAD, admin)
    stored = desk.outreach.record(row.uuid)
    assert stored["revision"] == 1 and len(stored["sha256"]) == 64
    assert stored["record"]["uuid"] == row.uuid
    revised = desk.outreach.revise_lead(row.uuid, LEAD | {"summary": "核实后补充"}, admin)
    assert revised.revision == 2 and revised.summary == "核实后补充"
    revisions = desk.store.conn.execute(
        "SELECT revision FROM record_revisions WHERE uuid = ?", (row.uuid,)
    ).fetchall()
    assert [r[0] for r in revisions] == [1, 2]
    actions = [e["action"] for e in audit.entries(desk.store.conn, object_id=row.uuid)]
    assert actions == ["revise", "create"]
    with pytest.raises(Exception, match="immutable"):
        desk.store.conn.execute("UPDATE record_revisions SET data = '{}'")


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"source": "company_request"}, "summary"),
        (LEAD | {"source": "report"}, "source"),
        (LEAD | {"received_at": "2027-01-01T00:00:00+08:00"}, "received_at"),
        (LEAD | {"identifiers": [{"kind": "fax", "value": "1"}]}, "identifiers[0].kind"),
    ],
)
def test_bad_leads_name_the_field(desk, admin, record, field):
    with pytest.raises(IntakeError) as err:
        desk.outreach.add_lead(record, admin)
    assert err.value.field == field
    assert desk.outreach.leads() == []


def test_bad_prevention_events_name_the_field(desk, admin):
    good = {
        "held_on": "2026-11-20",
        "kind": "lecture",
        "place": "滨海镇中学",
        "target_group": "students",
        "audience": 100,
    }
    for change, field in (
        ({"held_on": "2026-12-25"}, "held_on"),
        ({"target_group": "pensioners"}, "target_group"),
        ({"audience": -1}, "audience"),
        ({"place": " "}, "venue"),
    ):
        with pytest.raises(IntakeError) as err:
            desk.outreach.add_prevention(good | change, admin)
        assert err.value.field == field, change
    assert desk.outreach.add_prevention(good, admin).audience == 100


def test_matching_a_noisy_csv_list(with_cases, admin, tmp_path):
    desk = with_cases
    desk.outreach.add_lead(LEAD, admin)
    payees = _payees(desk)
    assert len(payees) >= 3
    path = tmp_path / "seized.csv"
    rows = [["序号", "银行卡号", "备注"]]
    for i, (number, _case) in enumerate(payees[:3]):
        rows.append([str(i + 1), _noisy(number, i), "查获"])
    rows.append(["9", "6222-0212-3456-7890-123", "线索号码"])
    rows.append(["10", "6217 0000 0000 0000 001", "无关"])
    rows.append(["11", "", "空行"])
    with path.open("w", encoding="gb18030", newline="") as f:
        csv.writer(f).writerows(rows)
    result = desk.matching.match_file(path)
    assert len(result.entries) == 5
    assert {e.number for e in result.matched} == {n for n, _c in payees[:3]} | {
        "6222021234567890123"
    }
    expected_cases = {c for n, c in payees if n in {p for p, _c in payees[:3]}}
    assert set(result.references("case")) == expected_cases
    assert len(result.references("lead")) == 1
    assert [row for row, _cell in result.skipped] == [7]
    out = tmp_path / "hits.csv"
    count = desk.matching.export(result, out, admin, "zh_CN")
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == count + 1 and "案件" in lines[1]
    entry = audit.entries(desk.store.conn, object_id="hits.csv")[0]
    assert entry["action"] == "export" and entry["detail"]["matched"] == 4


def test_matching_an_xlsx_list_without_header(with_cases, tmp_path):
    desk = with_cases
    number, case_no = _payees(desk)[0]
    book = Workbook()
    sheet = book.active
    sheet.append([1, "’" + number])
    sheet.append([2, 123])
    path = tmp_path / "seized.xlsx"
    book.save(path)
    result = desk.matching.match_file(path)
    assert [e.number for e in result.matched] == [number]
    assert case_no in result.references("case")


def test_normalize_seized():
    assert normalize_seized("６２２２ ０２１２-3456") == "62220212" + "3456"
    assert normalize_seized(6222021234567890) == "6222021234567890"
    assert normalize_seized(6.22e18) == ""  # a spreadsheet float lost the digits
    assert normalize_seized("12-34") == ""
    assert normalize_seized("张三") == ""


def test_a_list_without_numbers_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("姓名,备注\n张三,无\n", encoding="utf-8")
    with pytest.raises(IntakeError) as err:
        read_seized_list(path)
    assert err.value.code == "list_empty"
    with pytest.raises(IntakeError):
        read_seized_list(tmp_path / "list.pdf")


def test_monthly_report_pdf_text(with_cases, admin, tmp_path):
    desk = with_cases
    desk.outreach.add_prevention(
        {
            "held_on": "2026-11-02",
            "kind": "street_campaign",
            "place": "滨海镇集市",
            "target_group": "elderly",
            "audience": 240,
        },
        admin,
    )
    month = desk.statistics.figures(desk.statistics.span("2026-11-01", "2026-11-30"))
    path = tmp_path / "2026-11.pdf"
    report = desk.monthly_report.save("2026-11", path, admin)
    text = squeezed(pdf_text(path.read_bytes()))
    assert report.figures.totals == month.totals
    for expected in (
        "2026年11月反诈工作月报",
        "唐山市公安局曹妃甸分局滨海派出所",
        "统计期间：2026年11月1日至2026年11月30日",
        "报案（件）",
        f"{month.totals['cases']:,}",
        "各类诈骗损失",
        "虚假网络投资理财类",
        "各类人群宣防",
        "老年人",
        "受众（人次）",
        "240",
        "所长（签字）",
    ):
        assert squeezed(expected) in text, expected
    entry = audit.entries(desk.store.conn, object_id="2026-11")[0]
    assert entry["action"] == "export" and entry["detail"]["sha256"] == report.sha256


def test_cli_stats_match_lead_and_prevention(with_cases, data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INTAKE_PASSWORD", ADMIN_PASSWORD)
    with_cases.close()
    common = ["--data-dir", str(data_dir), "--json"]
    assert (
        main(
            [
                "lead",
                "add",
                "--source",
                "public_tip",
                "--summary",
                "举报收购银行卡",
                "--identifier",
                "bank_account:6222021234567890123",
                "--officer",
                ADMIN,
                *common,
            ]
        )
        == 0
    )
    lead = json.loads(capsys.readouterr().out)
    assert lead["record"]["identifiers"][0]["value"] == "6222021234567890123"
    assert (
        main(
            [
                "prevention",
                "add",
                "--date",
                "2026-11-20",
                "--kind",
                "lecture",
                "--place",
                "滨海镇中学",
                "--group",
                "students",
                "--audience",
                "120",
                "--officer",
                ADMIN,
                *common,
            ]
        )
        == 0
    )
    capsys.readouterr()
    stats_args = ["stats", "--from", "2026-11-01", "--to", "2026-11-30", "--officer", ADMIN]
    assert main([*stats_args, *common]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["totals"]["events"] == 1 and stats["totals"]["audience"] == 120
    assert [s["key"] for s in stats["series"]][:2] == ["reports", "loss_by_type"]
    seized = tmp_path / "seized.csv"
    seized.write_text("卡号\n6222 0212 3456 7890 123\n", encoding="utf-8")
    assert main(["match", str(seized), "--officer", ADMIN, *common]) == 0
    matched = json.loads(capsys.readouterr().out)
    assert matched["matched"] == 1 and matched["leads"] == 1
    assert (
        main(
            [
                "report",
                "monthly",
                "--month",
                "2026-13",
                "-o",
                str(tmp_path / "x.pdf"),
                "--officer",
                ADMIN,
                "--data-dir",
                str(data_dir),
            ]
        )
        == 1
    )
    assert "2026-13" in capsys.readouterr().err


def test_changed_since_gives_the_newest_revision_for_sync(desk, admin, clock):
    from datetime import timedelta

    from intake_app.domain.times import utc_stamp

    first = desk.outreach.add_lead(LEAD, admin)
    clock.now += timedelta(minutes=5)
    mark = utc_stamp(clock.now)
    second = desk.outreach.add_lead(LEAD | {"summary": "另一条线索"}, admin)
    clock.now += timedelta(minutes=5)
    desk.outreach.revise_lead(first.uuid, LEAD | {"summary": "核实后补充"}, admin)
    changed = desk.outreach.changed_since("lead", mark)
    assert [(c["uuid"], c["revision"]) for c in changed] == [(second.uuid, 1), (first.uuid, 2)]
    assert changed[1]["record"]["summary"] == "核实后补充"
    assert changed[1]["sha256"] == desk.outreach.record(first.uuid)["sha256"]
    assert len(desk.outreach.changed_since("lead", None)) == 2
    assert desk.outreach.changed_since("prevention", None) == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "must be KIND:VALUE with KIND one of phone, qq, wechat"),
        ("zh_CN", "应写作“类别:值”，类别为phone, qq, wechat"),
    ],
)
def test_cli_lead_identifier_without_a_kind_says_how_to_write_it(
    desk, data_dir, monkeypatch, capsys, lang, expected
):
    monkeypatch.setenv("INTAKE_PASSWORD", ADMIN_PASSWORD)
    desk.close()
    args = ["lead", "add", "--source", "public_tip", "--summary", "举报", "--identifier", "nokind"]
    code = main([*args, "--officer", ADMIN, "--data-dir", str(data_dir), "--lang", lang])
    err = capsys.readouterr().err
    assert code != 0
    assert expected in err and "nokind" in err and "bank_account" in err
    assert "必填" not in err and "required" not in err
