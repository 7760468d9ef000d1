"""Identifiers as typed at the desk: resident IDs, phones, card and other accounts, suspect leads.

Pure functions, no I/O. Every function takes whatever text an officer or a victim typed or
pasted (full-width digits, spaces, dashes, "+86"), and none of them raises on odd input: checks
return their findings, normalizers return a canonical form ("" when nothing is left).

Severity follows the domain notes: a wrong check character or an impossible birth date is an
error; an unknown area code, a landline, a foreign number or a failed card check is only a
warning, because such numbers exist.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from stdnum import numdb

# --- text ------------------------------------------------------------------------------------

_ASCII_DIGITS = frozenset("0123456789")
_MAX_FOLD_PASSES = 4


def to_ascii(value: str) -> str:
    """NFKC-normalise (full-width digits, letters and signs become ASCII) and strip.

    Invisible format characters (zero-width spaces, direction marks: Unicode category Cf) are
    dropped first; they often come along when a number is copied from a phone or a web page.
    """
    if value.isascii():
        return value.strip()  # NFKC leaves printable ASCII alone, and ASCII has no Cf
    visible = "".join(ch for ch in value if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFKC", visible).strip()


def _until_stable(step: Callable[[str], str], text: str) -> str:
    """Apply step until the text stops changing: case folding and NFKC can need a second pass."""
    for _ in range(_MAX_FOLD_PASSES):
        folded = step(text)
        if folded == text:
            break
        text = folded
    return text


def _fold(text: str, joiner: str) -> str:
    """Case-fold and NFKC-normalise; whitespace runs become joiner ("" removes them)."""
    return _until_stable(
        lambda t: joiner.join(unicodedata.normalize("NFKC", t.casefold()).split()), text
    )


def _squeeze(text: str) -> str:
    """to_ascii without any whitespace (renormalised, as removing it can join characters)."""
    return unicodedata.normalize("NFKC", "".join(to_ascii(text).split()))


# --- resident ID (GB 11643-1999) -----------------------------------------------------------------

# ISO 7064 MOD 11-2: the weight of position i (0-based, 17 body digits) is 2**(17 - i) mod 11.
_ID_WEIGHTS = tuple(2 ** (17 - i) % 11 for i in range(17))
_EARLIEST_BIRTH = date(1890, 1, 1)
_ID_CHARS = re.compile(r"[0-9X]*", re.ASCII)
_PERIOD = re.compile(r"^\[(\d*)-(\d*)\](.*)$")
_CITY_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@dataclass(frozen=True)
class ResidentIdCheck:
    """What a resident ID number says, or why it cannot be one.

    On an error only normalized, error and legacy are filled; the other fields would be guesses.
    """

    normalized: str
    error: str | None = None
    warnings: tuple[str, ...] = ()
    birth_date: date | None = None
    sex: str | None = None
    area_code: str | None = None
    area_name: str | None = None
    legacy: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


def resident_id_check_char(body: str) -> str:
    """The MOD 11-2 check character ("0"-"9" or "X") of the first 17 digits of an ID number."""
    total = sum(int(digit) * weight for digit, weight in zip(body[:17], _ID_WEIGHTS, strict=True))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def _birth_date(year: int, month: int, day: int, today: date) -> date | None:
    try:
        born = date(year, month, day)
    except ValueError:
        return None
    return born if _EARLIEST_BIRTH <= born <= today else None


def _name_for_year(field: str, year: int) -> tuple[str, bool]:
    """Pick a name from a numdb field like "[-1991]东郊区,[1992-]东丽区" for a birth year.

    Returns (name, plausible). The name in use in the birth year wins, else the first one
    created later (codes are created after people are born: Caofeidian, 130209, dates from 2012).
    Only a code abolished before the birth year is implausible: the number was issued later.
    """
    later: list[str] = []
    earlier: list[str] = []
    for entry in field.split(","):
        match = _PERIOD.match(entry)
        if not match:
            return entry, True
        start, end, name = match.groups()
        if start and year < int(start):
            later.append(name)
        elif end and year > int(end):
            earlier.append(name)
        else:
            return name, True
    if later:
        return later[0], True
    return (earlier[-1] if earlier else ""), False


@lru_cache(maxsize=8192)
def _area_fields(code: str) -> tuple[str, str, str]:
    """(province, county field, city field) of an area code from python-stdnum's table."""
    try:
        table = numdb.get("cn/loc")
        parts = table.info(code)
        province = parts[0][1].get("province", "") if parts else ""
        county_field = parts[1][1].get("county", "") if len(parts) > 1 else ""
        city_field = ""
        if code[4:6] != "00":
            city_parts = table.info(code[:4] + "00")
            city_field = city_parts[1][1].get("county", "") if len(city_parts) > 1 else ""
    except Exception:  # the area table is a nicety: a failure to read it must never block intake
        return "", "", ""
    return province, county_field, city_field


