"""Every figure shown in two places is the same number in both: the dashboard, the list
behind each dashboard figure, the home page, the department report and the exports.

The data is built where "current", "open" and "overdue" were once spelled differently in
each place, on the fixed clock of tests/follow_up_data.py (today is 15 June 2026):

Customer Service (CS; the manager's):

- Ann: revision 1 (high, 10 Mar 2026) amended by revision 2 (very high, same day),
  reassessment due today-4. Revision 1: chair open, due today-20 (owner: the manager),
  desk in progress. Revision 2: chair open, due today-2 (the manager), desk done in 12
  days, clinical physio open, due today-5 (the assessor).
- Ben: Sep 2025 (moderate 40), reassessed May 2026 (high 58), due today+30. Earlier
  assessment: lift aid open, due today-30. Current: lift redesign declined, individual
  exercise open, due today+10.
- Cal (has left): Feb 2026 (high), due today-10; desk open, due today-7.
- Dee: Jun 2026 (low, ROSA chair 5), due today+200, and a draft; chair done in 3 days,
  desk in progress due today (the manager).
- Eve: not assessed.

Goods In (GI):

- Gus: Apr 2026 (moderate, LI 1.4 limited by FM), due today; lift aid open, due today+30.
- Hal: Jan 2026 (high), due today-1, with an amendment still a draft; lift aid open, due
  today-3.

Due dates and reassessment dates fall on today and on the last day of the 30-day window,
where "overdue" and "due soon" begin and end. The health actions (clinical, individual)
are OH's: a manager's figures never count them.
The amended revision's actions are replaced by the amendment's. Counted the old ways, the
manager's home page said 6 open actions in Customer Service and the department report 3.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from html import unescape
from typing import Any

import pytest
from django.urls import reverse

from assessments.actions.models import Action
from assessments.insights import figures
from assessments.people.changes import departments_changed
from assessments.people.models import Department, Employee
from assessments.records.models import Assessment
from tests.conftest import client_for
from tests.follow_up_data import (  # noqa: F401 - fixed_today is a fixture
    TODAY,
    days,
    fixed_today,
    make_action,
    make_assessment,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_today")]

#: The statuses the dashboard counts: an action in force is never superseded.
STATUSES = [status for status, _label in figures.IN_FORCE_STATUSES]
BANDS = ["low", "moderate", "high", "very_high"]
#: The department report's period: every assessment of the data, and whole quarters.
START = dt.date(2025, 1, 1)
FIGURE = re.compile(r'<a class="figure[^"]*" (?:id="[^"]*" )?data-count="(\d+)" href="([^"]+)"')


@dataclass
class Data:
    cs: Department
    gi: Department
    a: dict[str, Assessment]
    actions: dict[str, Action]


@pytest.fixture
def data(assessor, manager, department, other_department) -> Data:
    cs, gi = department, other_department
    people = {
        name: Employee.objects.create(
            hr_reference=f"HR-{name}",
            name=name,
            job_title="Adviser",
            department=dept,
            active=name != "Cal",
        )
        for name, dept in [
            ("Ann", cs),
            ("Ben", cs),
            ("Cal", cs),
            ("Dee", cs),
            ("Eve", cs),
            ("Gus", gi),
            ("Hal", gi),
        ]
    }
    mk = make_assessment
    a: dict[str, Assessment] = {}
    a["ann_r1"] = mk(
        people["Ann"], assessor, on=dt.date(2026, 3, 10), score=62, band="high", latest=False
    )
    a["ann_r2"] = mk(
        people["Ann"],
        assessor,
        on=dt.date(2026, 3, 10),
        score=75,
        band="very_high",
        due=days(-4),
        supersedes=a["ann_r1"],
        revision=2,
    )
    a["ben_prev"] = mk(
        people["Ben"], assessor, on=dt.date(2025, 9, 1), score=40, band="moderate", latest=False
    )
    a["ben"] = mk(
        people["Ben"],
        assessor,
        on=dt.date(2026, 5, 2),
        score=58,
        band="high",
        due=days(30),
        previous=a["ben_prev"],
    )
    a["cal"] = mk(
        people["Cal"], assessor, on=dt.date(2026, 2, 1), score=55, band="high", due=days(-10)
    )
    a["dee"] = mk(
        people["Dee"],
        assessor,
        on=dt.date(2026, 6, 1),
        score=12,
        band="low",
        rosa=(5, 2, 1),
        due=days(200),
    )
    Assessment.objects.create(employee=people["Dee"], assessor=assessor)
    a["gus"] = mk(
        people["Gus"],
        assessor,
        on=dt.date(2026, 4, 20),
        score=35,
        band="moderate",
        li=1.4,
        factor="fm",
        due=TODAY,
    )
    a["hal"] = mk(
        people["Hal"], assessor, on=dt.date(2026, 1, 15), score=60, band="high", due=days(-1)
    )
    Assessment.objects.create(
        employee=people["Hal"], assessor=assessor, supersedes=a["hal"], revision=2
    )
    act = make_action
    health = {"category": Action.Category.CLINICAL}
    actions = {
        "ann_r1_chair": act(a["ann_r1"], "workstation.chair_adjust", due=days(-20), owner=manager),
        "ann_r1_desk": act(
            a["ann_r1"], "workstation.desk_sitstand", status="in_progress", due=days(4)
        ),
        "ann_chair": act(a["ann_r2"], "workstation.chair_adjust", due=days(-2), owner=manager),
        "ann_desk": act(a["ann_r2"], "workstation.desk_sitstand", status="done", closed_in=12),
        "ann_physio": act(a["ann_r2"], "clinical.physio", due=days(-5), owner=assessor, **health),
        "ben_lift": act(a["ben_prev"], "lifting.lift_aid", due=days(-30)),
        "ben_redesign": act(a["ben"], "lifting.lift_redesign", status="declined"),
        "ben_exercise": act(
            a["ben"],
            "individual.exercise",
            due=days(10),
            category=Action.Category.INDIVIDUAL,
        ),
        "cal_desk": act(a["cal"], "workstation.desk_sitstand", due=days(-7)),
        "dee_chair": act(a["dee"], "workstation.chair_adjust", status="done", closed_in=3),
        "dee_desk": act(
            a["dee"], "workstation.desk_sitstand", status="in_progress", due=TODAY, owner=manager
        ),
        "gus_lift": act(a["gus"], "lifting.lift_aid", due=days(30)),
        "hal_lift": act(a["hal"], "lifting.lift_aid", due=days(-3)),
    }
    return Data(cs=cs, gi=gi, a=a, actions=actions)


# --- Reading the pages ----------------------------------------------------------------------


def _get(user: Any, url: str, params: dict[str, Any] | None = None) -> Any:
    response = client_for(user).get(url, params or {})
    assert response.status_code == 200, url
    return response


def _counts(html: str, element_id: str) -> list[int]:
    """The numbers of the figures inside the element with this id."""
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</p>', html, re.S)
    assert match, element_id
    return [int(n) for n in re.findall(r'data-count="(\d+)"', match.group(1))]


@dataclass(frozen=True)
class DashboardNumbers:
    current: int
    bands: dict[str, int]
    high: int
    actions: dict[str, int]
    overdue: int
    reassess_overdue: int
    reassess_soon: int
    quarters: dict[str, list[int]]
    figures: list[tuple[int, str]]


def _dashboard(user: Any, **scope: Any) -> DashboardNumbers:
    html = _get(user, reverse("dashboard"), scope).text
    current = _counts(html, "fig-current")
    high = _counts(html, "fig-high-share")
    reassess = _counts(html, "fig-reassess")
    quarters = {
        label: [int(n) for n in re.findall(r'data-count="(\d+)"', row)]
        for label, row in re.findall(r'<th scope="row">(\d{4} Q\d)</th>(.*?)</tr>', html, re.S)
    }
    return DashboardNumbers(
        current=current[0],
        bands=dict(zip(BANDS, current[1:], strict=True)),
        high=high[0] if high else 0,
        actions=dict(zip(STATUSES, _counts(html, "fig-actions"), strict=True)),
        overdue=_counts(html, "fig-overdue")[0],
        reassess_overdue=reassess[0],
        reassess_soon=reassess[1],
        quarters=quarters,
        figures=[(int(n), unescape(href)) for n, href in FIGURE.findall(html)],
    )


def _listed(user: Any, href: str) -> int:
    counts = re.findall(r'<span class="count">(\d+)</span>', _get(user, href).text)
    assert counts, href
    return int(counts[0])


@dataclass(frozen=True)
class HomeNumbers:
    departments: dict[str, tuple[int, int, int]]
    links: dict[str, list[tuple[str, int]]]
    reassess_due: int
    reassess_overdue: int
    my_overdue: int


def _home(user: Any) -> HomeNumbers:
    html = _get(user, reverse("home")).text
    departments, links = {}, {}
    for name, row in re.findall(
        r">([^<>]+)</a> <span class=\"text-muted small\">.*?</span></td>(.*?)</tr>", html, re.S
    ):
        departments[name] = tuple(
            int(n) for n in re.findall(r"<td>(?:<a href=\"[^\"]+\">)?(\d+)", row)
        )
        links[name] = [
            (unescape(href), int(n)) for href, n in re.findall(r'<a href="([^"]+)">(\d+)</a>', row)
        ]
    due = re.search(r'id="reassess-due">(.*?)</ul>', html, re.S)
    badge = re.search(r"(\d+) overdue</span></h2>", html)
    return HomeNumbers(
        departments=departments,
        links=links,
        reassess_due=due.group(1).count("<li") if due else 0,
        reassess_overdue=due.group(1).count("overdue since") if due else 0,
        my_overdue=int(badge.group(1)) if badge else 0,
    )


@dataclass(frozen=True)
class ReportNumbers:
    cells: dict[str, int]
    bands: dict[str, int]
    reassess_overdue: int
    reassess_soon: int
    quarters: dict[str, list[int]]
    red_dates: int


def _report(user: Any, department: Department) -> ReportNumbers:
    response = _get(
        user,
        reverse("department_report"),
        {
            "departments": [department.pk],
            "start": START.isoformat(),
            "end": TODAY.isoformat(),
            "format": "html",
        },
    )
    html = response.text
    cells = {label: int(n) for label, n in re.findall(r"<th>([^<]+)</th><td>(\d+)</td>", html)}
    employees = html[html.index('id="employees"') :]
    bands = dict.fromkeys(BANDS, 0)
    for band, n in re.findall(r'<span class="band band-(\w+)">[^<]*</span> (\d+):', employees):
        bands[band] = int(n)
    due = response.context["reassessments_due"]
    window = TODAY + dt.timedelta(days=30)
    actions = html[html.index('id="actions"') : html.index('id="reassessments"')]
    reassessments = html[html.index('id="reassessments"') : html.index('id="employees"')]
    return ReportNumbers(
        cells=cells,
        bands=bands,
        reassess_overdue=reassessments.count("<strong>overdue</strong>"),
        reassess_soon=sum(1 for a in due if TODAY <= a.reassess_due <= window),
        quarters={
            label: [mix.get(band, 0) for band in BANDS] + [sum(mix.values())]
            for label, mix, _median in response.context["quarters"]
        },
        # The legend ("Dates in red have passed") is one; each overdue action's date another.
        red_dates=actions.count('<span class="overdue">') - 1,
    )


def _csv(response: Any) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _open(actions: dict[str, int]) -> int:
    return actions["open"] + actions["in_progress"]


# --- The figures agree --------------------------------------------------------------------


def test_the_data_is_where_the_old_definitions_disagreed(data, manager, assessor):
    """Worked out by hand from the table above, so that agreement is not agreement on zero."""
    mine = _dashboard(manager)
    assert (mine.current, mine.high) == (3, 2)  # Ann r2, Ben, Dee; Cal has left
    # Open: Ann r2 chair, Ben's earlier lift aid, Cal's desk; in progress: Dee's desk. Not
    # Ann r1's two (amended), not the physio or the exercise (health).
    assert mine.actions == {"open": 3, "in_progress": 1, "done": 2, "declined": 1, "cancelled": 0}
    assert mine.overdue == 3
    assert (mine.reassess_overdue, mine.reassess_soon) == (1, 1)
    assert _home(manager).departments["Customer Service"] == (4, 2, 4)
    oh = _dashboard(assessor, department=data.cs.pk)
    assert oh.actions == {"open": 5, "in_progress": 1, "done": 2, "declined": 1, "cancelled": 0}
    assert oh.overdue == 4
    everyone = _dashboard(assessor)
    assert (everyone.current, everyone.overdue) == (5, 5)


@pytest.mark.parametrize("role", ["assessor", "manager"])
def test_every_dashboard_figure_equals_the_list_it_links_to(role, data, request):
    user = request.getfixturevalue(role)
    for scope in ({}, {"department": data.cs.pk}):
        dashboard = _dashboard(user, **scope)
        assert len(dashboard.figures) > 25
        for expected, href in dashboard.figures:
            assert _listed(user, href) == expected, href


def test_managers_home_page_shows_the_dashboards_numbers(data, manager):
    home = _home(manager)
    dashboard = _dashboard(manager, department=data.cs.pk)
    staff, high, open_actions = home.departments["Customer Service"]
    assert high == dashboard.high
    assert open_actions == _open(dashboard.actions)
    assert home.reassess_due == dashboard.reassess_overdue + dashboard.reassess_soon
    assert home.reassess_overdue == dashboard.reassess_overdue
    for href, number in home.links["Customer Service"]:
        assert _listed(manager, href) == number, href
    assert staff == _report(manager, data.cs).cells["Staff"]


@pytest.mark.parametrize("role", ["assessor", "manager"])
def test_actions_you_own_agree_with_the_overdue_list(role, data, request):
    user = request.getfixturevalue(role)
    overdue = f"{reverse('action_list')}?revision=current&overdue=true&owner={user.pk}"
    assert _home(user).my_overdue == _listed(user, overdue)


def test_assessors_home_page_lists_the_reassessments_the_dashboard_counts(data, assessor):
    dashboard = _dashboard(assessor)  # the assessor made every assessment
    home = _home(assessor)
    assert home.reassess_due == dashboard.reassess_overdue + dashboard.reassess_soon
    assert home.reassess_overdue == dashboard.reassess_overdue


@pytest.mark.parametrize("role", ["assessor", "manager"])
def test_department_report_shows_the_dashboards_numbers(role, data, manager, request):
    """The report is a line manager's view whoever asks for it: its action figures equal
    the manager's dashboard, its figures about assessments everyone's."""
    user = request.getfixturevalue(role)
    report = _report(user, data.cs)
    dashboard = _dashboard(user, department=data.cs.pk)
    managers = _dashboard(manager, department=data.cs.pk)
    home = _home(manager).departments["Customer Service"]

    assert report.cells["Employees assessed"] == dashboard.current
    assert report.bands == dashboard.bands
    assert report.bands["high"] + report.bands["very_high"] == dashboard.high == home[1]
    assert report.cells["Staff"] == home[0]
    assert report.cells["Open actions"] == _open(managers.actions) == home[2]
    assert report.cells["Overdue actions"] == managers.overdue == report.red_dates
    assert report.reassess_overdue == dashboard.reassess_overdue
    assert report.reassess_soon == dashboard.reassess_soon
    for label, numbers in report.quarters.items():
        assert numbers == dashboard.quarters[label], label
    in_period = (
        f"{reverse('assessment_list')}?status=completed&revision=current"
        f"&assessed_after={START}&assessed_before={TODAY}&department={data.cs.pk}"
    )
    assert report.cells["Assessments in period"] == _listed(user, in_period)
    assert report.cells["Assessments in period"] == sum(q[-1] for q in report.quarters.values())


@pytest.mark.parametrize("role", ["assessor", "manager"])
def test_exports_mark_current_and_overdue_rows_as_the_figures_count_them(role, data, request):
    user = request.getfixturevalue(role)
    client = client_for(user)
    dashboard = _dashboard(user, department=data.cs.pk)
    scope = {"department": data.cs.pk}
    assessments = _csv(client.get(reverse("assessment_export", args=["csv"]), scope))
    assert sum(row["current"] == "yes" for row in assessments) == dashboard.current
    actions = _csv(
        client.get(reverse("action_export", args=["csv"]), {**scope, "revision": "current"})
    )
    assert sum(row["overdue"] == "yes" for row in actions) == dashboard.overdue
    for status, label in figures.IN_FORCE_STATUSES:
        assert sum(row["status"] == label for row in actions) == dashboard.actions[status]
    assert len(actions) == sum(dashboard.actions.values())  # none superseded, none left out


@pytest.mark.parametrize("role", ["assessor", "manager"])
def test_the_action_list_marks_as_overdue_what_the_dashboard_counts(role, data, request):
    user = request.getfixturevalue(role)
    dashboard = _dashboard(user, department=data.cs.pk)
    listed = _get(
        user,
        reverse("action_list"),
        {"revision": "current", "department": data.cs.pk, "status": ["open", "in_progress"]},
    ).text
    assert listed.count(" (overdue)</td>") == dashboard.overdue


def _self_assessment(employee: Employee, status: str, *, returned: int | None, triaged: int | None):
    from django.utils import timezone

    from assessments.selfassess.models import Invitation

    now = timezone.now()
    return Invitation.objects.create(
        employee=employee,
        status=status,
        expires_at=now + dt.timedelta(days=28),
        returned_at=None if returned is None else now - dt.timedelta(days=returned),
        triaged_at=None if triaged is None else now - dt.timedelta(days=triaged),
    )


def test_self_assessment_figures_agree_with_the_triage_queue(data, assessor, manager):
    cs = Employee.objects.filter(department=data.cs)[:4]
    gi = Employee.objects.filter(department=data.gi)[:1]
    _self_assessment(cs[0], "returned", returned=2, triaged=None)
    _self_assessment(cs[1], "question", returned=3, triaged=None)
    _self_assessment(cs[2], "signed_off", returned=10, triaged=6)  # 4 days to triage
    _self_assessment(cs[3], "visit", returned=9, triaged=7)  # 2 days
    _self_assessment(gi[0], "signed_off", returned=5, triaged=5)  # the same day
    _self_assessment(gi[0], "started", returned=None, triaged=None)  # not returned
    html = _get(assessor, reverse("dashboard")).text
    table = html[html.index('id="fig-selfassess"') :]
    rows = {
        name: [unescape(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for name, row in re.findall(r"<tr[^>]*><td>([^<]+)</td>(.*?)</tr>", table, re.S)
    }
    assert rows["Customer Service"][0] == "4" and "2" in rows["Customer Service"][1]
    assert rows["Customer Service"][2] == "3.0"
    assert rows["Goods In"][2] == "0.0"
    backlog = re.search(r'id="fig-backlog" data-count="(\d+)" href="([^"]+)"', table)
    assert backlog and int(backlog.group(1)) == 2 == _listed(assessor, backlog.group(2))
    # Scoped to one department, the figures count that department's invitations only.
    scoped = _get(assessor, reverse("dashboard"), {"department": data.cs.pk}).text
    scoped_table = scoped[scoped.index('id="fig-selfassess"') :]
    assert "Goods In" not in scoped_table
    everyone = re.search(
        r'<tr class="fw-semibold"><td>All in view</td><td[^>]*data-count="(\d+)"', scoped_table
    )
    assert everyone and everyone.group(1) == "4"
    # Managers do not see the self-assessment figures.
    assert 'id="fig-selfassess"' not in _get(manager, reverse("dashboard")).text


def test_an_assessment_the_employee_has_not_shared_counts_only_for_oh(data, assessor, manager):
    """Eve is assessed (very high, ROSA chair 6) and objects to sharing it with her manager:
    every manager figure still equals the manager's list behind it and the department
    report (none counts her assessment), OH's figures count it, and her workplace action
    counts for both, as the action lists show it."""
    before_manager = _dashboard(manager, department=data.cs.pk)
    before_oh = _dashboard(assessor, department=data.cs.pk)
    eve = Employee.objects.get(name="Eve")
    refused = make_assessment(
        eve,
        assessor,
        on=days(-3),
        score=80,
        band="very_high",
        rosa=(6, 2, 2),
        due=days(-1),
        consent="refused",
    )
    make_action(refused, "workstation.chair_replace", due=days(-2), owner=manager)
    departments_changed([data.cs.pk])

    mine = _dashboard(manager, department=data.cs.pk)
    oh = _dashboard(assessor, department=data.cs.pk)
    assert (mine.current, mine.bands, mine.reassess_overdue) == (
        before_manager.current,
        before_manager.bands,
        before_manager.reassess_overdue,
    )
    assert oh.current == before_oh.current + 1
    assert oh.bands["very_high"] == before_oh.bands["very_high"] + 1
    assert oh.reassess_overdue == before_oh.reassess_overdue + 1
    # The workplace action is the manager's to carry out, whatever the consent.
    assert _open(mine.actions) == _open(before_manager.actions) + 1
    assert mine.overdue == before_manager.overdue + 1
    for user in (manager, assessor):
        for scope in ({}, {"department": data.cs.pk}):
            for expected, href in _dashboard(user, **scope).figures:
                assert _listed(user, href) == expected, (user, href)
    report = _report(manager, data.cs)
    assert report.cells["Employees assessed"] == mine.current
    assert report.bands == mine.bands
    assert report.cells["Open actions"] == _open(mine.actions)
    home = _home(manager).departments["Customer Service"]
    assert home[1] == mine.high and home[2] == _open(mine.actions)
