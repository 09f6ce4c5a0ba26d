"""Every change to an employee is kept (who, when, what), shown on the admin's history
page: a department move changes which managers see the person. Erasure deletes it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.people.models import Employee
from assessments.privacy import services as privacy
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _move(client, employee: Employee, department) -> None:
    response = client.post(
        reverse("employee_edit", args=[employee.pk]),
        {
            "hr_reference": employee.hr_reference,
            "name": employee.name,
            "job_title": employee.job_title,
            "work_type": employee.work_type,
            "department": department.pk,
            "active": "on",
        },
    )
    assert response.status_code == 302


def test_a_department_move_is_kept_with_who_made_it(assessor, employee, other_department):
    _move(client_for(assessor), employee, other_department)
    created, moved = employee.history.order_by("history_date", "history_id")
    assert created.history_type == "+" and created.department.name == "Customer Service"
    assert moved.history_type == "~" and moved.department.name == "Goods In"
    assert moved.history_user == assessor
    assert [c.field for c in moved.diff_against(created).changes] == ["department"]


def test_admin_sees_the_history_of_an_employee(admin_user, assessor, employee, other_department):
    _move(client_for(assessor), employee, other_department)
    url = reverse("admin:people_employee_history", args=[employee.pk])
    response = client_for(admin_user).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Goods In (Northgate)" in html and "Customer Service (Northgate)" in html
    assert ">assessor<" in html  # changed by
    change = reverse("admin:people_employee_change", args=[employee.pk])
    assert f'<a href="{url}" class="historylink">' in client_for(admin_user).get(change).text


def test_erasure_deletes_the_employee_history(admin_user, assessor, employee, other_department):
    _move(client_for(assessor), employee, other_department)
    privacy.employee_erase(employee=employee, user=admin_user)
    history = Employee.history.model.objects
    assert not history.filter(name="Robin Patel").exists()
    assert not history.filter(hr_reference="E100").exists()
