"""What the desk ships and under which licences, for the About dialog.

    for part in bundled_components(): part.name, part.version, part.licence, part.texts

The fixed parts (Python, Qt with PySide6, the font, the BIN table) have their licence texts in
resources/. The Python libraries are read with importlib.metadata: from a source checkout, the
project's runtime requirements and theirs; in the PyInstaller bundle, every distribution whose
metadata build_installer.spec copied in (exactly the libraries the bundle holds). Their licence
texts are the licence files of their dist-info folders.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from intake_app.services.resources import resource

PROJECT = "intake-desk"
# Kinds of part; the About dialog says in the user's language what each is.
PYTHON, QT, FONT, BINS, LIBRARY = "python", "qt", "font", "bins", "library"
_LICENCE_FILE = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE|COPYRIGHT)", re.IGNORECASE)
# The Qt binding's distributions: listed once, as the Qt part.
_QT_DISTRIBUTIONS = {"pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6"}


@dataclass(frozen=True)
class Component:
    kind: str
    name: str
    version: str
    licence: str
    texts: tuple[Path, ...] = ()

    def licence_text(self) -> str:
        """The full licence texts, one after another; empty when none is shipped."""
        parts = []
        for path in self.texts:
            try:
                parts.append(path.read_text(encoding="utf-8", errors="replace").strip())
            except OSError:
                continue
        return ("\n\n" + "=" * 72 + "\n\n").join(parts)


def bundled_components() -> list[Component]:
    """Python, Qt, the font, the BIN table, then each Python library by name."""
    return [
        python_component(),
        qt_component(),
        Component(FONT, "Noto Sans SC", "2.004", "OFL-1.1", (resource("fonts", "OFL-1.1.txt"),)),
        Component(BINS, "bcbc (BIN table)", "", "MIT", (resource("bank-bin", "LICENSE"),)),
        *python_libraries(),
    ]


def python_component() -> Component:
    base = Path(sys.base_prefix)
    minor = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidates = (
        resource("licenses", "Python-LICENSE.txt"),  # in the bundle
        base / "LICENSE.txt",  # Windows
        base / "lib" / minor / "LICENSE.txt",
    )
    texts = tuple(p for p in candidates if p.is_file())[:1]
    return Component(PYTHON, "Python", sys.version.split()[0], "PSF-2.0", texts)


def qt_component() -> Component:
    try:
        version = metadata.version("PySide6-Essentials")
    except metadata.PackageNotFoundError:
        version = ""
    texts = (resource("licenses", "LGPL-3.0.txt"), resource("licenses", "GPL-3.0.txt"))
    return Component(QT, "Qt 6, PySide6, shiboken6", version, "LGPL-3.0-only", texts)


def python_libraries() -> list[Component]:
    if getattr(sys, "frozen", False):
        names = {_key(d.metadata["Name"] or "") for d in metadata.distributions()}
    else:
        names = runtime_requirements(PROJECT)
    names -= {_key(PROJECT)} | _QT_DISTRIBUTIONS
    parts = [library_component(metadata.distribution(name)) for name in names if _installed(name)]
    return sorted(parts, key=lambda part: part.name.lower())


def runtime_requirements(root: str) -> set[str]:
    """The installed distributions `root` needs to run, its own name included (no extras)."""
    seen: set[str] = set()
    todo = [_key(root)]
    while todo:
        name = todo.pop()
        if name in seen or not _installed(name):
            continue
        seen.add(name)
        for requirement in metadata.requires(name) or []:
            if "extra ==" in requirement:
                continue
            match = re.match(r"\s*([A-Za-z0-9._-]+)", requirement)
            if match:
                todo.append(_key(match.group(1)))
    return seen


def library_component(dist: metadata.Distribution) -> Component:
    meta = dist.metadata
    files = [f for f in dist.files or () if _LICENCE_FILE.match(f.name) and ".dist-info" in str(f)]
    texts = tuple(Path(str(dist.locate_file(f))) for f in sorted(files, key=str))
    return Component(LIBRARY, meta["Name"] or "", dist.version, licence_name(meta), texts)


def licence_name(meta: metadata.PackageMetadata) -> str:
    """SPDX expression, else a one-line License field, else the licence classifiers."""
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    field = _field(meta, "License")
    if field and "\n" not in field and len(field) <= 60:
        return field
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    if classifiers:
        return ", ".join(classifiers)
    return field.splitlines()[0] if field else "?"


def _field(meta: metadata.PackageMetadata, name: str) -> str:
    return str((meta.get_all(name) or [""])[0] or "").strip()


def _installed(name: str) -> bool:
    try:
        metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
