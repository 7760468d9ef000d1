"""Core benchmark: import and search at 100,000 cases, each figure beside a raw sqlite3 baseline.

    .venv/bin/python bench/bench_core.py              # 100,000 cases (about 15 minutes)
    .venv/bin/python bench/bench_core.py --quick      # 5,000 cases, a smoke run
    .venv/bin/python bench/bench_core.py --cases 20000 --queries 100

Not a test: machines differ and are noisy, so every product figure is printed as a ratio to a
baseline measured in the same run on the same data, and a missed target is reported, never
raised (the exit status is 0 either way). See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sqlite3
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from benchstats import median as _median
from benchstats import p95 as _p95

from intake_app.domain.identifiers import check_phone, normalize_account, normalize_identifier
from intake_app.domain.indexing import query_terms
from intake_app.domain.times import SHANGHAI

from intake_app.store import cipher
from intake_app.store.cases import SUMMARY_COLUMNS
from intake_app.store.db import Store

from intake_app.services.desk import Desk
from intake_app.services.intake import SEARCH_LIMIT
from intake_app.services.sample_data import generate_cases

OUT_DIR = Path(__file__).resolve().parent / "out"
DEFAULT_CASES = 100_000
QUICK_CASES = 5_000
DEFAULT_QUERIES = 200
DEFAULT_REPEAT = 3
RAW_IMPORT_RUNS = 3  # the raw import is cheap: take the median of a few, as a steadier baseline

IMPORT_TARGET = 1 / 3  # product cases/s divided by raw cases/s, at least
SEARCH_TARGET = 3.0  # product median divided by raw median, at most

# The same station, officer and fixed clock as tests/conftest.py; sample cases all lie before it.
STATION = "130209510000"
STATION_NAME = "唐山市公安局曹妃甸分局滨海派出所"
ADMIN, ADMIN_NAME, ADMIN_PASSWORD = "100001", "张伟", "admin-pass-2026"
NOW = datetime(2026, 11, 30, 18, 0, tzinfo=SHANGHAI)

# The tables an import writes, with the columns copied to the raw baseline (rowids included).
RAW_TABLES = {
    "cases": SUMMARY_COLUMNS,
    "case_revisions": "case_id, revision, data, sha256, created_at, created_by, note",
    "case_terms": "case_id, kind, term",
    "case_fts": "rowid, names, narrative, identifiers",
    "audit_log": "seq, at, officer, action, object_type, object_id, detail, prev_hash, hash",
}

TERM_SQL = "SELECT case_id FROM case_terms WHERE term = ? LIMIT ?"
MATCH_SQL = "SELECT rowid FROM case_fts WHERE case_fts MATCH ? ORDER BY rowid DESC LIMIT ?"
# Trigram FTS cannot match fewer than three characters: the only raw answer is a scan.
SCAN_SQL = (
    "SELECT rowid FROM case_fts WHERE names LIKE ? ESCAPE '\\' OR narrative LIKE ? ESCAPE '\\' "
    "OR identifiers LIKE ? ESCAPE '\\' ORDER BY rowid DESC LIMIT ?"
)


# --- Figures -----------------------------------------------------------------------------------


@dataclass
class SearchFigure:
    kind: str
    what: str
    raw_query: str
    queries: int = 0
    product_ms: list[float] = field(default_factory=list)
    raw_ms: list[float] = field(default_factory=list)
    same_sql_ms: list[float] = field(default_factory=list)
    # How the two answers compare, in queries: the same cases; the product found every case
    # the raw query found and more (substring matches); both pages full but not the same cases
    # (the product puts exact term matches before substring matches).
    same_ids: int = 0
    product_more: int = 0
    full_pages_differ: int = 0
    mean_hits: float = 0.0

    @property
    def ratio(self) -> float:
        return _median(self.product_ms) / _median(self.raw_ms)

    def compare(self, query: Query, raw_ids: list[int], product_ids: list[int]) -> None:
        """Count how the answers compare; fail if the product missed a case it had room for."""
        raw, product = set(raw_ids), set(product_ids)
        if raw == product:
            self.same_ids += 1
        elif raw <= product:
            self.product_more += 1
        else:
            assert len(product) == SEARCH_LIMIT, (
                f"{self.kind} {query.text!r}: the product misses cases {sorted(raw - product)}"
            )
            self.full_pages_differ += 1

    @property
    def met(self) -> bool:
        return self.ratio <= SEARCH_TARGET

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "what": self.what,
            "raw_query": self.raw_query,
            "queries": self.queries,
            "product_median_ms": _median(self.product_ms),
            "product_p95_ms": _p95(self.product_ms),
            "raw_median_ms": _median(self.raw_ms),
            "raw_p95_ms": _p95(self.raw_ms),
            "ratio": self.ratio,
            "target": f"<= {SEARCH_TARGET:g}",
            "same_sql_median_ms": _median(self.same_sql_ms),
            "same_sql_p95_ms": _p95(self.same_sql_ms),
            "met": self.met,
            "same_ids": self.same_ids,
            "product_found_more": self.product_more,
            "full_pages_differ": self.full_pages_differ,
            "mean_hits": self.mean_hits,
        }


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# --- Import ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    wall_s: float
    cpu_s: float  # this process only: less disturbed by other work on the machine


class _Stopwatch:
    def __enter__(self) -> _Stopwatch:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timing = Timing(time.perf_counter() - self._wall, time.process_time() - self._cpu)


def product_import(data_dir: Path, records: list[dict[str, Any]]) -> tuple[Desk, Timing, int]:
    """Import through the service, as the desk does; returns (desk, timing, cases written)."""
    desk = Desk.initialise(
        data_dir,
        station_code=STATION,
        station_name=STATION_NAME,
        admin_badge=ADMIN,
        admin_name=ADMIN_NAME,
        password=ADMIN_PASSWORD,
        clock=lambda: NOW,
    )
    officer = desk.auth.login(ADMIN, ADMIN_PASSWORD)
    written = failed = 0
    first_problem = None
    with _Stopwatch() as watch:
        for result in desk.intake.import_records(records, officer):
            if result.created:
                written += 1
            elif not result.ok:
                failed += 1
                first_problem = first_problem or result.problems
    if failed:
        raise SystemExit(f"{failed} generated cases failed to import, e.g. {first_problem}")
    return desk, watch.timing, written


def import_rows(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """What the import wrote, table by table, to be written again by the raw baseline."""
    rows = {
        table: conn.execute(f"SELECT {columns} FROM {table}").fetchall()
        for table, columns in RAW_TABLES.items()
    }
    rows["audit_log"] = [r for r in rows["audit_log"] if r[3] == "create"]
    return {table: [tuple(r) for r in values] for table, values in rows.items()}


def raw_import(path: Path, officers: list[tuple[Any, ...]], rows: dict[str, list[Any]]) -> Timing:
    """Write the same rows into the same schema with plain executemany in one transaction."""
    # The project's migrations: identical tables, indexes, triggers (on a plain file: the
    # baseline is SQLite itself; bench_encryption.py measures what the encryption costs).
    Store.open(path, key=None).close()
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.executemany(
            "INSERT INTO officers (badge, name, role, password_hash, active, created_at, "
            "created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
            officers,
        )
        statements = {
            table: f"INSERT INTO {table} ({columns}) VALUES ({_marks(columns.count(',') + 1)})"
            for table, columns in RAW_TABLES.items()
        }
        with _Stopwatch() as watch:
            conn.execute("BEGIN IMMEDIATE")
            for table, sql in statements.items():
                conn.executemany(sql, rows[table])
            conn.execute("COMMIT")
        for table in RAW_TABLES:
            stored = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert stored == len(rows[table]), f"raw {table}: {stored} rows, not {len(rows[table])}"
        return watch.timing
    finally:
        conn.close()


# --- Search ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    text: str  # what an officer types
    raw: str  # the value the raw query binds: a normalized term, a phrase or a LIKE pattern


def _name_term(name: str) -> str:
    """A name as the term index holds it (as domain/indexing.py normalizes names)."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _word(rng: random.Random, narrative: str, length: int) -> str | None:
    """A run of `length` Chinese characters at a random place in the narrative."""
    for _ in range(20):
        start = rng.randrange(max(1, len(narrative) - length))
        word = narrative[start : start + length]
        if len(word) == length and all("\u4e00" <= ch <= "\u9fff" for ch in word):
            return word
    return None


