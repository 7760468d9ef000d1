"""Money is integer fen (1 yuan = 100 fen). Never float."""

from __future__ import annotations

import re

from intake_app.domain.errors import IntakeError

_YUAN = re.compile(r"^(\d+)(?:\.(\d+))?$", re.ASCII)
MAX_FEN = 10**14  # one trillion yuan: far beyond any case, small enough for SQLite's int64


def parse_yuan(text: str, field: str = "amount") -> int:
    """Parse a decimal yuan string such as "1500.00" or "1500.5" into fen.

    Thousands separators, a leading ¥ and full-width digits are accepted; a sign, more than two
    decimals, exponents and anything else are refused with a typed error naming the field.
    """
    if not isinstance(text, str):
        raise IntakeError("amount_format", field, value=repr(text))
    cleaned = text.strip().translate(_FULLWIDTH).replace(",", "").lstrip("¥￥").strip()
    match = _YUAN.match(cleaned)
    if not match and _YUAN.match(cleaned.removeprefix("-").strip()):
        raise IntakeError("amount_not_positive", field, value=text)
    if not match:
        raise IntakeError("amount_format", field, value=text)
    whole, decimals = match.group(1), match.group(2) or ""
    if len(decimals) > 2:
        raise IntakeError("amount_decimals", field, value=text)
    if len(whole) > 13:
        raise IntakeError("amount_too_large", field, value=text)
    fen = int(whole) * 100 + int(decimals.ljust(2, "0"))
    if fen <= 0:
        raise IntakeError("amount_not_positive", field, value=text)
    if fen >= MAX_FEN:
        raise IntakeError("amount_too_large", field, value=text)
    return fen


def format_yuan(fen: int) -> str:
    """Fen to the interchange form: "1500.00"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def format_yuan_display(fen: int) -> str:
    """Fen for people: "¥1,500.00"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}¥{whole:,}.{cents:02d}"


_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
