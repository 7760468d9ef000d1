"""Findings of the sync review (issue 6), each held by a test: the center's attachment status
request, attachment completion at the station, case ownership, the feed's reference data,
center input, the center's error answers at the station, center set-up."""

import json

import pytest

from intake_app.domain.sync_protocol import attachment_status_request, sign_document

from tests import test_sync
from tests.sync_helpers import make_station

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

S1, S2 = "130209510000", "130229520000"
NOW = "2026-11-30T10:00:00Z"  # tests/conftest.py FIXED_NOW, in UTC
center, station, client = test_sync.center, test_sync.station, test_sync.client  # fixtures
PASSWD = ("/" * 64)[: 64 - len("etc/passwd")] + "etc/passwd"


def _status(client, body):
    return client.post("/v1/attachments/status", content=body)


def test_attachment_status_is_no_file_oracle(center, station, client):
    assert len(PASSWD) == 64
    # The old unsigned form answers nothing about any file.
    plain = json.dumps({"station": S1, "hashes": [PASSWD]}).encode()
    response = _status(client, plain)
    assert response.status_code == 400 and "etc/passwd" not in response.text
    # Signed by the station, a hash that is not lowercase hex is refused, naming the field.
    identity = station.desk.sync.identity()
    response = _status(client, attachment_status_request(identity, S1, NOW, [PASSWD]))
    assert response.status_code == 400
    assert response.json()["error"] == "sync_field_invalid"
    assert response.json()["params"]["name"] == "hashes[0]"
    upper = attachment_status_request(identity, S1, NOW, ["A" * 64])
    assert _status(client, upper).json()["params"]["name"] == "hashes[0]"


def test_attachment_status_is_signed_by_the_station_it_names_and_recent(
    tmp_path, center, station, client
):
    other = make_station(tmp_path / "s2", center, S2)
    identity = station.desk.sync.identity()
    sha = "a" * 64
    good = _status(client, attachment_status_request(identity, S1, NOW, [sha]))
    assert good.status_code == 200 and good.json() == {sha: 0}
    # S1's key naming S2: S2's key does not verify it.
    forged = _status(client, attachment_status_request(identity, S2, NOW, [sha]))
    assert forged.json()["error"] == "sync_bad_signature"
    # The same with a hand-made document: the key must be the named station's.
    doc = {"format": "intake-sync-attachment-status/1", "station": S2, "at": NOW, "hashes": []}
    assert _status(client, sign_document(identity, doc)).json()["error"] == "sync_bad_signature"
    old = _status(client, attachment_status_request(identity, S1, "2026-11-29T10:00:00Z", [sha]))
    assert old.status_code == 400 and old.json()["error"] == "sync_request_stale"
    wrong_format = sign_document(identity, {**doc, "station": S1, "format": "x/1"})
    assert _status(client, wrong_format).json()["error"] == "sync_format_unsupported"
    other.desk.close()


def test_a_stale_feed_request_is_refused(center, station, client):
    from intake_app.domain.sync_protocol import feed_request

    identity = station.desk.sync.identity()
    assert client.post("/v1/feed", content=feed_request(identity, S1, NOW)).status_code == 200
    old = client.post("/v1/feed", content=feed_request(identity, S1, "2026-11-28T10:00:00Z"))
    assert old.status_code == 400 and old.json()["error"] == "sync_request_stale"
    assert "clock" in old.json()["message"]


def test_the_status_request_passes_its_schema(station):
    from jsonschema import Draft202012Validator

    from intake_app.domain.sync_protocol import unb64

    from tests.test_sync_schemas import SCHEMAS

    path = SCHEMAS / "intake-sync-attachment-status-1.schema.json"
    validator = Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))
    signed = attachment_status_request(station.desk.sync.identity(), S1, NOW, ["b" * 64])
    inner = json.loads(unb64(json.loads(signed)["signed"], "x")[64:])
    assert list(validator.iter_errors(inner)) == []
    assert list(validator.iter_errors({**inner, "hashes": [PASSWD]}))


def _one_case_with_a_file(tmp_path, station, content=b"scan " * 100):
    from intake_app.services.sample_data import generate_cases

    from tests.sync_helpers import FIXED_NOW

    folder = tmp_path / "files"
    folder.mkdir(exist_ok=True)
    (folder / "scan.bin").write_bytes(content)
    record = next(generate_cases(1, seed=3, now=FIXED_NOW))
    record["attachments"] = [{"name": "scan.bin", "media_type": "image/png", "path": "scan.bin"}]
    assert list(station.desk.intake.import_records([record], station.admin, base_dir=folder))


