"""Who is due for assessment, and each department's coverage (docs/dashboard.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.insights import figures
from assessments.people.models import Department, Employee
from assessments.records import services
from assessments.records.models import Assessment
from tests.conftest import client_for, complete, fill_draft

pytestmark = pytest.mark.django_db


def _assessed(employee, assessor, *, days_ago: int) -> Assessment:
    assessment = complete(
        fill_draft(services.assessment_create(employee=employee, assessor=assessor)), assessor
    )
    on = timezone.localdate() - dt.timedelta(days=days_ago)
    Assessment.objects.filter(pk=assessment.pk).update(assessed_on=on)
    return assessment


@pytest.fixture
def staff(department, other_department, employee, other_employee, assessor):
    """In `department`: Robin (assessed today), Sam (assessed 30 months ago), Ash (never),
    Lee (left, never assessed). Kit in the other department, never assessed."""
    _assessed(employee, assessor, days_ago=0)
    sam = Employee.objects.create(hr_reference="E101", name="Sam Old", department=department)
    _assessed(sam, assessor, days_ago=915)
    Employee.objects.create(hr_reference="E102", name="Ash Never", department=department)
    Employee.objects.create(
        hr_reference="E103", name="Lee Left", department=department, active=False
    )
    return sam


def test_coverage_counts_active_people_with_an_assessment_within_the_cycle(
    staff, department, other_department, settings
):
    settings.ASSESSMENT_CYCLE_MONTHS = 24
    today = timezone.localdate()
    rows = figures.coverage([department, other_department], today)
    mine, other, total = rows
    assert (mine.department, mine.staff, mine.covered, mine.overdue, mine.percent) == (
        department,
        3,
        1,
        2,
        33,
    )
    assert (other.department, other.staff, other.covered, other.percent) == (
        other_department,
        1,
        0,
        0,
    )
    assert (total.department, total.staff, total.covered, total.percent) == (None, 4, 1, 25)
    # A longer cycle makes the 30-month-old assessment current again.
    settings.ASSESSMENT_CYCLE_MONTHS = 36
    assert figures.coverage([department], today)[0].covered == 2


def test_a_department_without_staff_is_left_out(staff, department, site):
    empty = Department.objects.create(name="Empty", site=site)
    rows = figures.coverage([department, empty], timezone.localdate())
    assert [r.department for r in rows] == [department, None]


def test_due_date_is_one_cycle_after_the_last_assessment(settings):
    settings.ASSESSMENT_CYCLE_MONTHS = 24
    assert figures.due_date(dt.date(2024, 2, 29)) == dt.date(2026, 2, 28)
    assert figures.due_date(dt.date(2025, 6, 10)) == dt.date(2027, 6, 10)
    assert figures.due_date(None) is None


def test_manager_sees_who_is_due_in_their_departments_with_dates_only(staff, manager):
    page = client_for(manager).get(reverse("employee_overdue"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ash Never" in text and "never assessed" in text
    assert "Sam Old" in text
    sam_last = Assessment.objects.get(employee=staff).assessed_on
    assert sam_last.strftime("%-d %b %Y") in text
    assert figures.due_date(sam_last).strftime("%-d %b %Y") in text  # type: ignore[union-attr]
    # Current, left, or in another department: not listed.
    assert "Robin Patel" not in text.split('id="overdue"')[1]
    assert "Lee Left" not in text and "Kit Osei" not in text
    # Coverage of their own department only, and never a band or a score.
    assert "33%" in text and "25%" not in text
    overdue_part = text.split('id="overdue"')[1]
    for band_word in ("Low", "Moderate", "High", "Very high", "strain"):
        assert band_word not in overdue_part


def test_oh_sees_who_is_due_everywhere(staff, assessor):
    text = client_for(assessor).get(reverse("employee_overdue")).content.decode()
    assert "Kit Osei" in text and "Ash Never" in text and "Sam Old" in text
    assert "25%" in text


def test_the_page_takes_a_fixed_number_of_queries(staff, assessor, department):
    client = client_for(assessor)
    client.get(reverse("employee_overdue"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("employee_overdue"))
    for n in range(10):
        Employee.objects.create(hr_reference=f"N{n}", name=f"New {n}", department=department)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("employee_overdue"))
    assert "New 9" in response.content.decode()
    assert len(many) == len(few) <= 12
