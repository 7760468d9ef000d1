"""What the sync code writes passes the JSON Schemas in resources/schemas; the docs name them."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from intake_app.domain.sync_protocol import (
    Ack,
    Batch,
    Chunk,
    Feed,
    Identity,
    Instruction,
    RecordResult,
    WatchEntry,
    b64,
    record_for,
    seal_batch,
    seal_chunk,
    sign_document,
    unb64,
)

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "resources" / "schemas"
UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"


def validator(name):
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(name, value):
    return [e.message for e in validator(name).iter_errors(value)]


@pytest.fixture(scope="module")
def keys():
    return Identity.generate(), Identity.generate(with_encryption=True)


def test_key_files(keys):
    station, center = keys
    assert errors("intake-sync-key-1", station.public("station", "x").to_dict()) == []
    assert errors("intake-sync-key-1", center.public("center", "y").to_dict()) == []


def test_batch_envelope_and_signed_ack(keys):
    station, center = keys
    batch = Batch(
        "130209510000",
        1,
        "",
        "2026-11-30T10:00:00Z",
        [record_for("case_revision", UUID, 1, {"case": {"uuid": UUID}})],
        ["a" * 64],
    )
    assert errors("intake-sync-batch-1", batch.to_dict()) == []
    envelope = json.loads(seal_batch(batch, station, center.encryption_public).to_bytes())
    assert errors("intake-sync-envelope-1", envelope) == []
    ack = Ack(
        "130209510000",
        1,
        "b" * 64,
        [RecordResult("case_revision", UUID, 1, "c" * 64, "accepted")],
        [],
        "now",
    )
    assert errors("intake-sync-ack-1", ack.to_dict()) == []
    signed = json.loads(sign_document(center, ack.to_dict()))
    assert errors("intake-sync-signed-1", signed) == []
    assert unb64(signed["signed"], "x")[64:].startswith(b'{"at"')


def test_chunk_and_feed(keys):
    station, center = keys
    chunk = json.loads(
        seal_chunk(Chunk("130209510000", "d" * 64, 0, 3, b"abc"), station, center.encryption_public)
    )
    assert errors("intake-sync-chunk-1", chunk) == []
    feed = Feed(
        "130209510000",
        "now",
        [WatchEntry("phone", "13912345678", 2, 2, "linked")],
        [Instruction("i1", "dissuade", "go", "", "now")],
        None,
    )
    assert errors("intake-sync-feed-1", feed.to_dict()) == []


def test_a_schema_refuses_what_the_parser_refuses():
    bad = {"format": "intake-sync-envelope/1", "station": "x y", "seq": 0, "sealed": b64(b"z")}
    assert errors("intake-sync-envelope-1", bad)


def test_the_protocol_doc_names_every_schema():
    doc = (ROOT / "docs" / "sync-protocol.md").read_text(encoding="utf-8")
    for path in SCHEMAS.glob("intake-sync-*.schema.json"):
        name = path.name.removesuffix("-1.schema.json")
        assert f"{name}/1" in doc, name
