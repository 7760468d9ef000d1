"""Encryption bench: import and search at 100,000 cases, encrypted beside unencrypted.

    .venv/bin/python bench/bench_encryption.py            # 100,000 cases (about 25 minutes)
    .venv/bin/python bench/bench_encryption.py --quick    # 5,000 cases, a smoke run

Both stores are made in the same run from the same generated cases, through the same service
code (`IntakeService.import_records` and `IntakeService.search`): one is the desk as it ships
(SQLCipher, key from the keyring), the other the same desk on a plain SQLite file (a `Store`
opened without a key, as the migration reads an old one). The encrypted figure divided by the
plain one is what counts; target: at most 1.3 for the import time and for each search kind's
median. Not a test: a missed target is reported, never raised (exit status 0 either way).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from bench_core import (
    ADMIN,
    ADMIN_NAME,
    ADMIN_PASSWORD,
    DEFAULT_QUERIES,
    NOW,
    OUT_DIR,
    QUICK_CASES,
    SEARCH_KINDS,
    STATION,
    STATION_NAME,
    Query,
    Timing,
    _Stopwatch,
    pick_queries,
)
from benchstats import median as _median
from benchstats import p95 as _p95

from intake_app.domain.times import utc_stamp

from intake_app.store import officers
from intake_app.store.cipher import dbapi2
from intake_app.store.db import Store

from intake_app.services.auth import _hasher
from intake_app.services.desk import Desk
from intake_app.services.sample_data import generate_cases

DEFAULT_CASES = 100_000
DEFAULT_REPEAT = 3
TARGET = 1.3  # encrypted divided by plain, at most


def encrypted_desk(data_dir: Path) -> Desk:
    desk = Desk.initialise(
        data_dir,
        station_code=STATION,
        station_name=STATION_NAME,
        admin_badge=ADMIN,
        admin_name=ADMIN_NAME,
        password=ADMIN_PASSWORD,
        clock=lambda: NOW,
    )
    desk.auth.login(ADMIN, ADMIN_PASSWORD)
    return desk


def plain_desk(data_dir: Path) -> Desk:
    """The same desk on an unencrypted file: what the store was before this feature."""
    data_dir.mkdir(parents=True)
    store = Store.open(Desk.db_path(data_dir), key=None)
    at = utc_stamp(NOW)
    with store.write() as conn:
        for name, value in (
            ("station_code", STATION),
            ("station_name", STATION_NAME),
            ("station_secret", secrets.token_hex(32)),
            ("created_at", at),
        ):
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (name, value))
        officers.add(conn, ADMIN, ADMIN_NAME, "admin", _hasher.hash(ADMIN_PASSWORD), at, None)
    return Desk(data_dir, store, clock=lambda: NOW)


def timed_import(desk: Desk, records: list[dict[str, Any]]) -> Timing:
    officer = officers.get(desk.store.conn, ADMIN)
    assert officer is not None
    with _Stopwatch() as watch:
        written = sum(r.created for r in desk.intake.import_records(records, officer))
    assert written == len(records), f"{len(records) - written} cases did not import"
    return watch.timing


def timed_search(
    plain: Desk, encrypted: Desk, queries: dict[str, list[Query]], repeat: int
) -> list[dict[str, Any]]:
    """Each query on both desks, taking turns, best of `repeat`; the answers must be the same."""
    figures = []
    for kind, values in queries.items():
        plain_ms: list[float] = []
        enc_ms: list[float] = []
        for query in values:
            best = {"plain": float("inf"), "encrypted": float("inf")}
            answers: dict[str, list[int]] = {}
            for _ in range(repeat):
                for side, desk in (("plain", plain), ("encrypted", encrypted)):
                    start = time.perf_counter()
                    answers[side] = [row.id for row in desk.intake.search(query.text)]
                    best[side] = min(best[side], time.perf_counter() - start)
            assert answers["plain"] == answers["encrypted"], f"{kind} {query.text!r} differs"
            plain_ms.append(best["plain"] * 1000)
            enc_ms.append(best["encrypted"] * 1000)
        ratio = _median(enc_ms) / _median(plain_ms)
        figures.append(
            {
                "kind": kind,
                "what": SEARCH_KINDS[kind][0],
                "queries": len(values),
                "plain_median_ms": _median(plain_ms),
                "plain_p95_ms": _p95(plain_ms),
                "encrypted_median_ms": _median(enc_ms),
                "encrypted_p95_ms": _p95(enc_ms),
                "ratio": ratio,
                "met": ratio <= TARGET,
            }
        )
    return figures


def run(n: int, seed: int, queries: int, repeat: int, work: Path) -> dict[str, Any]:
    def step(text: str) -> None:
        print(f"... {text}", file=sys.stderr, flush=True)

    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    step(f"generating {n:,} cases")
    records = list(generate_cases(n, seed=seed, now=NOW, station_hint=STATION_NAME))
    plain = plain_desk(work / "plain")
    encrypted = encrypted_desk(work / "encrypted")
    try:
        # Half of each store first, then the rest, alternating: a noisy neighbour on the
        # machine then weighs on both sides alike.
        half = n // 2
        timings: dict[str, list[Timing]] = {"plain": [], "encrypted": []}
        for part, chunk in enumerate((records[:half], records[half:]), 1):
            for side, desk in (("plain", plain), ("encrypted", encrypted)):
                step(f"{side} import, part {part} of 2")
                timings[side].append(timed_import(desk, chunk))
        step(f"search, {queries} queries per kind")
        figures = timed_search(plain, encrypted, pick_queries(records, queries, seed), repeat)
        sizes = {}
        for side, desk in (("plain", plain), ("encrypted", encrypted)):
            desk.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            sizes[side] = Desk.db_path(desk.data_dir).stat().st_size / (1024 * 1024)
    finally:
        plain.close()
        encrypted.close()
    plain_s = sum(t.wall_s for t in timings["plain"])
    enc_s = sum(t.wall_s for t in timings["encrypted"])
    imp = {
        "plain_s": plain_s,
        "encrypted_s": enc_s,
        "plain_cpu_s": sum(t.cpu_s for t in timings["plain"]),
        "encrypted_cpu_s": sum(t.cpu_s for t in timings["encrypted"]),
        "plain_cases_per_s": n / plain_s,
        "encrypted_cases_per_s": n / enc_s,
        "ratio": enc_s / plain_s,
        "met": enc_s / plain_s <= TARGET,
    }
    imp["cpu_ratio"] = imp["encrypted_cpu_s"] / imp["plain_cpu_s"]
    targets = {"import": imp["met"]} | {f"search {f['kind']}": f["met"] for f in figures}
    return {
        "bench": "bench_encryption",
        "when": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cases": n,
        "seed": seed,
        "queries_per_kind": queries,
        "repeat": repeat,
        "python": platform.python_version(),
        "sqlcipher": dbapi2.sqlite_version,
        "machine": f"{platform.system()} {platform.machine()}",
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "import": imp,
        "search": figures,
        "db_mib": sizes,
        "targets": targets,
    }


def _verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


def report(result: dict[str, Any]) -> str:
    imp = result["import"]
    lines = [
        f"Fraud Intake Desk encryption bench: {result['cases']:,} cases, seed {result['seed']}, "
        f"{result['queries_per_kind']} queries per kind, best of {result['repeat']} each",
        f"Python {result['python']}, SQLCipher's SQLite {result['sqlcipher']}, "
        f"{result['machine']}, {result['cpus']} CPUs, load average {result['load_before']}",
        "",
        f"{'import':<24}{'plain':>10}{'encrypted':>12}{'ratio':>8}  target",
        f"{'  seconds':<24}{imp['plain_s']:>10.1f}{imp['encrypted_s']:>12.1f}"
        f"{imp['ratio']:>8.3f}  <= {TARGET:g}  {_verdict(imp['met'])}",
        f"{'  cases/s':<24}{imp['plain_cases_per_s']:>10,.0f}"
        f"{imp['encrypted_cases_per_s']:>12,.0f}",
        f"{'  CPU seconds':<24}{imp['plain_cpu_s']:>10.1f}{imp['encrypted_cpu_s']:>12.1f}"
        f"{imp['cpu_ratio']:>8.3f}  (for information)",
        "",
        f"{'search, ms':<10}{'plain':>17}{'encrypted':>17}{'ratio':>8}  target",
        f"{'':<10}{'median    p95':>17}{'median    p95':>17}",
    ]
    for f in result["search"]:
        lines.append(
            f"  {f['kind']:<8}{f['plain_median_ms']:>9.3f}{f['plain_p95_ms']:>8.3f}"
            f"{f['encrypted_median_ms']:>9.3f}{f['encrypted_p95_ms']:>8.3f}{f['ratio']:>8.2f}"
            f"  <= {TARGET:g}  {_verdict(f['met'])}   {f['what']}"
        )
    missed = [name for name, met in result["targets"].items() if not met]
    lines += [
        "",
        f"database size  plain {result['db_mib']['plain']:,.0f} MiB, "
        f"encrypted {result['db_mib']['encrypted']:,.0f} MiB",
        "targets        " + ("all met" if not missed else "MISSED: " + ", ".join(missed)),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Import and search at scale, encrypted beside unencrypted.",
        epilog="example: .venv/bin/python bench/bench_encryption.py --quick",
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--cases", type=int, default=DEFAULT_CASES, help="cases to generate")
    size.add_argument(
        "--quick", action="store_true", help=f"a smoke run with {QUICK_CASES:,} cases"
    )
    parser.add_argument("--queries", type=int, default=DEFAULT_QUERIES, help="per kind")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, help="best of, per query")
    parser.add_argument("--seed", type=int, default=0, help="sample-data and query seed")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where the JSON goes")
    args = parser.parse_args(argv)
    n = QUICK_CASES if args.quick else args.cases
    with tempfile.TemporaryDirectory(prefix="bench_encryption-") as tmp:
        result = run(n, args.seed, args.queries, args.repeat, Path(tmp))
    print(report(result))
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = args.out / f"bench_encryption-{stamp}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"JSON           {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
