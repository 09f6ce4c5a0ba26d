"""The dashboard: every figure each role sees, checked against hand-built data
(tests/follow_up_data.py); every figure links to the list behind it, which shows the same
count; and the number of queries does not grow with the number of rows."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for
from tests.follow_up_data import (  # noqa: F401 - fixed_today is a fixture
    TODAY,
    build_world,
    days,
    fixed_today,
    make_action,
    make_assessment,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_today")]

FIGURE = re.compile(r'<a class="figure[^"]*" (?:id="[^"]*" )?data-count="(\d+)" href="([^"]+)"')
COUNT = re.compile(r'<span class="count">(\d+)</span>')


@pytest.fixture
def world(assessor, manager, other_manager, department, other_department):
    return build_world(
        assessor=assessor,
        manager=manager,
        department=department,
        other_department=other_department,
    )


def _page(user, **params) -> str:
    response = client_for(user).get(reverse("dashboard"), params)
    assert response.status_code == 200
    return response.text


def _text(html: str, element_id: str) -> str:
    """The visible text of the element with this id, tags removed, spaces collapsed."""
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:p|table|ol|ul)>', html, re.S)
    assert match, element_id
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def _figures(html: str) -> list[tuple[int, str]]:
    return [(int(n), unescape(href)) for n, href in FIGURE.findall(html)]


def _listed(user, href: str) -> int:
    response = client_for(user).get(href)
    assert response.status_code == 200, href
    counts = COUNT.findall(response.text)
    assert counts, href
    return int(counts[0])


# --- What each role sees ----------------------------------------------------------------


def test_assessor_sees_every_department_risk_now(assessor, world):
    html = _page(assessor)
    assert _text(html, "fig-current") == (
        "7 employees with a current assessment: 2 low · 1 moderate · 2 high · 2 very high ."
    )
    assert _text(html, "fig-high-share") == "57% at high or very high ( 4 of 7)."
    by_dept = _text(html, "by-department")
    assert "Customer Service Northgate 1 0 1 1 67% ( 2 / 3 )" in by_dept
    assert "Goods In Northgate 0 1 1 0 50% ( 1 / 2 )" in by_dept
    assert "Picking Riverside 1 0 0 1 50% ( 1 / 2 )" in by_dept
    by_site = _text(html, "by-site")
    assert "Northgate 1 1 2 1 60% ( 3 / 5 )" in by_site
    assert "Riverside 1 0 0 1 50% ( 1 / 2 )" in by_site


def test_assessor_sees_top_findings(assessor, world):
    html = _page(assessor)
    assert _text(html, "top-codes") == (
        "Chair adjust: 3 Lift redesign: 2 See the GP about leg symptoms: 1 Desk sitstand: 1"
    )
    # g2's LI 0.8 is within the limit; e4 has left.
    assert _text(html, "limiting") == "Reach (HM): 2 Frequency (FM): 1"
    assert _text(html, "rosa-sections") == (
        "Chair: 2 Monitor and telephone: 1 Mouse and keyboard: 0"
    )


def test_assessor_sees_the_trend_by_quarter_with_exact_medians(assessor, world):
    html = _page(assessor)
    quarters = _text(html, "quarters")
    # Quarter, low, moderate, high, very high, all, median. p1's replaced revision and the
    # draft do not count; the employee who left still counts in the history.
    assert "2025 Q3 0 1 1 0 2 57.0" in quarters
    assert "2025 Q4 1 0 1 1 3 70.0" in quarters
    assert "2026 Q1 0 0 2 1 3 55.0" in quarters
    assert "2026 Q2 2 1 1 0 4 22.5" in quarters
    assert _text(html, "fig-change") == (
        "Re-assessed employees: 4 ; 1 improved , 2 worse , 1 unchanged ; median change 1.0 points."
    )


def test_assessor_sees_follow_through(assessor, world):
    html = _page(assessor)
    assert _text(html, "fig-actions") == (
        "Actions: 3 open · 1 in progress · 4 done · 1 declined · 0 cancelled"
    )
    assert _text(html, "fig-overdue") == ("3 overdue · median 15.0 days to close (over 4 done )")
    # High/very high: e2 (a1 open), e3 (clinical a4 open), g2 (declined only), p1 (done).
    assert _text(html, "fig-high-closed") == (
        "50% of high or very-high employees have every action closed ( 2 of 4 )."
    )
    assert _text(html, "fig-reassess") == ("Reassessments: 2 overdue , 1 due in the next 30 days .")
    overdue = _text(html, "overdue-list")
    assert (
        overdue.index("See the GP") < overdue.index("Chair adjust") < overdue.index("Desk sitstand")
    )
    assert "owner manager" in overdue


def test_manager_sees_only_their_department_and_no_health_actions(manager, world):
    html = _page(manager)
    assert _text(html, "fig-current") == (
        "3 employees with a current assessment: 1 low · 0 moderate · 1 high · 1 very high ."
    )
    assert "Goods In" not in html and "Picking" not in html and "Riverside" not in html
    assert "See the GP" not in html and "clinical" not in html.lower()
    assert _text(html, "top-codes") == "Chair adjust: 3 Desk sitstand: 1"
    assert _text(html, "limiting") == "Reach (HM): 1"
    assert (
        _text(html, "fig-actions")
        == "Actions: 2 open · 1 in progress · 3 done · 0 declined · 0 cancelled"
    )
    assert _text(html, "fig-overdue") == "2 overdue · median 10.0 days to close (over 3 done )"
    # e3's only action a manager may see (a3) is done; the referral is OH's business.
    assert _text(html, "fig-high-closed") == (
        "50% of high or very-high employees have every action closed ( 1 of 2 )."
    )
    assert _text(html, "fig-reassess") == "Reassessments: 1 overdue , 1 due in the next 30 days ."
    assert _text(html, "fig-change") == (
        "Re-assessed employees: 2 ; 1 improved , 1 worse , 0 unchanged ; median change 2.0 points."
    )
    quarters = _text(html, "quarters")
    assert "2026 Q1 0 0 1 1 2 67.5" in quarters
    assert "2026 Q2 1 0 1 0 2 35.0" in quarters


def test_other_manager_sees_only_goods_in(other_manager, world):
    html = _page(other_manager)
    assert _text(html, "fig-current") == (
        "2 employees with a current assessment: 0 low · 1 moderate · 1 high · 0 very high ."
    )
    assert (
        _text(html, "fig-actions")
        == "Actions: 0 open · 0 in progress · 0 done · 1 declined · 0 cancelled"
    )
    assert "Customer Service" not in html


def test_admin_sees_what_the_assessor_sees(admin_user, assessor, world):
    strip = re.compile(
        r'<span class="navbar-text[^<]*</span>|name="csrfmiddlewaretoken" value="[^"]*"'
    )
    assert strip.sub("", _page(admin_user)).count("figure") == strip.sub("", _page(assessor)).count(
        "figure"
    )
    assert _text(_page(admin_user), "fig-current").startswith("7 employees")


def test_site_filter_narrows_every_figure(assessor, world):
    html = _page(assessor, site=world.river.pk)
    assert _text(html, "fig-current") == (
        "2 employees with a current assessment: 1 low · 0 moderate · 0 high · 1 very high ."
    )
    assert (
        _text(html, "fig-actions")
        == "Actions: 0 open · 0 in progress · 1 done · 0 declined · 0 cancelled"
    )
    assert _text(html, "top-codes") == "Lift redesign: 1"


def test_department_filter_narrows_every_figure(assessor, world):
    html = _page(assessor, department=world.gi.pk)
    assert _text(html, "fig-current") == (
        "2 employees with a current assessment: 0 low · 1 moderate · 1 high · 0 very high ."
    )
    assert _text(html, "fig-reassess") == "Reassessments: 1 overdue , 0 due in the next 30 days ."
    assert _text(html, "limiting") == "Frequency (FM): 1"


def test_manager_cannot_widen_scope_with_another_department(manager, world):
    html = _page(manager, department=world.gi.pk)
    assert _text(html, "fig-current").startswith("3 employees")
    assert "Goods In" not in html


def test_empty_dashboard_says_so(assessor, db):
    html = _page(assessor)
    assert "No current assessments." in html
    assert "No completed assessments in the last two years." in html
    assert "No high or very-high employees." in html
    # An empty list says so once, not as item "1. None.".
    assert '<p class="small text-muted" id="top-codes">None.</p>' in html
    assert '<ol class="small" id="top-codes">' not in html


# --- Every number links to the list behind it -------------------------------------------


@pytest.mark.parametrize("role", ["assessor", "manager", "other_manager", "admin_user"])
def test_every_figure_links_to_a_list_showing_the_same_count(role, world, request):
    user = request.getfixturevalue(role)
    html = _page(user)
    figures = _figures(html)
    assert len(figures) > 25
    for expected, href in figures:
        assert _listed(user, href) == expected, href


def test_figures_of_a_filtered_dashboard_link_to_equally_filtered_lists(assessor, world):
    html = _page(assessor, site=world.north.pk)
    figures = _figures(html)
    assert all(f"site={world.north.pk}" in href or "department=" in href for _, href in figures)
    for expected, href in figures:
        assert _listed(assessor, href) == expected, href


def test_band_chart_bars_link_to_the_band_lists(assessor, world):
    html = _page(assessor)
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert 'href="/assessments/?latest=true&amp;band=very_high"' in chart


# --- Query counts -----------------------------------------------------------------------


def _queries(user, url: str, params: dict[str, Any] | None = None) -> int:
    client = client_for(user)
    client.get(url, params)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def _more_rows(world, assessor, manager, n: int) -> None:
    from assessments.people.models import Employee

    for i in range(n):
        for dept in (world.cs, world.gi, world.pk):
            employee = Employee.objects.create(
                hr_reference=f"X{dept.pk}-{i}-{Employee.objects.count()}",
                name=f"Extra {i}",
                job_title="Clerk",
                department=dept,
            )
            previous = make_assessment(
                employee, assessor, on=days(-400 - i), score=40 + i, band="moderate", latest=False
            )
            current = make_assessment(
                employee,
                assessor,
                on=days(-10 - i),
                score=60 + i,
                band="high",
                rosa=(5, 6, 7),
                li=1.2,
                factor="vm",
                due=days(-i),
                previous=previous,
            )
            make_action(current, f"workstation.code_{i}", due=days(-2), owner=manager)
            make_action(current, "workstation.chair_adjust", status="done", closed_in=i)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("dashboard", None),
        ("dashboard", {"site": "SITE"}),
        ("assessment_list", None),
        (
            "assessment_list",
            {"latest": "true", "band": ["high", "very_high"], "actions_closed": "true"},
        ),
        ("action_list", None),
        ("action_list", {"overdue": "true"}),
        ("action_board", None),
        ("home", None),
    ],
)
@pytest.mark.parametrize("role", ["assessor", "manager"])
def test_query_count_does_not_grow_with_rows(
    name, params, role, world, assessor, manager, request, django_assert_max_num_queries
):
    user = request.getfixturevalue(role)
    if params and params.get("site") == "SITE":
        params = {"site": world.north.pk}
    url = reverse(name)
    _more_rows(world, assessor, manager, 10)  # enough for every top-N list to be full
    before = _queries(user, url, params)
    _more_rows(world, assessor, manager, 30)
    after = _queries(user, url, params)
    assert after == before, (name, before, after)
    client = client_for(user)
    client.get(url, params)
    with django_assert_max_num_queries(30):
        client.get(url, params)


def test_today_is_the_fixed_clock():
    from django.utils import timezone

    assert timezone.localdate() == TODAY