def pick_queries(records: list[dict[str, Any]], count: int, seed: int) -> dict[str, list[Query]]:
    """`count` distinct query values of each kind, taken from random generated cases."""
    rng = random.Random(seed)

    def account(case: dict[str, Any]) -> Query | None:
        accounts = [t["payee_account"] for t in case["transactions"] if t.get("payee_account")]
        if not accounts:
            return None
        value = rng.choice(accounts)
        return Query(value, normalize_account(value))

    def phone(case: dict[str, Any]) -> Query | None:
        value = case["reporter"].get("phone", "")
        return Query(value, check_phone(value).normalized) if value else None

    def wechat(case: dict[str, Any]) -> Query | None:
        values = [i["value"] for i in case["identifiers"] if i["kind"] == "wechat"]
        if not values:
            return None
        value = rng.choice(values)
        return Query(value, normalize_identifier("wechat", value))

    def name(case: dict[str, Any]) -> Query | None:
        value = case["reporter"]["name"]
        return Query(value, _name_term(value))

    def word2(case: dict[str, Any]) -> Query | None:
        word = _word(rng, case["incident"]["narrative"], 2)
        return Query(word, _like(word)) if word else None

    def word3(case: dict[str, Any]) -> Query | None:
        word = _word(rng, case["incident"]["narrative"], rng.choice((3, 4)))
        return Query(word, '"' + word + '"') if word else None

    pickers: dict[str, Callable[[dict[str, Any]], Query | None]] = {
        "account": account,
        "phone": phone,
        "wechat": wechat,
        "name": name,
        "word2": word2,
        "word3": word3,
    }
    picked: dict[str, list[Query]] = {}
    for kind, picker in pickers.items():
        seen: dict[str, Query] = {}
        for _ in range(count * 50):
            if len(seen) >= count:
                break
            query = picker(rng.choice(records))
            if query is not None:
                seen.setdefault(query.text, query)
        picked[kind] = list(seen.values())
    return picked


