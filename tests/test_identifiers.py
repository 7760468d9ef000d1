from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake_app.domain.identifiers import (
    IDENTIFIER_KINDS,
    check_phone,
    check_resident_id,
    luhn_ok,
    mask_account,
    mask_id,
    mask_phone,
    normalize_account,
    normalize_identifier,
    to_ascii,
)

TODAY = date(2026, 11, 30)
CHECK_CHARS = "0123456789X"


# Independent of the code under test: the GB 11643 table of weights and check characters.
def gb11643_check(body: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def make_id(area: str, born: date | str, seq: int) -> str:
    birth = born if isinstance(born, str) else born.strftime("%Y%m%d")
    body = f"{area}{birth}{seq:03d}"
    return body + gb11643_check(body)


# Independent Luhn: append the digit that makes the doubled-digit sum a multiple of 10.
def luhn_complete(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return partial + str((10 - total % 10) % 10)


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


# --- resident IDs ----------------------------------------------------------------------------


def test_published_sample_and_known_fields():
    check = check_resident_id("11010519491231002X", TODAY)
    assert check.ok and check.error is None
    assert check.normalized == "11010519491231002X"
    assert check.birth_date == date(1949, 12, 31)
    assert check.sex == "F"  # sequence 002 is even
    assert check.area_code == "110105"
    assert check.area_name is not None and "朝阳区" in check.area_name
    assert not check.legacy


def test_lowercase_x_spaces_and_full_width_digits_are_accepted():
    seq = next(s for s in range(1000) if make_id("130209", date(1985, 6, 1), s).endswith("X"))
    number = make_id("130209", date(1985, 6, 1), seq)
    lower = number[:-1] + "x"
    assert check_resident_id(lower, TODAY).ok
    assert check_resident_id(lower, TODAY).normalized == number
    spaced = f" {number[:6]} {number[6:14]} {number[14:].lower()} "
    assert check_resident_id(spaced, TODAY).normalized == number
    assert check_resident_id(number.translate(FULL_WIDTH), TODAY).ok


def test_wrong_check_character_is_an_error():
    number = make_id("110101", date(1990, 3, 7), 123)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    check = check_resident_id(wrong, TODAY)
    assert check.error == "id_checksum" and not check.ok
    assert check.birth_date is None and check.sex is None


@pytest.mark.parametrize("birth", ["19900230", "19901301", "19900000", "18891231", "20261201"])
def test_impossible_early_or_future_birth_date_is_an_error(birth):
    number = make_id("110101", birth, 123)
    assert check_resident_id(number, TODAY).error == "id_birth_date"


def test_born_today_and_in_1890_are_fine():
    assert check_resident_id(make_id("110101", TODAY, 1), TODAY).ok
    assert check_resident_id(make_id("110101", date(1890, 1, 1), 1), TODAY).ok
    tomorrow = TODAY + timedelta(days=1)
    assert check_resident_id(make_id("110101", tomorrow, 1), TODAY).error == "id_birth_date"


def test_caofeidian_created_2012_holds_people_born_long_before():
    number = make_id("130209", date(1960, 5, 4), 17)
    check = check_resident_id(number, TODAY)
    assert check.ok
    assert set(check.warnings) <= {"id_area_unknown"}
    assert check.area_code == "130209"
    assert check.birth_date == date(1960, 5, 4)
    assert check.sex == "M"


def test_unknown_area_code_is_only_a_warning():
    check = check_resident_id(make_id("999999", date(1980, 1, 1), 2), TODAY)
    assert check.ok
    assert check.warnings == ("id_area_unknown",)
    assert check.area_code == "999999" and check.area_name is None


def test_area_code_abolished_before_birth_is_only_a_warning():
    # 110103 (Chongwen, Beijing) was merged away in 2010; nobody born in 2015 got that code.
    check = check_resident_id(make_id("110103", date(2015, 1, 1), 2), TODAY)
    assert check.ok
    assert check.warnings == ("id_area_unknown",)


def test_legacy_15_digit_numbers():
    check = check_resident_id("130209600101123", TODAY)
    assert check.ok and check.legacy
    assert check.birth_date == date(1960, 1, 1)
    assert check.sex == "M"
    assert check.area_code == "130209"
    assert check_resident_id("130209600101124", TODAY).sex == "F"
    assert check_resident_id("130209600230123", TODAY).error == "id_birth_date"
    assert check_resident_id("13020960010112X", TODAY).error == "id_chars"


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("", "id_length"),
        ("   ", "id_length"),
        ("1101011990030712", "id_length"),
        ("1101011990030712345", "id_length"),
        ("11010119900307123Y", "id_chars"),
        ("1101011990X307123X", "id_chars"),
        ("身份证110101199003071234", "id_chars"),
    ],
)
def test_shape_errors(value, error):
    assert check_resident_id(value, TODAY).error == error


