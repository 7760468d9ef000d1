"""Receipt printing speed, beside a bare reportlab page in the same fonts, in the same run.

    .venv/bin/python bench/bench_documents.py              # 200 receipts, 7 fresh processes
    .venv/bin/python bench/bench_documents.py --quick      # 40 receipts, 3 fresh processes

Not a test: machines differ and are noisy, so each product figure is printed as a ratio to a
baseline measured in the same run, and a missed target is reported, never raised (the exit
status is 0 either way). See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from intake_app.domain.times import SHANGHAI

from intake_app.store import officers

from intake_app.services.desk import Desk
from intake_app.services.resources import resource
from intake_app.services.sample_data import generate_cases

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = Path(__file__).resolve().parent / "out"
TARGET = 2.0  # product time per receipt divided by the bare page's, at most

STATION = "130209510000"
STATION_NAME = "唐山市公安局曹妃甸分局滨海派出所"
ADMIN, ADMIN_NAME, ADMIN_PASSWORD = "100001", "张伟", "admin-pass-2026"
NOW = datetime(2026, 11, 30, 18, 0, tzinfo=SHANGHAI)
FONTS = {
    "BareRegular": str(resource("fonts", "NotoSansSC-Regular.ttf")),
    "BareBold": str(resource("fonts", "NotoSansSC-Bold.ttf")),
}

# A fresh process: open the desk, print one receipt, write it. The officer is read from the
# store rather than logged in, and the store opened with its key (argv[5], hex): a login's
# argon2id is slow on purpose and is not printing.
# It prints how long the desk took to start (imports and Desk.open) and the printing itself.
PRODUCT_SCRIPT = """
import json, sys, time
start = time.perf_counter()
from pathlib import Path
from intake_app.services.desk import Desk
from intake_app.store import officers
desk = Desk.open(Path(sys.argv[1]), auto_backup=False, key=bytes.fromhex(sys.argv[5]))
officer = officers.get(desk.store.conn, sys.argv[2])
opened = time.perf_counter()
desk.documents.write(Path(sys.argv[4]), desk.documents.receipt_pdf(sys.argv[3], officer))
done = time.perf_counter()
print(json.dumps({"desk_s": opened - start, "print_s": done - opened}))
"""
# A fresh process: the same text, in the same two fonts, drawn line by line on one A4 page.
BARE_SCRIPT = """
import json, sys
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
fonts, lines, out = json.loads(open(sys.argv[1], encoding="utf-8").read())
for name, path in fonts.items():
    pdfmetrics.registerFont(TTFont(name, path))
c = Canvas(out, initialFontName="BareRegular")
y = 800
for i, line in enumerate(lines):
    c.setFont("BareBold" if i == 0 else "BareRegular", 10)
    c.drawString(36, y, line)
    y -= 12
c.showPage()
c.save()
"""


def bare_page(lines: Sequence[str]) -> bytes:
    """The baseline: the receipt's text, as plain lines, in the same fonts."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, initialFontName="BareRegular")
    y = 800.0
    for i, line in enumerate(lines):
        c.setFont("BareBold" if i == 0 else "BareRegular", 10)
        c.drawString(36, y, line)
        y -= 12
    c.showPage()
    c.save()
    return buf.getvalue()


def receipt_lines(pdf: bytes, work: Path) -> list[str]:
    """The text a receipt prints, line by line (pdftotext, from poppler-utils)."""
    path = work / "text.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [" ".join(line.split()) for line in out.splitlines() if line.strip()]


def setup(work: Path, n: int) -> tuple[Desk, list[str]]:
    desk = Desk.initialise(
        work / "data",
        station_code=STATION,
        station_name=STATION_NAME,
        admin_badge=ADMIN,
        admin_name=ADMIN_NAME,
        password=ADMIN_PASSWORD,
        clock=lambda: NOW,
    )
    officer = desk.auth.login(ADMIN, ADMIN_PASSWORD)
    records = list(generate_cases(n, seed=0, now=NOW, station_hint=STATION_NAME))
    case_nos = [r.case_no or "" for r in desk.intake.import_records(records, officer)]
    assert all(case_nos), "every generated case registers"
    return desk, case_nos


def in_process(desk: Desk, case_nos: list[str], work: Path) -> dict[str, Any]:
    """Receipts per second in one process: each a first print of another case, alternating
    with the bare page of that receipt's text. The first of each warms up and does not count."""
    officer = officers.get(desk.store.conn, ADMIN)
    assert officer is not None
    for name, path in FONTS.items():
        pdfmetrics.registerFont(TTFont(name, path))
    start = time.perf_counter()
    first = desk.documents.receipt_pdf(case_nos[0], officer)
    first_s = time.perf_counter() - start
    bare_page(receipt_lines(first, work))
    product_s = bare_s = 0.0
    sizes = []
    for case_no in case_nos[1:]:
        start = time.perf_counter()
        pdf = desk.documents.receipt_pdf(case_no, officer)
        product_s += time.perf_counter() - start
        lines = receipt_lines(pdf, work)
        start = time.perf_counter()
        bare = bare_page(lines)
        bare_s += time.perf_counter() - start
        sizes.append((len(pdf), len(bare)))
    count = len(case_nos) - 1
    return {
        "receipts": count,
        "first_in_process_s": first_s,
        "product_per_s": count / product_s,
        "bare_per_s": count / bare_s,
        "ratio": product_s / bare_s,
        "product_kib": statistics.mean(s[0] for s in sizes) / 1024,
        "bare_kib": statistics.mean(s[1] for s in sizes) / 1024,
    }


