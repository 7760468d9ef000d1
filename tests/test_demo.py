import pytest

from intake_app.domain.errors import IntakeError

from intake_app.services.demo import OFFICERS, create_demo
from intake_app.services.desk import Desk

from tests.conftest import Clock


def test_demo_station_has_officers_cases_history_a_void_and_a_draft(tmp_path):
    data_dir = tmp_path / "demo"
    result = create_demo(data_dir, cases=30, clock=Clock())

    assert result.cases == 30
    with Desk.open(data_dir, auto_backup=False) as desk:
        for o in OFFICERS:
            assert desk.auth.login(o.badge, o.password).role == o.role
        assert desk.counts() == {"cases": 30, "voided": 1, "officers": 3}
        officer = desk.auth.login(OFFICERS[1].badge, OFFICERS[1].password)
        revised = [r for r in desk.intake.search("屏幕共享") if r.revision == 2]
        assert len(revised) == 1
        assert len(desk.intake.history(revised[0].case_no)) == 2
        assert len(desk.drafts.open_drafts(officer)) == 1
        assert desk.audit.verify().ok


def test_demo_refuses_a_folder_that_is_already_set_up(tmp_path, desk):
    with pytest.raises(IntakeError) as caught:
        create_demo(desk.data_dir, cases=1)
    assert caught.value.code == "already_initialised"


def test_idle_lock_minutes_default_is_set_by_an_admin_and_audited(desk, admin):
    assert desk.idle_lock_minutes == 10
    desk.set_idle_lock_minutes(admin, 5)
    assert desk.idle_lock_minutes == 5
    entry = desk.audit.entries(admin, limit=1)[0]
    assert (entry["action"], entry["object_id"], entry["detail"]) == (
        "setting",
        "idle_lock_minutes",
        {"value": 5},
    )
    with pytest.raises(IntakeError) as caught:
        desk.set_idle_lock_minutes(admin, 999)
    assert caught.value.message("zh_CN") == "无操作自动锁定时间（分钟）应在0到240之间（现为999）"
    assert desk.idle_lock_minutes == 5


def test_logout_is_audited(desk, admin):
    desk.auth.logout(admin, "idle_lock")
    entry = desk.audit.entries(admin, limit=1)[0]
    assert (entry["action"], entry["detail"]) == ("logout", {"reason": "idle_lock"})


def test_the_dummy_hash_costs_what_a_real_officer_hash_costs():
    """An unknown badge must take as long as a wrong password (no badge enumeration)."""
    from argon2 import PasswordHasher

    from intake_app.services import auth as auth_module

    default = PasswordHasher()
    assert not default.check_needs_rehash(auth_module._DUMMY_HASH)
    assert auth_module._DUMMY_HASH.startswith("$argon2id$")
