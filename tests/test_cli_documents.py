"""`intake-app receipt` and `intake-app case form` end to end, in real processes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from intake_app.domain.verification import parse_qr_payload

from tests.conftest import ADMIN, FIXTURES
from tests.pdfcheck import pdf_fonts, pdf_text, qr_codes, squeezed
from tests.test_cli import data, failed, intake, ok, tangshan_station

RECORDS = json.loads((FIXTURES / "tangshan_cases.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("printing") / "data"
    return folder, tangshan_station(folder)


@pytest.fixture
def folder(loaded, tmp_path) -> tuple[Path, list[str]]:
    source, case_nos = loaded
    return shutil.copytree(source, tmp_path / "data"), case_nos


def test_receipt_then_reprint(folder, tmp_path):
    data_dir, case_nos = folder
    out = tmp_path / "out" / "receipt.pdf"
    proc = ok(intake("receipt", case_nos[0], "-o", str(out), "--officer", ADMIN, data_dir=data_dir))
    assert str(out) in proc.stdout and case_nos[0] in proc.stdout
    pdf = out.read_bytes()
    text = squeezed(pdf_text(pdf))
    assert case_nos[0] in text and RECORDS[0]["reporter"]["name"] in text
    assert all(f["emb"] == "yes" for f in pdf_fonts(pdf))
    scanned_case, code = parse_qr_payload(qr_codes(pdf)[0])
    assert scanned_case == case_nos[0]
    assert len(code) == 9 and code[4] == "-" and code in text

    message = failed(
        intake("receipt", case_nos[0], "-o", str(out), "--officer", ADMIN, data_dir=data_dir)
    )
    assert "--reprint" in message and case_nos[0] in message
    assert out.read_bytes() == pdf  # the refused print left the first file alone

    reprinted = data(
        ok(
            intake(
                "receipt",
                case_nos[0],
                "-o",
                str(out),
                "--reprint",
                "--officer",
                ADMIN,
                "--json",
                data_dir=data_dir,
            )
        )
    )
    assert reprinted["reprint"] == 1 and reprinted["document"] == "receipt"
    assert "补打（第1次）" in pdf_text(out.read_bytes())
    log = data(
        ok(
            intake(
                "audit",
                "log",
                "--object",
                case_nos[0],
                "--officer",
                ADMIN,
                "--json",
                data_dir=data_dir,
            )
        )
    )
    assert [e["action"] for e in log[:2]] == ["reprint", "print"]
    assert log[0]["detail"]["sha256"] == reprinted["sha256"]
    ok(intake("audit", "verify", "--officer", ADMIN, data_dir=data_dir))


def test_case_form_of_a_revision(folder, tmp_path):
    data_dir, case_nos = folder
    revised = dict(RECORDS[0], reporter=dict(RECORDS[0]["reporter"], phone="13900001111"))
    fixed = tmp_path / "fixed.json"
    fixed.write_text(json.dumps(revised, ensure_ascii=False), encoding="utf-8")
    ok(intake("case", "revise", case_nos[0], str(fixed), "--officer", ADMIN, data_dir=data_dir))
    first, newest = tmp_path / "form-1.pdf", tmp_path / "form.pdf"
    result = data(
        ok(
            intake(
                "case",
                "form",
                case_nos[0],
                "-o",
                str(first),
                "--revision",
                "1",
                "--officer",
                ADMIN,
                "--json",
                data_dir=data_dir,
            )
        )
    )
    assert result["revision"] == 1 and result["reprint"] == 0
    ok(
        intake(
            "case", "form", case_nos[0], "-o", str(newest), "--officer", ADMIN, data_dir=data_dir
        )
    )
    assert "13832517746" in pdf_text(first.read_bytes())
    assert "13900001111" in pdf_text(newest.read_bytes())
    message = failed(
        intake(
            "case",
            "form",
            case_nos[0],
            "-o",
            str(first),
            "--revision",
            "9",
            "--officer",
            ADMIN,
            "--lang",
            "en",
            data_dir=data_dir,
        )
    )
    assert "#9" in message


def test_template_show_and_install(folder, tmp_path):
    data_dir, case_nos = folder
    shown = json.loads(
        ok(intake("receipt", "template", "--show", "--officer", ADMIN, data_dir=data_dir)).stdout
    )
    assert shown["format"] == "intake-receipt-template/1"
    shown["contact_phone"] = "0315-8812110"
    good = tmp_path / "station.json"
    good.write_text(json.dumps(shown, ensure_ascii=False), encoding="utf-8")
    ok(intake("receipt", "template", "--install", str(good), "--officer", ADMIN, data_dir=data_dir))
    out = tmp_path / "r.pdf"
    ok(intake("receipt", case_nos[1], "-o", str(out), "--officer", ADMIN, data_dir=data_dir))
    assert "0315-8812110" in pdf_text(out.read_bytes())

    shown["copies"][0]["mask_phone"] = "no"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(shown, ensure_ascii=False), encoding="utf-8")
    message = failed(
        intake("receipt", "template", "--install", str(bad), "--officer", ADMIN, data_dir=data_dir)
    )
    assert "copies[0].mask_phone" in message and "回执模板" in message
    ok(intake("receipt", "template", "--reset", "--officer", ADMIN, data_dir=data_dir))
    assert (
        json.loads(
            ok(
                intake("receipt", "template", "--show", "--officer", ADMIN, data_dir=data_dir)
            ).stdout
        )["contact_phone"]
        == ""
    )


@pytest.mark.parametrize(
    "args",
    [
        ("receipt", "CASE"),  # no -o
        ("receipt", "template"),  # neither --show nor --install
        ("receipt", "template", "--show", "-o", "x.pdf"),
        ("receipt", "CASE", "-o", "x.pdf", "--show"),
        ("case", "form", "CASE"),  # no -o
    ],
)
def test_usage_errors_exit_2(folder, args):
    data_dir, case_nos = folder
    argv = [case_nos[0] if a == "CASE" else a for a in args]
    failed(intake(*argv, "--officer", ADMIN, data_dir=data_dir), code=2)
