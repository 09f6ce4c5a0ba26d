"""Requests that race each other: the loser gets the form's own message, never a server
error, and nothing is stored twice or out of order.

- Two people add an employee with the same HR reference at the same moment: one is
  added, the other sees "already exists" next to the HR reference.
- Lifting tasks added at the same moment each get their own position.

The parallel tests send real concurrent requests (one thread per person); their outcome
is the same for every interleaving. The others replay the one interleaving that used to
fail, step by step.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from html import escape
from typing import Any

import pytest
from django.db import IntegrityError, connections, transaction
from django.urls import reverse

from assessments.people.forms import EmployeeForm
from assessments.people.models import Employee
from assessments.records.models import LiftingTask
from tests.conftest import LIFT, client_for
from tests.test_assessment_workflow import _post_values

ALREADY_EXISTS = "Employee with this HR reference already exists."


def _new_employee(department: Any, **extra: Any) -> dict[str, Any]:
    return {
        "hr_reference": "E777",
        "name": "Sam Lee",
        "job_title": "Clerk",
        "work_type": "office",
        "department": str(department.pk),
        "active": "on",
        "left_on": "",
        **extra,
    }


def _in_parallel(count: int, request: Callable[[int], Any]) -> list[Any]:
    """Send `count` requests at once, one thread each; return their responses in order."""
    start = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = request(index)
        except BaseException as error:  # reported below, with the others' outcomes
            results[index] = error
        finally:
            # The thread's own connections: kept open for reuse (CONN_MAX_AGE), they would
            # outlive the test and keep the test database from being dropped.
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


# --- Employees ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_eight_people_adding_one_hr_reference_at_once_add_it_once(assessor, department):
    clients = [client_for(assessor) for _ in range(8)]
    url = reverse("employee_create")
    responses = _in_parallel(8, lambda i: clients[i].post(url, _new_employee(department)))
    statuses = sorted(getattr(r, "status_code", repr(r)) for r in responses)
    assert statuses == [200] * 7 + [302], statuses
    for response in responses:
        if response.status_code == 200:
            assert escape(ALREADY_EXISTS) in response.content.decode()
    assert Employee.objects.filter(hr_reference="E777").count() == 1


@pytest.mark.django_db
def test_an_hr_reference_taken_after_the_form_check_is_refused_by_the_form(
    assessor, department, monkeypatch
):
    """Another request adds the same HR reference after this form was checked."""
    checked = EmployeeForm._post_clean

    def then_someone_else_saves(form: EmployeeForm) -> None:
        checked(form)
        Employee.objects.create(hr_reference="E777", name="Someone else", department=department)

    monkeypatch.setattr(EmployeeForm, "_post_clean", then_someone_else_saves)
    response = client_for(assessor).post(reverse("employee_create"), _new_employee(department))
    assert response.status_code == 200
    assert escape(ALREADY_EXISTS) in response.content.decode()
    assert list(Employee.objects.values_list("name", flat=True)) == ["Someone else"]


@pytest.mark.django_db
def test_an_hr_reference_taken_between_the_check_and_the_insert_is_refused_by_the_form(
    assessor, department, monkeypatch
):
    """On PostgreSQL both requests pass every check and the database refuses the second
    insert: that too comes back as the form's message."""
    check = Employee.full_clean

    def then_someone_else_inserts(employee: Employee, *args: Any, **kwargs: Any) -> None:
        check(employee, *args, **kwargs)
        if not kwargs and employee.pk is None:  # the use case's own check, after the form's
            Employee.objects.create(hr_reference="E777", name="Someone else", department=department)

    monkeypatch.setattr(Employee, "full_clean", then_someone_else_inserts)
    response = client_for(assessor).post(reverse("employee_create"), _new_employee(department))
    assert response.status_code == 200
    assert escape(ALREADY_EXISTS) in response.content.decode()
    assert not Employee.objects.filter(name="Sam Lee").exists()


@pytest.mark.django_db
def test_editing_to_an_hr_reference_taken_meanwhile_is_refused_by_the_form(
    assessor, employee, department, monkeypatch
):
    checked = EmployeeForm._post_clean

    def then_someone_else_saves(form: EmployeeForm) -> None:
        checked(form)
        Employee.objects.create(hr_reference="E777", name="Someone else", department=department)

    monkeypatch.setattr(EmployeeForm, "_post_clean", then_someone_else_saves)
    response = client_for(assessor).post(
        reverse("employee_edit", args=[employee.pk]),
        _new_employee(department, name=employee.name),
    )
    assert response.status_code == 200
    assert escape(ALREADY_EXISTS) in response.content.decode()
    employee.refresh_from_db()
    assert employee.hr_reference == "E100"


# --- Lifting task positions -----------------------------------------------------------------


def _positions(draft: Any) -> list[int]:
    return list(draft.lifting_tasks.values_list("position", flat=True))


@pytest.mark.django_db(transaction=True)
def test_six_lifting_tasks_added_at_once_each_get_their_own_position(assessor, draft):
    clients = [client_for(assessor) for _ in range(6)]
    url = reverse("task_create", args=[draft.pk])
    responses = _in_parallel(
        6,
        lambda i: clients[i].post(url, _post_values("task-new", {**LIFT, "label": f"Lift {i}"})),
    )
    assert [getattr(r, "status_code", repr(r)) for r in responses] == [302] * 6
    assert _positions(draft) == [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.django_db
def test_a_task_added_after_one_was_removed_goes_last(assessor, draft):
    client = client_for(assessor)
    url = reverse("task_create", args=[draft.pk])
    for label in ("Second", "Third"):
        assert (
            client.post(url, _post_values("task-new", {**LIFT, "label": label})).status_code == 302
        )
    first = draft.lifting_tasks.get(position=1)
    assert client.post(reverse("task_delete", args=[draft.pk, first.pk])).status_code == 302
    assert (
        client.post(url, _post_values("task-new", {**LIFT, "label": "Fourth"})).status_code == 302
    )
    assert list(draft.lifting_tasks.values_list("label", "position")) == [
        ("Second", 2),
        ("Third", 3),
        ("Fourth", 4),
    ]
    copy = draft.lifting_tasks.get(label="Second")
    client.post(reverse("task_duplicate", args=[draft.pk, copy.pk]))
    assert _positions(draft) == [2, 3, 4, 5]


@pytest.mark.django_db
def test_the_database_refuses_two_tasks_at_one_position(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        LiftingTask.objects.create(assessment=draft, position=1, **LIFT)
