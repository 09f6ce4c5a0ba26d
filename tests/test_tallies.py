"""The dashboard's stored counts stay equal to a fresh count through every way the data
changes: the services, the web views, the admin, erasure, and deletions. A write path
that forgot to mark its department would leave the stored counts behind, and the check
after it would fail."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.actions import services as action_services
from assessments.actions.models import Action
from assessments.insights import tallies
from assessments.insights.models import TallyRow
from assessments.people import services as people_services
from assessments.people.changes import departments_changed
from assessments.people.models import Department, DepartmentTally, Employee
from assessments.privacy import services as privacy
from assessments.records import services
from assessments.records.models import Assessment
from tests.conftest import client_for, complete, fill_draft

pytestmark = pytest.mark.django_db


def assert_counts_current() -> None:
    """What the dashboard would read (after recounting departments marked changed) equals
    a count made now from the assessment and action tables, for every department."""
    departments = list(Department.objects.values_list("pk", flat=True))
    tallies.ensure_counted(departments)
    for department_id in departments:
        stored = tallies.stored(department_id)
        fresh = tallies.sorted_rows(tallies.count(department_id))
        assert stored == fresh, f"department {department_id}: stored counts are behind"


def _employee(department: Department, n: int) -> Employee:
    return Employee.objects.create(
        hr_reference=f"T{n:04d}", name=f"Person {n}", job_title="Picker", department=department
    )


def _assess(employee: Employee, assessor: Any, previous: Assessment | None = None) -> Assessment:
    draft = services.assessment_create(employee=employee, assessor=assessor, previous=previous)
    if previous is None:
        fill_draft(draft)
    return complete(draft, assessor)


@pytest.fixture
def counted(department, other_department, assessor):
    people = [_employee(department, 1), _employee(department, 2), _employee(other_department, 3)]
    done = [_assess(person, assessor) for person in people]
    assert_counts_current()
    assert TallyRow.objects.filter(figure=TallyRow.Figure.BAND).exists()
    return people, done


def test_completing_and_reassessing(counted, assessor):
    people, done = counted
    _assess(people[0], assessor, previous=done[0])
    assert_counts_current()
    assert TallyRow.objects.filter(figure=TallyRow.Figure.CHANGE).exists()


def test_amending_a_completed_assessment(counted, assessor):
    _people, done = counted
    amendment = services.assessment_amend(assessment=done[1], user=assessor, reason="Typo")
    assert_counts_current()  # a draft amendment changes nothing yet
    complete(amendment, assessor)
    assert_counts_current()


def test_action_status_owner_and_due_date(counted, assessor, manager):
    _people, done = counted
    first, second, third = done[0].actions.all()[:3]
    action_services.action_update(action=first, status=Action.Status.IN_PROGRESS)
    assert_counts_current()
    action_services.action_update(
        action=second,
        status=Action.Status.OPEN,
        owner=manager,
        due_on=dt.date(2020, 1, 1),
        update_owner=True,
    )
    assert_counts_current()
    action_services.action_complete(action=third, user=assessor, evidence_note="Chair fitted")
    assert_counts_current()
    action_services.action_update(
        action=third, status=Action.Status.DECLINED, evidence_note="No room"
    )
    assert_counts_current()


def test_bulk_status_update_view(counted, assessor):
    _people, done = counted
    ids = list(done[2].actions.values_list("pk", flat=True))
    response = client_for(assessor).post(
        reverse("action_bulk_update"), {"selected": ids, "status": "done", "note": "All done"}
    )
    assert response.status_code == 302
    assert set(Action.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"done"}
    assert_counts_current()


def test_employee_leaves_moves_and_is_erased(counted, other_department, admin_user):
    people, _done = counted
    people[0].active = False
    people[0].left_on = timezone.localdate()  # a leaving date lies between creation and today
    people_services.employee_save(employee=people[0])
    assert_counts_current()
    people[1].department = other_department
    people_services.employee_save(employee=people[1])
    assert_counts_current()
    privacy.employee_erase(employee=people[2], user=admin_user)
    assert_counts_current()


def test_admin_edit_and_delete(counted, admin_user):
    _people, done = counted
    action = done[0].actions.first()
    client = client_for(admin_user)
    url = reverse("admin:actions_action_change", args=[action.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(status="in_progress", owner="" if action.owner_id is None else action.owner_id)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Action.objects.get(pk=action.pk).status == "in_progress"
    assert_counts_current()
    other = done[1].actions.first()
    delete = reverse("admin:actions_action_delete", args=[other.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Action.objects.filter(pk=other.pk).exists()
    assert_counts_current()
    bulk = done[2].actions.values_list("pk", flat=True)[:2]
    changelist = reverse("admin:actions_action_changelist")
    response = client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": list(bulk), "post": "yes"},
    )
    assert response.status_code == 302
    assert_counts_current()


def test_a_new_draft_changes_no_count(counted, assessor):
    people, _done = counted
    before = dict(DepartmentTally.objects.values_list("department_id", "version"))
    services.assessment_create(employee=_employee(people[0].department, 9), assessor=assessor)
    assert dict(DepartmentTally.objects.values_list("department_id", "version")) == before


def test_a_department_is_recounted_only_when_it_changed(counted, department):
    with CaptureQueriesContext(connection) as ctx:
        tallies.ensure_counted([department.pk])
    assert len(ctx.captured_queries) == 1  # which departments are behind: none
    departments_changed([department.pk])
    with CaptureQueriesContext(connection) as ctx:
        tallies.ensure_counted([department.pk])
    assert len(ctx.captured_queries) > 1


def test_recount_query_count_does_not_grow_with_rows(department, assessor):
    def recount_queries() -> int:
        departments_changed([department.pk])
        with CaptureQueriesContext(connection) as ctx:
            tallies.recount(department.pk)
        return len(ctx.captured_queries)

    recount_queries()  # a department's first recount also creates its state row
    for n in range(2):
        _assess(_employee(department, n), assessor)
    few = recount_queries()
    for n in range(2, 10):
        _assess(_employee(department, n), assessor)
    assert recount_queries() == few


def test_recount_command_checks_and_repairs(counted, department):
    out = io.StringIO()
    call_command("recount_dashboard", "--check", stdout=out)
    assert "current" in out.getvalue()
    # A bulk change that bypasses the model signals leaves the stored counts behind ...
    Action.objects.filter(assessment__employee__department=department).update(
        status=Action.Status.DONE, completed_on=dt.date(2026, 1, 1), closed_in_days=3
    )
    with pytest.raises(SystemExit) as failed:
        call_command("recount_dashboard", "--check", stdout=io.StringIO())
    assert failed.value.code == 1
    # ... until they are recounted.
    call_command("recount_dashboard", stdout=io.StringIO())
    assert_counts_current()
    call_command("recount_dashboard", "--check", stdout=io.StringIO())


def test_completion_and_action_updates_update_the_counts_in_their_transaction(department, assessor):
    """The services add their difference to the stored counts in their own transaction, so
    the next dashboard reads current counts without recounting the department."""
    _assess(_employee(department, 1), assessor)
    assert_counts_current()

    def version() -> tuple[int, int]:
        tally = DepartmentTally.objects.get(department=department)
        return tally.version, tally.counted_version

    def assert_stored_current() -> None:
        assert tallies.stored(department.pk) == tallies.sorted_rows(tallies.count(department.pk))

    before = version()
    done = _assess(_employee(department, 2), assessor)
    assert version() == before  # nothing left to recount
    assert_stored_current()
    action_services.action_update(action=done.actions.first(), status=Action.Status.IN_PROGRESS)
    assert version() == before
    assert_stored_current()


@pytest.mark.parametrize("later", [1, 12, 45, 400])
def test_counts_do_not_go_stale_with_the_calendar(
    later, department, other_department, assessor, manager, monkeypatch
):
    """Counts taken on one day and read days later (nothing changed in between) give the
    figures a fresh count on the later day gives: due dates are applied when read."""
    from django.utils import timezone

    from assessments.insights import figures as dashboard

    for n, dep in enumerate([department, department, other_department]):
        done = _assess(_employee(dep, n), assessor)
        for i, action in enumerate(done.actions.all()):
            action.due_on = timezone.localdate() + dt.timedelta(days=7 * i - 10)
            action.save()
    departments = list(Department.objects.select_related("site"))
    tallies.ensure_counted(d.pk for d in departments)

    real = timezone.localdate
    day = real() + dt.timedelta(days=later)
    monkeypatch.setattr(
        "django.utils.timezone.localdate",
        lambda value=None, tz=None: day if value is None else real(value, tz),
    )

    def figures(managers_view: bool) -> Any:
        return dashboard.build(
            departments=departments,
            managers_view=managers_view,
            actions=Action.objects.all(),
            today=day,
        )

    stored = [figures(False), figures(True)]
    tallies.ensure_counted(d.pk for d in departments)  # nothing changed: nothing recounted
    assert [figures(False), figures(True)] == stored
    departments_changed(d.pk for d in departments)
    tallies.ensure_counted(d.pk for d in departments)  # a fresh count on the later day
    assert [figures(False), figures(True)] == stored
    assert stored[0].overdue_count > 0 or later < 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_readers_and_writers_neither_fail_nor_lose_a_change(department, assessor):
    """Dashboards recounting a department while actions in it change: no request fails
    ("database is locked" on SQLite, a duplicate count on PostgreSQL) and the counts end
    equal to a fresh count."""
    import threading

    from django.db import connections

    done = _assess(_employee(department, 1), assessor)
    actions = list(done.actions.all()[:4])
    failures: list[BaseException] = []

    def run(work: Any) -> None:
        try:
            work()
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)
        finally:
            connections.close_all()

    def reader() -> None:
        for _ in range(5):
            departments_changed([department.pk])
            tallies.ensure_counted([department.pk])

    def writer(action: Action) -> None:
        for status in (Action.Status.IN_PROGRESS, Action.Status.OPEN, Action.Status.IN_PROGRESS):
            action_services.action_update(action=action, status=status)

    threads = [threading.Thread(target=run, args=(reader,)) for _ in range(3)]
    threads += [threading.Thread(target=run, args=(lambda a=a: writer(a),)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert_counts_current()


def test_reading_codes_and_dated_figures_from_stored_rows(department, other_department):
    """The recommendation codes are ranked over every department in view, each titled with
    the newest wording counted (the highest action id), and a manager's ranking leaves out
    codes whose family is health detail; the dated figures are read on the day asked."""
    from assessments.insights import figures

    today = dt.date(2026, 6, 1)
    rows = [
        (department, "code", {"key": "workstation.chair", "n": 2, "ref": 10, "label": "Old"}),
        (other_department, "code", {"key": "workstation.chair", "n": 2, "ref": 30, "label": "New"}),
        (department, "code", {"key": "lifting.aid", "n": 4, "ref": 20, "label": "Lift aid"}),
        (department, "code", {"key": "psychosocial.talk", "n": 9, "ref": 5, "label": "Talk"}),
        (department, "reassess", {"day": today - dt.timedelta(days=1), "n": 3}),
        (other_department, "reassess", {"day": today, "n": 5}),
        (department, "reassess", {"day": today + dt.timedelta(days=31), "n": 7}),
        (department, "overdue", {"day": today - dt.timedelta(days=1), "n": 2}),
        (other_department, "overdue", {"day": today, "n": 11}),
    ]
    for place, figure, values in rows:
        TallyRow.objects.create(department=place, figure=figure, **values)
    in_view = [department.pk, other_department.pk]

    oh = figures.Reading.of(in_view, managers_view=False, today=today)
    assert figures.CODES.read(oh) == [
        {"code": "psychosocial.talk", "n": 9, "title": "Talk"},
        {"code": "lifting.aid", "n": 4, "title": "Lift aid"},
        {"code": "workstation.chair", "n": 4, "title": "New"},
    ]
    managers = figures.Reading.of(in_view, managers_view=True, today=today)
    assert [row["code"] for row in figures.CODES.read(managers)] == [
        "lifting.aid",
        "workstation.chair",
    ]
    assert figures.REASSESS.read(oh) == figures.Reassessments(overdue=3, due_soon=5)
    assert figures.OVERDUE.read(oh) == 2
    one = figures.Reading.of([other_department.pk], managers_view=False, today=today)
    assert (figures.REASSESS.read(one), figures.OVERDUE.read(one)) == (
        figures.Reassessments(overdue=0, due_soon=5),
        0,
    )
