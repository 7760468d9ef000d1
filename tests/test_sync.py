"""Sync between stations and the center, in process (the center's ASGI app over Starlette's
test client): exactly once, unaltered, and every bad input refused with nothing changed."""

import json

import pytest

from intake_app.domain.sync_protocol import (
    Identity,
    SyncError,
    parse_ack,
    sign_document,
)

from intake_app.store import sync as sync_rows

from tests.sync_helpers import client_for, make_center, make_station, register_cases

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

S1, S2 = "130209510000", "130229520000"


@pytest.fixture
def center(tmp_path):
    center = make_center(tmp_path / "center")
    yield center
    center.close()


@pytest.fixture
def station(tmp_path, center):
    station = make_station(tmp_path / "s1", center, S1)
    yield station
    station.desk.close()


@pytest.fixture
def client(center):
    with client_for(center) as client:
        yield client


def center_counts(center):
    one = center.store.one
    return {
        table: one(f"SELECT count(*) FROM {table}")[0]
        for table in ("records", "cases", "batches", "quarantine", "identifiers", "attachments")
    }


def test_push_sends_every_case_once_with_its_attachments(tmp_path, center, station, client):
    register_cases(station, 40, attachments_dir=tmp_path / "files")
    result = station.desk.sync.push(client)
    assert (result.accepted, result.attachments) == (40, 40)
    cases = center.cases()
    assert len(cases) == 40 and all(c["complete"] for c in cases)
    status = station.desk.sync.status()
    assert status.pending_total == 0 and status.acked == {"accepted": 40}
    assert status.last_success and status.last_error is None
    # The blobs at the center are the station's, byte for byte.
    for sha in sync_rows.pending_attachments(station.desk.store.conn):
        raise AssertionError(f"attachment {sha} still pending")
    some = center.store.all("SELECT sha256 FROM attachments")
    for row in some:
        assert center.blob_path(row[0]).read_bytes() == station.desk.blobs.read(row[0])

    again = station.desk.sync.push(client)
    assert again.batches == 0 and center_counts(center)["records"] == 40


def test_a_revision_goes_up_as_a_new_record_and_the_center_keeps_both(center, station, client):
    numbers = register_cases(station, 3)
    station.desk.sync.push(client)
    record = station.desk.intake.show(numbers[0])
    record["incident"]["narrative"] += "补充：对方还要求下载会议软件。"
    station.desk.intake.revise(numbers[0], record, station.admin)
    assert station.desk.sync.status().pending_total == 1
    result = station.desk.sync.push(client)
    assert result.accepted == 1
    row = center.store.one("SELECT revision FROM cases WHERE case_no = ?", (numbers[0],))
    assert row[0] == 2
    assert center_counts(center)["records"] == 4


def test_a_lost_answer_is_recovered_from_the_replay_answer_without_duplicates(
    center, station, client
):
    register_cases(station, 5)
    batch = station.desk.sync.open_batch()
    # The center got the batch, but its answer never reached the station.
    first = client.post("/v1/batches", content=batch.envelope)
    assert first.status_code == 200
    result = station.desk.sync.push(client)
    assert result.batches == 1 and result.accepted == 5
    assert center_counts(center)["records"] == 5
    assert station.desk.sync.status().pending_total == 0


def test_usb_and_http_can_follow_each_other(tmp_path, center, station, client):
    register_cases(station, 4, attachments_dir=tmp_path / "files")
    usb = tmp_path / "usb"
    path, records, attachments = station.desk.sync.export(usb, station.admin)
    assert (records, attachments) == (4, 4)
    _, ack_path = center.import_file(path)
    assert all(c["complete"] for c in center.cases())
    # The station has not seen the ack file yet and pushes over HTTP: the same batch again.
    result = station.desk.sync.push(client)
    assert result.batches == 1 and center_counts(center)["records"] == 4
    # The ack file arrives later: already applied, nothing changes.
    with pytest.raises(SyncError) as err:
        station.desk.sync.import_ack(ack_path)
    assert err.value.code == "sync_ack_already"

    register_cases(station, 2, seed=7)
    station.desk.sync.push(client)
    path2, _, _ = station.desk.sync.export(usb, station.admin) or (None, 0, 0)
    assert path2 is None  # nothing left for the stick
    assert center_counts(center)["records"] == 6 and center_counts(center)["batches"] == 2