def _timed(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall time of a new process, from spawning it to its exit, and what it printed."""
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[:3]} failed: {proc.stderr}")
    return elapsed, proc.stdout


def fresh_process(desk: Desk, case_nos: list[str], runs: int, work: Path) -> dict[str, Any]:
    """The first receipt in a new process (interpreter start, imports, fonts, the desk),
    against a new process drawing the bare page. Runs alternate; medians count."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "INTAKE_PASSWORD": ADMIN_PASSWORD}
    data_dir = str(desk.data_dir)
    key = desk.key.hex()
    officer = officers.get(desk.store.conn, ADMIN)
    assert officer is not None
    product, bare, cli, desk_s, print_s = [], [], [], [], []
    for i in range(runs):
        case_no = case_nos[i]
        out = work / f"fresh-{i}.pdf"
        elapsed, printed = _timed(
            [sys.executable, "-c", PRODUCT_SCRIPT, data_dir, ADMIN, case_no, str(out), key], env
        )
        product.append(elapsed)
        phases = json.loads(printed)
        desk_s.append(phases["desk_s"])
        print_s.append(phases["print_s"])
        spec = work / f"bare-{i}.json"
        spec.write_text(
            json.dumps([FONTS, receipt_lines(out.read_bytes(), work), str(work / "bare.pdf")]),
            encoding="utf-8",
        )
        bare.append(_timed([sys.executable, "-c", BARE_SCRIPT, str(spec)], env)[0])
        cli_argv = [sys.executable, "-m", "intake_app.cli", "receipt", case_no, "--reprint"]
        cli_argv += ["-o", str(work / "cli.pdf"), "--officer", ADMIN, "--data-dir", data_dir]
        cli.append(_timed(cli_argv, env)[0])
    return {
        "runs": runs,
        "product_s": statistics.median(product),
        "bare_s": statistics.median(bare),
        "ratio": statistics.median(product) / statistics.median(bare),
        "desk_start_s": statistics.median(desk_s),
        "printing_s": statistics.median(print_s),
        "cli_s": statistics.median(cli),
        "product_runs_s": product,
        "bare_runs_s": bare,
    }


def _verdict(ratio: float) -> str:
    return "ok" if ratio <= TARGET else "MISSED"


def report(result: dict[str, Any]) -> str:
    one, fresh = result["in_process"], result["fresh_process"]
    lines = [
        f"Fraud Intake Desk documents bench: {one['receipts']} receipts in one process, "
        f"{fresh['runs']} fresh processes",
        f"Python {result['python']}, {result['machine']}, {result['cpus']} CPUs, "
        f"load average {result['load_before']} before the run",
        "",
        f"{'':<34}{'product':>10}{'bare page':>11}{'ratio':>8}  target",
        f"{'receipts/s, one process':<34}{one['product_per_s']:>10.1f}{one['bare_per_s']:>11.1f}"
        f"{one['ratio']:>8.2f}  <= {TARGET:g}  {_verdict(one['ratio'])}",
        f"{'  ms per receipt':<34}{1000 / one['product_per_s']:>10.1f}"
        f"{1000 / one['bare_per_s']:>11.1f}",
        f"{'  KiB per PDF':<34}{one['product_kib']:>10.1f}{one['bare_kib']:>11.1f}",
        f"{'first receipt, fresh process, s':<34}{fresh['product_s']:>10.3f}"
        f"{fresh['bare_s']:>11.3f}{fresh['ratio']:>8.2f}  <= {TARGET:g}  "
        f"{_verdict(fresh['ratio'])}",
        f"{'  of which: desk start-up':<34}{fresh['desk_start_s']:>10.3f}"
        "   (imports and Desk.open: no printing)",
        f"{'  of which: printing':<34}{fresh['printing_s']:>10.3f}"
        "   (documents import, fonts, receipt, file)",
        "",
        f"first receipt in this process (fonts loaded then): {one['first_in_process_s']:.3f} s",
        f"intake-app receipt (CLI: login's password hash included), median: {fresh['cli_s']:.3f} s",
        "ratio: product time divided by the bare page's time (lower is better)",
    ]
    missed = [k for k in ("in_process", "fresh_process") if result[k]["ratio"] > TARGET]
    lines.append("targets: " + ("all met" if not missed else "MISSED: " + ", ".join(missed)))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Receipt printing beside a bare reportlab page in the same fonts.",
        epilog="example: .venv/bin/python bench/bench_documents.py --quick",
    )
    parser.add_argument("--receipts", type=int, default=200, help="receipts in one process")
    parser.add_argument("--runs", type=int, default=7, help="fresh processes of each kind")
    parser.add_argument("--quick", action="store_true", help="40 receipts, 3 fresh processes")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where the JSON goes")
    args = parser.parse_args(argv)
    receipts, runs = (40, 3) if args.quick else (args.receipts, args.runs)

    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="bench_documents-") as tmp:
        work = Path(tmp)
        print("... setting up a station", file=sys.stderr, flush=True)
        desk, case_nos = setup(work, receipts + 1 + runs)
        try:
            print("... receipts in one process", file=sys.stderr, flush=True)
            one = in_process(desk, case_nos[: receipts + 1], work)
            print("... fresh processes", file=sys.stderr, flush=True)
            fresh = fresh_process(desk, case_nos[receipts + 1 :], runs, work)
        finally:
            desk.close()
    result = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "target_ratio": TARGET,
        "in_process": one,
        "fresh_process": fresh,
    }
    print(report(result))
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"bench_documents-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"JSON: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
