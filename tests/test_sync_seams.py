"""Where sync meets the other features: urgent stop-payments first, outcomes, leads, prevention
events and instruction results as record kinds, stored once at the center."""

import uuid as uuidlib

import pytest

from intake_app.domain.sync_protocol import (
    ACCEPTED,
    CONFLICT,
    DUPLICATE,
    INSTRUCTION_RESULT,
    LEAD,
    PREVENTION_EVENT,
    STOP_PAYMENT_OUTCOME,
    record_for,
)

from intake_app.store import sync as sync_rows

from intake_app.services import sync as sync_service

from intake_app.center import ingest
from tests.sync_helpers import (  # noqa: F401  (fixtures)
    center_fixture,
    client_fixture,
    register_cases,
    station_fixture,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

S1 = "130209510000"


def batch_uuids(desk, seq: int) -> set[str]:
    return {uuid for (_kind, uuid, _rev) in sync_rows.batch_records(desk.store.conn, seq)}


def test_an_urgent_case_goes_in_the_first_batch_ahead_of_older_cases(station, client, monkeypatch):
    monkeypatch.setattr(sync_service, "MAX_BATCH_RECORDS", 3)
    desk = station.desk
    case_nos = register_cases(station, 6)
    newest_no, item = with_items(desk, case_nos[::-1])
    newest = desk.intake.find(newest_no)
    desk.stop_payment.record(item.ref, "requested", station.admin)
    assert desk.stop_payment.urgent_case_ids() == [newest.id]

    batch = desk.sync.open_batch()
    assert batch is not None
    uuids = batch_uuids(desk, batch.seq)
    assert newest.uuid in uuids
    others = [desk.intake.find(n).uuid for n in case_nos if n != newest_no]
    assert others[0] in uuids and others[-1] not in uuids


def with_items(desk, case_nos):
    """The first case with a stop-payment item, and that item."""
    return next((n, e[0]) for n in case_nos if (e := desk.stop_payment.case_entries(n)))


def test_stop_payment_outcomes_go_up_once_and_the_center_shows_the_money(station, center, client):
    desk, admin = station.desk, station.admin
    case_no, item = with_items(desk, register_cases(station, 3))
    desk.stop_payment.record(item.ref, "requested", admin)
    desk.stop_payment.record(item.ref, "stopped", admin, amount_fen=150_000)
    outcomes = desk.store.one("SELECT count(*) FROM stop_outcomes")[0]
    assert desk.sync.status().pending["stop_payment_outcome"] == outcomes

    first = desk.sync.push(client)
    assert first.accepted == 3 + outcomes
    assert desk.sync.status().pending_total == 0
    assert desk.sync.push(client).batches == 0  # nothing new

    at_center = center.store.one("SELECT count(*) FROM stop_outcomes")[0]
    assert at_center == outcomes
    (row,) = center.stop_payment()
    case = desk.intake.find(case_no)
    assert (row["case_uuid"], row["case_no"], row["station"]) == (case.uuid, case_no, S1)
    assert (row["stopped_fen"], row["frozen_fen"], row["case_received"]) == (150_000, 0, True)

    # a later outcome goes up alone
    desk.stop_payment.record(item.ref, "frozen", admin, amount_fen=100_000)
    assert desk.sync.push(client).accepted == 1
    assert center.stop_payment()[0]["frozen_fen"] == 100_000


def _sample(kind: str, uuid: str, note: str) -> dict:
    if kind == STOP_PAYMENT_OUTCOME:
        return {
            "case_uuid": str(uuidlib.uuid4()),
            "item_uuid": str(uuidlib.uuid4()),
            "case_no": "X",
            "outcome": "stopped",
            "amount_fen": 100,
            "at": "2026-11-30T18:00:00+08:00",
            "officer": "100001",
            "note": note,
        }
    if kind == INSTRUCTION_RESULT:
        return {
            "instruction_id": str(uuidlib.uuid4()),
            "outcome": "dissuaded",
            "at": "2026-11-30T18:00:00+08:00",
            "officer": "100001",
            "note": note,
        }
    return {"record": {"uuid": uuid, "summary": note, "notes": note}, "updated_at": "x"}


@pytest.mark.parametrize("kind", [STOP_PAYMENT_OUTCOME, LEAD, PREVENTION_EVENT, INSTRUCTION_RESULT])
def test_new_kinds_are_idempotent_and_other_content_is_quarantined(center, station, kind):
    uuid = str(uuidlib.uuid4())
    first = record_for(kind, uuid, 1, _sample(kind, uuid, "first"))
    other = record_for(kind, uuid, 1, {**first.data, "note": "other", "record": {"uuid": uuid}})

    def ingest_one(record, seq):
        with center.store.write() as conn:
            (result,) = ingest.ingest_records(conn, S1, seq, [record], "2026-11-30T10:00:00Z")
        return result.status, result.reason

    assert ingest_one(first, 1) == (ACCEPTED, "")
    assert ingest_one(first, 2) == (DUPLICATE, "")
    assert ingest_one(other, 3)[0] == CONFLICT
    assert [q["uuid"] for q in center.quarantine()] == [uuid]
    stored = center.store.one("SELECT data FROM records WHERE kind = ? AND uuid = ?", (kind, uuid))
    assert "first" in stored[0]


LEAD_RECORD = {
    "source": "company_request",
    "source_detail": "某互联网公司",
    "summary": "开平区有人收购个人银行账户",
    "identifiers": [{"kind": "bank_account", "value": "6222 0212 3456 7890 123"}],
}
EVENT = {
    "held_on": "2026-11-20",
    "kind": "lecture",
    "place": "滨海镇中学",
    "target_group": "students",
    "audience": 100,
}


def test_leads_and_prevention_events_go_up_newest_revision_once(station, center, client):
    desk, admin = station.desk, station.admin
    lead = desk.outreach.add_lead(LEAD_RECORD, admin)
    event = desk.outreach.add_prevention(EVENT, admin)
    pending = desk.sync.status().pending
    assert (pending["lead"], pending["prevention_event"]) == (1, 1)
    assert desk.sync.push(client).accepted == 2
    assert desk.sync.push(client).batches == 0
    stored = {r["uuid"]: r for r in center.outreach()}
    assert (
        stored[lead.uuid]["kind"] == "lead" and "收购个人银行账户" in stored[lead.uuid]["summary"]
    )
    assert stored[event.uuid]["kind"] == "prevention_event"
    assert "滨海镇中学" in stored[event.uuid]["summary"]

    desk.outreach.revise_lead(lead.uuid, LEAD_RECORD | {"summary": "核实后补充"}, admin)
    assert desk.sync.push(client).accepted == 1
    row = {r["uuid"]: r for r in center.outreach()}[lead.uuid]
    assert (row["revision"], row["summary"]) == (2, "company_request: 核实后补充")
    n = center.store.one("SELECT count(*) FROM records WHERE kind = 'lead'")[0]
    assert n == 2  # both revisions kept as received