SEARCH_KINDS = {
    # kind: (what an officer searches for, the raw indexed query it is compared with)
    "account": ("payee bank account", "case_terms = term"),
    "phone": ("reporter phone", "case_terms = term"),
    "wechat": ("suspect WeChat id", "case_terms = term"),
    "name": ("reporter name", "case_terms = term"),
    "word2": ("2-char narrative word", "case_fts LIKE scan (no index can serve it)"),
    "word3": ("3-4-char narrative word", "case_fts MATCH phrase"),
}


def _rows(conn: sqlite3.Connection, ids: list[int]) -> list[int]:
    """The summary rows of these cases, newest first, as the product returns them (their ids)."""
    if not ids:
        return []
    rows = conn.execute(
        f"SELECT {SUMMARY_COLUMNS} FROM cases WHERE id IN ({_marks(len(ids))}) "
        "ORDER BY reported_utc DESC, id DESC",
        ids,
    ).fetchall()
    return [r[0] for r in rows]


def raw_search(conn: sqlite3.Connection, kind: str, query: Query, limit: int) -> list[int]:
    """The indexed SQL that answers the query, then the summary rows, as the product returns."""
    if kind == "word2":
        ids = [r[0] for r in conn.execute(SCAN_SQL, (query.raw,) * 3 + (limit,))]
    elif kind == "word3":
        ids = [r[0] for r in conn.execute(MATCH_SQL, (query.raw, limit))]
    else:
        ids = [r[0] for r in conn.execute(TERM_SQL, (query.raw, limit))]
    return _rows(conn, ids)


def same_sql_search(conn: sqlite3.Connection, text: str, forms: list[str], limit: int) -> list[int]:
    """The statements IntakeService.search runs, from plain sqlite3 (for information only).

    Every term form of the query (newest case first), then a substring search (trigram MATCH,
    or a LIKE scan under three characters) only when there were no exact hits. Against the raw
    figure it shows what the query plan costs; against the product figure, what the Python
    around it costs.
    """
    marks = _marks(len(forms))
    ids = [
        r[0]
        for r in conn.execute(
            f"SELECT DISTINCT case_id FROM case_terms WHERE term IN ({marks}) "
            "ORDER BY case_id DESC LIMIT ?",
            (*forms, limit),
        )
    ]
    if ids:
        pass
    elif len(text) >= 3:
        ids += [r[0] for r in conn.execute(MATCH_SQL, ('"' + text.replace('"', '""') + '"', limit))]
    else:
        ids += [r[0] for r in conn.execute(SCAN_SQL, (_like(text),) * 3 + (limit,))]
    return _rows(conn, list(dict.fromkeys(ids))[:limit])


