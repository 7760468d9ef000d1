"""The demo station's stop-payment items look like a working desk's."""

from collections import Counter

from intake_app.services.demo import OFFICERS, create_demo
from intake_app.services.desk import Desk

from tests.conftest import Clock


def test_demo_items_have_several_outcomes_reminders_and_urgent_cases(tmp_path):
    clock = Clock()
    create_demo(tmp_path / "demo", cases=80, clock=clock)
    with Desk.open(tmp_path / "demo", auto_backup=False, clock=clock) as desk:
        desk.auth.login(OFFICERS[0].badge, OFFICERS[0].password)
        sp = desk.stop_payment
        states = Counter(e.state.state for e in sp.queue(open_only=False))
        for state in ("pending", "requested", "stopped", "frozen", "failed", "released"):
            assert states[state] > 0, states
        assert {e.urgency.level for e in sp.queue()} >= {"red", "amber", "normal"}
        assert {r.kind for r in sp.reminders()} >= {"stop_ending"}
        assert sp.urgent_case_ids()
        assert sp.figures().total.stopped_fen > 0
        assert desk.audit.verify().ok
