"""zh_CN is the default language and always complete; the compiled .qm matches the .ts."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "resources" / "i18n"
BIN = Path(sys.executable).parent


def messages(ts: Path):
    tree = ET.parse(ts)
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            yield name, message.findtext("source"), message.find("translation")


def test_every_zh_cn_string_is_translated():
    unfinished = [
        f"{context}: {source}"
        for context, source, translation in messages(I18N / "intake_zh_CN.ts")
        if translation is None
        or translation.get("type") in ("unfinished", "vanished", "obsolete")
        or not (translation.text or "").strip()
    ]
    assert not unfinished, "untranslated:\n" + "\n".join(unfinished)


def test_the_translation_file_knows_every_source_string(tmp_path):
    """lupdate over today's sources adds nothing new to the committed .ts."""
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "intake_app" / "ui").glob("*.py"))
    sources += sorted(str(p) for p in (ROOT / "forms").glob("*.ui"))
    subprocess.run(
        [BIN / "pyside6-lupdate", "-silent", "-locations", "none", *sources, "-ts", fresh],
        check=True,
    )
    committed = {(c, s) for c, s, _ in messages(I18N / "intake_zh_CN.ts")}
    missing = [f"{c}: {s}" for c, s, _ in messages(fresh) if (c, s) not in committed]
    assert not missing, "run scripts/translations.sh; new strings:\n" + "\n".join(missing)


def test_the_compiled_qm_is_up_to_date(tmp_path):
    fresh = tmp_path / "fresh.qm"
    subprocess.run(
        [BIN / "pyside6-lrelease", "-silent", I18N / "intake_zh_CN.ts", "-qm", fresh], check=True
    )
    assert fresh.read_bytes() == (I18N / "intake_zh_CN.qm").read_bytes()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_translation_installs(qapp, lang):
    from PySide6.QtCore import QCoreApplication

    from intake_app.ui.i18n import install_translation

    install_translation(qapp, lang)
    try:
        text = QCoreApplication.translate("MainWindow", "Cases")
        assert text == ("案件" if lang == "zh_CN" else "Cases")
    finally:
        install_translation(qapp, "en")