def test_an_attachment_missing_here_stays_waiting(tmp_path, center, station, client):
    _one_case_with_a_file(tmp_path, station)
    sync = station.desk.sync
    sync.open_batch()
    [sha] = test_sync.sync_rows.batch_attachments(station.desk.store.conn, 1)
    station.desk.blobs.path_for(sha).unlink()
    result = sync.push(client)
    assert result.accepted == 1 and result.attachments == 0
    assert sync.status().attachments_pending == 1
    assert center.cases()[0]["complete"] is False


def test_an_attachment_is_done_only_when_the_center_says_complete(
    tmp_path, monkeypatch, center, station, client
):
    _one_case_with_a_file(tmp_path, station)
    sync = station.desk.sync
    real = center._store_chunk  # the route holds receive_chunk, which calls this
    monkeypatch.setattr(center, "_store_chunk", lambda chunk: {**real(chunk), "complete": False})
    assert sync.push(client).attachments == 0
    assert sync.status().attachments_pending == 1
    monkeypatch.setattr(center, "_store_chunk", real)
    # The center has it all now: its status shows the full size, so nothing is sent again.
    assert sync.push(client).attachments == 1
    assert sync.status().attachments_pending == 0


def _send(center, station, records):
    """A batch of these records signed by the station, as the next of its sequence: the ack."""
    from intake_app.domain.sync_protocol import Batch, parse_ack, seal_batch

    row = center.store.one(
        "SELECT last_seq, last_hash FROM stations WHERE code = ?", (station.code,)
    )
    batch = Batch(station.code, row[0] + 1, row[1], NOW, records, [])
    envelope = seal_batch(batch, station.desk.sync.identity(), center.identity.encryption_public)
    return parse_ack(center.receive_batch(envelope.to_bytes()), center.identity.verify_key)


def test_only_the_station_whose_case_it_is_may_void_it(tmp_path, center, station, client):
    from intake_app.domain.sync_protocol import record_for

    from tests.sync_helpers import register_cases

    other = make_station(tmp_path / "s2", center, S2)
    register_cases(station, 1)
    station.desk.sync.open_batch()
    [(_kind, uuid, _rev)] = test_sync.sync_rows.batch_records(station.desk.store.conn, 1)
    void = {"void_reason": "重复报案", "voided_at": NOW, "voided_by": "100001"}
    # Before the case is at the center: a void of a case nobody sent is rejected, not kept.
    [early] = _send(center, other, [record_for("case_void", uuid, 1, void)]).results
    assert early.status == "rejected" and "no case" in early.reason
    station.desk.sync.push(client)
    # Station B voids station A's case: quarantined, the case stays registered.
    [forged] = _send(center, other, [record_for("case_void", uuid, 1, void)]).results
    assert forged.status == "conflict"
    assert center.cases()[0]["status"] == "registered"
    # A's own void then goes in as A's.
    [real] = _send(center, station, [record_for("case_void", uuid, 1, void)]).results
    assert real.status == "accepted"
    assert center.cases()[0]["status"] == "voided"
    other.desk.close()


def test_only_newer_reference_data_is_installed(center, station, client):
    from intake_app.services import resources

    data = json.loads(resources.resource("reference", "reference.json").read_text("utf-8"))
    bundled = station.desk.reference.version
    for version, expected in (("2000.1", bundled), ("2099.10", "2099.10"), ("2099.9", "2099.10")):
        center.set_reference({**data, "version": version})
        station.desk.sync.pull(client)
        assert station.desk.reference.version == expected, version
        stored = json.loads(station.desk.store.setting("reference_data") or "{}")
        assert stored.get("version") == (None if expected == bundled else expected)


