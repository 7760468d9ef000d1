"""Receipts and registration forms, read back as a person or a scanner would read them."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest

from intake_app.domain.errors import IntakeError
from intake_app.domain.identifiers import mask_id, mask_phone
from intake_app.domain.verification import check_verification, parse_qr_payload

from intake_app.store import audit

from intake_app.services.documents import DocumentService
from intake_app.services.pdf_fonts import FontSet

from tests.conftest import ADMIN, STATION_NAME
from tests.pdfcheck import EXT_B_CHAR, make_ext_b_font, pdf_fonts, pdf_text, qr_codes, squeezed

OFFICER, OFFICER_PASSWORD = "100002", "officer-pass-2026"


@pytest.fixture
def cases(desk, admin, tangshan_cases):
    return [r.case_no for r in desk.intake.import_records(tangshan_cases, admin)]


@pytest.fixture
def bare_fonts(desk):
    """Only the bundled fonts: no data-folder or system fallbacks, whatever this machine has."""
    desk.documents._fonts = FontSet([], system=False)
    return desk.documents


def halves(text: str) -> tuple[str, str]:
    """The reporter's copy and the stub of a receipt's text, split at the cut line."""
    top, cut, bottom = text.partition("剪切线")
    assert cut, text
    return squeezed(top), squeezed(bottom)


def template_dict(desk) -> dict:
    return json.loads(desk.documents.template().to_json())


def audit_entries(desk, case_no):
    return list(reversed(audit.entries(desk.store.conn, object_id=case_no)))


# The receipt -------------------------------------------------------------------------------


def test_receipt_holds_every_field_in_text(desk, admin, cases, tangshan_cases):
    case_no = cases[0]
    record = tangshan_cases[0]
    reporter = record["reporter"]
    pdf = desk.documents.receipt_pdf(case_no, admin)
    assert pdf.startswith(b"%PDF")
    reporter_copy, stub = halves(pdf_text(pdf))
    code = desk.documents.verification_code(case_no)
    template = desk.documents.template()
    common = [
        "受案回执",
        case_no,
        reporter["name"],
        "2026年11月21日09:20",  # reported at (whitespace squeezed)
        "盗刷银行卡类（验证码、网络设备）诈骗",  # subject: the fraud type in the template
        STATION_NAME,  # accepting unit
        "张伟（警号100001）",  # accepting officer
        code,
        "2026年11月30日",  # the date printed (the test clock)
    ]
    for value in common:
        assert value in reporter_copy, value
        assert value in stub, value
    for label in ("报案人联",):
        assert label in reporter_copy
    assert "存根联" in stub
    # How and where to follow up, the oversight line, 96110 and the warning: reporter's copy.
    for key in ("follow_up", "oversight", "warning_96110", "warning"):
        assert template.texts[key][:6] in reporter_copy, key
    assert f"或到{STATION_NAME}查询" in reporter_copy
    assert "警务监督电话12389" in reporter_copy
    assert "96110" in reporter_copy and "安全账户" in reporter_copy
    # Personal data: masked on the reporter's copy, in full on the stub (bundled template).
    assert mask_id(reporter["id_number"]) in reporter_copy
    assert reporter["id_number"] not in reporter_copy
    assert mask_phone(reporter["phone"]) in reporter_copy
    assert reporter["phone"] not in reporter_copy
    assert reporter["id_number"] in stub and reporter["phone"] in stub
    assert "¥1,500.00" in stub and "报案人签收" in stub


def test_every_font_is_embedded(desk, admin, cases):
    for pdf in (
        desk.documents.receipt_pdf(cases[0], admin),
        desk.documents.case_form_pdf(cases[3], admin),
    ):
        fonts = pdf_fonts(pdf)
        assert fonts, "no fonts listed"
        assert all(f["emb"] == "yes" and f["uni"] == "yes" for f in fonts), fonts
        assert {f["name"].split("+")[-1] for f in fonts} == {
            "NotoSansSC-Regular",
            "NotoSansSC-Bold",
        }


def test_the_qr_code_decodes_to_the_case_and_a_code_that_checks_out(desk, admin, cases):
    case_no = cases[1]
    pdf = desk.documents.receipt_pdf(case_no, admin)
    payloads = qr_codes(pdf)
    assert len(payloads) == 2  # one on each copy
    assert len(set(payloads)) == 1
    scanned_case, code = parse_qr_payload(payloads[0])
    assert scanned_case == case_no
    row = desk.intake.find(case_no)
    secret = desk.store.setting("station_secret")
    assert check_verification(secret, case_no, row.uuid, code)
    assert desk.documents.check_verification(case_no, code)
    assert desk.documents.check_verification(case_no, code.lower().replace("-", " "))
    assert not desk.documents.check_verification(cases[2], code)
    assert not desk.documents.check_verification(case_no, "AAAA-AAAA")


def test_the_barcode_carries_the_case_number(desk, admin, cases, tmp_path):
    import subprocess

    pdf_path = tmp_path / "r.pdf"
    pdf_path.write_bytes(desk.documents.receipt_pdf(cases[0], admin))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", str(pdf_path), str(tmp_path / "p")], check=True
    )
    page = next(tmp_path.glob("p*.png"))
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Scode128.enable", str(page)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    assert cases[0] in out


def test_reprints_need_asking_are_marked_and_audited(desk, admin, cases):
    case_no = cases[0]
    with pytest.raises(IntakeError) as exc:
        desk.documents.receipt_pdf(case_no, admin, reprint=True)
    assert exc.value.code == "receipt_not_printed"
    first = desk.documents.receipt_pdf(case_no, admin)
    assert "补打" not in pdf_text(first)
    with pytest.raises(IntakeError) as exc:
        desk.documents.receipt_pdf(case_no, admin)
    assert exc.value.code == "receipt_already_printed"
    assert "--reprint" in exc.value.message("zh_CN")
    second = desk.documents.receipt_pdf(case_no, admin, reprint=True)
    third = desk.documents.receipt_pdf(case_no, admin, reprint=True)
    top, stub = halves(pdf_text(second))
    assert "补打（第1次）" in top and "补打（第1次）" in stub
    assert "补打（第2次）" in pdf_text(third)
    prints = [e for e in audit_entries(desk, case_no) if e["action"] in ("print", "reprint")]
    assert [e["action"] for e in prints] == ["print", "reprint", "reprint"]
    for entry, pdf, n in zip(prints, (first, second, third), (0, 1, 2), strict=True):
        assert entry["officer"] == ADMIN
        assert entry["detail"]["document"] == "receipt"
        assert entry["detail"]["revision"] == 1
        assert entry["detail"]["reprint"] == n
        assert entry["detail"]["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert desk.documents.print_count(case_no) == 3
    assert desk.audit.verify().ok


def test_a_voided_case_gets_no_receipt_but_its_form_says_void(desk, admin, cases):
    desk.intake.void(cases[2], "重复报案", admin)
    with pytest.raises(IntakeError) as exc:
        desk.documents.receipt_pdf(cases[2], admin)
    assert exc.value.code == "receipt_case_voided"
    text = squeezed(pdf_text(desk.documents.case_form_pdf(cases[2], admin)))
    assert "已作废" in text and "重复报案" in text


def test_an_officer_prints_too(desk, admin, cases):
    desk.auth.add_officer(admin, OFFICER, "李娜", "officer", OFFICER_PASSWORD)
    officer = desk.auth.login(OFFICER, OFFICER_PASSWORD)
    printed = desk.documents.print_receipt(cases[0], officer)
    assert printed.reprint == 0 and printed.document == "receipt"
    _top, stub = halves(pdf_text(printed.pdf))
    assert "李娜（警号100002）" in stub  # printed by
    assert "张伟（警号100001）" in stub  # accepted by


# Rare characters -----------------------------------------------------------------------------


def rare_name_case(desk, admin, tangshan_cases, name: str) -> str:
    record = copy.deepcopy(tangshan_cases[0])
    record["uuid"] = None
    record["reporter"]["name"] = name
    return desk.intake.register(desk.intake.read_record(record)[0], admin).case_no


def test_a_character_no_font_has_is_refused_naming_field_and_character(
    desk, admin, tangshan_cases, bare_fonts
):
    case_no = rare_name_case(desk, admin, tangshan_cases, f"王{EXT_B_CHAR}")
    for make in (
        lambda: desk.documents.receipt_pdf(case_no, admin),
        lambda: desk.documents.case_form_pdf(case_no, admin),
    ):
        with pytest.raises(IntakeError) as exc:
            make()
        err = exc.value
        assert err.code == "char_not_in_font"
        assert err.field == "reporter.name"
        assert err.params == {"char": EXT_B_CHAR, "codepoint": "U+20BB7"}
        assert "报案人·姓名" in err.message("zh_CN") and EXT_B_CHAR in err.message("zh_CN")
        assert "U+20BB7" in err.message("en")
    # Nothing was printed, so nothing was recorded as printed.
    assert desk.documents.print_count(case_no) == 0
    assert desk.documents.print_count(case_no, "case_form") == 0


def test_a_fallback_font_prints_the_character(desk, admin, tangshan_cases, data_dir):
    make_ext_b_font(data_dir / "fonts" / "TestExtB.ttf")
    desk.documents._fonts = FontSet([data_dir / "fonts"], system=False)
    name = f"王{EXT_B_CHAR}"
    case_no = rare_name_case(desk, admin, tangshan_cases, name)
    for pdf in (
        desk.documents.receipt_pdf(case_no, admin),
        desk.documents.case_form_pdf(case_no, admin),
    ):
        assert name in pdf_text(pdf)
        fonts = pdf_fonts(pdf)
        assert all(f["emb"] == "yes" for f in fonts), fonts
        assert any(f["name"].endswith("+TestExtB") for f in fonts), fonts


def test_invisible_characters_are_dropped_not_refused(desk, admin, tangshan_cases, bare_fonts):
    case_no = rare_name_case(desk, admin, tangshan_cases, "李\u200b四")
    assert "李四" in pdf_text(desk.documents.receipt_pdf(case_no, admin))


# The registration form ---------------------------------------------------------------------


def test_the_form_holds_every_detail(desk, admin, cases, tangshan_cases):
    for case_no, record in zip(cases, tangshan_cases, strict=True):
        text = squeezed(pdf_text(desk.documents.case_form_pdf(case_no, admin)))
        assert "受案登记表" in text
        assert case_no in text
        people = [record["reporter"]] + ([record["victim"]] if record.get("victim") else [])
        for person in people:
            for key in ("name", "id_number", "phone", "address", "occupation"):
                assert squeezed(person[key]) in text, (case_no, key)
            if person.get("birth_date"):
                assert person["birth_date"] in text
        incident = record["incident"]
        assert squeezed(incident["place"]) in text
        assert squeezed(incident["narrative"]) in text, case_no
        for tx in record["transactions"]:
            for key in ("payer_account", "payee_name", "payee_bank", "payee_account", "serial_no"):
                assert squeezed(tx[key]) in text, (case_no, key)
        for ident in record["identifiers"]:
            assert squeezed(ident["value"]) in text
            assert squeezed(ident["note"]) in text
        assert "张伟（警号100001）" in text
        assert "受案意见" in text and "受案审批" in text


def test_the_form_of_each_revision_shows_that_revision(desk, admin, cases, tangshan_cases):
    case_no = cases[0]
    record = copy.deepcopy(tangshan_cases[0])
    record["reporter"]["phone"] = "13900001111"
    record["reporter"]["address"] = "河北省唐山市曹妃甸区唐海镇十一农场二队8号"
    desk.intake.revise(case_no, record, admin, note="更正联系电话和住址")
    first = squeezed(pdf_text(desk.documents.case_form_pdf(case_no, admin, revision=1)))
    second = squeezed(pdf_text(desk.documents.case_form_pdf(case_no, admin)))
    assert "13832517746" in first and "13900001111" not in first
    assert "13900001111" in second
    assert "第1版" in first and "第2版" in second
    assert "十一农场二队8号" in second and "第2版修改内容" in second
    assert "更正联系电话和住址" in second
    again = squeezed(pdf_text(desk.documents.case_form_pdf(case_no, admin, revision=1)))
    assert "补打（第1次）" in again
    prints = [e for e in audit_entries(desk, case_no) if e["action"] in ("print", "reprint")]
    assert [(e["action"], e["detail"]["revision"]) for e in prints] == [
        ("print", 1),
        ("print", 2),
        ("reprint", 1),
    ]
    assert all(e["detail"]["document"] == "case_form" for e in prints)


def test_the_form_lists_evidence_files(desk, admin, tangshan_cases, tmp_path):
    evidence = tmp_path / "转账截图.png"
    evidence.write_bytes(b"\x89PNG fake screenshot")
    record = copy.deepcopy(tangshan_cases[1])
    record["uuid"] = None
    record["attachments"] = [{"path": evidence.name}]
    [result] = desk.intake.import_records([record], admin, tmp_path)
    assert result.ok, result.problems
    text = squeezed(pdf_text(desk.documents.case_form_pdf(result.case_no or "", admin)))
    assert "转账截图.png" in text
    assert hashlib.sha256(evidence.read_bytes()).hexdigest() in text


# The template ------------------------------------------------------------------------------


def test_an_installed_template_changes_wording_numbers_copies_and_masks(desk, admin, cases):
    data = template_dict(desk)
    data["title"] = "接受案件回执"
    data["contact_phone"] = "0315-8812110"
    data["copies"][0]["fields"].remove("reporter_phone")
    data["copies"][1]["mask_id_number"] = True
    data["copies"][1]["mask_phone"] = True
    installed = desk.documents.install_template(admin, json.dumps(data, ensure_ascii=False))
    assert installed.title == "接受案件回执"
    assert desk.documents.template_installed()
    record = desk.intake.show(cases[0])
    top, stub = halves(pdf_text(desk.documents.receipt_pdf(cases[0], admin)))
    assert "接受案件回执" in top and "拨打0315-8812110" in top
    assert "联系电话" not in top
    assert record["reporter"]["id_number"] not in stub
    assert mask_id(record["reporter"]["id_number"]) in stub
    setting = [e for e in audit.entries(desk.store.conn) if e["action"] == "setting"]
    assert setting[0]["object_id"] == "receipt_template"
    desk.documents.install_template(admin, None)
    assert not desk.documents.template_installed()
    assert desk.documents.template().title == "受案回执"


def test_one_copy_templates_and_unmasked_reporter_copies(desk, admin, cases):
    data = template_dict(desk)
    data["copies"] = data["copies"][:1]
    data["copies"][0]["mask_id_number"] = False
    data["copies"][0]["mask_phone"] = False
    desk.documents.install_template(admin, json.dumps(data, ensure_ascii=False))
    text = squeezed(pdf_text(desk.documents.receipt_pdf(cases[0], admin)))
    assert "剪切线" not in text and "存根联" not in text
    assert "130209197904167794" in text and "13832517746" in text


def _broken(desk, change) -> dict:
    data = template_dict(desk)
    change(data)
    return data


BAD_TEMPLATES = [
    (lambda d: d.update(oversite_phone="12389"), "template_key_unknown", "oversite_phone"),
    (lambda d: d.pop("copies"), "template_key_missing", "copies"),
    (lambda d: d["copies"][0].pop("fields"), "template_key_missing", "copies[0].fields"),
    (
        lambda d: d["copies"][0].update(mask_phone="yes"),
        "template_value_invalid",
        "copies[0].mask_phone",
    ),
    (
        lambda d: d["copies"][1]["fields"].insert(2, "reporter_mood"),
        "template_name_unknown",
        "copies[1].fields[2]",
    ),
    (
        lambda d: d["copies"][0]["texts"].append("poem"),
        "template_name_unknown",
        "copies[0].texts[5]",
    ),
    (
        lambda d: d["texts"].update(follow_up="请拨打{station_phone}"),
        "template_placeholder_unknown",
        "texts.follow_up",
    ),
    (lambda d: d.update(title="受案回执{"), "template_braces", "title"),
    (lambda d: d.update(format="intake-receipt-template/9"), "template_value_invalid", "format"),
    (lambda d: d.update(copies=d["copies"] * 2), "template_value_invalid", "copies"),
    (lambda d: d["labels"].pop("unit"), "template_key_missing", "labels.unit"),
    (lambda d: d.update(version=""), "template_value_invalid", "version"),
    (
        lambda d: d["case_form"].update(opinions="立案"),
        "template_value_invalid",
        "case_form.opinions",
    ),
]


@pytest.mark.parametrize(("change", "code", "key"), BAD_TEMPLATES)
def test_a_bad_template_is_refused_naming_the_key(desk, admin, change, code, key):
    before = desk.documents.template()
    text = json.dumps(_broken(desk, change), ensure_ascii=False)
    with pytest.raises(IntakeError) as exc:
        desk.documents.install_template(admin, text)
    assert (exc.value.code, exc.value.field, exc.value.params.get("key")) == (
        code,
        "receipt_template",
        key,
    )
    message = exc.value.message("zh_CN")
    assert "回执模板" in message and key in message and not message.endswith(code)
    assert key in exc.value.message("en")
    assert desk.documents.template() == before
    assert not desk.documents.template_installed()


def test_a_template_that_is_not_json_names_the_line(desk, admin):
    with pytest.raises(IntakeError) as exc:
        desk.documents.install_template(admin, '{\n  "title": "受案回执",\n  oops\n}')
    assert exc.value.code == "template_json_invalid" and exc.value.params["line"] == 3


def test_only_an_admin_installs_a_template(desk, admin):
    desk.auth.add_officer(admin, OFFICER, "李娜", "officer", OFFICER_PASSWORD)
    officer = desk.auth.login(OFFICER, OFFICER_PASSWORD)
    with pytest.raises(IntakeError) as exc:
        desk.documents.install_template(officer, desk.documents.template().to_json())
    assert exc.value.code == "permission_denied"


def test_a_copy_too_long_for_half_a_page_is_refused_by_name(desk, admin, cases):
    data = template_dict(desk)
    for key in ("follow_up", "oversight", "warning"):
        data["texts"][key] = "请注意防范电信网络诈骗。" * 30
    desk.documents.install_template(admin, json.dumps(data, ensure_ascii=False))
    with pytest.raises(IntakeError) as exc:
        desk.documents.receipt_pdf(cases[0], admin)
    assert exc.value.code == "receipt_does_not_fit"
    assert "报案人联" in exc.value.message("zh_CN")


def test_a_long_copy_is_set_smaller_rather_than_refused(desk, admin, cases):
    data = template_dict(desk)
    data["texts"]["warning"] = "请注意防范电信网络诈骗。" * 20
    desk.documents.install_template(admin, json.dumps(data, ensure_ascii=False))
    text = squeezed(pdf_text(desk.documents.receipt_pdf(cases[0], admin)))
    assert "请注意防范电信网络诈骗。" * 20 in text


# Writing -------------------------------------------------------------------------------------


def test_write_is_atomic_and_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "out" / "receipt.pdf"
    DocumentService.write(target, b"%PDF-1.4 first")
    DocumentService.write(target, b"%PDF-1.4 second")
    assert target.read_bytes() == b"%PDF-1.4 second"
    assert [p.name for p in target.parent.iterdir()] == ["receipt.pdf"]
