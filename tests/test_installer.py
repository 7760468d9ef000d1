"""The installer bundle (build_installer.spec), built and used as a station would.

Builds dist/intake-desk/ once per test run into a temporary folder (about half a minute; the
xdist workers share one build), or uses INTAKE_BUNDLE_DIR when a build script made one. Then it
runs the frozen programs, away from the source tree: the window's smoke test offscreen (and on
X11 under Xvfb when xvfb-run is there), and the command line setting up a station, importing
the fixture cases and printing a receipt that pdftotext reads back.
"""

import fcntl
import json
import os
import pkgutil
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from intake_app import __version__
from tests.conftest import ADMIN, ADMIN_PASSWORD, FIXTURES, STATION, STATION_NAME

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
# 209 MB before the statistics page; its charts bring pyqtgraph, numpy (with OpenBLAS) and
# QtOpenGL, about 50 MB.
MAX_BUNDLE_MB = 300


def build(dist: Path, work: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(ROOT / "build_installer.spec")],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=900,
    )  # fmt: skip


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Path:
    ready = os.environ.get("INTAKE_BUNDLE_DIR")
    if ready:
        return Path(ready)
    shared = tmp_path_factory.getbasetemp().parent / "installer-bundle"  # one per test run
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker waits for this build
        if not (shared / "dist" / "intake-desk" / "VERSION").exists():
            build(shared / "dist", shared / "work")
    return shared / "dist" / "intake-desk"


def frozen_env(data_dir: Path) -> dict[str, str]:
    """The environment of a station's PC: nothing pointing back at the source tree."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "INTAKE_", "VIRTUAL_ENV", "QT_"))
    }
    env.update(INTAKE_DATA_DIR=str(data_dir), INTAKE_PASSWORD=ADMIN_PASSWORD)
    return env


def run(program: Path, *args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(program), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=180
    )


def test_bundle_has_both_programs_the_resources_and_no_unused_qt(bundle):
    assert (bundle / "VERSION").read_text().strip() == __version__
    for program in ("intake-desk", "intake-app"):
        assert os.access(bundle / program, os.X_OK), program
    inside = bundle / "_internal"
    for path in (
        "forms/report_form.ui",
        "resources/i18n/intake_zh_CN.qm",
        "resources/fonts/NotoSansSC-Regular.ttf",
        "resources/fonts/NotoSansSC-Bold.ttf",
        "resources/fonts/OFL-1.1.txt",
        "resources/bank-bin/bin.csv",
        "resources/bank-bin/LICENSE",
        "resources/reference/reference.json",
        "resources/schemas/intake-case-1.schema.json",
        "resources/templates/receipt-zh_CN.json",
        "resources/icons/intake-desk.png",
        "resources/licenses/LGPL-3.0.txt",
        "resources/licenses/Python-LICENSE.txt",
    ):
        assert (inside / path).is_file(), path
    assert not list(inside.rglob("*.ts")), "translators' files are not shipped"
    names = {p.name for p in inside.rglob("*")}
    for used in ("QtPdf.abi3.so", "QtPrintSupport.abi3.so", "QtUiTools.abi3.so"):
        assert used in names, used
    unused = [n for n in names if n.startswith(("libQt6WebEngine", "libQt63D", "libQt6Quick"))]
    unused += [n for n in names if n.startswith(("QtQuick", "QtMultimedia", "Qt3D", "QtWebEngine"))]
    assert not unused, unused
    size_mb = sum(p.lstat().st_size for p in bundle.rglob("*") if not p.is_dir()) / 2**20
    assert size_mb < MAX_BUNDLE_MB, f"{size_mb:.0f} MB"


def test_each_program_runs_its_own_entry_and_every_module_is_in_the_archive(bundle):
    from PyInstaller.archive.readers import CArchiveReader

    import intake_app

    for program, entry in (("intake-desk", "run_intake_desk"), ("intake-app", "run_intake_app")):
        archive = CArchiveReader(str(bundle / program))
        scripts = [name for name in archive.toc if name.startswith("run_")]
        assert scripts == [entry], program
    modules = set(archive.open_embedded_archive("PYZ.pyz").toc)
    ours = {
        m.name for m in pkgutil.walk_packages(intake_app.__path__, "intake_app.") if not m.ispkg
    }
    assert ours - modules == set()
    # reportlab finds barcode kinds by name; all of them travel, whatever the receipt draws.
    barcode = "reportlab.graphics.barcode."
    assert {barcode + kind for kind in ("code128", "qr", "qrencoder", "widgets")} <= modules


def test_every_bundled_library_ships_its_licence(bundle):
    """What the About dialog lists in the bundle: the dist-info folders the spec copied in."""
    found = {
        d.metadata["Name"]: d for d in metadata.distributions(path=[str(bundle / "_internal")])
    }
    assert {"reportlab", "sqlite-utils", "python-stdnum", "argon2-cffi"} <= set(found)
    without = [
        name
        for name, dist in found.items()
        if name != "intake-desk"
        and not any("licen" in f.name.lower() or f.name == "COPYING" for f in dist.files or ())
        and not (dist.metadata["License"] or dist.metadata["License-Expression"])
    ]
    assert not without, without


def test_frozen_window_starts(bundle, tmp_path):
    env = frozen_env(tmp_path / "data")
    result = run(bundle / "intake-desk", "--smoke-test", env=env | {"QT_QPA_PLATFORM": "offscreen"},
                 cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    if shutil.which("xvfb-run"):  # a real X11 display: the xcb plugin and its libraries
        result = run(Path(shutil.which("xvfb-run")), "-a", str(bundle / "intake-desk"),
                     "--smoke-test", env=env, cwd=tmp_path)  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:]


def test_frozen_cli_sets_up_a_station_imports_a_case_and_prints_its_receipt(bundle, tmp_path):
    app = bundle / "intake-app"
    env = frozen_env(tmp_path / "data")
    result = run(app, "init", "--station-code", STATION, "--station-name", STATION_NAME,
                 "--admin-badge", ADMIN, "--admin-name", "张伟", env=env, cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    cases = FIXTURES / "tangshan_cases.json"
    result = run(app, "case", "import", str(cases), "--officer", ADMIN, "--json",
                 env=env, cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    imported = json.loads(result.stdout)
    assert len(imported) == len(json.loads(cases.read_text(encoding="utf-8")))
    case_no = imported[0]["case_no"]

    pdf = tmp_path / "receipt.pdf"
    result = run(app, "receipt", case_no, "-o", str(pdf), "--officer", ADMIN, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert case_no in text and "受案回执" in text

    result = run(app, "status", "--json", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert STATION in result.stdout