def run_search(
    desk: Desk, db_path: Path, queries: dict[str, list[Query]], repeat: int
) -> list[SearchFigure]:
    """Time each query on both sides, alternating, best of `repeat`; check the answers agree.

    The product must find every case the raw query finds, unless its page of SEARCH_LIMIT
    cases is full. It may find more: it also matches the query as a substring of names,
    narratives and identifiers.
    """
    # The product's file is encrypted: the raw side reads it through SQLCipher with its key.
    raw_conn = cipher.connect(str(db_path), desk.key, isolation_level=None)
    figures = []
    try:
        for kind, values in queries.items():
            what, raw_query = SEARCH_KINDS[kind]
            figure = SearchFigure(kind, what, raw_query, queries=len(values))
            hits = 0
            for query in values:
                forms = query_terms(query.text)
                product_best = raw_best = same_best = float("inf")
                product_ids: list[int] = []
                raw_ids: list[int] = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    raw_ids = raw_search(raw_conn, kind, query, SEARCH_LIMIT)
                    raw_best = min(raw_best, time.perf_counter() - start)
                    start = time.perf_counter()
                    product_ids = [row.id for row in desk.intake.search(query.text)]
                    product_best = min(product_best, time.perf_counter() - start)
                    start = time.perf_counter()
                    same_sql_search(raw_conn, query.text, forms, SEARCH_LIMIT)
                    same_best = min(same_best, time.perf_counter() - start)
                figure.raw_ms.append(raw_best * 1000)
                figure.product_ms.append(product_best * 1000)
                figure.same_sql_ms.append(same_best * 1000)
                hits += len(product_ids)
                figure.compare(query, raw_ids, product_ids)
            figure.mean_hits = hits / len(values) if values else 0.0
            figures.append(figure)
    finally:
        raw_conn.close()
    return figures


# --- Report ------------------------------------------------------------------------------------


def _verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


def report(result: dict[str, Any]) -> str:
    imp = result["import"]
    lines = [
        f"Fraud Intake Desk core bench: {result['cases']:,} cases, seed {result['seed']}, "
        f"{result['queries_per_kind']} queries per kind, best of {result['repeat']} each",
        f"Python {result['python']}, SQLite {result['sqlite']}, {result['machine']}, "
        f"{result['cpus']} CPUs, load average {result['load_before']} before the run",
        "",
        f"generate  {result['cases']:,} cases in {result['generate_s']:.1f} s "
        "(sample-data generator; not part of any figure)",
        "",
        f"{'import':<24}{'product':>10}{'raw sqlite3':>13}{'ratio':>8}  target",
        f"{'  cases/s':<24}{imp['product_cases_per_s']:>10,.0f}{imp['raw_cases_per_s']:>13,.0f}"
        f"{imp['ratio']:>8.3f}  >= {IMPORT_TARGET:.2f}  {_verdict(imp['met'])}",
        f"{'  cases/s of CPU time':<24}{imp['product_cases_per_cpu_s']:>10,.0f}"
        f"{imp['raw_cases_per_cpu_s']:>13,.0f}{imp['cpu_ratio']:>8.3f}  (for information)",
        f"{'  seconds':<24}{imp['product_s']:>10.1f}{imp['raw_s']:>13.1f}  raw: median of "
        + ", ".join(f"{t:.1f}" for t in imp["raw_runs_s"]),
        "",
        f"{'search, ms':<10}{'product':>17}{'raw sqlite3':>17}{'ratio':>8}  {'target':<12}"
        f"{'same SQL':>17}{'answers':>14}{'hits':>6}",
        f"{'':<10}{'median    p95':>17}{'median    p95':>17}{'':>8}  {'':<12}{'median    p95':>17}"
        f"{'same/more/full':>16}",
    ]
    for f in result["search"]:
        lines.append(
            f"  {f['kind']:<8}{f['product_median_ms']:>9.3f}{f['product_p95_ms']:>8.3f}"
            f"{f['raw_median_ms']:>9.3f}{f['raw_p95_ms']:>8.3f}{f['ratio']:>8.2f}  "
            f"<= {SEARCH_TARGET:g}  {_verdict(f['met']):<6}"
            f"{f['same_sql_median_ms']:>9.3f}{f['same_sql_p95_ms']:>8.3f}"
            f"{f['same_ids']:>8}/{f['product_found_more']}/{f['full_pages_differ']:<3}"
            f"{f['mean_hits']:>6.1f}"
        )
    lines += [""]
    lines += [f"  {f['kind']:<8}{f['what']}; raw: {f['raw_query']}" for f in result["search"]]
    lines += [
        "  same SQL: the statements the product runs, from plain sqlite3 (for information)",
        "  answers: queries where both found the same cases / the product found those and more",
        "    (substring matches) / both pages were full but held different cases (the product",
        "    puts exact matches, newest first, before the newest substring matches)",
        f"  hits: cases the product found per query, on average (at most {result['search_limit']})",
        "",
        f"peak RSS after import  {result['peak_rss_after_import_mib']:,.0f} MiB "
        f"(after generating the cases: {result['peak_rss_after_generate_mib']:,.0f} MiB)",
        f"database size          {result['db_mib']:,.0f} MiB (product, WAL checkpointed)",
    ]
    missed = [name for name, met in result["targets"].items() if not met]
    verdict = "all met" if not missed else "MISSED: " + ", ".join(missed)
    lines.append(f"targets                {verdict}")
    return "\n".join(lines)


