"""Fonts for printed documents: the bundled Noto Sans SC, embedded, and fallbacks.

Every PDF embeds (a subset of) the bundled TrueType font, so it prints the same everywhere. Noto
Sans SC lacks CJK Extension B and later, which occur in names (𠮷, U+20BB7). A character the
bundled font lacks is looked for, in order, in the data folder's `fonts/` folder (a station can
drop a TrueType font there), then in the system's fonts (fontconfig's `fc-list` where there is
one; SimSun-ExtB and MingLiU-ExtB on Windows). When no font has it, printing stops with
IntakeError "char_not_in_font" naming the field and the character: a character never vanishes.

Control and format characters (zero-width spaces, direction marks) and variation selectors
are dropped before printing: they have no ink of their own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts

from intake_app.domain.errors import IntakeError

from intake_app.services.resources import resource

REGULAR = "IntakeSans"
BOLD = "IntakeSans-Bold"
BUNDLED = {REGULAR: "NotoSansSC-Regular.ttf", BOLD: "NotoSansSC-Bold.ttf"}
FONT_SUFFIXES = (".ttf", ".ttc", ".otf")
# Fonts with CJK Extension B and later that Windows ships (file, index in a collection).
WINDOWS_FALLBACKS = (("simsunb.ttf", 0), ("SimSun-ExtG.ttf", 0), ("mingliub.ttc", 0))
_FC_TIMEOUT = 10
CACHE_SIZE = 20_000


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode CMap, but with characters beyond U+FFFF written as UTF-16 pairs
    (reportlab writes them as five hex digits, which text extraction misreads)."""
    cmap = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(
            f"<{i:02X}> <{chr(v).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
            for i, v in enumerate(subset)
        ),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(cmap)


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def _inkless(ch: str) -> bool:
    code = ord(ch)
    return (
        unicodedata.category(ch) in ("Cc", "Cf")
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )


def clean(text: str) -> str:
    """Tabs and line breaks become spaces; characters without ink are dropped."""
    text = text.replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return "".join(ch for ch in text if not _inkless(ch))


_lock = threading.RLock()
_loaded: dict[tuple[str, int], ttfonts.TTFont | None] = {}


@lru_cache(maxsize=1)
def register_bundled() -> dict[str, frozenset[int]]:
    """Register the bundled fonts with reportlab (once per process); their code points."""
    covered = {}
    with _lock:
        for name, filename in BUNDLED.items():
            font = ttfonts.TTFont(name, str(resource("fonts", filename)))
            pdfmetrics.registerFont(font)
            covered[name] = frozenset(font.face.charToGlyph)
    return covered


def _load(path: str, index: int) -> ttfonts.TTFont | None:
    """A font file registered under its own name, or None when reportlab cannot embed it
    (PostScript outlines, embedding not allowed, not a font)."""
    key = (path, index)
    with _lock:
        if key not in _loaded:
            stem = re.sub(r"[^A-Za-z0-9]", "", Path(path).stem)[:24] or "Font"
            name = f"Fallback-{stem}-{index}-{len(_loaded)}"
            try:
                font = ttfonts.TTFont(name, path, subfontIndex=index)
                pdfmetrics.registerFont(font)
            except Exception:  # any font reportlab cannot read or embed is simply not a fallback
                font = None
            _loaded[key] = font
        return _loaded[key]


