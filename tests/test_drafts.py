import copy

import pytest

from intake_app.domain.errors import AuthError, IntakeError
from intake_app.domain.interchange import case_from_dict

from intake_app.services.intake import ValidationFailed

PASSWORD = "officer-pass-2026"


@pytest.fixture
def officer(desk, admin):
    desk.auth.add_officer(admin, "200002", "李娜", "officer", PASSWORD)
    return desk.auth.login("200002", PASSWORD)


def draft_rows(desk):
    return desk.store.all("SELECT uuid, status, case_id FROM drafts ORDER BY created_at")


def test_partial_draft_is_saved_without_a_number_and_autosave_replaces_it(desk, officer):
    draft = desk.drafts.save(officer, {"incident": {"narrative": "对方自称客服"}})
    assert draft.status == "open" and draft.case_no is None
    desk.drafts.save(officer, {"incident": {"narrative": "对方自称快递客服"}}, uuid=draft.uuid)

    again = desk.drafts.get(draft.uuid)
    assert again.data["incident"]["narrative"] == "对方自称快递客服"
    assert [d.uuid for d in desk.drafts.open_drafts(officer)] == [draft.uuid]
    assert desk.store.one("SELECT count(*) AS n FROM cases")["n"] == 0


def test_registering_a_complete_draft_numbers_it_and_keeps_the_draft(desk, officer, tangshan_cases):
    record = copy.deepcopy(tangshan_cases[0])
    del record["uuid"]
    draft = desk.drafts.save(officer, record)

    row = desk.drafts.register(draft.uuid, officer)

    assert row.uuid == draft.uuid
    assert desk.drafts.get(draft.uuid).status == "registered"
    assert desk.drafts.get(draft.uuid).case_no == row.case_no
    assert desk.drafts.open_drafts(officer) == []
    with pytest.raises(IntakeError) as caught:
        desk.drafts.save(officer, record, uuid=draft.uuid)
    assert caught.value.code == "draft_closed"
    assert "已受案" in caught.value.message("zh_CN")


def test_an_incomplete_draft_is_refused_and_stays_open(desk, officer):
    draft = desk.drafts.save(officer, {"incident": {"narrative": "被骗"}})

    with pytest.raises(ValidationFailed) as caught:
        desk.drafts.register(draft.uuid, officer)

    fields = {p.field for p in caught.value.problems}
    assert "reporter.name" in fields
    assert desk.drafts.get(draft.uuid).status == "open"
    assert desk.store.one("SELECT count(*) AS n FROM cases")["n"] == 0
    assert desk.drafts.check(draft.uuid), "check() lists the same problems without writing"


def test_a_draft_of_a_registered_case_becomes_its_next_revision(desk, officer, tangshan_cases):
    row = desk.intake.register(case_from_dict(tangshan_cases[1])[0], officer)
    changed = desk.intake.show(row.case_no)
    changed["incident"]["narrative"] += "（补充：又转账一次）"

    draft = desk.drafts.save(officer, changed, case_no=row.case_no)
    assert draft.is_revision
    revised = desk.drafts.register(draft.uuid, officer)

    assert revised.case_no == row.case_no and revised.revision == 2
    assert "又转账一次" in desk.intake.show(row.case_no)["incident"]["narrative"]
    assert (
        desk.intake.record(revised, 1)["incident"]["narrative"]
        == (tangshan_cases[1]["incident"]["narrative"])
    )


def test_discarded_drafts_are_kept_and_audited(desk, officer):
    draft = desk.drafts.save(officer, {"reporter": {"name": "王芳"}})
    desk.drafts.discard(draft.uuid, officer)

    assert [tuple(r) for r in draft_rows(desk)] == [(draft.uuid, "discarded", None)]
    actions = [r["action"] for r in desk.store.all("SELECT action FROM audit_log ORDER BY seq")]
    assert actions[-1] == "draft_discard"


def test_only_the_owner_or_a_supervisor_may_change_a_draft(desk, admin, officer):
    desk.auth.add_officer(admin, "200003", "赵强", "officer", PASSWORD)
    other = desk.auth.login("200003", PASSWORD)
    draft = desk.drafts.save(officer, {"reporter": {"name": "王芳"}})

    with pytest.raises(IntakeError) as caught:
        desk.drafts.save(other, {"reporter": {"name": "改名"}}, uuid=draft.uuid)
    assert caught.value.code == "draft_not_yours"
    with pytest.raises(AuthError):
        desk.drafts.open_drafts(other, everyone=True)
    assert [d.uuid for d in desk.drafts.open_drafts(admin, everyone=True)] == [draft.uuid]


def test_a_draft_must_be_an_object_and_not_huge(desk, officer):
    with pytest.raises(IntakeError) as caught:
        desk.drafts.save(officer, ["not", "an", "object"])  # type: ignore[arg-type]
    assert caught.value.code == "not_an_object"
    with pytest.raises(IntakeError) as caught:
        desk.drafts.save(officer, {"incident": {"narrative": "骗" * 400_000}})
    assert caught.value.code == "too_long"
    assert "1048576" in caught.value.message("en")
    assert draft_rows(desk) == []


def test_a_draft_closed_by_another_window_is_not_registered_or_discarded_twice(
    desk, officer, tangshan_cases
):
    record = copy.deepcopy(tangshan_cases[0])
    del record["uuid"]
    draft = desk.drafts.save(officer, record)
    stale = desk.drafts.get(draft.uuid)  # what the other window still shows
    desk.drafts.discard(draft.uuid, officer)

    from intake_app.store import drafts as draft_store

    with desk.store.write() as conn:
        assert not draft_store.close(conn, stale.uuid, "registered", "2026-12-01T00:00:00Z", None)
    with pytest.raises(IntakeError) as caught:
        desk.drafts.register(draft.uuid, officer)
    assert caught.value.code == "draft_closed"
    assert desk.drafts.get(draft.uuid).status == "discarded"
    assert desk.store.one("SELECT count(*) AS n FROM cases")["n"] == 0
