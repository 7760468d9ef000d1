import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake_app.domain.caseno import (
    is_valid_case_no,
    make_case_no,
    normalize_case_no,
    parse_case_no,
)
from intake_app.domain.errors import IntakeError

STATION = "130209510000"


def test_shape_is_station_year_sequence_check():
    number = make_case_no(STATION, 2026, 42)
    assert number.startswith("130209510000-2026-000042-")
    assert len(number) == len("130209510000-2026-000042-0")
    parsed = parse_case_no(number)
    assert (parsed.station_code, parsed.year, parsed.seq) == (STATION, 2026, 42)


def test_read_out_without_dashes_or_with_full_width_digits():
    number = make_case_no(STATION, 2026, 7)
    digits = number.replace("-", "")
    assert normalize_case_no(digits) == number
    assert normalize_case_no(" ".join([digits[:12], digits[12:16], digits[16:]])) == number
    full_width = digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert normalize_case_no(full_width) == number


def test_bad_station_code_and_exhausted_sequence_are_refused():
    with pytest.raises(IntakeError) as bad:
        make_case_no("13020951", 2026, 1)
    assert bad.value.code == "station_code_invalid"
    with pytest.raises(IntakeError) as full:
        make_case_no(STATION, 2026, 1_000_000)
    assert full.value.code == "sequence_exhausted"


def test_a_hundred_thousand_numbers_are_unique_and_valid():
    numbers = [make_case_no(STATION, 2026, seq) for seq in range(1, 100_001)]
    assert len(set(numbers)) == 100_000
    assert all(is_valid_case_no(n) for n in numbers[::997])


def _one_digit_changes(number: str):
    for i, ch in enumerate(number):
        if not ch.isdigit():
            continue
        for d in "0123456789":
            if d != ch:
                yield number[:i] + d + number[i + 1 :]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=999_999), st.integers(min_value=2000, max_value=2099))
def test_every_one_digit_change_is_caught(seq, year):
    number = make_case_no(STATION, year, seq)
    for changed in _one_digit_changes(number):
        assert not is_valid_case_no(changed), changed


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=999_999))
def test_every_swap_of_neighbouring_digits_is_caught(seq):
    digits = make_case_no(STATION, 2026, seq).replace("-", "")
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            assert not is_valid_case_no(swapped)


def test_one_digit_changes_over_many_numbers():
    # Exhaustive over a slice of a year's numbers: every single substitution is caught.
    for seq in range(1, 2_001, 7):
        number = make_case_no(STATION, 2026, seq)
        assert not any(is_valid_case_no(c) for c in _one_digit_changes(number))


@given(st.text(max_size=40))
def test_parse_never_crashes(text):
    try:
        parse_case_no(text)
    except IntakeError as exc:
        assert exc.code == "case_no_invalid"
