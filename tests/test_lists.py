"""List pages: what each role sees, filters, and query counts that do not grow with rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.people.models import Employee
from assessments.records import services
from tests.conftest import client_for, complete, fill_draft

pytestmark = pytest.mark.django_db


def _employees(department, assessor, count, start=0):
    for i in range(start, start + count):
        employee = Employee.objects.create(
            hr_reference=f"Q{i:04d}",
            name=f"Person {i:04d}",
            job_title="Clerk",
            department=department,
        )
        assessment = services.assessment_create(employee=employee, assessor=assessor)
        complete(fill_draft(assessment, lifting=i % 2 == 0), assessor)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_name",
    ["employee_list", "assessment_list", "action_list", "action_board", "home", "dashboard"],
)
def test_list_query_count_does_not_grow_with_rows(url_name, assessor, department):
    client = client_for(assessor)
    url = reverse(url_name)
    # Each count is taken on a second request: the first after new rows warms caches
    # (content types, sessions) and lets the dashboard recount the changed department
    # (tests/test_tallies.py counts the queries of a recount).
    _employees(department, assessor, 2)
    client.get(url)
    few = _queries(client, url)
    _employees(department, assessor, 8, start=10)
    client.get(url)
    many = _queries(client, url)
    assert many == few, f"{url_name}: {few} queries with 2 rows, {many} with 10"


def test_employee_detail_query_count_does_not_grow_with_history(assessor, employee):
    client = client_for(assessor)
    url = reverse("employee_detail", args=[employee.pk])
    complete(fill_draft(services.assessment_create(employee=employee, assessor=assessor)), assessor)
    client.get(url)
    few = _queries(client, url)
    for _ in range(4):
        complete(
            fill_draft(services.assessment_create(employee=employee, assessor=assessor)), assessor
        )
    assert _queries(client, url) == few


def test_manager_lists_show_only_their_departments(manager, completed, other_completed):
    client = client_for(manager)
    employees = client.get(reverse("employee_list")).text
    assert completed.employee.name in employees
    assert other_completed.employee.name not in employees
    assessments = client.get(reverse("assessment_list")).text
    assert completed.employee.name in assessments
    assert other_completed.employee.name not in assessments


def test_employee_list_search_and_band_filter(assessor, completed, other_completed):
    client = client_for(assessor)
    found = client.get(reverse("employee_list"), {"q": "Robin"}).text
    assert "Robin Patel" in found and "Kit Osei" not in found
    by_band = client.get(reverse("employee_list"), {"band": completed.band}).text
    assert "Robin Patel" in by_band


def test_assessment_list_shows_the_hr_reference(assessor, completed, other_completed):
    html = client_for(assessor).get(reverse("assessment_list"), {"q": "E200"}).text
    assert '<th scope="col">HR ref</th>' in html
    assert "<td>E200</td>" in html and "<td>E100</td>" not in html


def test_employee_page_shows_history_and_trend(assessor, completed):
    page = client_for(assessor).get(reverse("employee_detail", args=[completed.employee.pk]))
    assert "Score over time" in page.text
    assert "<svg" in page.text
    assert completed.assessed_on.strftime("%-d %b %Y") in page.text


def test_assessor_adds_and_edits_an_employee(assessor, department):
    client = client_for(assessor)
    response = client.post(
        reverse("employee_create"),
        {
            "hr_reference": "N1",
            "name": "New Person",
            "job_title": "Picker",
            "work_type": "manual",
            "department": department.pk,
            "active": "on",
        },
    )
    employee = Employee.objects.get(hr_reference="N1")
    assert response["Location"] == employee.get_absolute_url()
    duplicate = client.post(
        reverse("employee_create"),
        {
            "hr_reference": "N1",
            "name": "Someone Else",
            "job_title": "Picker",
            "work_type": "manual",
            "department": department.pk,
        },
    )
    assert duplicate.status_code == 200
    assert "already exists" in duplicate.text


def test_home_shows_drafts_for_assessors_and_departments_for_managers(
    assessor, manager, completed, other_employee
):
    services.assessment_create(employee=other_employee, assessor=assessor)
    assessor_home = client_for(assessor).get(reverse("home")).text
    assert "Your drafts" in assessor_home and other_employee.name in assessor_home
    manager_home = client_for(manager).get(reverse("home")).text
    assert "Your departments" in manager_home and "Customer Service" in manager_home
    assert "Your drafts" not in manager_home


def test_anonymous_root_goes_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_with_the_standard_fields(assessor, client):
    from tests.conftest import PASSWORD

    response = client.post(reverse("login"), {"username": "assessor", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_filtered_lists_page_by_keys_in_their_order_without_distinct(assessor, department):
    """A filtered page lists the same rows in the same order as the filter's own query
    (newest first), the second page follows the first, and neither the count nor the page
    asks for DISTINCT (a multiple-choice filter on a column of the row repeats no row)."""
    from assessments.records.models import Assessment

    _employees(department, assessor, 30)
    client = client_for(assessor)
    url = reverse("assessment_list")
    params = "?latest=true&band=low&band=moderate&band=high&band=very_high&band=not_assessable"
    expected = [
        a.employee.hr_reference
        for a in Assessment.objects.filter(is_latest=True).select_related("employee")
    ]
    assert len(expected) == 30
    shown = []
    for page in (1, 2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{url}{params}&page={page}")
        assert response.status_code == 200
        listed = [q["sql"] for q in ctx.captured_queries if "records_assessment" in q["sql"]]
        assert listed and not any("DISTINCT" in sql for sql in listed)
        shown += [ref for ref in expected if f">{ref}<" in response.text]
    assert sorted(shown) == sorted(expected)  # every one, once, across the two pages
    first = client.get(f"{url}{params}&page=1").text
    positions = [first.index(f">{ref}<") for ref in expected[:25]]
    assert positions == sorted(positions)  # in the list's order
    action_page = client.get(reverse("action_list") + "?status=open&status=in_progress")
    assert action_page.status_code == 200
