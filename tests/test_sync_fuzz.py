"""The parsers of everything that comes from outside (batches, envelopes, acks, feeds, chunks,
key files) fail only with SyncError, whatever they are given."""

import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake_app.domain.interchange import canonical_json
from intake_app.domain.sync_protocol import (
    Batch,
    Envelope,
    Feed,
    Identity,
    Instruction,
    PublicKeyFile,
    SyncError,
    WatchEntry,
    b64,
    chunk_station,
    open_chunk,
    open_feed,
    open_station_request,
    parse_ack,
    parse_batch,
    record_for,
    request_station,
    seal,
    sign_document,
    station_box_key,
)

STATION, CENTER = Identity.generate(), Identity.generate(with_encryption=True)
UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"
STATUS = "intake-sync-attachment-status/1"
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def valid_batch():
    return Batch(
        "130209510000",
        2,
        "a" * 64,
        "now",
        [record_for("case_revision", UUID, 1, {"case": {"uuid": UUID}})],
        ["b" * 64],
    ).to_dict()


def mutated(base):
    """A valid document with one key dropped or replaced by any JSON value, at any depth."""

    @st.composite
    def build(draw):
        doc = json.loads(json.dumps(base))
        target = doc
        path_choices = [doc]
        if isinstance(doc.get("records"), list) and doc["records"]:
            path_choices.append(doc["records"][0])
        target = draw(st.sampled_from(path_choices))
        key = draw(st.sampled_from(sorted(target)))
        if draw(st.booleans()):
            del target[key]
        else:
            target[key] = draw(json_values)
        return doc

    return build()


def only_sync_errors(parse, data):
    try:
        parse(data)
    except SyncError as exc:
        assert exc.message("en") and exc.message("zh_CN")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_any_bytes(data):
    for parse in (
        Envelope.parse,
        parse_batch,
        lambda d: parse_ack(d, CENTER.verify_key),
        lambda d: open_feed(d, STATION, CENTER.verify_key),
        lambda d: PublicKeyFile.parse(d, "station"),
        chunk_station,
        lambda d: open_chunk(d, "130209510000", CENTER, STATION.verify_key),
        request_station,
        lambda d: open_station_request(d, "130209510000", STATION.verify_key, STATUS, NOW),
    ):
        only_sync_errors(parse, data)


@settings(max_examples=300)
@given(mutated(valid_batch()))
def test_mutated_batches(doc):
    only_sync_errors(parse_batch, canonical_json(doc))


def sealed_feed(doc):
    """A feed document as the center sends it: signed by it, sealed to the station."""
    sealed = seal(sign_document(CENTER, doc), station_box_key(STATION.verify_key))
    return canonical_json({"format": "intake-sync-feed/1", "sealed": b64(sealed)})


@settings(max_examples=200)
@given(json_values)
def test_any_json_in_a_signed_ack_or_feed(value):
    """Even correctly signed (the center's key), odd content is only ever a SyncError."""
    doc = value if isinstance(value, dict) else {"x": value}
    signed = sign_document(CENTER, {**doc, "format": "intake-sync-ack/1"})
    only_sync_errors(lambda d: parse_ack(d, CENTER.verify_key), signed)
    feed = sealed_feed({**doc, "format": "intake-sync-feed/1"})
    only_sync_errors(lambda d: open_feed(d, STATION, CENTER.verify_key), feed)


FEED = Feed(
    "130209510000",
    "now",
    [WatchEntry("phone", "139", 2, 2, "linked")],
    [Instruction("i", "dissuade", "t", "", "now")],
    None,
).to_dict()


@settings(max_examples=200)
@given(mutated(FEED))
def test_mutated_feeds(doc):
    """Signed by the center and sealed to the station, odd content is still only a SyncError."""
    only_sync_errors(lambda d: open_feed(d, STATION, CENTER.verify_key), sealed_feed(doc))


def test_nan_and_infinity_are_not_json():
    with pytest.raises(SyncError):
        parse_batch(b'{"format": "intake-sync-batch/1", "seq": NaN}')


@pytest.fixture(scope="module")
def fuzz_center(tmp_path_factory):
    from intake_app.center.service import Center

    center = Center.initialise(tmp_path_factory.mktemp("center"), "中心")
    center.add_station("130209510000", "所", json.dumps(STATION.public("station", "").to_dict()))
    yield center
    center.close()


case_like = st.fixed_dictionaries(
    {"uuid": st.just(UUID)},
    optional={
        "incident": json_values,
        "identifiers": json_values,
        "transactions": json_values,
        "attachments": json_values,
        "reported_at": json_values,
    },
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(case_like, json_values), min_size=1, max_size=3), st.data())
def test_the_center_ingests_any_signed_content_or_rejects_it_per_record(fuzz_center, cases, data):
    """A registered station's signed batch with odd records: an ack, every record answered."""
    from intake_app.domain.sync_protocol import seal_batch

    from intake_app.center.service import Refusal

    row = fuzz_center.store.one("SELECT last_seq, last_hash FROM stations")
    kind = data.draw(st.sampled_from(["case_revision", "other_kind"]))
    records = [
        record_for(kind, UUID, i + 1 + row[0] * 10, {"case": c, "case_no": "x"})
        for i, c in enumerate(cases)
    ]
    batch = Batch("130209510000", row[0] + 1, row[1], "now", records, [])
    envelope = seal_batch(batch, STATION, fuzz_center.identity.encryption_public)
    try:
        ack = fuzz_center.receive_batch(envelope.to_bytes())
    except Refusal as refusal:
        raise AssertionError(refusal.error.message("en")) from None
    parsed = parse_ack(ack, fuzz_center.identity.verify_key)
    assert len(parsed.results) == len(records)


STATUS_REQUEST = {
    "format": STATUS,
    "station": "130209510000",
    "at": "2026-11-30T10:00:00Z",
    "hashes": ["c" * 64],
}


def only_refusals(work, data):
    """The center answers anything with a result or a Refusal in words, nothing else."""
    from intake_app.center.service import Refusal

    try:
        return work(data)
    except Refusal as refusal:
        assert refusal.body("en")["message"] and refusal.error.message("zh_CN")
        return None


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(mutated(STATUS_REQUEST), json_values), st.sampled_from([STATION, CENTER]))
def test_the_center_answers_any_signed_station_request_in_words(fuzz_center, doc, signer):
    """Attachment status and feed requests, signed by the station (or another key), with odd
    content: a Refusal, or an answer about SHA-256 hashes only."""
    fuzz_center.clock = lambda: NOW
    doc = doc if isinstance(doc, dict) else {"x": doc}
    signed = sign_document(signer, doc)
    answer = only_refusals(fuzz_center.attachment_status, signed)
    if answer is not None:
        assert signer is STATION and doc["station"] == "130209510000"
        assert all(len(k) == 64 and set(k) <= set("0123456789abcdef") for k in answer)
    feed = sign_document(signer, {**doc, "format": "intake-sync-feed-request/1"})
    only_refusals(fuzz_center.feed, feed)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_the_center_answers_any_request_bytes_in_words(fuzz_center, data):
    for work in (fuzz_center.attachment_status, fuzz_center.feed, fuzz_center.receive_chunk):
        assert only_refusals(work, data) is None
