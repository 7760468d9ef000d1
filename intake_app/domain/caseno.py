"""Case numbers issued offline: station code, year, yearly sequence and a Damm check digit.

    130209510000-2026-000042-7
    station      year seq    check

Unique with no network because the station code is part of the number and each station issues
its own sequence. The Damm check digit catches every single wrong digit and every swap of two
neighbouring digits, the two commonest errors when a number is read over the phone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from stdnum import damm

from intake_app.domain.errors import IntakeError

STATION_CODE = re.compile(r"^\d{12}$", re.ASCII)
SEQ_DIGITS = 6
MAX_SEQ = 10**SEQ_DIGITS - 1
_CASE_NO = re.compile(r"^(\d{12})(\d{4})(\d{6})(\d)$", re.ASCII)


@dataclass(frozen=True)
class CaseNumber:
    station_code: str
    year: int
    seq: int
    check: str

    def __str__(self) -> str:
        return f"{self.station_code}-{self.year:04d}-{self.seq:0{SEQ_DIGITS}d}-{self.check}"


def make_case_no(station_code: str, year: int, seq: int) -> str:
    if not STATION_CODE.match(station_code):
        raise IntakeError("station_code_invalid", "station_code", value=station_code)
    if not 1 <= seq <= MAX_SEQ:
        raise IntakeError("sequence_exhausted", "case_no", value=str(year))
    body = f"{station_code}{year:04d}{seq:0{SEQ_DIGITS}d}"
    return str(CaseNumber(station_code, year, seq, damm.calc_check_digit(body)))


def _digits(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\-_/]", "", text)


def parse_case_no(text: str) -> CaseNumber:
    """Read a case number as typed or read out (dashes and spaces optional); check the digit."""
    digits = _digits(text or "")
    match = _CASE_NO.match(digits)
    if not match or not damm.is_valid(digits):
        raise IntakeError("case_no_invalid", "case_no", value=text)
    station, year, seq, check = match.groups()
    return CaseNumber(station, int(year), int(seq), check)


def is_valid_case_no(text: str) -> bool:
    try:
        parse_case_no(text)
    except IntakeError:
        return False
    return True


def normalize_case_no(text: str) -> str:
    """The canonical, dashed form of a valid case number."""
    return str(parse_case_no(text))


def looks_like_case_no(text: str) -> bool:
    """True when the text has the shape of a case number, right check digit or not."""
    return bool(_CASE_NO.match(_digits(text or "")))