valid_ids = st.builds(
    make_id,
    st.sampled_from(["110101", "130209", "130203", "360426", "440305", "999999"])
    | st.from_regex(r"\A[1-8][0-9]{5}\Z"),
    st.dates(min_value=date(1890, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=999),
)


@given(valid_ids)
@settings(max_examples=300)
def test_every_valid_id_passes_and_every_other_check_character_fails(number):
    check = check_resident_id(number, TODAY)
    assert check.ok, check
    assert set(check.warnings) <= {"id_area_unknown"}
    assert check.birth_date is not None
    assert check.birth_date.strftime("%Y%m%d") == number[6:14]
    assert check.sex == ("M" if int(number[16]) % 2 else "F")
    for other in CHECK_CHARS:
        if other != number[-1]:
            assert check_resident_id(number[:-1] + other, TODAY).error == "id_checksum"


@given(st.text())
def test_resident_id_check_never_raises(value):
    check = check_resident_id(value, TODAY)
    assert check.ok == (check.error is None)


# --- phones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "13800138000",
        "+86 138 0013 8000",
        "0086 138 0013 8000",
        "86-138-0013-8000",
        "(+86) 138-0013-8000",
        "１３８００１３８０００",
        "\u202a+86 138 0013 8000\u202c",
    ],
)
def test_mainland_mobiles_with_and_without_country_code(value):
    check = check_phone(value)
    assert check.normalized == "13800138000"
    assert check.is_mobile
    assert check.warning is None and check.error is None


@pytest.mark.parametrize(
    ("value", "normalized"),
    [
        ("0315-1234567", "03151234567"),
        ("010-12345678", "01012345678"),
        ("+1 415 555 0100", "0014155550100"),
        ("001 415 555 0100", "0014155550100"),
        ("12345678901", "12345678901"),
        ("95588", "95588"),
    ],
)
def test_landlines_foreign_and_odd_numbers_are_warnings(value, normalized):
    check = check_phone(value)
    assert check.normalized == normalized
    assert not check.is_mobile
    assert check.warning == "phone_unusual" and check.error is None


def test_a_foreign_number_never_becomes_a_mainland_mobile():
    # Without its "+" the US number would read as 141-5555-0100, a mainland pattern.
    assert check_phone("+1 415 555 0100").normalized != check_phone("14155550100").normalized


@pytest.mark.parametrize(
    "value", ["", "   ", "abc", "138 0013 800O", "微信同号13800138000", "+", "--"]
)
def test_letters_or_nothing_usable_are_errors(value):
    check = check_phone(value)
    assert check.error == "phone_chars"
    assert check.warning is None and not check.is_mobile


# --- cards and accounts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "79927398713",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "5500 0000 0000 0004",
        "４１１１ １１１１ １１１１ １１１１",
        "4012888888881881",
    ],
)
def test_luhn_known_good_numbers(number):
    assert luhn_ok(number)


@pytest.mark.parametrize(
    "number", ["", "   ", "79927398710", "4111 1111 1111 1112", "4111x111", "٤١١١١١١١١١١١١١١١"]
)
def test_luhn_rejects_bad_and_non_digit_input(number):
    assert not luhn_ok(number)


@given(st.from_regex(r"\A[0-9]{11,18}\Z"), st.data())
def test_luhn_accepts_completed_numbers_and_catches_one_wrong_digit(partial, data):
    number = luhn_complete(partial)
    assert luhn_ok(number)
    assert luhn_ok(number.translate(FULL_WIDTH))
    position = data.draw(st.integers(min_value=0, max_value=len(number) - 1))
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    assert not luhn_ok(number[:position] + digit + number[position + 1 :])


def test_normalize_account():
    assert normalize_account(" 6222 0202-0000 1234 ") == "622202020000 1234".replace(" ", "")
    assert normalize_account("６２２２－０２０２") == "62220202"
    assert normalize_account("nb 1234 ab") == "NB1234AB"
    assert normalize_account("") == ""
    # What is not a separator stays, so a check can report it.
    assert normalize_account("6222工行") == "6222工行"


