from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake_app.domain.bins import BinMatch, BinTable
from intake_app.domain.identifiers import normalize_account

BANK_BIN = Path(__file__).parent.parent / "resources/bank-bin"
NAMES = "bank,name\nICBC,中国工商银行\nBOC,中国银行\nCCB,中国建设银行\n"


@pytest.fixture(scope="module")
def table() -> BinTable:
    return BinTable.from_csv_text(
        (BANK_BIN / "bin.csv").read_text(encoding="utf-8"),
        (BANK_BIN / "name.csv").read_text(encoding="utf-8"),
    )


def test_the_shipped_table_loads_every_row(table):
    lines = (BANK_BIN / "bin.csv").read_text(encoding="utf-8").splitlines()
    assert len(table) == len([line for line in lines[1:] if line.strip()])
    assert (BANK_BIN / "LICENSE").exists() and (BANK_BIN / "SOURCE.md").exists()


@pytest.mark.parametrize(
    "number",
    [
        "6222020200001234567",
        "6222 0202 0000 1234 567",
        "６２２２－０２０２－００００－１２３４－５６７",
    ],
)
def test_an_icbc_card(table, number):
    match = table.lookup(number)
    assert match is not None
    assert match.prefix == "622202"
    assert match.bank_code == "ICBC"
    assert match.bank_name == "中国工商银行"
    assert match.card_type == "DC" and match.card_length == 19
    assert not match.ambiguous and match.alternatives == ()


def test_longest_prefix_wins():
    tiny = BinTable.from_csv_text(
        "bin,bank,type,length\n62,BOC,DC,16\n6222,ICBC,DC,19\n622202123,CCB,CC,16\n", NAMES
    )
    assert tiny.lookup("6222999999999999999").bank_name == "中国工商银行"
    assert tiny.lookup("6222999999999999999").prefix == "6222"
    assert tiny.lookup("6200000000000000").bank_name == "中国银行"
    assert tiny.lookup("6222021230000000").bank_name == "中国建设银行"
    # A prefix longer than the number typed so far cannot match.
    assert tiny.lookup("62220212").prefix == "6222"
    assert tiny.lookup("6") is None
    assert len(tiny) == 3


def test_a_prefix_listed_for_two_banks_is_ambiguous(table):
    match = table.lookup("6212600000000000")
    assert match is not None and match.prefix == "621260"
    assert match.ambiguous
    assert match.bank_name not in match.alternatives
    assert {match.bank_name, *match.alternatives} == {"平安银行", "常熟农商银行"}


def test_ambiguous_prefix_prefers_the_row_of_the_same_card_length():
    tiny = BinTable.from_csv_text(
        "bin,bank,type,length\n621260,BOC,CC,16\n621260,CCB,DC,19\n621260,BOC,DC,18\n", NAMES
    )
    first = tiny.lookup("621260")
    assert first == BinMatch("621260", "BOC", "中国银行", "CC", 16, True, ("中国建设银行",))
    nineteen = tiny.lookup("6212600000000000000")
    assert nineteen is not None
    assert (nineteen.bank_code, nineteen.card_length) == ("CCB", 19)
    assert nineteen.alternatives == ("中国银行",)


def test_same_bank_twice_is_not_ambiguous():
    tiny = BinTable.from_csv_text(
        "bin,bank,type,length\n622425,BOC,DC,17\n622425,BOC,DC,19\n", NAMES
    )
    match = tiny.lookup("6224250000000000000")
    assert match is not None and not match.ambiguous and match.card_length == 19


def test_unknown_bank_code_falls_back_to_the_code():
    tiny = BinTable.from_csv_text("bin,bank,type,length\n999,XYZ,DC,16\n", NAMES)
    match = tiny.lookup("9990000000000000")
    assert match is not None and match.bank_name == "XYZ"


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        "abc",
        "6222abc0000",
        "622202-0200-X",
        "工商银行",
        "0000000000000000",
        "٦٢٢٢٠٢٠٢٠٠٠٠١٢٣٤",
    ],
)
def test_garbage_gives_none(table, garbage):
    assert table.lookup(garbage) is None


@pytest.mark.parametrize(
    "bin_csv",
    [
        "bank,type,length\nICBC,DC,19\n",
        "bin,bank,type,length\n62x2,ICBC,DC,19\n",
        "bin,bank,type,length\n6222,ICBC,DC,\n",
        "bin,bank,type,length\n6222,,DC,19\n",
    ],
)
def test_malformed_csv_is_refused(bin_csv):
    with pytest.raises(ValueError):
        BinTable.from_csv_text(bin_csv, NAMES)


def test_blank_lines_and_a_byte_order_mark_are_tolerated():
    tiny = BinTable.from_csv_text("\ufeffbin,bank,type,length\n\n6222,ICBC,DC,19\n\n", NAMES)
    assert len(tiny) == 1 and tiny.lookup("6222000000000000000") is not None


@given(st.text() | st.from_regex(r"\A6[0-9 -]{0,22}\Z"))
def test_lookup_never_raises_and_returns_a_prefix_of_the_number(table, value):
    match = table.lookup(value)
    if match is not None:
        assert normalize_account(value).startswith(match.prefix)
        assert len(match.prefix) >= 3 and match.bank_name and match.card_length > 0