# --- Main --------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Import and search at scale, beside a raw sqlite3 baseline.",
        epilog="example: .venv/bin/python bench/bench_core.py --quick",
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--cases", type=int, default=DEFAULT_CASES, help="cases to generate")
    size.add_argument(
        "--quick", action="store_true", help=f"a smoke run with {QUICK_CASES:,} cases"
    )
    parser.add_argument("--queries", type=int, default=DEFAULT_QUERIES, help="per kind")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, help="best of, per query")
    parser.add_argument("--seed", type=int, default=0, help="sample-data and query seed")
    parser.add_argument(
        "--work-dir", type=Path, help="keep the two databases here (default: a temporary folder)"
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where the JSON goes")
    args = parser.parse_args(argv)
    n = QUICK_CASES if args.quick else args.cases

    with tempfile.TemporaryDirectory(prefix="bench_core-") as tmp:
        work = args.work_dir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        result = run(n, args.seed, args.queries, args.repeat, work)

    print(report(result))
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = args.out / f"bench_core-{stamp}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"JSON                   {path}")
    return 0


def run(n: int, seed: int, queries: int, repeat: int, work: Path) -> dict[str, Any]:
    def step(text: str) -> None:
        print(f"... {text}", file=sys.stderr, flush=True)

    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    step(f"generating {n:,} cases")
    start = time.perf_counter()
    records = list(generate_cases(n, seed=seed, now=NOW, station_hint=STATION_NAME))
    generate_s = time.perf_counter() - start
    rss_generated = _peak_rss_mib()

    step("product import")
    desk, product, written = product_import(work / "product", records)
    rss_imported = _peak_rss_mib()
    try:
        conn = desk.store.conn
        officers = [tuple(r) for r in conn.execute("SELECT * FROM officers").fetchall()]
        rows = import_rows(conn)
        assert len(rows["cases"]) == written == n, "every generated case is one new case"

        raw_runs = []
        for run_no in range(1, RAW_IMPORT_RUNS + 1):
            step(f"raw import {run_no} of {RAW_IMPORT_RUNS}")
            raw_path = work / f"raw-{run_no}.db"
            raw_runs.append(raw_import(raw_path, officers, rows))
            for path in work.glob(f"{raw_path.name}*"):
                path.unlink()
        del rows
        raw = sorted(raw_runs, key=lambda t: t.wall_s)[len(raw_runs) // 2]

        step(f"search, {queries} queries per kind")
        picked = pick_queries(records, queries, seed)
        db_path = Desk.db_path(desk.data_dir)
        figures = run_search(desk, db_path, picked, repeat)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db_mib = db_path.stat().st_size / (1024 * 1024)
    finally:
        desk.close()

    ratio = raw.wall_s / product.wall_s  # (n / product) / (n / raw)
    imp = {
        "product_s": product.wall_s,
        "raw_s": raw.wall_s,
        "raw_runs_s": [t.wall_s for t in raw_runs],
        "product_cpu_s": product.cpu_s,
        "raw_cpu_s": raw.cpu_s,
        "product_cases_per_s": n / product.wall_s,
        "raw_cases_per_s": n / raw.wall_s,
        "product_cases_per_cpu_s": n / product.cpu_s,
        "raw_cases_per_cpu_s": n / raw.cpu_s,
        "ratio": ratio,
        "cpu_ratio": raw.cpu_s / product.cpu_s,
        "target": f">= {IMPORT_TARGET:.2f}",
        "met": ratio >= IMPORT_TARGET,
    }
    search = [f.as_dict() for f in figures]
    targets = {"import": imp["met"]} | {f"search {f['kind']}": f["met"] for f in search}
    return {
        "bench": "bench_core",
        "when": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cases": n,
        "seed": seed,
        "queries_per_kind": queries,
        "repeat": repeat,
        "search_limit": SEARCH_LIMIT,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "machine": f"{platform.system()} {platform.machine()}",
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "generate_s": generate_s,
        "import": imp,
        "search": search,
        "peak_rss_after_generate_mib": rss_generated,
        "peak_rss_after_import_mib": rss_imported,
        "db_mib": db_mib,
        "targets": targets,
    }


if __name__ == "__main__":
    sys.exit(main())