def _area(code: str, year: int) -> tuple[str | None, bool]:
    """(name such as "河北省唐山市曹妃甸区", known) from python-stdnum's area table."""
    province, county_field, city_field = _area_fields(code)
    if not province or not county_field:
        return None, False
    county, plausible = _name_for_year(county_field, year)
    city = _name_for_year(city_field, year)[0] if city_field else ""
    names = [province]
    for name in (city, county):
        if name and name not in names and name not in _CITY_PLACEHOLDERS:
            names.append(name)
    return "".join(names), plausible


def check_resident_id(value: str, today: date) -> ResidentIdCheck:
    """Check an 18-digit (GB 11643-1999) or legacy 15-digit resident ID number.

    Whitespace is ignored and a lowercase x means X. Errors: "id_length", "id_chars",
    "id_birth_date" (impossible, before 1890 or after today; legacy numbers are born 19YY) and
    "id_checksum" (18 digits only; legacy numbers have no check character). Warning:
    "id_area_unknown" when python-stdnum does not know the area code, or knows it only as
    abolished before the birth year; a code created after the birth year is normal.
    """
    normalized = "".join(to_ascii(value).split()).replace("x", "X")
    legacy = len(normalized) == 15
    if not normalized:
        return ResidentIdCheck(normalized, "id_length")
    if not _ID_CHARS.fullmatch(normalized):
        return ResidentIdCheck(normalized, "id_chars", legacy=legacy)
    if len(normalized) not in (15, 18):
        return ResidentIdCheck(normalized, "id_length")
    body = normalized[:17] if not legacy else normalized
    if "X" in body:
        return ResidentIdCheck(normalized, "id_chars", legacy=legacy)
    if legacy:
        born = _birth_date(1900 + int(body[6:8]), int(body[8:10]), int(body[10:12]), today)
    else:
        born = _birth_date(int(body[6:10]), int(body[10:12]), int(body[12:14]), today)
    if born is None:
        return ResidentIdCheck(normalized, "id_birth_date", legacy=legacy)
    if not legacy and normalized[17] != resident_id_check_char(body):
        return ResidentIdCheck(normalized, "id_checksum")
    sequence_last = int(normalized[14] if legacy else normalized[16])
    area_code = normalized[:6]
    area_name, known = _area(area_code, born.year)
    return ResidentIdCheck(
        normalized=normalized,
        warnings=() if known else ("id_area_unknown",),
        birth_date=born,
        sex="M" if sequence_last % 2 else "F",
        area_code=area_code,
        area_name=area_name,
        legacy=legacy,
    )


# --- phones ----------------------------------------------------------------------------------

_MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
_NOT_PHONE_CHAR = re.compile(r"[^0-9+]", re.ASCII)
_ASCII_LETTER = re.compile(r"[A-Za-z]", re.ASCII)


