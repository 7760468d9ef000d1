"""The receipt's own QR and Code 128 encoders, read back by zbarimg (zbar-tools) as a scanner
would, and checked against the standard's fixed facts."""

from __future__ import annotations

import random
import string
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from PIL import Image

from intake_app.domain import code128
from intake_app.domain.errors import IntakeError
from intake_app.domain.qr_code import ALPHANUMERIC, capacity, penalty, qr_matrix
from intake_app.domain.verification import qr_payload


def _zbar(path: Path, symbology: str) -> str:
    proc = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", f"-S{symbology}.enable", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode in (0, 4), proc.stderr  # 4: nothing found
    return proc.stdout.removesuffix("\n")


def scan_qr(matrix: Sequence[Sequence[bool]], path: Path, scale: int = 4) -> str:
    n, quiet = len(matrix), 4
    img = Image.new("L", ((n + 2 * quiet) * scale,) * 2, 255)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                x, y = (c + quiet) * scale, (r + quiet) * scale
                img.paste(0, (x, y, x + scale, y + scale))
    img.save(path)
    return _zbar(path, "qrcode")


def scan_code128(widths: Sequence[int], path: Path, scale: int = 2) -> str:
    quiet = 10
    img = Image.new("L", ((sum(widths) + 2 * quiet) * scale, 60), 255)
    x = quiet * scale
    for i, w in enumerate(widths):
        if i % 2 == 0:
            img.paste(0, (x, 10, x + w * scale, 50))
        x += w * scale
    img.save(path)
    return _zbar(path, "code128")


def _texts(alphabet: str, lengths: Sequence[int], seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(n)) for n in lengths]


def test_a_receipt_payload_scans_back(tmp_path):
    text = qr_payload("130209510000202611300001", "7KQ2M9")
    assert scan_qr(qr_matrix(text), tmp_path / "qr.png") == text


@pytest.mark.parametrize(
    "text",
    [
        "A",
        *_texts(ALPHANUMERIC, (9, 30, 70, 120, 180, 250, 300), 1),
        *_texts(string.ascii_letters + "中文案件𠮷", (4, 25, 60, 100), 2),
    ],
)
def test_every_size_scans_back(text, tmp_path):
    matrix = qr_matrix(text)
    assert scan_qr(matrix, tmp_path / "qr.png") == text


def test_sizes_follow_the_versions_level_m_capacities():
    # Version 1 at level M holds 20 alphanumeric characters or 14 bytes (ISO/IEC 18004, table 7).
    assert len(qr_matrix("A" * 20)) == 21
    assert len(qr_matrix("A" * 21)) == 25
    assert len(qr_matrix("a" * 14)) == 21
    assert len(qr_matrix("a" * 15)) == 25
    assert len(qr_matrix("A" * capacity(True))) == 57  # version 10


def test_text_beyond_the_largest_version_is_refused_with_its_length():
    too_long = "A" * (capacity(True) + 1)
    with pytest.raises(IntakeError) as err:
        qr_matrix(too_long)
    assert err.value.code == "qr_text_too_long"
    assert str(capacity(True) + 1) in err.value.message("en")
    assert "二维码" in err.value.message("zh_CN")


def test_the_chosen_mask_has_the_lowest_penalty():
    matrix = qr_matrix("FIDR:130209510000202611300001:ABCDEF")
    rows = ["".join("1" if m else "0" for m in row) for row in matrix]
    # Three finder patterns with their separators are always there; the balance is near 50 %.
    assert penalty(rows) < 1000
    dark = sum(r.count("1") for r in rows) / len(rows) ** 2
    assert 0.35 < dark < 0.65


@pytest.mark.parametrize(
    "text",
    [
        "130209510000202611300001",
        "12345",
        "A1",
        "ABC12345xyz",
        "Case 2026-12-02 ~{|}",
        *_texts("0123456789AB -:/xyz", (1, 3, 7, 12, 19, 30), 3),
    ],
)
def test_code128_scans_back(text, tmp_path):
    assert scan_code128(code128.modules(text), tmp_path / "bar.png") == text


def test_code128_uses_set_c_for_digits_and_checks_by_weight():
    values = code128.symbols("130209510000202611300001")
    assert values[0] == 105  # Start C
    assert values[1:-1] == [13, 2, 9, 51, 0, 0, 20, 26, 11, 30, 0, 1]
    assert values[-1] == (105 + sum(i * v for i, v in enumerate(values[1:-1], 1))) % 103
    widths = code128.modules("130209510000202611300001")
    assert sum(widths) == 11 * (len(values)) + 13  # each symbol 11 modules, stop 13


@pytest.mark.parametrize("text", ["", "案件", "tab\there"])
def test_code128_refuses_what_it_cannot_carry_naming_the_field(text):
    with pytest.raises(IntakeError) as err:
        code128.symbols(text)
    assert err.value.code == "barcode_text_invalid"
    assert "条形码" in err.value.message("zh_CN")
