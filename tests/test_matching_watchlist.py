"""The center's watchlist as a source of seized-list matching: a seized number that is on the
city watchlist is a hit too, saying in how many cases and stations it appears."""

import csv

from intake_app.store import sync as sync_rows

WATCHED = "6230580000123456789"  # in no case of this station
PAYEE = "6217009606002330693"  # a payee account of the Tangshan fixture cases


def test_a_seized_number_on_the_city_watchlist_is_a_hit(desk, admin, tangshan_cases, tmp_path):
    assert all(r.ok for r in desk.intake.import_records(tangshan_cases, admin))
    with desk.store.write() as conn:
        sync_rows.replace_watchlist(
            conn,
            [
                ("bank_account", WATCHED, 3, 2, "linked"),
                ("bank_account", PAYEE, 2, 2, "flagged"),
                ("phone", "13800000000", 5, 3, "linked"),
            ],
        )
    path = tmp_path / "seized.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(
            [
                ["卡号"],
                ["６２３０ ５８００-００１２ ３４５６ ７８９"],
                [PAYEE],
                ["6217000000000000001"],
            ]
        )
    result = desk.matching.match_file(path)
    assert {e.number for e in result.matched} == {WATCHED, PAYEE}
    (watched,) = result.hits_for(WATCHED)
    assert (watched.source, watched.detail) == (
        "watchlist",
        {"cases": 3, "stations": 2, "reason": "linked"},
    )
    assert {h.source for h in result.hits_for(PAYEE)} == {"case", "watchlist"}
    summary = result.as_dict()
    assert summary["watchlist"] == 2 and summary["matched"] == 2
    out = tmp_path / "hits.csv"
    desk.matching.export(result, out, admin, "zh_CN")
    assert "全市关注名单" in out.read_text(encoding="utf-8-sig")


def test_without_a_watchlist_nothing_changes(desk, admin, tangshan_cases, tmp_path):
    assert all(r.ok for r in desk.intake.import_records(tangshan_cases, admin))
    path = tmp_path / "seized.csv"
    path.write_text(f"卡号\n{WATCHED}\n", encoding="utf-8")
    assert desk.matching.match_file(path).matched == []