@dataclass(frozen=True)
class PhoneCheck:
    """A phone number as digits, and whether it looks like a mainland mobile.

    normalized: the ASCII digits; a leading "+" becomes the international prefix "00" (so
    "+1 415 555 0100" is "0014155550100" and never collides with a mainland number); a country
    code 86 (+86, 0086 or bare 86) in front of an 11-digit mobile is removed.
    """

    normalized: str
    is_mobile: bool
    warning: str | None = None
    error: str | None = None


def _is_phone_junk(ch: str) -> bool:
    """Letters and other number-like characters that are not ASCII digits."""
    return ch.isalnum() and ch not in _ASCII_DIGITS


def check_phone(value: str) -> PhoneCheck:
    """Check a phone number. Error "phone_chars": letters, or no digits at all.

    Warning "phone_unusual": anything but a mainland mobile (^1[3-9]\\d{9}$), e.g. landlines
    (0315-1234567) and foreign numbers: those are real, so they are not errors.
    """
    text = to_ascii(value)
    if text.isascii():  # the common case, done with two regexes instead of per character
        kept = _NOT_PHONE_CHAR.sub("", text)
        junk = _ASCII_LETTER.search(text) is not None
    else:
        kept = "".join(ch for ch in text if ch in _ASCII_DIGITS or ch == "+")
        junk = any(_is_phone_junk(ch) for ch in text)
    digits = kept.replace("+", "")
    if digits and kept.startswith("+"):
        digits = "00" + digits
    for country in ("0086", "86"):
        if digits.startswith(country) and _MOBILE.match(digits[len(country) :]):
            digits = digits[len(country) :]
            break
    if not digits or junk:
        return PhoneCheck(digits, is_mobile=False, error="phone_chars")
    mobile = bool(_MOBILE.match(digits))
    return PhoneCheck(digits, is_mobile=mobile, warning=None if mobile else "phone_unusual")


# --- cards and accounts ----------------------------------------------------------------------


def _drop_separators(text: str) -> str:
    """Remove whitespace and dashes (Unicode category Pd)."""
    if text.isascii():
        return "".join(text.split()).replace("-", "")  # the only ASCII Pd is "-"
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Pd")


def luhn_ok(number: str) -> bool:
    """The Luhn check of a card number; spaces and dashes are ignored. False if not all digits."""
    digits = _drop_separators(to_ascii(number))
    if not digits or any(ch not in _ASCII_DIGITS for ch in digits):
        return False
    total = 0
    for position, ch in enumerate(reversed(digits)):
        value = int(ch)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def normalize_account(value: str) -> str:
    """An account, card or QQ number for comparing: separators (whitespace, dashes) removed.

    ASCII letters are uppercased (some accounts have letters). Anything else is kept as it is,
    so that a check can still see and report it.
    """
    return unicodedata.normalize("NFKC", _drop_separators(to_ascii(value))).translate(_ASCII_UPPER)


# --- suspect identifiers ---------------------------------------------------------------------

