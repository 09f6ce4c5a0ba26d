"""Leaving dates: between the day the record was created and today, and one that starts the
retention clock at once (older than the retention period) is an admin's call."""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments.people import services as people_services
from assessments.people.models import Employee
from assessments.people.services import (
    ERASED_MESSAGE,
    LEFT_ON_BEFORE_RECORD_MESSAGE,
    LEFT_ON_FUTURE_MESSAGE,
    LEFT_ON_NEEDS_ADMIN_MESSAGE,
)
from assessments.privacy import services as privacy
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _created(employee: Employee, years_ago: int) -> Employee:
    """An employee whose record was created `years_ago` years ago."""
    created = timezone.now() - dt.timedelta(days=365 * years_ago + 30)
    Employee.objects.filter(pk=employee.pk).update(created_at=created)
    employee.refresh_from_db()
    return employee


def _form(employee: Employee, left_on: str, **changes: Any) -> dict[str, Any]:
    return {
        "hr_reference": employee.hr_reference,
        "name": employee.name,
        "job_title": employee.job_title,
        "work_type": employee.work_type,
        "department": employee.department_id,
        "left_on": left_on,
        **changes,
    }


def _edit(user: Any, employee: Employee, left_on: str, **changes: Any) -> Any:
    url = reverse("employee_edit", args=[employee.pk])
    return client_for(user).post(url, _form(employee, left_on, **changes))


def _error_next_to_left_on(response: Any) -> str:
    html = response.content.decode()
    found = re.search(r'id="id_left_on_error"[^>]*>.*?<strong>(.*?)</strong>', html, re.S)
    assert found, "no message next to the leaving date"
    return found.group(1)


@pytest.mark.parametrize(
    ("left_on", "message"),
    [
        ("1800-01-01", LEFT_ON_BEFORE_RECORD_MESSAGE),
        ("2099-01-01", LEFT_ON_FUTURE_MESSAGE),
        ((dt.date.today() + dt.timedelta(days=2)).isoformat(), LEFT_ON_FUTURE_MESSAGE),
    ],
)
def test_a_leaving_date_outside_the_record_s_life_is_refused(assessor, employee, left_on, message):
    _created(employee, years_ago=2)
    response = _edit(assessor, employee, left_on)
    assert response.status_code == 200
    assert _error_next_to_left_on(response) == escape(str(message))
    employee.refresh_from_db()
    assert employee.left_on is None and employee.active


def test_a_new_employee_who_left_before_being_added_is_refused(assessor, department):
    data = {
        "hr_reference": "E777",
        "name": "Sam Lee",
        "job_title": "Clerk",
        "work_type": "office",
        "department": department.pk,
        "left_on": (TODAY() - dt.timedelta(days=1)).isoformat(),
    }
    response = client_for(assessor).post(reverse("employee_create"), data)
    assert response.status_code == 200
    assert _error_next_to_left_on(response) == escape(str(LEFT_ON_BEFORE_RECORD_MESSAGE))
    assert not Employee.objects.filter(hr_reference="E777").exists()
    data["left_on"] = TODAY().isoformat()
    assert client_for(assessor).post(reverse("employee_create"), data).status_code == 302
    assert Employee.objects.get(hr_reference="E777").left_on == TODAY()


def test_leaving_dates_from_creation_to_today_are_recorded(assessor, employee):
    _created(employee, years_ago=2)
    for left_on in (timezone.localdate(employee.created_at), TODAY()):
        assert _edit(assessor, employee, left_on.isoformat()).status_code == 302
        employee.refresh_from_db()
        assert employee.left_on == left_on


def test_only_an_admin_sets_a_date_that_makes_someone_due_for_retention(
    assessor, admin_user, employee, settings
):
    settings.RETENTION_YEARS_AFTER_LEAVING = 6
    _created(employee, years_ago=9)
    long_ago = (TODAY() - dt.timedelta(days=365 * 7)).isoformat()

    refused = _edit(assessor, employee, long_ago)
    assert refused.status_code == 200
    assert _error_next_to_left_on(refused) == escape(str(LEFT_ON_NEEDS_ADMIN_MESSAGE))
    employee.refresh_from_db()
    assert employee.left_on is None
    assert list(privacy.leavers_due()) == []

    assert _edit(admin_user, employee, long_ago).status_code == 302
    assert list(privacy.leavers_due()) == [employee]


def test_someone_already_due_can_still_be_edited_by_an_assessor(assessor, employee, settings):
    settings.RETENTION_YEARS_AFTER_LEAVING = 6
    _created(employee, years_ago=9)
    long_ago = TODAY() - dt.timedelta(days=365 * 7)
    Employee.objects.filter(pk=employee.pk).update(left_on=long_ago, active=False)
    employee.refresh_from_db()
    response = _edit(assessor, employee, long_ago.isoformat(), job_title="Senior adviser")
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.job_title == "Senior adviser"


def test_a_date_inside_the_retention_period_needs_no_admin(assessor, employee, settings):
    settings.RETENTION_YEARS_AFTER_LEAVING = 6
    _created(employee, years_ago=9)
    recent = (TODAY() - dt.timedelta(days=365 * 5)).isoformat()
    assert _edit(assessor, employee, recent).status_code == 302


def test_the_service_applies_the_same_rule(employee):
    employee.left_on = dt.date(1800, 1, 1)
    with pytest.raises(ValidationError) as refused:
        people_services.employee_save(employee=employee)
    assert refused.value.message_dict == {"left_on": [str(LEFT_ON_BEFORE_RECORD_MESSAGE)]}
    employee.left_on = TODAY() + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        people_services.employee_save(employee=employee)
    assert Employee.objects.get(pk=employee.pk).left_on is None


def test_the_django_admin_applies_the_range_and_lets_admins_start_retention(
    admin_user, employee, settings
):
    settings.RETENTION_YEARS_AFTER_LEAVING = 6
    url = reverse("admin:people_employee_change", args=[employee.pk])
    client = client_for(admin_user)
    response = client.post(url, _form(employee, "1800-01-01"))
    assert response.status_code == 200
    assert escape(str(LEFT_ON_BEFORE_RECORD_MESSAGE)) in response.content.decode()
    _created(employee, years_ago=9)
    long_ago = TODAY() - dt.timedelta(days=365 * 7)
    assert client.post(url, _form(employee, long_ago.isoformat())).status_code == 302
    employee.refresh_from_db()
    assert employee.left_on == long_ago


def test_an_erased_employee_s_record_is_closed(assessor, admin_user, employee):
    privacy.employee_erase(employee=employee, user=admin_user)
    employee.refresh_from_db()
    assert _edit(assessor, employee, "", name="Robin Patel").status_code == 403
    assert client_for(assessor).get(reverse("employee_edit", args=[employee.pk])).status_code == 403
    with pytest.raises(ValidationError) as refused:
        employee.name = "Robin Patel"
        people_services.employee_save(employee=employee)
    assert refused.value.messages == [str(ERASED_MESSAGE)]
    admin_page = client_for(admin_user).post(
        reverse("admin:people_employee_change", args=[employee.pk]),
        _form(employee, "", name="Robin Patel"),
    )
    assert admin_page.status_code == 403
    assert Employee.objects.get(pk=employee.pk).name == f"Erased employee {employee.pk}"
