"""Translations: English source strings through tr(), zh_CN by default.

resources/i18n/intake_zh_CN.ts is the translators' file (made by scripts/translations.sh with
pyside6-lupdate from intake_app/ui and forms/); the .qm beside it is what the desk loads.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from intake_app.domain.messages import DEFAULT_LANG, LANGUAGES

from intake_app.services.resources import resource

_installed: list[QTranslator] = []


def install_translation(app: QApplication, lang: str = DEFAULT_LANG) -> str:
    """Install the desk's (and Qt's own) translation for `lang`; English needs none."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale(lang))
    if lang == "en":
        return lang
    ours = QTranslator(app)
    if not ours.load(str(resource("i18n", f"intake_{lang}.qm"))):
        raise RuntimeError(f"the {lang} translation is missing: run scripts/translations.sh")
    app.installTranslator(ours)
    _installed.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return lang
