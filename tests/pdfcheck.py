"""Reading printed PDFs back the way a person or a scanner would: poppler and zbar.

pdftotext, pdffonts and pdftoppm come from poppler-utils, zbarimg from zbar-tools (both in
scripts/apt-packages.txt). The tests fail, rather than skip, when they are missing.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

EXT_B_CHAR = "\U00020bb7"  # 𠮷, CJK Extension B: not in Noto Sans SC


def _run(*argv: str) -> str:
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 0, f"{argv[0]} failed ({proc.returncode}): {proc.stderr}"
    return proc.stdout


def _with_file(pdf: bytes, *argv: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        return _run(*argv, str(path), *(["-"] if argv[0] == "pdftotext" else []))


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF in reading order."""
    return _with_file(pdf, "pdftotext", "-enc", "UTF-8")


def squeezed(text: str) -> str:
    """Text without any whitespace: wrapped lines join up again."""
    return re.sub(r"\s+", "", text)


def pdf_fonts(pdf: bytes) -> list[dict[str, str]]:
    """Each font of a PDF as pdffonts lists it: name, type, emb (yes/no), sub, uni."""
    out = _with_file(pdf, "pdffonts")
    fonts = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 7:
            # name type... encoding emb sub uni object-id generation
            fonts.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return fonts


def qr_codes(pdf: bytes, resolution: int = 150) -> list[str]:
    """Every QR code zbarimg finds on the first page, rendered at a printer-like resolution."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        _run(
            "pdftoppm",
            "-png",
            "-r",
            str(resolution),
            "-f",
            "1",
            "-l",
            "1",
            str(path),
            str(Path(tmp) / "page"),
        )
        page = next(Path(tmp).glob("page*.png"))
        proc = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(page)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert proc.returncode in (0, 4), proc.stderr  # 4: nothing found
        return [line for line in proc.stdout.splitlines() if line]


def make_ext_b_font(path: Path) -> Path:
    """A tiny TrueType font with one glyph, for U+20BB7 (𠮷): a stand-in for SimSun-ExtB."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    order = [".notdef", "uni20BB7"]
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        for x0, y0, x1, y1 in ((100, -100, 900, 800), (200, 0, 800, 700)):
            pen.moveTo((x0, y0))
            pen.lineTo((x0, y1))
            pen.lineTo((x1, y1))
            pen.lineTo((x1, y0))
            pen.closePath()
        glyphs[name] = pen.glyph()
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({ord(EXT_B_CHAR): "uni20BB7"})
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({name: (1000, 100) for name in order})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "TestExtB", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=880, usWinAscent=880, usWinDescent=120, fsType=0)
    fb.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    fb.save(str(path))
    return path
