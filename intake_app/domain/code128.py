"""Code 128 (ISO/IEC 15417) bar patterns for the case number under the receipt's QR code.

The receipt needs one barcode of a short ASCII text, so this is a small encoder rather than
reportlab's barcode package, whose import builds every barcode widget it has and was a large
part of the first receipt's time in a fresh process. Runs of four or more digits use code
set C (two digits a symbol), everything else code set B.
"""

from __future__ import annotations

from intake_app.domain.errors import IntakeError

# Bar and space widths (in modules) of symbols 0..106: bar, space, bar, space, bar, space;
# 103-105 are Start A/B/C and 106 is Stop (with its final bar). ISO/IEC 15417, table 1.
# fmt: off
_PATTERNS = (
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312",
    "132212", "221213", "221312", "231212", "112232", "122132", "122231", "113222",
    "123122", "123221", "223211", "221132", "221231", "213212", "223112", "312131",
    "311222", "321122", "321221", "312212", "322112", "322211", "212123", "212321",
    "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
    "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121",
    "313121", "211331", "231131", "213113", "213311", "213131", "311123", "311321",
    "331121", "312113", "312311", "332111", "314111", "221411", "431111", "111224",
    "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
    "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112",
    "421211", "212141", "214121", "412121", "111143", "111341", "131141", "114113",
    "114311", "411113", "411311", "113141", "114131", "311141", "411131", "211412",
    "211214", "211232", "2331112",
)
# fmt: on
_START_B, _START_C, _STOP = 104, 105, 106
_CODE_B, _CODE_C = 100, 99  # the code-set switches, as seen from the other set


def symbols(text: str) -> list[int]:
    """The symbol values of text, start and check symbol included, stop excluded."""
    if not text or any(not 32 <= ord(ch) <= 126 for ch in text):
        raise IntakeError("barcode_text_invalid", "barcode", value=text[:40])
    values: list[int] = []
    current = None
    i = 0
    while i < len(text):
        run = _digit_run(text, i)
        # Set C pays off for four digits or more (for a leading or trailing run, even length).
        if run >= 4 or (run >= 2 and run == len(text) - i and current == "C"):
            take = run - run % 2
            if current != "C":
                values.append(_START_C if current is None else _CODE_C)
                current = "C"
            values.extend(int(text[j : j + 2]) for j in range(i, i + take, 2))
            i += take
            continue
        if current != "B":
            values.append(_START_B if current is None else _CODE_B)
            current = "B"
        values.append(ord(text[i]) - 32)
        i += 1
    check = (values[0] + sum(pos * v for pos, v in enumerate(values[1:], start=1))) % 103
    return [*values, check]


def modules(text: str) -> list[int]:
    """Alternating bar and space widths in modules, starting with a bar, stop included."""
    return [int(w) for v in (*symbols(text), _STOP) for w in _PATTERNS[v]]


def _digit_run(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end].isascii() and text[end].isdigit():
        end += 1
    return end - start
