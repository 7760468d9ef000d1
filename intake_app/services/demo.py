"""A demo station: set up an empty data folder with officers and realistic sample cases.

For trying the desk out and for screenshots; the officers' passwords are printed, so a demo
folder must never hold real cases.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from intake_app.domain.times import now as shanghai_now

from intake_app.services.demo_stop_payment import add_outcomes
from intake_app.services.desk import Clock, Desk
from intake_app.services.sample_data import generate_cases
from intake_app.services.sample_outreach import generate_leads, generate_prevention

STATION_CODE = "130209510000"
STATION_NAME = "唐山市公安局曹妃甸分局滨海派出所（演示）"


@dataclass(frozen=True)
class DemoOfficer:
    badge: str
    name: str
    role: str
    password: str


OFFICERS = (
    DemoOfficer("100001", "张伟", "admin", "demo-admin-2026"),
    DemoOfficer("100002", "李娜", "officer", "demo-officer-2026"),
    DemoOfficer("100003", "王磊", "supervisor", "demo-super-2026"),
)


@dataclass(frozen=True)
class DemoResult:
    data_dir: Path
    station_code: str
    station_name: str
    officers: tuple[DemoOfficer, ...]
    cases: int


def create_demo(
    data_dir: Path, *, cases: int = 200, seed: int = 2026, clock: Clock = shanghai_now
) -> DemoResult:
    """Set up the demo station in an empty data folder and register `cases` sample cases.

    One case gets a second revision and one is voided, so history and voiding can be seen;
    one unfinished draft is left open.
    """
    admin, officer, supervisor = OFFICERS
    with Desk.initialise(
        data_dir,
        station_code=STATION_CODE,
        station_name=STATION_NAME,
        admin_badge=admin.badge,
        admin_name=admin.name,
        password=admin.password,
        clock=clock,
    ) as desk:
        admin_login = desk.auth.login(admin.badge, admin.password)
        for extra in (officer, supervisor):
            desk.auth.add_officer(admin_login, extra.badge, extra.name, extra.role, extra.password)
        on_duty = desk.auth.login(officer.badge, officer.password)
        records = list(generate_cases(cases, seed=seed, now=clock(), station_hint="曹妃甸区"))
        results = list(desk.intake.import_records(records, on_duty))
        numbers = [r.case_no for r in results if r.case_no]
        if len(numbers) >= 2:
            revised = desk.intake.show(numbers[0])
            revised["incident"]["narrative"] += "报案人次日补充：对方还曾要求其下载屏幕共享软件。"
            desk.intake.revise(numbers[0], revised, on_duty, note="报案人补充陈述")
            desk.intake.void(
                numbers[1],
                "与另一案件重复报案，已合并",
                desk.auth.login(supervisor.badge, supervisor.password),
            )
        for lead in generate_leads(12, seed=seed, now=clock()):
            desk.outreach.add_lead(lead, on_duty)
        for event in generate_prevention(20, seed=seed, now=clock()):
            desk.outreach.add_prevention(event, on_duty)
        add_outcomes(desk, on_duty, clock(), seed)
        if records:
            draft = copy.deepcopy(records[-1])
            draft.pop("transactions", None)
            desk.drafts.save(on_duty, draft)
        return DemoResult(data_dir, STATION_CODE, STATION_NAME, OFFICERS, len(numbers))
