import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake_app.domain.errors import IntakeError
from intake_app.domain.money import format_yuan, format_yuan_display, parse_yuan


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("1500.00", 150000),
        ("1500", 150000),
        ("0.01", 1),
        ("1,380,000.00", 138000000),
        ("¥60000.5", 6000050),
        ("１５００.００", 150000),
    ],
)
def test_parses_yuan_to_fen(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("0", "amount_not_positive"),
        ("0.00", "amount_not_positive"),
        ("-5", "amount_not_positive"),
        ("1.234", "amount_decimals"),
        ("1e5", "amount_format"),
        ("abc", "amount_format"),
        ("", "amount_format"),
        ("99999999999999", "amount_too_large"),
        ("١٢٣", "amount_format"),
    ],
)
def test_refuses_bad_amounts_naming_the_field(text, code):
    with pytest.raises(IntakeError) as err:
        parse_yuan(text, "transactions[1].amount")
    assert err.value.code == code
    assert err.value.field == "transactions[1].amount"
    assert "交易2·金额" in err.value.message("zh_CN")


@given(st.integers(min_value=1, max_value=10**13))
def test_round_trip(fen):
    assert parse_yuan(format_yuan(fen)) == fen


def test_display():
    assert format_yuan_display(138000000) == "¥1,380,000.00"
    assert format_yuan(150001) == "1500.01"