def test_usb_round_trip_marks_everything_acknowledged(tmp_path, center, station):
    register_cases(station, 3, attachments_dir=tmp_path / "files")
    path, _, _ = station.desk.sync.export(tmp_path / "usb", station.admin)
    _, ack_path = center.import_file(path)
    counts = station.desk.sync.import_ack(ack_path)
    assert counts == {"accepted": 3}
    status = station.desk.sync.status()
    assert status.pending_total == 0 and status.attachments_pending == 0


def _refused(client, body, status, code):
    response = client.post("/v1/batches", content=body)
    assert response.status_code == status, response.text
    assert response.json()["error"] == code
    assert response.json()["message"]
    return response


def test_tampered_unknown_replayed_and_out_of_order_batches_are_refused(
    tmp_path, center, station, client
):
    register_cases(station, 3)
    envelope = station.desk.sync.open_batch().envelope
    before = center_counts(center)
    obj = json.loads(envelope)
    sealed = bytearray(obj["sealed"].encode())
    sealed[40] = ord("A") if sealed[40] != ord("A") else ord("B")
    obj["sealed"] = sealed.decode()
    _refused(client, json.dumps(obj).encode(), 400, "sync_cannot_decrypt")
    unknown = dict(json.loads(envelope), station="999999999999")
    _refused(client, json.dumps(unknown).encode(), 403, "sync_unknown_station")
    _refused(client, envelope[: len(envelope) // 2], 400, "sync_malformed")
    assert center_counts(center) == before

    assert client.post("/v1/batches", content=envelope).status_code == 200
    after = center_counts(center)
    replay = _refused(client, envelope, 409, "sync_replayed")
    assert "ack" in replay.json()
    assert center_counts(center) == after


def test_a_batch_signed_by_an_unregistered_key_is_refused(tmp_path, center, station, client):
    register_cases(station, 2)
    # Someone copies the station's code but signs with a key the center never registered.
    station.desk.sync.key_path.unlink()
    envelope = station.desk.sync.open_batch().envelope
    before = center_counts(center)
    _refused(client, envelope, 400, "sync_bad_signature")
    assert center_counts(center) == before


def test_out_of_order_batch_is_refused(tmp_path, center, station, client):
    register_cases(station, 2)
    first = station.desk.sync.open_batch()
    # Pretend batch 1 was acknowledged locally without the center seeing it.
    with station.desk.store.write() as conn:
        conn.execute("UPDATE sync_batches SET acked_at = 'x' WHERE seq = 1")
    register_cases(station, 1, seed=9)
    second = station.desk.sync.open_batch()
    assert second.seq == 2 and first.seq == 1
    response = _refused(client, second.envelope, 409, "sync_out_of_order")
    assert response.json()["params"]["expected"] == 1
    assert center_counts(center)["records"] == 0


def test_oversized_requests_are_refused(center):
    from starlette.testclient import TestClient

    from intake_app.center.app import create_app

    with TestClient(create_app(center, max_bytes=1000)) as small:
        response = small.post("/v1/batches", content=b"x" * 5000)
        assert response.status_code == 413
        assert "Too large" in response.json()["message"]


def test_a_truncated_export_file_is_refused_and_changes_nothing(tmp_path, center, station):
    register_cases(station, 3, attachments_dir=tmp_path / "files")
    path, _, _ = station.desk.sync.export(tmp_path / "usb", station.admin)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    before = center_counts(center)
    from intake_app.center.service import Refusal

    with pytest.raises(Refusal) as err:
        center.import_file(path)
    assert err.value.error.code in ("sync_malformed", "sync_cannot_decrypt")
    assert center_counts(center) == before
    assert not path.with_suffix(".ack").exists()
    # Cut inside the attachments, the batch line whole: still nothing kept.
    lines = data.splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:2]) + lines[2][:50])
    with pytest.raises(Refusal):
        center.import_file(path)
    assert center_counts(center) == before
    assert not any(p.is_file() for p in center.blob_dir.rglob("*"))


