"""Where sync meets the other features: urgent stop-payments first, outcomes, leads, prevention
events and instruction results as record kinds, stored once at the center."""

import pytest

from intake_app.store import sync as sync_rows

from intake_app.services import sync as sync_service

from tests.sync_helpers import client_for, make_center, make_station, register_cases

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

S1 = "130209510000"


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


def batch_uuids(desk, seq: int) -> set[str]:
    return {uuid for (_kind, uuid, _rev) in sync_rows.batch_records(desk.store.conn, seq)}


def test_an_urgent_case_goes_in_the_first_batch_ahead_of_older_cases(station, client, monkeypatch):
    monkeypatch.setattr(sync_service, "MAX_BATCH_RECORDS", 3)
    desk = station.desk
    case_nos = register_cases(station, 6)
    newest = desk.intake.find(case_nos[-1])
    item = desk.stop_payment.case_entries(newest.case_no)[0]
    desk.stop_payment.record(item.ref, "requested", station.admin)
    assert desk.stop_payment.urgent_case_ids() == [newest.id]

    batch = desk.sync.open_batch()
    assert batch is not None
    uuids = batch_uuids(desk, batch.seq)
    assert newest.uuid in uuids
    older = [desk.intake.find(n).uuid for n in case_nos[:5]]
    assert uuids >= set(older[:1]) and not uuids & set(older[2:])
