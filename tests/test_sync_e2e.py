"""End to end: the real `intake-center serve` (uvicorn) on 127.0.0.1, the station's own HTTP
client, and a proxy that drops and delays connections."""

import json
import socket
import subprocess
import sys
import time

import httpx
import pytest

from intake_app.domain.sync_protocol import SyncError

from intake_app.store import sync as sync_rows

from intake_app.center.service import Center
from tests.fault_proxy import FaultProxy
from tests.sync_helpers import make_center, make_station, register_cases

S1, S2, S3 = "130209510000", "130229520000", "130281530000"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def on_real_time(station):
    """The served center checks signed requests against the real clock: so does the station
    once its sample cases (made at the fixed test time) are in."""
    from intake_app.domain.times import now

    station.desk.clock = now


@pytest.fixture
def served(tmp_path):
    """A center set up in tmp_path/center, served by a real uvicorn process."""
    folder = tmp_path / "center"
    make_center(folder).close()
    port = free_port()
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "intake_app.center.cli",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(folder),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert process.poll() is None, (tmp_path / "server.log").read_text()
        assert time.monotonic() < deadline, "the center did not start"
        time.sleep(0.1)
    center = Center.open(folder)
    yield center, url, port
    center.close()
    process.terminate()
    process.wait(timeout=10)
    log.close()


def test_two_stations_push_and_pull_through_a_real_server(tmp_path, served):
    center, url, _ = served
    stations = [make_station(tmp_path / code, center, code, url=url) for code in (S1, S2)]
    for i, station in enumerate(stations):
        register_cases(station, 20, seed=i, attachments_dir=tmp_path / f"files{i}")
        on_real_time(station)
    for station in stations:
        result = station.desk.sync.push()
        assert result.accepted == 20 and result.attachments == 20
    cases = center.cases()
    assert len(cases) == 40 and all(c["complete"] for c in cases)
    feed = stations[0].desk.sync.pull()
    assert feed.station == S1
    for station in stations:
        station.desk.close()


def test_many_stations_at_once(tmp_path, served):
    import threading

    center, url, _ = served
    stations = [make_station(tmp_path / code, center, code, url=url) for code in (S1, S2, S3)]
    for i, station in enumerate(stations):
        register_cases(station, 30, seed=10 + i)
    paths = [(s.desk.data_dir, s.desk.key) for s in stations]
    for station in stations:
        station.desk.close()
    errors = []

    def push(path, key):
        from intake_app.services.desk import Desk

        try:
            with Desk.open(path, auto_backup=False, key=key) as desk:
                desk.sync.push()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=push, args=p) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert len(center.cases()) == 90
    assert center.store.one("SELECT count(*) FROM records")[0] == 90


def test_every_record_kind_goes_up_once_through_a_real_server(tmp_path, served):
    """Stop-payment outcomes, a lead, a prevention event and an instruction result: one push
    leaves each at the center exactly once; a second push sends nothing."""
    center, url, _ = served
    station = make_station(tmp_path / "s1", center, S1, url=url)
    desk, admin = station.desk, station.admin
    case_nos = register_cases(station, 5)
    on_real_time(station)
    case_no, item = next((n, e[0]) for n in case_nos if (e := desk.stop_payment.case_entries(n)))
    desk.stop_payment.record(item.ref, "requested", admin)
    desk.stop_payment.record(item.ref, "stopped", admin, amount_fen=120_000)
    lead = desk.outreach.add_lead(
        {"source": "company_request", "summary": "有人收购银行卡", "identifiers": []}, admin
    )
    event = desk.outreach.add_prevention(
        {
            "held_on": "2026-11-20",
            "kind": "lecture",
            "place": "滨海镇中学",
            "target_group": "students",
            "audience": 80,
        },
        admin,
    )
    ident = center.instruct(S1, "dissuade", "刘女士正在转账，立即劝阻")
    desk.sync.pull()
    desk.instructions.record(ident, "dissuaded", admin)
    outcomes = desk.store.one("SELECT count(*) FROM stop_outcomes")[0]

    result = desk.sync.push()
    expected = {
        "case_revision": 5,
        "stop_payment_outcome": outcomes,
        "lead": 1,
        "prevention_event": 1,
        "instruction_result": 1,
    }
    assert result.accepted == sum(expected.values())
    assert (result.duplicate, result.conflict, result.rejected) == (0, 0, 0)
    by_kind = dict(center.store.all("SELECT kind, count(*) FROM records GROUP BY kind"))
    assert by_kind == expected
    assert center.store.one("SELECT count(*) FROM stop_outcomes")[0] == outcomes
    (money,) = center.stop_payment()
    assert (money["case_no"], money["stopped_fen"]) == (case_no, 120_000)
    assert {r["uuid"] for r in center.outreach()} == {lead.uuid, event.uuid}
    (instruction,) = center.instructions()
    assert instruction["result"]["outcome"] == "dissuaded"
    assert desk.sync.status().pending_total == 0

    again = desk.sync.push()
    assert (again.batches, again.accepted, again.duplicate) == (0, 0, 0)
    assert center.store.one("SELECT count(*) FROM records")[0] == sum(expected.values())
    assert center.store.one("SELECT count(*) FROM batches")[0] == result.batches
    desk.close()