def test_a_forged_acknowledgement_is_refused_and_changes_nothing(tmp_path, center, station):
    register_cases(station, 2)
    path, _, _ = station.desk.sync.export(tmp_path / "usb", station.admin)
    ack, ack_path = center.import_file(path)
    genuine = parse_ack(ack, center.identity.verify_key)
    forger = Identity.generate()
    forged = sign_document(forger, genuine.to_dict())
    ack_path.write_bytes(forged)
    with pytest.raises(SyncError) as err:
        station.desk.sync.import_ack(ack_path)
    assert err.value.code == "sync_bad_signature"
    assert station.desk.sync.status().pending_total == 2

    # A genuine ack of another batch does not fit this one either.
    altered = genuine.to_dict()
    altered["batch_sha256"] = "0" * 64
    ack_path.write_bytes(sign_document(center.identity, altered))
    with pytest.raises(SyncError) as err:
        station.desk.sync.import_ack(ack_path)
    assert err.value.code == "sync_ack_mismatch"
    assert station.desk.sync.status().pending_total == 2


def test_same_uuid_and_revision_with_other_content_is_quarantined(tmp_path, center, client):
    s1 = make_station(tmp_path / "s1", center, S1)
    s2 = make_station(tmp_path / "s2", center, S2)
    register_cases(s1, 2)
    s1.desk.sync.push(client)
    # The second station imports the same records (same uuids are derived per station, so
    # give them the first station's uuids explicitly).
    records = []
    for row in center.cases():
        record = json.loads(
            center.store.one("SELECT data FROM records WHERE uuid = ?", (row["uuid"],))[0]
        )["case"]
        record["incident"]["narrative"] += "（另一所录入）"
        records.append(record)
    results = list(s2.desk.intake.import_records(records, s2.admin))
    assert all(r.case_no for r in results)
    result = s2.desk.sync.push(client)
    assert result.conflict == 2 and result.accepted == 0
    assert len(center.quarantine()) == 2
    # The first station's content stays.
    assert {c["station"] for c in center.cases()} == {S1}
    assert s2.desk.sync.status().acked == {"conflict": 2}
    assert s2.desk.sync.status().pending_total == 0  # not sent again
    s1.desk.close()
    s2.desk.close()


def test_attachments_resume_from_what_the_center_has(tmp_path, center, station, client):
    big = tmp_path / "files"
    big.mkdir()
    (big / "scan.bin").write_bytes(bytes(range(256)) * 4000)  # ~1 MB: 4 chunks
    from intake_app.services.sample_data import generate_cases

    from tests.sync_helpers import FIXED_NOW

    record = next(generate_cases(1, seed=3, now=FIXED_NOW))
    record["attachments"] = [{"name": "scan.bin", "media_type": "image/png", "path": "scan.bin"}]
    list(station.desk.intake.import_records([record], station.admin, base_dir=big))
    sync = station.desk.sync
    batch = sync.open_batch()
    ack = client.post("/v1/batches", content=batch.envelope).content
    sync.apply_ack(ack, "http")
    sha = sync_rows.pending_attachments(station.desk.store.conn)[0]
    chunks = list(sync._chunks(sha))
    assert len(chunks) == 4
    from intake_app.domain.sync_protocol import seal_chunk

    key = sync.center_key().encryption_key
    client.post("/v1/attachments", content=seal_chunk(chunks[0], sync.identity(), key))
    assert center.cases()[0]["complete"] is False
    # A chunk beyond what the center has is refused with what it has.
    gap = client.post("/v1/attachments", content=seal_chunk(chunks[2], sync.identity(), key))
    assert gap.status_code == 409 and gap.json()["params"]["have"] == len(chunks[0].data)
    result = sync.push(client)
    assert result.attachments == 1
    assert center.cases()[0]["complete"] is True
    assert center.blob_path(sha).read_bytes() == (big / "scan.bin").read_bytes()


