"""The center's instructions at the station: listing order, outcomes with their rules, the
report pre-filled after "already defrauded", results up to the center, interceptions in the
statistics (checked against a direct count), and the `intake-app instruction` commands."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from intake_app.domain.errors import IntakeError
from intake_app.domain.periods import DateRange

from tests.conftest import ADMIN
from tests.sync_helpers import (  # noqa: F401  (fixtures)
    center_fixture,
    client_fixture,
    station_fixture,
)
from tests.test_cli import data, failed, intake, ok

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

S1 = "130209510000"
PERSON = {
    "name": "刘秀英",
    "phone": "13833001122",
    "identifiers": [{"kind": "bank_account", "value": "6222021234567890123"}],
}


@pytest.fixture
def received(center, station, client):
    """Three instructions pulled by the station: {name: id}."""
    now = station.desk.now()
    ids = {
        "later": center.instruct(
            S1, "dissuade", "李某正在转账", (now + timedelta(hours=3)).isoformat()
        ),
        "lead": center.instruct(S1, "verify_lead", "核实某公司收购银行卡线索"),
        "soon": center.instruct(
            S1,
            "dissuade",
            "刘女士正在银行柜台转账，立即劝阻",
            (now + timedelta(minutes=20)).isoformat(),
            PERSON,
        ),
    }
    station.desk.sync.pull(client)
    return ids


def test_open_instructions_come_nearest_deadline_first_closed_ones_last(station, received):
    ins = station.desk.instructions
    assert [e.id for e in ins.listing()] == [received["soon"], received["later"], received["lead"]]
    soon = ins.get(received["soon"])
    assert soon.subject == PERSON
    assert soon.minutes_left(station.desk.now()) == 20
    ins.record(received["soon"], "dissuaded", station.admin)
    assert [e.id for e in ins.listing()][-1] == received["soon"]


def test_outcomes_are_checked_recorded_once_and_audited(station, received):
    desk, admin = station.desk, station.admin
    ins = desk.instructions
    with pytest.raises(IntakeError) as err:
        ins.record(received["lead"], "dissuaded", admin)
    assert err.value.field == "instruction_outcome"
    assert "lead_confirmed" in err.value.message("en")
    assert desk.store.one("SELECT count(*) FROM instruction_results")[0] == 0

    acked = ins.acknowledge(received["later"], admin)
    assert acked.acknowledged_by == admin.badge and acked.open
    ins.acknowledge(received["later"], admin)  # once is enough
    done = ins.record(received["later"], "not_reached", admin, note="电话无人接听")
    assert (done.outcome, done.outcome_by, done.note) == ("not_reached", ADMIN, "电话无人接听")
    with pytest.raises(IntakeError) as err:
        ins.record(received["later"], "dissuaded", admin)
    assert err.value.code == "instruction_already_recorded"
    actions = [
        r[0]
        for r in desk.store.conn.execute(
            "SELECT action FROM audit_log WHERE object_id = ? ORDER BY seq", (received["later"],)
        )
    ]
    assert actions == ["instruction_ack", "instruction_result"]
    with pytest.raises(Exception, match="never changed"), desk.store.write() as conn:
        conn.execute("UPDATE instruction_results SET outcome = 'dissuaded'")


def test_already_defrauded_gives_a_report_with_what_the_center_knew(station, received):
    ins = station.desk.instructions
    ins.record(received["soon"], "already_defrauded", station.admin)
    record = ins.report_record(received["soon"])
    assert record["reporter"] == {"name": "刘秀英", "phone": "13833001122"}
    assert record["identifiers"][0]["value"] == "6222021234567890123"
    assert "银行柜台" in record["incident"]["narrative"]


def test_results_go_up_once_and_the_center_shows_them(station, center, client, received):
    ins = station.desk.instructions
    ins.record(received["soon"], "dissuaded", station.admin)
    ins.record(received["lead"], "lead_confirmed", station.admin)
    assert station.desk.sync.status().pending["instruction_result"] == 2
    assert station.desk.sync.push(client).accepted == 2
    assert station.desk.sync.push(client).batches == 0
    shown = {i["id"]: i for i in center.instructions()}
    assert shown[received["soon"]]["result"]["outcome"] == "dissuaded"
    assert shown[received["soon"]]["result"]["officer"] == ADMIN
    assert shown[received["lead"]]["result"]["outcome"] == "lead_confirmed"
    assert shown[received["later"]]["result"] is None
    assert shown[received["soon"]]["subject"] == PERSON


def test_interceptions_count_in_the_statistics_as_a_direct_count_says(station, received):
    desk, admin = station.desk, station.admin
    desk.instructions.record(received["soon"], "dissuaded", admin)
    desk.instructions.record(received["later"], "already_defrauded", admin)
    today = desk.now().date()
    figures = desk.statistics.figures(DateRange(today - timedelta(days=7), today), "day")
    series = figures.get("dissuasion")
    assert series is not None
    direct = desk.store.conn.execute(
        "SELECT outcome, count(*) FROM instruction_results GROUP BY outcome"
    ).fetchall()
    counts = dict(direct)
    assert series.total(0) == counts.get("dissuaded", 0) == 1
    assert series.total(1) == counts.get("not_reached", 0) == 0
    assert series.total(2) == counts.get("already_defrauded", 0) == 1
    assert figures.totals["dissuaded"] == 1
    assert dict(series.rows)[today.isoformat()] == (1, 0, 1)
    assert isinstance(today, date)


def test_cli_lists_and_records(station, received):
    data_dir = station.desk.data_dir
    station.desk.close()
    listed = data(
        ok(intake("instruction", "list", "--json", "--officer", ADMIN, data_dir=data_dir))
    )
    assert listed[0]["id"] == received["soon"]
    assert listed[0]["minutes_left"] is not None and listed[0]["outcome"] is None
    message = failed(
        intake(
            "instruction",
            "record",
            received["lead"],
            "--outcome",
            "dissuaded",
            "--officer",
            ADMIN,
            "--lang",
            "en",
            data_dir=data_dir,
        )
    )
    assert "Outcome" in message and "lead_confirmed" in message
    done = data(
        ok(
            intake(
                "instruction",
                "record",
                received["soon"],
                "--outcome",
                "dissuaded",
                "--note",
                "已当面劝阻",
                "--json",
                "--officer",
                ADMIN,
                data_dir=data_dir,
            )
        )
    )
    assert (done["outcome"], done["outcome_by"], done["note"]) == ("dissuaded", ADMIN, "已当面劝阻")
    text = ok(intake("instruction", "list", "--officer", ADMIN, data_dir=data_dir)).stdout
    assert "已劝阻" in text
