"""Hand-built follow-up data for the dashboard, action and export tests, and a fixed clock.

Assessments here are written straight to the database with the query columns the
dashboard reads (band, score, ROSA sections, lifting index, limiting factor, is_latest),
so every expected figure can be worked out by hand from the table below. Today is
15 June 2026 (quarter 2026 Q2).

| who | dept | assessed | score | band | ROSA c/m/k | LI, factor | reassess due | previous |
|---|---|---|---|---|---|---|---|---|
| e1 | CS | 2026-05-10 | 10 | low | 6/3/2 | — | today+10 | — |
| e2 | CS | 2026-04-02 | 60 | high | 5/5/1 | — | today-5 | e2_prev 70 (2025-11-01) |
| e3 | CS | 2026-02-15 | 80 | very_high | — | 2.1 hm | today+100 | e3_prev 66 (2025-08-01) |
| e4 (left) | CS | 2026-03-01 | 55 | high | — | — | today-20 | — |
| g1 | GI | 2026-05-20 | 35 | moderate | — | 1.5 fm | today-1 | — |
| g2 | GI | 2026-01-10 | 50 | high | — | 0.8 hm | today+60 | g2_prev 48 (2025-07-15) |
| p1 | PK | 2025-12-01 | 90 | very_high | — | 3.0 hm | today+40 | amends p1_old 85 |
| p2 | PK | 2026-06-01 | 5 | low | — | — | today+200 | p2_prev 5 (2025-10-10) |

CS = Customer Service and GI = Goods In (site Northgate), PK = Picking (site Riverside).

Actions: a1 e2 chair open overdue (owner manager) · a2 e2 desk done in 10 days · a3 e3 chair
done in 20 · a4 e3 clinical referral open overdue · a5 e1 chair in progress due today+5 ·
a6 g2 lift declined · a7 p1 lift done in 30 · a8 e2_prev chair done in 4 · a9 e4 desk open
overdue. Codes are in the recommendation families managers may see (workstation.,
lifting.), except a4's (clinical.).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from assessments.actions.models import Action
from assessments.people.models import Department, Employee, Site
from assessments.records.models import Assessment
from assessments.selfassess.models import Consent

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def fixed_today(monkeypatch: Any) -> dt.date:
    """Freeze `timezone.localdate()` (without arguments) at TODAY."""
    real = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def make_assessment(
    employee: Employee,
    assessor: Any,
    *,
    on: dt.date,
    score: float,
    band: str,
    latest: bool = True,
    rosa: tuple[int, int, int] | None = None,
    li: float | None = None,
    factor: str = "",
    due: dt.date | None = None,
    previous: Assessment | None = None,
    supersedes: Assessment | None = None,
    revision: int = 1,
    consent: str | None = "given",
) -> Assessment:
    # A complete version-1.0 results snapshot with nothing assessed but the band and score
    # the figures count.
    results = {
        "scoring_version": "1.0",
        "workstation": None,
        "sitting": None,
        "worker": None,
        "lifting": None,
        "strain": {
            "model_version": "1.0",
            "score": score,
            "raw_score": score,
            "band": band,
            "components": [],
            "floors_applied": [],
            "referrals": [],
            "not_assessed": [],
            "summary": "",
        },
        "referrals": [],
        "recommendations": [],
    }
    assessment = Assessment.objects.create(
        employee=employee,
        assessor=assessor,
        assessed_on=on,
        status=Assessment.Status.COMPLETED,
        inputs={"format": "ergo-assessment-input", "version": 1},
        results=results,
        scoring_version="1.0",
        strain_score=score,
        band=band,
        completed_at=timezone.now(),
        rosa_final=max(rosa) if rosa else None,
        rosa_chair=rosa[0] if rosa else None,
        rosa_monitor_phone=rosa[1] if rosa else None,
        rosa_mouse_keyboard=rosa[2] if rosa else None,
        lifting_index=li,
        limiting_factor=factor,
        reassess_due=due,
        is_latest=latest,
        previous=previous,
        supersedes=supersedes,
        revision=revision,
    )
    if consent is not None:  # the employee lets their manager see it (docs/consent.md)
        Consent.objects.create(assessment=assessment, status=consent)
    return assessment


def make_action(
    assessment: Assessment,
    code: str,
    *,
    status: str = Action.Status.OPEN,
    due: dt.date | None = None,
    owner: Any = None,
    closed_in: int | None = None,
    category: str = Action.Category.ENGINEERING,
    note: str = "",
    title: str | None = None,
) -> Action:
    action = Action.objects.create(
        assessment=assessment,
        code=code,
        title=title or code.partition(".")[2].replace("_", " ").capitalize(),
        category=category,
        status=status,
        due_on=due,
        owner=owner,
        completed_on=days(-1) if status == Action.Status.DONE else None,
        closed_in_days=closed_in,
        evidence_note=note or ("Not practical here" if status == Action.Status.DECLINED else ""),
    )
    return action


@dataclass
class World:
    cs: Department
    gi: Department
    pk: Department
    north: Site
    river: Site
    a: dict[str, Assessment]
    actions: dict[str, Action]
    employees: dict[str, Employee]


def build_world(
    *, assessor: Any, manager: Any, department: Department, other_department: Department
) -> World:
    cs, gi = department, other_department
    north = cs.site
    river = Site.objects.create(name="Riverside")
    pk = Department.objects.create(site=river, name="Picking")
    people = {}
    for key, dept in [
        ("e1", cs),
        ("e2", cs),
        ("e3", cs),
        ("e4", cs),
        ("g1", gi),
        ("g2", gi),
        ("p1", pk),
        ("p2", pk),
    ]:
        people[key] = Employee.objects.create(
            hr_reference=f"HR-{key}",
            name=f"Person {key.upper()}",
            job_title="Operative",
            department=dept,
            active=key != "e4",
        )
    mk = make_assessment
    a: dict[str, Assessment] = {}
    a["e2_prev"] = mk(
        people["e2"], assessor, on=dt.date(2025, 11, 1), score=70, band="high", latest=False
    )
    a["e3_prev"] = mk(
        people["e3"], assessor, on=dt.date(2025, 8, 1), score=66, band="high", latest=False
    )
    a["g2_prev"] = mk(
        people["g2"], assessor, on=dt.date(2025, 7, 15), score=48, band="moderate", latest=False
    )
    a["p2_prev"] = mk(
        people["p2"], assessor, on=dt.date(2025, 10, 10), score=5, band="low", latest=False
    )
    a["p1_old"] = mk(
        people["p1"], assessor, on=dt.date(2025, 12, 1), score=85, band="very_high", latest=False
    )
    a["e1"] = mk(
        people["e1"],
        assessor,
        on=dt.date(2026, 5, 10),
        score=10,
        band="low",
        rosa=(6, 3, 2),
        due=days(10),
    )
    a["e2"] = mk(
        people["e2"],
        assessor,
        on=dt.date(2026, 4, 2),
        score=60,
        band="high",
        rosa=(5, 5, 1),
        due=days(-5),
        previous=a["e2_prev"],
    )
    a["e3"] = mk(
        people["e3"],
        assessor,
        on=dt.date(2026, 2, 15),
        score=80,
        band="very_high",
        li=2.1,
        factor="hm",
        due=days(100),
        previous=a["e3_prev"],
    )
    a["e4"] = mk(
        people["e4"], assessor, on=dt.date(2026, 3, 1), score=55, band="high", due=days(-20)
    )
    a["g1"] = mk(
        people["g1"],
        assessor,
        on=dt.date(2026, 5, 20),
        score=35,
        band="moderate",
        li=1.5,
        factor="fm",
        due=days(-1),
    )
    a["g2"] = mk(
        people["g2"],
        assessor,
        on=dt.date(2026, 1, 10),
        score=50,
        band="high",
        li=0.8,
        factor="hm",
        due=days(60),
        previous=a["g2_prev"],
    )
    a["p1"] = mk(
        people["p1"],
        assessor,
        on=dt.date(2025, 12, 1),
        score=90,
        band="very_high",
        li=3.0,
        factor="hm",
        due=days(40),
        supersedes=a["p1_old"],
        revision=2,
    )
    a["p2"] = mk(
        people["p2"],
        assessor,
        on=dt.date(2026, 6, 1),
        score=5,
        band="low",
        due=days(200),
        previous=a["p2_prev"],
    )
    # A draft counts nowhere on the dashboard.
    Assessment.objects.create(employee=people["e1"], assessor=assessor)
    act = make_action
    actions = {
        "a1": act(a["e2"], "workstation.chair_adjust", due=days(-3), owner=manager),
        "a2": act(a["e2"], "workstation.desk_sitstand", status="done", closed_in=10),
        "a3": act(a["e3"], "workstation.chair_adjust", status="done", closed_in=20),
        "a4": act(
            a["e3"],
            "clinical.gp",
            due=days(-10),
            category=Action.Category.CLINICAL,
            owner=assessor,
            title="See the GP about leg symptoms",
        ),
        "a5": act(
            a["e1"], "workstation.chair_adjust", status="in_progress", due=days(5), owner=manager
        ),
        "a6": act(a["g2"], "lifting.lift_redesign", status="declined"),
        "a7": act(a["p1"], "lifting.lift_redesign", status="done", closed_in=30),
        "a8": act(a["e2_prev"], "workstation.chair_adjust", status="done", closed_in=4),
        "a9": act(a["e4"], "workstation.desk_sitstand", due=days(-1)),
    }
    return World(
        cs=cs, gi=gi, pk=pk, north=north, river=river, a=a, actions=actions, employees=people
    )
