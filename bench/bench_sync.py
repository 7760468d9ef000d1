"""Push 10,000 cases from a station to the center over loopback HTTP, and compare the center's
ingest rate with a raw executemany of the same rows into the same schema, in the same run.

    .venv/bin/python bench/bench_sync.py               # 10,000 cases (a few minutes on 2 CPUs)
    .venv/bin/python bench/bench_sync.py --cases 2000  # a quicker run

Ingest is timed inside the center (`Center.ingest_seconds`): open the sealed box, verify the
station's signature, parse, check every record's hash, look up duplicates and conflicts, write
the record, the case summary, its identifiers and attachments, and sign the acknowledgement. Raw
is the same rows written with one executemany per table per 500 rows into a fresh database made
by the center's own migrations. Target: ingest at least 1/3 of raw.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from benchstats import median  # noqa: E402

from intake_app.domain.sync_protocol import Envelope, open_envelope  # noqa: E402
from intake_app.domain.times import SHANGHAI  # noqa: E402

from intake_app.services.desk import Desk  # noqa: E402
from intake_app.services.sample_data import generate_cases  # noqa: E402

from intake_app.center.app import create_app  # noqa: E402
from intake_app.center.ingest import case_identifiers  # noqa: E402
from intake_app.center.service import Center  # noqa: E402
from intake_app.center.store import CenterStore  # noqa: E402

NOW = datetime(2026, 11, 30, 18, 0, tzinfo=SHANGHAI)
TARGET = 1 / 3


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def station(folder: Path, center: Center, cases: int, url: str) -> Desk:
    desk = Desk.initialise(
        folder,
        station_code="130209510000",
        station_name="滨海派出所",
        admin_badge="100001",
        admin_name="张伟",
        password="bench-pass-2026",
        clock=lambda: NOW,
    )
    admin = desk.auth.login("100001", "bench-pass-2026")
    records = list(generate_cases(cases, seed=1, now=NOW))
    started = time.perf_counter()
    results = list(desk.intake.import_records(records, admin))
    assert all(r.case_no for r in results)
    log(f"station: {cases} cases registered in {time.perf_counter() - started:.1f} s")
    center.add_station("130209510000", "滨海派出所", json.dumps(desk.sync.public_key().to_dict()))
    desk.sync.enroll(url, json.dumps(center.public_key().to_dict()), admin)
    return desk


def raw_rows(center: Center, envelopes: list[bytes]) -> dict[str, list[tuple]]:
    """The rows ingest wrote, rebuilt from the batches (not timed)."""
    rows: dict[str, list[tuple]] = {"records": [], "cases": [], "identifiers": []}
    for body in envelopes:
        envelope = Envelope.parse(body)
        key = center._station_key(envelope.station)
        batch, _ = open_envelope(envelope, center.identity, key)
        for r in batch.records:
            data = json.dumps(r.data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            rows["records"].append(
                (r.kind, r.uuid, r.revision, r.sha256, batch.station, batch.seq, data, "now")
            )
            case = r.data["case"]
            rows["cases"].append(
                (
                    r.uuid,
                    batch.station,
                    r.data["case_no"],
                    r.revision,
                    r.sha256,
                    case.get("reported_at") or "",
                    case["incident"].get("fraud_type") or "",
                    "now",
                    "registered",
                )
            )
            rows["identifiers"] += [
                (r.uuid, batch.station, k, v) for k, v in case_identifiers(case)
            ]
    return rows


def raw_insert(path: Path, rows: dict[str, list[tuple]], per: int = 500) -> float:
    store = CenterStore(path)
    sql = {
        "records": "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        "cases": "INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "identifiers": "INSERT INTO identifiers VALUES (?, ?, ?, ?)",
    }
    started = time.perf_counter()
    for start in range(0, len(rows["records"]), per):
        with store.write() as conn:
            conn.executemany(sql["records"], rows["records"][start : start + per])
            conn.executemany(sql["cases"], rows["cases"][start : start + per])
        # identifiers have no fixed count per case: written with their batch's share
    with store.write() as conn:
        conn.executemany(sql["identifiers"], rows["identifiers"])
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    center = Center.initialise(work / "center", "唐山市反诈中心")
    center.clock = lambda: NOW  # the station's fixed clock: its signed requests are recent
    with __import__("socket").socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(center), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    desk = station(work / "station", center, args.cases, url)

    started = time.perf_counter()
    with httpx.Client(base_url=url, timeout=120) as client:
        result = desk.sync.push(client)
    push_s = time.perf_counter() - started
    assert result.accepted == args.cases, result
    envelopes = [bytes(r[0]) for r in desk.store.all("SELECT envelope FROM sync_batches")]
    ingest_s = center.ingest_seconds
    rows = raw_rows(center, envelopes)
    raw_s = median([raw_insert(work / f"raw{i}.db", rows) for i in range(3)])
    server.should_exit = True

    n = args.cases
    ratio = raw_s / ingest_s
    print(f"{'what':<44}{'seconds':>10}{'cases/s':>12}")
    print(f"{'push over loopback (station to acked)':<44}{push_s:>10.2f}{n / push_s:>12,.0f}")
    print(f"{'center ingest (in the service)':<44}{ingest_s:>10.2f}{n / ingest_s:>12,.0f}")
    print(f"{'raw executemany, same rows and schema':<44}{raw_s:>10.2f}{n / raw_s:>12,.0f}")
    verdict = "ok" if ratio >= TARGET else "MISSED"
    print(f"ingest rate / raw rate = {ratio:.2f} (target >= {TARGET:.2f}) {verdict}")
    desk.close()
    center.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
