"""The installer bundle: its size, and how fast the frozen desk starts beside the same from source.

    .venv/bin/python bench/bench_installer.py                    # builds into a temporary folder
    .venv/bin/python bench/bench_installer.py --bundle dist/intake-desk --runs 7

1. Build (unless --bundle names one): build_installer.spec with PyInstaller, wall time printed.
2. Size: every file of the one-folder bundle, unpacked (symbolic links counted as links).
   Target: under 300 MB (pyqtgraph and numpy, for the statistics page, are about 50 MB).
3. Start-up, each a new process timed from spawn to exit, median and p95 of --runs runs, frozen
   and source alternating after one warm-up run of each:
   - window: `intake-desk --smoke-test` (offscreen: a demo station of 20 cases is made, the
     main window shown, the program exits) against `.venv/bin/intake-desk --smoke-test`;
   - command: `intake-app status` on a station set up once, against `.venv/bin/intake-app status`.
   The ratio is frozen divided by source; the frozen program has no target of its own, the
   figures say what a station gains or pays for the bundle.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchstats import median, p95  # noqa: E402

OUT_DIR = ROOT / "bench" / "out"
MAX_MB = 300
VENV_BIN = Path(sys.executable).parent
STATION, ADMIN, PASSWORD = "130209510000", "100001", "bench-pass-2026"


def build(dist: Path, work: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(ROOT / "build_installer.spec")],
        cwd=ROOT,
        check=True,
    )  # fmt: skip
    return time.perf_counter() - start


def bundle_size(bundle: Path) -> tuple[float, int]:
    files = [p for p in bundle.rglob("*") if not p.is_dir()]
    return sum(p.lstat().st_size for p in files) / 2**20, len(files)


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True, timeout=300)
    return time.perf_counter() - start


def compare(frozen: list[str], source: list[str], env: dict[str, str], runs: int) -> dict:
    timed(frozen, env), timed(source, env)  # warm the file cache for both
    times: dict[str, list[float]] = {"frozen": [], "source": []}
    for _ in range(runs):
        times["frozen"].append(timed(frozen, env))
        times["source"].append(timed(source, env))
    row = {side: {"median_s": median(t), "p95_s": p95(t)} for side, t in times.items()}
    row["ratio"] = row["frozen"]["median_s"] / row["source"]["median_s"]
    return row


def measure(bundle: Path, runs: int, work: Path) -> dict[str, Any]:
    size_mb, files = bundle_size(bundle)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "INTAKE_"))}
    env |= {"QT_QPA_PLATFORM": "offscreen", "INTAKE_PASSWORD": PASSWORD}
    env["INTAKE_DATA_DIR"] = str(work / "station")
    subprocess.run(
        [str(VENV_BIN / "intake-app"), "init", "--station-code", STATION, "--station-name",
         "基准测试派出所", "--admin-badge", ADMIN, "--admin-name", "张伟"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    return {
        "size_mb": size_mb,
        "files": files,
        "window": compare(
            [str(bundle / "intake-desk"), "--smoke-test"],
            [str(VENV_BIN / "intake-desk"), "--smoke-test"],
            env,
            runs,
        ),
        "status": compare(
            [str(bundle / "intake-app"), "status"],
            [str(VENV_BIN / "intake-app"), "status"],
            env,
            runs,
        ),
    }


def report(result: dict[str, Any]) -> str:
    size_ok = result["size_mb"] < MAX_MB
    lines = [
        f"python {result['python']}, {result['cpus']} CPUs, load average before: "
        f"{result['load_before']}",
    ]
    if result.get("build_s") is not None:
        lines.append(f"build: {result['build_s']:.0f} s")
    lines += [
        f"bundle size unpacked: {result['size_mb']:.0f} MB in {result['files']} files "
        f"(target < {MAX_MB} MB: {'ok' if size_ok else 'MISSED'})",
        "",
        f"{'start-up (s)':<34}{'frozen':>9}{'p95':>7}{'source':>9}{'p95':>7}{'ratio':>8}",
    ]
    for key, label in (("window", "intake-desk --smoke-test"), ("status", "intake-app status")):
        row = result[key]
        lines.append(
            f"{label:<34}{row['frozen']['median_s']:>9.2f}{row['frozen']['p95_s']:>7.2f}"
            f"{row['source']['median_s']:>9.2f}{row['source']['p95_s']:>7.2f}{row['ratio']:>8.2f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, help="a built dist/intake-desk (else build one)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each program")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where the JSON goes")
    args = parser.parse_args(argv)
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="bench-installer-") as tmp:
        work = Path(tmp)
        build_s = None
        bundle = args.bundle
        if bundle is None:
            print("building the bundle ...", file=sys.stderr)
            build_s = build(work / "dist", work / "build")
            bundle = work / "dist" / "intake-desk"
        result = measure(bundle.resolve(), args.runs, work)
    result |= {
        "build_s": build_s,
        "runs": args.runs,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_before": load_before,
    }
    print(report(result))
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"bench_installer-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
