"""`intake-app stop-payment` end to end, in real processes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ADMIN
from tests.pdfcheck import pdf_text, squeezed
from tests.test_cli import data, failed, intake, ok, tangshan_station


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("stop") / "data"
    return folder, tangshan_station(folder)


@pytest.fixture
def folder(loaded, tmp_path) -> tuple[Path, list[str]]:
    source, case_nos = loaded
    return shutil.copytree(source, tmp_path / "data"), case_nos


def sp(*args: str, data_dir: Path):
    return intake("stop-payment", *args, "--officer", ADMIN, data_dir=data_dir)


def test_sheet_by_case_number_then_list_and_record(folder, tmp_path):
    data_dir, case_nos = folder
    out = tmp_path / "sheet.pdf"
    proc = ok(sp(case_nos[1], "-o", str(out), "--requested", data_dir=data_dir))
    assert case_nos[1] in proc.stdout and str(out) in proc.stdout
    text = squeezed(pdf_text(out.read_bytes()))
    assert "紧急止付申请表" in text and "6217009606002330693" in text

    items = data(ok(sp("list", "--open", "--json", data_dir=data_dir)))
    assert len(items) == 11
    mine = [i for i in items if i["case_no"] == case_nos[1]]
    assert {i["state"] for i in mine} == {"requested"}
    item = mine[0]["item"]

    message = failed(
        sp(
            "record",
            str(item),
            "--outcome",
            "stopped",
            "--amount",
            "20000.01",
            "--lang",
            "en",
            data_dir=data_dir,
        )
    )
    assert "Amount" in message and "exceeds" in message
    message = failed(
        sp("record", str(item), "--outcome", "frozen", "--amount", "1", data_dir=data_dir)
    )
    assert "止付结果" in message and "未止付不能冻结" in message
    failed(sp("record", str(item), "--outcome", "refunded", data_dir=data_dir))

    result = data(
        ok(
            sp(
                "record",
                str(item),
                "--outcome",
                "stopped",
                "--amount",
                "19,999.50",
                "--json",
                data_dir=data_dir,
            )
        )
    )
    assert result["state"] == "stopped" and result["stopped"] == "19999.50"
    assert [o["outcome"] for o in result["outcomes"]] == ["requested", "stopped"]
    assert all(len(o["uuid"]) == 36 for o in result["outcomes"])

    figures = data(ok(sp("figures", "--json", data_dir=data_dir)))
    assert figures["total"]["stopped"] == "19999.50"
    assert figures["by_bank"][0]["bank"] == "中国工商银行"
    assert data(ok(sp("urgent", "--json", data_dir=data_dir))) == [case_nos[1]]
    log = data(
        ok(
            intake(
                "audit",
                "log",
                "--object",
                case_nos[1],
                "--json",
                "--officer",
                ADMIN,
                data_dir=data_dir,
            )
        )
    )
    assert [e["action"] for e in log[:5]] == [
        "stop_outcome",
        "stop_outcome",
        "stop_outcome",
        "stop_outcome",
        "print",
    ]


def test_reminders_and_the_sheet_subcommand(folder, tmp_path):
    data_dir, case_nos = folder
    proc = ok(sp("reminders", "--lang", "en", data_dir=data_dir))
    # registered moments ago in real time: nothing is overdue yet
    assert "No stop-payment reminders" in proc.stdout
    out = tmp_path / "s.pdf"
    ok(sp("sheet", case_nos[0], "-o", str(out), "--json", data_dir=data_dir))
    assert out.read_bytes().startswith(b"%PDF")
    message = failed(sp("sheet", case_nos[4], "-o", str(out), data_dir=data_dir))
    assert "没有载明收款账户" in message