def test_center_input_is_checked_and_answers_in_the_users_language(tmp_path, capsys, monkeypatch):
    from intake_app.center.cli import main
    from intake_app.center.service import Center

    monkeypatch.delenv("INTAKE_LANG", raising=False)
    folder = str(tmp_path / "c")
    monkeypatch.setenv("INTAKE_CENTER_DATA_DIR", folder)
    assert main(["init", "--name", "唐山市反诈中心"]) == 0
    assert "已在" in capsys.readouterr().out  # zh_CN by default
    assert main(["watch", "add", "--kind", "nonsense", "--value", "abc", "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "kind" in err.lower() and "nonsense" in err and "identifier kinds" in err
    assert main(["watch", "add", "--kind", "nonsense", "--value", "abc"]) == 1
    assert "类别" in capsys.readouterr().err
    monkeypatch.setenv("INTAKE_LANG", "en")
    assert main(["watch", "add", "--kind", "phone", "--value", "+86 139 1234 5678"]) == 0
    assert "Watching phone 13912345678" in capsys.readouterr().out
    key = tmp_path / "s.pub"
    from intake_app.domain.sync_protocol import Identity

    key.write_text(json.dumps(Identity.generate().public("station", "x").to_dict()))
    assert main(["station", "add", "--code", S1, "--name", "滨海", "--public-key", str(key)]) == 0
    args = ["instruct", "--station", S1, "--kind", "dissuade", "--text", "劝阻"]
    assert main([*args, "--deadline", "2026-12-03T10:00"]) == 0
    assert main([*args, "--deadline", "2026-12-03T02:00:00Z"]) == 0
    assert main([*args, "--deadline", "tomorrow"]) == 1
    assert "deadline" in capsys.readouterr().err.lower()
    center = Center.open(tmp_path / "c")
    deadlines = [r[0] for r in center.store.all("SELECT deadline FROM instructions ORDER BY rowid")]
    center.close()
    assert deadlines == ["2026-12-03T10:00:00+08:00", "2026-12-03T02:00:00+00:00"]


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        # A "code" among the parameters used to be a TypeError.
        ({"error": "sync_malformed", "params": {"code": "x", "what": "batch"}}, "damaged"),
        # A code this station does not know: the center's own text.
        ({"error": "sync_brand_new", "params": {}, "message": "Quota exceeded"}, "Quota exceeded"),
        ({"error": "center_whatever", "params": {"a": 1}}, "center_whatever"),
        # A known code without the values its sentence names: the center's text.
        ({"error": "sync_chunk_offset", "params": {}, "message": "Gap"}, "Gap"),
        ({"error": "sync_chunk_offset", "params": {"sha256": ["x"], "have": {"n": 1}}}, "['x']"),
        ({"error": "sync_unknown_station", "params": [1, 2], "message": "who?"}, "who?"),
    ],
)
def test_any_refusal_from_the_center_is_told_in_words(tmp_path, station, answer, words):
    import httpx

    from intake_app.domain.sync_protocol import SyncError

    from tests.sync_helpers import register_cases

    register_cases(station, 1)
    transport = httpx.MockTransport(lambda request: httpx.Response(400, json=answer))
    client = httpx.Client(transport=transport, base_url="http://center.test")
    with client, pytest.raises(SyncError) as raised:
        station.desk.sync.push(client)
    assert words in raised.value.message("en")
    assert raised.value.message("zh_CN")
    assert words in station.desk.sync.status().error_text("en")


@pytest.mark.parametrize("failing", ["database", "key"])
def test_a_failed_center_set_up_leaves_nothing_half_done(tmp_path, monkeypatch, failing):
    from intake_app.domain.errors import IntakeError

    from intake_app.center import service

    folder = tmp_path / "center"
    if failing == "database":

        def broken(*args):
            raise OSError("disk full")

        monkeypatch.setattr(service, "CenterStore", broken)
    else:
        monkeypatch.setattr(service, "_write_private", lambda path, text: 1 / 0)
    with pytest.raises((OSError, ZeroDivisionError)):
        service.Center.initialise(folder, "中心")
    assert sorted(p.name for p in folder.iterdir()) == []
    with pytest.raises(IntakeError) as raised:
        service.Center.open(folder)
    assert raised.value.code == "center_not_initialised"
    monkeypatch.undo()
    service.Center.initialise(folder, "中心").close()  # init agrees: it was not set up
    center = service.Center.open(folder)
    assert center.name == "中心"
    center.close()


def test_a_cancelled_push_stops_between_rounds(tmp_path, monkeypatch, center, station, client):
    from tests.sync_helpers import register_cases

    register_cases(station, 3, attachments_dir=tmp_path / "files")
    monkeypatch.setattr("intake_app.services.sync.MAX_BATCH_RECORDS", 1)  # one case a batch
    sync = station.desk.sync
    real = sync.apply_ack

    def then_quit(data, via):
        sync.cancel.set()  # the window quits while the first batch is answered
        return real(data, via)

    monkeypatch.setattr(sync, "apply_ack", then_quit)
    result = sync.push(client)
    assert (result.batches, result.attachments) == (1, 0)
    assert len(center.cases()) == 1 and sync.status().pending_total == 2