def test_feed_brings_watchlist_instructions_and_reference_data(tmp_path, center, client):
    s1 = make_station(tmp_path / "s1", center, S1)
    s2 = make_station(tmp_path / "s2", center, S2)
    records = [r for r in json.loads(_fixture_text())][:1]
    shared_phone = "13912345678"
    for station in (s1, s2):
        rec = json.loads(json.dumps(records[0]))
        rec.pop("uuid", None)
        rec["identifiers"] = [{"kind": "phone", "value": shared_phone, "note": ""}]
        rec["incident"]["narrative"] += station.code
        assert all(r.case_no for r in station.desk.intake.import_records([rec], station.admin))
        station.desk.sync.push(client)
    links = center.links()
    assert any(link["value"] == shared_phone and link["stations"] == 2 for link in links)
    center.watch_add("wechat", "Scam_Boss88")
    center.instruct(S1, "dissuade", "刘女士正在银行柜台转账，立即劝阻", "2026-12-01T10:30:00+08:00")
    from intake_app.services import resources

    data = json.loads(resources.resource("reference", "reference.json").read_text("utf-8"))
    data["version"] = "2099.1"
    center.set_reference(data)

    feed = s1.desk.sync.pull(client)
    assert len(feed.instructions) == 1 and feed.instructions[0].kind == "dissuade"
    assert s1.desk.sync.watch_hit("phone", "+86 139 1234 5678") == (2, 2)
    assert s1.desk.sync.watch_hit("wechat", "scam_boss88") is not None
    assert s1.desk.sync.watch_hit("phone", "13000000000") is None
    assert s1.desk.reference.version == "2099.1"
    assert s1.desk.sync.instructions()[0]["text"].startswith("刘女士")
    # The other station gets no instruction meant for S1.
    assert s2.desk.sync.pull(client).instructions == []
    s1.desk.close()
    s2.desk.close()


def test_a_feed_for_another_station_or_altered_is_refused(tmp_path, center, client):
    s1 = make_station(tmp_path / "s1", center, S1)
    s2 = make_station(tmp_path / "s2", center, S2)
    from intake_app.domain.sync_protocol import feed_request

    request = feed_request(s2.desk.sync.identity(), S2, "2026-11-30T10:00:00Z")
    body = client.post("/v1/feed", content=request).content
    with pytest.raises(SyncError) as err:
        s1.desk.sync.apply_feed(body)
    assert err.value.code == "sync_cannot_decrypt"
    tampered = bytearray(body)
    tampered[60] ^= 1
    with pytest.raises(SyncError):
        s2.desk.sync.apply_feed(bytes(tampered))
    s1.desk.close()
    s2.desk.close()


def test_an_unreachable_center_is_noted_in_words(tmp_path, center):
    station = make_station(tmp_path / "s1", center, S1, url="http://127.0.0.1:9")
    register_cases(station, 1)
    with pytest.raises(SyncError):
        station.desk.sync.push()
    status = station.desk.sync.status()
    assert "Cannot reach the center" in status.error_text("en")
    assert "无法连接市中心" in status.error_text("zh_CN")
    assert status.pending_total == 1 and status.open_batch == 1
    station.desk.close()


def _fixture_text():
    from tests.conftest import FIXTURES

    return (FIXTURES / "tangshan_cases.json").read_text(encoding="utf-8")


def test_a_void_goes_up_after_the_case_and_marks_it_at_the_center(
    tmp_path, center, station, client
):
    numbers = register_cases(station, 2)
    station.desk.auth.add_officer(station.admin, "100003", "王磊", "supervisor", "super-pass-2026")
    supervisor = station.desk.auth.login("100003", "super-pass-2026")
    station.desk.intake.void(numbers[0], "重复报案", supervisor)
    # Not before its case is at the center: the case revisions go first.
    pending = station.desk.sync.status().pending
    assert (pending["case_revision"], pending["case_void"]) == (2, 0)
    station.desk.sync.push(client)
    assert station.desk.sync.status().pending_total == 0
    statuses = {c["case_no"]: c["status"] for c in center.cases()}
    assert statuses == {numbers[0]: "voided", numbers[1]: "registered"}
    assert station.desk.sync.status().acked == {"accepted": 3}


def test_two_processes_of_one_desk_pushing_at_once_send_each_batch_once(tmp_path, center, station):
    """The window's background sync and a scheduled `sync push` on the same data folder."""
    import threading

    from intake_app.services.desk import Desk

    register_cases(station, 60)
    errors = []
    key = station.desk.key  # the window's desk is unlocked; the other process logs in

    def push():
        try:
            with (
                Desk.open(station.desk.data_dir, auto_backup=False, key=key) as desk,
                client_for(center) as client,
            ):
                desk.sync.push(client)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=push) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert station.desk.sync.status().pending_total == 0
    assert center_counts(center)["records"] == 60 and center_counts(center)["quarantine"] == 0
    audit_syncs = station.desk.store.one(
        "SELECT count(*) FROM audit_log WHERE action = 'sync' AND object_type = 'sync_batch'"
    )[0]
    assert audit_syncs == center_counts(center)["batches"]