IDENTIFIER_KINDS = (
    "phone",
    "qq",
    "wechat",
    "alipay",
    "bank_account",
    "url",
    "app",
    "email",
    "other",
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://", re.ASCII)
_PORT = re.compile(r"^(.*):(\d+)$", re.ASCII | re.DOTALL)
_WEB_SCHEMES = frozenset({"http", "https"})
_WEB_PORTS = frozenset({"80", "443"})


def normalize_url(value: str) -> str:
    """A URL in the canonical form "host[:port][/path][?query]".

    Victims copy links with and without "http://", so the web schemes (http, https) are left
    out; any other scheme ("weixin://", "alipays://", "ftp://") is kept, lowercased. The host
    is case-folded, user information ("user@") and the "#fragment" are dropped, ports 80 and
    443 are dropped for web links, and "/" alone as the path is dropped; the path and query
    keep their case. "www." is kept. Whitespace is removed (links get broken across lines).
    """
    text = _squeeze(value)
    match = _SCHEME.match(text)
    scheme = match.group(1).lower() if match else "http"
    if not match and text.startswith("//"):  # scheme-relative "//host/path"
        text = text.lstrip("/")
    rest = text[match.end() :] if match else text
    cut = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    authority, remainder = rest[:cut], rest[cut:].split("#", 1)[0]
    host = authority.rsplit("@", 1)[-1]
    port = ""
    port_match = _PORT.match(host)
    if port_match:
        host, port = port_match.group(1), port_match.group(2).lstrip("0") or "0"
    if scheme in _WEB_SCHEMES and port in _WEB_PORTS:
        port = ""
    if remainder == "/" or remainder.startswith("/?"):
        remainder = remainder[1:]
    body = _fold(host, "") + (":" + port if port else "") + remainder
    if scheme not in _WEB_SCHEMES or _SCHEME.match(body):
        return f"{scheme}://{body}"
    return body


def normalize_identifier(kind: str, value: str) -> str:
    """The canonical form of a suspect identifier, for linking cases. Never raises; "" if empty.

    - phone: check_phone(value).normalized (+86 stripped from mobiles); text that is not a
      phone number (letters) is kept case-folded instead, so it can still be matched.
    - qq, bank_account: normalize_account (separators removed, ASCII letters uppercased).
    - alipay: a phone number (no "@", no letters) as phone, else case-folded, no whitespace.
    - wechat, email: case-folded, whitespace removed.
    - url: normalize_url, i.e. "host[:port][/path][?query]" without http(s)://.
    - app, other, and kinds added later to the reference data: case-folded, whitespace
      runs collapsed to one space.
    All go through to_ascii (NFKC) first.
    """
    text = to_ascii(value)
    if not text:
        return ""
    if kind in ("qq", "bank_account"):
        return normalize_account(text)
    if kind == "url":
        return normalize_url(text)
    if kind == "phone" or (kind == "alipay" and "@" not in text):
        phone = check_phone(text)
        if phone.error is None:
            return phone.normalized
        if kind == "phone":
            return _fold(text, " ")
    if kind in ("wechat", "email", "alipay"):
        return _fold(text, "")
    return _fold(text, " ")


# --- masking ---------------------------------------------------------------------------------

_MASK = "*"


def _mask(text: str, head: int, tail: int) -> str:
    """Stars for all but head and tail characters, never showing more than half of them.

    When the two do not fit in half the length, the tail (the "尾号" people check) is kept first.
    """
    budget = len(text) // 2
    tail = min(tail, budget)
    head = min(head, budget - tail)
    hidden = len(text) - head - tail
    return text[:head] + _MASK * hidden + text[len(text) - tail :]


def mask_id(value: str) -> str:
    """A resident ID for lists and paper copies: "13020*********1234" (18 characters).

    Keeps the last 4 and up to the first 6 characters, but never more than half of them: of an
    18-character number, the first 5 and the last 4. Values shorter than 15 keep only the last
    2. Whitespace is dropped, stars keep the length.
    """
    text = _squeeze(value).replace("x", "X")
    if len(text) < 15:
        return _mask(text, 0, 2)
    return _mask(text, 6, 4)


def mask_phone(value: str) -> str:
    """A phone number for lists and paper copies: "1******5678" for a mobile.

    The number is normalised (check_phone) first. An 11-digit mobile keeps the last 4 and, of
    the first 3, what still fits in half its length (1); other numbers keep the last 4. Never
    more than half of the characters are shown.
    """
    phone = check_phone(value)
    text = phone.normalized if phone.error is None else _squeeze(value)
    return _mask(text, 3 if phone.is_mobile else 0, 4)


def mask_account(value: str) -> str:
    """A card or account number for lists and paper copies: "6222***********1234".

    Separators are dropped (normalize_account); the first 4 and the last 4 are kept, stars keep
    the length, and never more than half of the characters are shown.
    """
    return _mask(normalize_account(value), 4, 4)
