"""QR code matrices (ISO/IEC 18004) for the short texts a receipt carries, error level M.

Written for the receipt rather than taken from reportlab's barcode package, whose import builds
every barcode widget it has and was a large part of the first receipt's time in a fresh
process. It covers what a receipt needs: alphanumeric or byte mode, versions 1 to 10 (up to
213 bytes at level M), the mask with the lowest penalty (7.8.3).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from intake_app.domain.errors import IntakeError

Matrix = tuple[tuple[bool, ...], ...]

ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_ALNUM_VALUE = {ch: i for i, ch in enumerate(ALPHANUMERIC)}

# Level M: per version, error-correction codewords per block and the blocks' data codewords
# (ISO/IEC 18004, table 9).
_BLOCKS_M = {
    1: (10, (16,)),
    2: (16, (28,)),
    3: (26, (44,)),
    4: (18, (32, 32)),
    5: (24, (43, 43)),
    6: (16, (27, 27, 27, 27)),
    7: (18, (31, 31, 31, 31)),
    8: (22, (38, 38, 39, 39)),
    9: (22, (36, 36, 36, 37, 37)),
    10: (26, (43, 43, 43, 43, 44)),
}
MAX_VERSION = max(_BLOCKS_M)
# Centre coordinates of the alignment patterns (annex E).
_ALIGNMENT = {
    1: (),
    2: (6, 18),
    3: (6, 22),
    4: (6, 26),
    5: (6, 30),
    6: (6, 34),
    7: (6, 22, 38),
    8: (6, 24, 42),
    9: (6, 26, 46),
    10: (6, 28, 50),
}
_LEVEL_M_BITS = 0b00
_MASKS = (
    lambda r, c: (r + c) % 2 == 0,
    lambda r, c: r % 2 == 0,
    lambda r, c: c % 3 == 0,
    lambda r, c: (r + c) % 3 == 0,
    lambda r, c: (r // 2 + c // 3) % 2 == 0,
    lambda r, c: (r * c) % 2 + (r * c) % 3 == 0,
    lambda r, c: ((r * c) % 2 + (r * c) % 3) % 2 == 0,
    lambda r, c: ((r + c) % 2 + (r * c) % 3) % 2 == 0,
)


@lru_cache(maxsize=64)
def qr_matrix(text: str) -> Matrix:
    """The modules (True = dark) of the smallest level-M QR code holding text."""
    alnum = all(ch in _ALNUM_VALUE for ch in text)
    payload = text if alnum else text.encode("utf-8")
    for version in range(1, MAX_VERSION + 1):
        bits = _data_bits(payload, version)
        if bits is not None:
            break
    else:
        raise IntakeError("qr_text_too_long", "qr", length=len(payload), limit=capacity(alnum))
    grid = _Grid(version)
    grid.place(_codewords(bits, version))
    best = min(range(8), key=lambda mask: penalty(grid.rows(mask)))
    return tuple(tuple(ch == "1" for ch in row) for row in grid.rows(best))


def capacity(alphanumeric: bool) -> int:
    """Characters (alphanumeric) or bytes the largest supported version holds."""
    data_bits = 8 * sum(_BLOCKS_M[MAX_VERSION][1]) - 4 - (11 if alphanumeric else 16)
    return data_bits * 2 // 11 if alphanumeric else data_bits // 8


def penalty(rows: list[str]) -> int:
    """The mask penalty of a matrix given as rows of "0"/"1" (1 = dark), per 7.8.3."""
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


_RUN = re.compile(r"0{5,}|1{5,}")
# 1:1:3:1:1 dark-light-dark-light-dark with four light modules on either side.
_FINDER = re.compile(r"(?=10111010000|00001011101)")


# Data ------------------------------------------------------------------------------------


def _data_bits(payload: str | bytes, version: int) -> str | None:
    """Mode, count, data, terminator and padding as a bit string; None when it does not fit."""
    capacity_bits = 8 * sum(_BLOCKS_M[version][1])
    if isinstance(payload, str):
        count_bits = 9 if version < 10 else 11
        parts = ["0010", format(len(payload), f"0{count_bits}b")]
        for i in range(0, len(payload) - 1, 2):
            value = 45 * _ALNUM_VALUE[payload[i]] + _ALNUM_VALUE[payload[i + 1]]
            parts.append(format(value, "011b"))
        if len(payload) % 2:
            parts.append(format(_ALNUM_VALUE[payload[-1]], "06b"))
    else:
        count_bits = 8 if version < 10 else 16
        # Non-ASCII text says it is UTF-8 (ECI 000026), or readers guess ISO 8859-1.
        parts = [] if payload.isascii() else ["0111", format(26, "08b")]
        parts += ["0100", format(len(payload), f"0{count_bits}b")]
        parts.extend(format(b, "08b") for b in payload)
    bits = "".join(parts)
    if len(bits) > capacity_bits:
        return None
    bits += "0" * min(4, capacity_bits - len(bits))
    bits += "0" * (-len(bits) % 8)
    pad = ("11101100", "00010001")
    i = 0
    while len(bits) < capacity_bits:
        bits += pad[i % 2]
        i += 1
    return bits


def _codewords(bits: str, version: int) -> list[int]:
    """Data codewords split into blocks, each with its Reed-Solomon codewords, interleaved."""
    data = [int(bits[i : i + 8], 2) for i in range(0, len(bits), 8)]
    ec_len, sizes = _BLOCKS_M[version]
    blocks, start = [], 0
    for size in sizes:
        blocks.append(data[start : start + size])
        start += size
    ecs = [_rs_remainder(block, ec_len) for block in blocks]
    out = [b[i] for i in range(max(sizes)) for b in blocks if i < len(b)]
    out += [e[i] for i in range(ec_len) for e in ecs]
    return out


def _gf_tables() -> tuple[list[int], list[int]]:
    exp, log = [0] * 512, [0] * 256
    x = 1
    for i in range(255):
        exp[i] = x
        log[x] = i
        x <<= 1
        if x & 0x100:
            x ^= 0x11D
    for i in range(255, 512):
        exp[i] = exp[i - 255]
    return exp, log


_EXP, _LOG = _gf_tables()


def _gf_mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


@lru_cache(maxsize=16)
def _generator(degree: int) -> tuple[int, ...]:
    """Coefficients (highest first, leading 1 dropped) of (x - a^0)(x - a^1)...(x - a^(d-1))."""
    poly = [1]
    for i in range(degree):
        nxt = [0] * (len(poly) + 1)
        for j, coef in enumerate(poly):
            nxt[j] ^= coef
            nxt[j + 1] ^= _gf_mul(coef, _EXP[i])
        poly = nxt
    return tuple(poly[1:])


def _rs_remainder(data: list[int], degree: int) -> list[int]:
    gen = _generator(degree)
    rem = [0] * degree
    for byte in data:
        factor = byte ^ rem[0]
        rem = [*rem[1:], 0]
        for i, coef in enumerate(gen):
            rem[i] ^= _gf_mul(coef, factor)
    return rem


# Placement --------------------------------------------------------------------------------


def _bch(value: int, poly: int, bits: int) -> int:
    """value followed by the remainder of value * x^bits divided by poly."""
    rem = value << bits
    top = poly.bit_length() - 1
    while rem.bit_length() > top:
        rem ^= poly << (rem.bit_length() - 1 - top)
    return (value << bits) | rem


class _Grid:
    """The function patterns of one version and the data modules, before masking."""

    def __init__(self, version: int) -> None:
        self.version = version
        n = self.size = 17 + 4 * version
        self.dark = [[False] * n for _ in range(n)]
        self.fixed = [[False] * n for _ in range(n)]
        for r, c in ((0, 0), (0, n - 7), (n - 7, 0)):
            self._finder(r, c)
        centres = _ALIGNMENT[version]
        if centres:
            first, last = centres[0], centres[-1]
            corners = {(first, first), (first, last), (last, first)}  # under the finders
            for r in centres:
                for c in centres:
                    if (r, c) in corners:
                        continue
                    for dr in range(-2, 3):
                        for dc in range(-2, 3):
                            self._set(r + dr, c + dc, max(abs(dr), abs(dc)) != 1)
        # Timing patterns; where they cross an alignment pattern, the two agree.
        for i in range(8, n - 8):
            self._set(6, i, i % 2 == 0)
            self._set(i, 6, i % 2 == 0)
        self._format_modules(0)  # reserved now, written per mask in rows()
        self._set(n - 8, 8, True)  # the dark module
        if version >= 7:
            info = _bch(version, 0x1F25, 12)
            for i in range(18):
                a, b = n - 11 + i % 3, i // 3
                self._set(a, b, bool(info >> i & 1))
                self._set(b, a, bool(info >> i & 1))

    def _set(self, r: int, c: int, dark: bool) -> None:
        self.dark[r][c] = dark
        self.fixed[r][c] = True

    def _finder(self, top: int, left: int) -> None:
        for dr in range(-1, 8):
            for dc in range(-1, 8):
                r, c = top + dr, left + dc
                if 0 <= r < self.size and 0 <= c < self.size:
                    ring = max(abs(dr - 3), abs(dc - 3))
                    self._set(r, c, ring != 2 and ring != 4)

    def _format_positions(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Where bit i of the format information goes, in both copies (row, column)."""
        n = self.size
        first = [(i, 8) for i in range(6)] + [(7, 8), (8, 8), (8, 7)]
        first += [(8, 14 - i) for i in range(9, 15)]
        second = [(8, n - 1 - i) for i in range(8)] + [(n - 15 + i, 8) for i in range(8, 15)]
        return list(zip(first, second, strict=True))

    def _format_modules(self, mask: int) -> list[tuple[int, int, bool]]:
        info = _bch(_LEVEL_M_BITS << 3 | mask, 0x537, 10) ^ 0x5412
        cells = []
        for i, (a, b) in enumerate(self._format_positions()):
            bit = bool(info >> i & 1)
            cells += [(*a, bit), (*b, bit)]
        for r, c, _ in cells:
            self.fixed[r][c] = True
        return cells

    def place(self, codewords: list[int]) -> None:
        bits = "".join(format(cw, "08b") for cw in codewords)
        n, i = self.size, 0
        self.data_cells: list[tuple[int, int]] = []
        right = n - 1
        while right >= 1:
            if right == 6:  # the vertical timing pattern
                right = 5
            upward = ((right + 1) & 2) == 0
            for step in range(n):
                r = n - 1 - step if upward else step
                for c in (right, right - 1):
                    if not self.fixed[r][c]:
                        self.dark[r][c] = i < len(bits) and bits[i] == "1"
                        self.data_cells.append((r, c))
                        i += 1
            right -= 2

    def rows(self, mask: int) -> list[str]:
        grid = [row[:] for row in self.dark]
        test = _MASKS[mask]
        for r, c in self.data_cells:
            if test(r, c):
                grid[r][c] = not grid[r][c]
        for r, c, bit in self._format_modules(mask):
            grid[r][c] = bit
        return ["".join("1" if m else "0" for m in row) for row in grid]