# --- suspect identifiers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://example.com", "example.com"),
        ("HTTPS://Example.COM/", "example.com"),
        ("example.com", "example.com"),
        ("www.Example.com/Pay?ID=Ab#top", "www.example.com/Pay?ID=Ab"),
        ("https://example.com:443/a", "example.com/a"),
        ("http://example.com:80", "example.com"),
        ("http://example.com:8080/", "example.com:8080"),
        ("http://user:pw@Example.com/x", "example.com/x"),
        ("https://example.com/?q=1", "example.com?q=1"),
        ("//example.com/a", "example.com/a"),
        ("ｈｔｔｐ：／／ｅｘａｍｐｌｅ．ｃｏｍ／Ａ", "example.com/A"),
        ("http://exam ple.com/a b", "example.com/ab"),
        ("weixin://dl/Business", "weixin://dl/Business"),
        (
            "ALIPAYS://platformapi/startapp?appId=20000067",
            "alipays://platformapi/startapp?appId=20000067",
        ),
    ],
)
def test_url_canonical_form(value, expected):
    assert normalize_identifier("url", value) == expected


def test_other_kinds():
    assert normalize_identifier("phone", "+86 138 0013 8000") == "13800138000"
    assert normalize_identifier("phone", "微信同号 138") == "微信同号 138"
    assert normalize_identifier("qq", " 1234 5678 ") == "12345678"
    assert normalize_identifier("bank_account", "6222 0202 0000 1234") == "6222020200001234"
    assert normalize_identifier("wechat", " WXID_Ab12 ") == "wxid_ab12"
    assert normalize_identifier("email", " Zhang.San@QQ.COM ") == "zhang.san@qq.com"
    assert normalize_identifier("alipay", "+86 138-0013-8000") == "13800138000"
    assert normalize_identifier("alipay", "Zhang@Example.com") == "zhang@example.com"
    assert normalize_identifier("app", "  Safe   Invest ") == "safe invest"
    assert normalize_identifier("other", "ＡＢＣ\u3000 Ｄ") == "abc d"
    assert normalize_identifier("a_kind_added_later", "Some  Thing") == "some thing"
    for kind in IDENTIFIER_KINDS:
        assert normalize_identifier(kind, "") == ""
        assert normalize_identifier(kind, " \u3000 ") == ""


@pytest.mark.parametrize("kind", ["phone", "alipay", "qq", "bank_account", "other"])
def test_full_width_digits_equal_ascii(kind):
    assert normalize_identifier(kind, "１３８００１３８０００") == normalize_identifier(
        kind, "13800138000"
    )


tricky_text = st.text(
    alphabet=st.sampled_from(
        [
            *"aZ19:/?#@.+-_ *xX",
            "\u0301",
            "\u0308",
            "\u200b",
            "\u00a0",
            "\u3000",
            "ß",
            "İ",
            "ﬁ",
            "Ａ",
            "１",
            "ΐ",
            "´",
            "ǅ",
            "ﾟ",
            "ｶ",
            "工",
            "\u2028",
        ]
    ),
    max_size=30,
)
kinds = st.sampled_from([*IDENTIFIER_KINDS, "unlisted"])


@given(kinds, st.text() | tricky_text)
@settings(max_examples=500)
def test_normalize_identifier_never_raises_and_is_idempotent(kind, value):
    once = normalize_identifier(kind, value)
    assert isinstance(once, str)
    assert normalize_identifier(kind, once) == once


@given(st.text() | tricky_text)
def test_to_ascii_and_normalize_account_are_idempotent(value):
    assert to_ascii(to_ascii(value)) == to_ascii(value)
    assert normalize_account(normalize_account(value)) == normalize_account(value)


# --- masking ---------------------------------------------------------------------------------


def test_mask_shapes():
    assert mask_id("11010519491231002X") == "11010*********002X"
    assert mask_id("110105 19491231 002x") == "11010*********002X"
    assert mask_id("130209600101123") == "130********1123"
    assert mask_id("1234567") == "*****67"
    assert mask_phone("+86 138 0013 8000") == "1******8000"
    assert mask_phone("0315-1234567") == "*******4567"
    assert mask_account("6222 0202 0000 1234 567") == "6222***********4567"
    assert mask_account("6222020200001234") == "6222********1234"
    for mask in (mask_id, mask_phone, mask_account):
        assert mask("") == ""
        assert mask("7") == "*"


@given(
    st.text(alphabet=st.characters(blacklist_characters="*"))
    | tricky_text.map(lambda s: s.replace("*", ""))
)
@settings(max_examples=300)
def test_masking_never_reveals_more_than_half(value):
    for mask in (mask_id, mask_phone, mask_account):
        masked = mask(value)
        shown = sum(1 for ch in masked if ch != "*")
        assert shown * 2 <= len(masked), (mask.__name__, value, masked)
