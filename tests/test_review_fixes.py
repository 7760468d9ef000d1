"""Fixes from the review of the encrypted store and the center's station records."""

from __future__ import annotations

import json

from intake_app.domain.interchange import canonical_json, sha256_hex
from intake_app.domain.sync_protocol import Record

from intake_app.services.backups import keyring_beside
from intake_app.services.keyring import Keyring

from intake_app.center.station_records import _apply_results
from tests.conftest import ADMIN
from tests.sync_helpers import make_center, make_station

S1, S2 = "130209510000", "130229520000"


def test_a_removed_officer_or_an_old_password_opens_no_backup_keyring_in_the_data_folder(
    desk, admin, data_dir
):
    clerk = desk.auth.add_officer(admin, "100002", "李娜", "officer", "clerk-pass-2026")
    desk.backups.backup(data_dir / "backups" / "manual.db", admin)
    beside = keyring_beside(data_dir / "backups" / "manual.db")
    assert Keyring.load(beside).unlock_officer(clerk.badge, "clerk-pass-2026") is not None

    desk.auth.change_password(admin, ADMIN, "admin-pass-2027")
    copy = Keyring.load(beside)
    assert copy.unlock_officer(ADMIN, "admin-pass-2026") is None  # the old password opens nothing
    assert copy.unlock_officer(ADMIN, "admin-pass-2027") == desk.key

    desk.auth.remove_officer(admin, clerk.badge)
    copy = Keyring.load(beside)
    assert not copy.has_officer(clerk.badge)
    assert copy.unlock_officer(clerk.badge, "clerk-pass-2026") is None


def _result(instruction_id: str, uuid: str, outcome: str) -> Record:
    data = {
        "instruction_id": instruction_id,
        "outcome": outcome,
        "at": "2026-11-30T18:05:00+08:00",
        "officer": "100001",
    }
    return Record("instruction_result", uuid, 1, sha256_hex(canonical_json(data)), data)


def test_a_result_counts_only_for_the_station_it_was_issued_to_and_only_once(tmp_path):
    center = make_center(tmp_path / "center")
    make_station(tmp_path / "s1", center, S1)
    make_station(tmp_path / "s2", center, S2)
    ident = center.instruct(S1, "dissuade", "刘女士正在转账，立即劝阻")
    with center.store.write() as conn:
        _apply_results(conn, S2, [_result(ident, "u-forged", "not_reached")], "now")
    (shown,) = center.instructions()
    assert shown["result"] is None  # another station cannot close it
    with center.store.write() as conn:
        _apply_results(conn, S1, [_result(ident, "u-first", "dissuaded")], "now")
        _apply_results(conn, S1, [_result(ident, "u-second", "not_reached")], "now")
    (shown,) = center.instructions()
    assert shown["result"]["outcome"] == "dissuaded"
    assert len(center.store.all("SELECT * FROM instruction_results")) == 1
    json.dumps(shown)  # what `intake-center instructions --json` prints
