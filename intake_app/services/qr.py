"""QR code modules for a short text: reportlab's encoder, with a faster choice of mask.

A QR encoder tries the eight mask patterns and keeps the one with the lowest penalty (ISO/IEC
18004, 7.8.3: runs, 2x2 blocks, finder-like patterns, dark/light balance). reportlab's scorer
is slow enough to be most of a receipt's extra cost over a bare page, so the penalties are
counted here on rows and columns held as strings and integers. Any mask gives a valid code;
this only picks the one that scans best, as the standard says.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from reportlab.graphics.barcode import qrencoder

_RUN = re.compile(r"0{5,}|1{5,}")
# 1:1:3:1:1 dark-light-dark-light-dark with four light modules on either side.
_FINDER = re.compile(r"(?=10111010000|00001011101)")

Matrix = tuple[tuple[bool, ...], ...]


def penalty(rows: list[str]) -> int:
    """The mask penalty of a matrix given as rows of "0"/"1" (1 = dark)."""
    n = len(rows)
    cols = ["".join(row[c] for row in rows) for c in range(n)]
    score = 0
    for line in (*rows, *cols):
        score += sum(len(m) - 2 for m in _RUN.findall(line))  # N1 = 3, plus 1 per extra module
        score += 40 * len(_FINDER.findall(line))  # N3 = 40
    ints = [int(row, 2) for row in rows]
    full = (1 << (n - 1)) - 1  # pairs of neighbouring columns
    for a, b in pairwise(ints):
        same_rows = ~(a ^ b)  # the two rows agree in this column
        both = same_rows & (same_rows >> 1)  # ... and in the next one
        flat = ~(a ^ (a >> 1))  # and a row does not change between the two columns
        score += 3 * bin(both & flat & full).count("1")  # N2 = 3 per 2x2 block
    dark = sum(row.count("1") for row in rows)
    score += 10 * (abs(dark * 100 // (n * n) - 50) // 5)  # N4 = 10 per 5 % off balance
    return score


@lru_cache(maxsize=64)
def qr_matrix(text: str) -> Matrix:
    """The modules (True = dark) of the smallest QR code holding text at level M."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.version = code.calculate_version()
    best, best_score = 0, -1
    for mask in range(8):
        code.makeImpl(True, mask)
        score = penalty(["".join("1" if m else "0" for m in row) for row in code.modules])
        if best_score < 0 or score < best_score:
            best, best_score = mask, score
    code.makeImpl(False, best)
    return tuple(tuple(bool(m) for m in row) for row in code.modules)