def _fc_list(code: int) -> list[tuple[str, int]]:
    fc = shutil.which("fc-list")
    if fc is None:
        return []
    try:
        out = subprocess.run(
            [fc, "--format", "%{file}\t%{index}\n", f":charset={code:x}"],
            capture_output=True,
            text=True,
            timeout=_FC_TIMEOUT,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in sorted(out.splitlines()):
        path, _, index = line.partition("\t")
        if path.lower().endswith(FONT_SUFFIXES):
            found.append((path, int(index) if index.isdigit() else 0))
    return found


def _windows_fonts() -> list[tuple[str, int]]:
    folder = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    return [(str(folder / f), i) for f, i in WINDOWS_FALLBACKS if (folder / f).is_file()]


class FontSet:
    """The fonts one document is set in. `runs` splits a text into pieces each of which one
    font can print, or raises IntakeError("char_not_in_font") naming the field."""

    def __init__(self, font_dirs: Iterable[Path] = (), *, system: bool = True) -> None:
        self.covered = register_bundled()
        self.font_dirs = tuple(font_dirs)
        self.system = system
        self._by_char: dict[int, str | None] = {}
        # Layout measures the same words again and again (two copies, two passes).
        self._runs: dict[tuple[str, bool], tuple[tuple[str, str], ...]] = {}
        self._widths: dict[tuple[str, float, bool], float] = {}
        # Lines of wrapped text by (text, size, width, bold), kept for pdf_text.wrap.
        self.wrapped: dict[tuple[str, float, float, bool], tuple[str, ...]] = {}

    # Finding a font for a character ----------------------------------------------------------

    def _candidates(self, code: int) -> Iterable[tuple[str, int]]:
        for folder in self.font_dirs:
            if folder.is_dir():
                for path in sorted(folder.iterdir()):
                    if path.suffix.lower() in FONT_SUFFIXES:
                        yield str(path), 0
        if self.system:
            yield from _windows_fonts() if os.name == "nt" else _fc_list(code)

    def fallback(self, code: int) -> str | None:
        """The registered name of a font that has the character, or None."""
        if code not in self._by_char:
            found = None
            for path, index in self._candidates(code):
                font = _load(path, index)
                if font is not None and code in font.face.charToGlyph:
                    found = font.fontName
                    break
            self._by_char[code] = found
        return self._by_char[code]

    def font_for(self, ch: str, bold: bool, field: str) -> str:
        code = ord(ch)
        for name in (BOLD, REGULAR) if bold else (REGULAR,):
            if code in self.covered[name]:
                return name
        found = self.fallback(code)
        if found is None:
            raise IntakeError("char_not_in_font", field, char=ch, codepoint=f"U+{code:04X}")
        return found

    # Setting text ---------------------------------------------------------------------------

    def runs(self, text: str, field: str, *, bold: bool = False) -> tuple[tuple[str, str], ...]:
        """((font name, text), ...) for a line of text (see `clean`)."""
        key = (text, bold)
        found = self._runs.get(key)
        if found is None:
            if len(self._runs) > CACHE_SIZE:
                self._runs.clear()
                self._widths.clear()
            found = self._runs[key] = self._split(text, field, bold)
        return found

    def _split(self, text: str, field: str, bold: bool) -> tuple[tuple[str, str], ...]:
        main = BOLD if bold else REGULAR
        covered = self.covered[main]
        runs: list[tuple[str, str]] = []
        for ch in clean(text):
            font = main if ord(ch) in covered else self.font_for(ch, bold, field)
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + ch)
            else:
                runs.append((font, ch))
        return tuple(runs)

    def width(self, text: str, field: str, size: float, *, bold: bool = False) -> float:
        key = (text, size, bold)
        found = self._widths.get(key)
        if found is None:
            runs = self.runs(text, field, bold=bold)
            found = self._widths[key] = sum(pdfmetrics.stringWidth(t, f, size) for f, t in runs)
        return found

    def markup(self, text: str, field: str, *, bold: bool = False) -> str:
        """Paragraph markup for a text that may hold line breaks: escaped, with <font> tags
        around the pieces a fallback font prints."""
        main = BOLD if bold else REGULAR
        lines = []
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            parts = []
            for font, piece in self.runs(line, field, bold=bold):
                parts.append(
                    escape(piece) if font == main else f'<font face="{font}">{escape(piece)}</font>'
                )
            lines.append("".join(parts))
        return "<br/>".join(lines)
