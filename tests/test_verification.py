"""Verification codes on receipts and the QR payload that carries them."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake_app.domain.errors import IntakeError
from intake_app.domain.verification import (
    check_verification,
    normalize_code,
    parse_qr_payload,
    qr_payload,
    verification_code,
)

SECRET = "a" * 64
CASE_NO = "130209510000-2026-000042-7"
UUID = "5b0e7c1a-3d42-4f6e-9a8b-1c2d3e4f5a60"


def test_the_code_is_eight_base32_characters_in_two_groups():
    code = verification_code(SECRET, CASE_NO, UUID)
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}", code)
    assert code == verification_code(SECRET, CASE_NO, UUID)


def test_the_code_depends_on_secret_case_and_uuid():
    code = verification_code(SECRET, CASE_NO, UUID)
    assert verification_code("b" * 64, CASE_NO, UUID) != code
    assert verification_code(SECRET, "130209510000-2026-000043-5", UUID) != code
    assert verification_code(SECRET, CASE_NO, UUID.replace("5b", "5c")) != code


def test_a_code_read_over_the_phone_still_checks_out():
    code = verification_code(SECRET, CASE_NO, UUID)
    assert check_verification(SECRET, CASE_NO, UUID, code)
    assert check_verification(SECRET, CASE_NO, UUID, code.lower().replace("-", " "))
    assert check_verification(SECRET, CASE_NO, UUID, "  " + code.replace("O", "0") + " ")
    assert not check_verification(SECRET, CASE_NO, UUID, "")
    assert not check_verification("b" * 64, CASE_NO, UUID, code)


@given(st.text(max_size=20))
def test_any_typed_text_is_checked_without_error(text):
    assert check_verification(SECRET, CASE_NO, UUID, text) is (
        normalize_code(text) == verification_code(SECRET, CASE_NO, UUID)
    )


def test_the_qr_payload_round_trips():
    code = verification_code(SECRET, CASE_NO, UUID)
    payload = qr_payload(CASE_NO, code)
    assert payload == f"INTAKE1:{CASE_NO}:{code}"
    assert parse_qr_payload(payload) == (CASE_NO, code)


@pytest.mark.parametrize("text", ["", "INTAKE1", "INTAKE2:1:2", "https://example.com/x", "a:b:c"])
def test_a_foreign_qr_code_is_refused(text):
    with pytest.raises(IntakeError) as exc:
        parse_qr_payload(text)
    assert exc.value.code == "qr_payload_invalid"


def test_an_empty_secret_is_a_programming_error():
    with pytest.raises(ValueError):
        verification_code("", CASE_NO, UUID)