@pytest.mark.slow
def test_a_thousand_cases_with_attachments_through_thirty_percent_faults(tmp_path, served):
    center, _, port = served
    proxy = FaultProxy(port, fault_rate=0.3, seed=6)
    station = make_station(tmp_path / "s1", center, S1, url=proxy.url)
    register_cases(station, 1000, seed=4, attachments_dir=tmp_path / "files")
    on_real_time(station)
    client = httpx.Client(
        base_url=proxy.url,
        timeout=10.0,
        limits=httpx.Limits(max_keepalive_connections=0),  # one request, one connection
    )
    failures = 0
    try:
        for _ in range(3000):
            try:
                station.desk.sync.push(client)
            except SyncError:
                failures += 1
                continue
            status = station.desk.sync.status()
            if status.pending_total == 0 and status.attachments_pending == 0:
                break
    finally:
        client.close()
        proxy.close()
    assert failures > 10, proxy.counts  # the faults happened
    assert proxy.counts["drop_upload"] and proxy.counts["drop_response"]
    status = station.desk.sync.status()
    assert status.pending_total == 0 and status.attachments_pending == 0
    assert status.acked == {"accepted": 1000}
    assert center.store.one("SELECT count(*) FROM records")[0] == 1000
    assert center.store.one("SELECT count(*) FROM quarantine")[0] == 0
    cases = center.cases()
    assert len(cases) == 1000 and all(c["complete"] for c in cases)
    hashes = [r[0] for r in center.store.all("SELECT DISTINCT sha256 FROM case_attachments")]
    assert len(hashes) == 1000
    assert sync_rows.pending_attachments(station.desk.store.conn) == []
    for sha in hashes:
        assert center.blob_path(sha).read_bytes() == station.desk.blobs.read(sha)
    station.desk.close()


def test_the_cli_takes_data_dir_before_or_after_and_from_the_environment(tmp_path):
    folder = tmp_path / "c"
    cli = [sys.executable, "-m", "intake_app.center.cli"]
    run = subprocess.run(
        [*cli, "init", "--name", "测试中心", "--data-dir", str(folder), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    fingerprint = json.loads(run.stdout)["fingerprint"]
    before = subprocess.run(
        [*cli, "--data-dir", str(folder), "key", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    env = {"INTAKE_CENTER_DATA_DIR": str(folder), "PATH": "/usr/bin:/bin"}
    from_env = subprocess.run(
        [*cli, "key", "--json"], capture_output=True, text=True, check=True, env=env
    )
    assert json.loads(before.stdout)["fingerprint"] == fingerprint
    assert json.loads(from_env.stdout)["fingerprint"] == fingerprint
    missing = subprocess.run(
        [*cli, "cases", "--data-dir", str(tmp_path / "none")], capture_output=True, text=True
    )
    assert missing.returncode == 1 and "intake-center init" in missing.stderr
