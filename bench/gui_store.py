"""A large station store for the GUI bench, built once and reused across runs.

    .venv/bin/python bench/gui_store.py --cases 200000     # build (several minutes) or reuse

The store lives in bench/out/gui-store-<cases>-seed<seed>/ with a marker file naming what was
built; a folder without a matching marker is built again from scratch. Cases come from
sample_data.generate_cases and go through IntakeService.import_records, as an import file would.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from intake_app.domain.times import SHANGHAI

from intake_app.services.desk import Desk
from intake_app.services.sample_data import generate_cases

OUT_DIR = Path(__file__).resolve().parent / "out"
MARKER = "bench-store.json"
# Bump when what goes into the store changes (the generator, the import), to build it again.
STORE_FORMAT = 1

# The same station, officer and fixed clock as tests/conftest.py and bench_core.py.
STATION = "130209510000"
STATION_NAME = "唐山市公安局曹妃甸分局滨海派出所"
ADMIN, ADMIN_NAME, ADMIN_PASSWORD = "100001", "张伟", "admin-pass-2026"
NOW = datetime(2026, 11, 30, 18, 0, tzinfo=SHANGHAI)


def step(text: str) -> None:
    print(f"... {text}", file=sys.stderr, flush=True)


def marker(cases: int, seed: int) -> dict[str, Any]:
    return {"format": STORE_FORMAT, "cases": cases, "seed": seed, "now": NOW.isoformat()}


def store_dir(cases: int, seed: int, out: Path = OUT_DIR) -> Path:
    return out / f"gui-store-{cases}-seed{seed}"


def ensure_store(cases: int, seed: int = 0, out: Path = OUT_DIR) -> tuple[Path, float | None]:
    """The data folder of a desk holding `cases` sample cases; (folder, build seconds or None
    when an existing store was reused)."""
    folder = store_dir(cases, seed, out)
    wanted = marker(cases, seed)
    marker_path = folder / MARKER
    if marker_path.exists():
        try:
            found = json.loads(marker_path.read_text(encoding="utf-8"))
        except ValueError:
            found = None
        if found == wanted:
            step(f"reusing the {cases:,}-case store in {folder}")
            return folder / "data", None
    building = folder.with_name(folder.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    step(f"building a {cases:,}-case store in {folder} (once; reused by later runs)")
    start = time.perf_counter()
    desk = Desk.initialise(
        building / "data",
        station_code=STATION,
        station_name=STATION_NAME,
        admin_badge=ADMIN,
        admin_name=ADMIN_NAME,
        password=ADMIN_PASSWORD,
        clock=lambda: NOW,
    )
    try:
        officer = desk.auth.login(ADMIN, ADMIN_PASSWORD)
        records = generate_cases(cases, seed=seed, now=NOW, station_hint=STATION_NAME)
        for written, result in enumerate(desk.intake.import_records(records, officer), 1):
            if not result.ok:
                raise SystemExit(f"generated case {result.index} was refused: {result.problems}")
            if written % 20_000 == 0:
                step(f"  {written:,} cases, {time.perf_counter() - start:.0f} s")
        desk.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        desk.close()
    (building / MARKER).write_text(json.dumps(wanted, indent=2) + "\n", encoding="utf-8")
    building.rename(folder)
    return folder / "data", time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build (or reuse) the GUI bench's store.")
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    data_dir, seconds = ensure_store(args.cases, args.seed)
    print(data_dir if seconds is None else f"{data_dir} (built in {seconds:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
