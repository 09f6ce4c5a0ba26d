"""The dashboard's stored counts follow every change to a few employees exactly, without a
recount: after each step of a random series of changes (completing, amending, updating an
action, a consent decision, moving an employee between departments, an employee leaving,
erasure) the stored
rows of every department equal a full count, and no department is left to recount."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.actions import services as action_services
from assessments.actions.models import Action
from assessments.insights import tallies
from assessments.people import services as people_services
from assessments.people.models import Department, DepartmentTally, Employee
from assessments.privacy import services as privacy
from assessments.records import services
from assessments.records.models import Assessment
from assessments.selfassess.consent import ConsentError, consent_decide
from assessments.selfassess.models import Consent
from tests.conftest import complete, fill_draft

pytestmark = pytest.mark.django_db

KINDS = ["complete", "amend", "action", "action_due", "consent", "move", "leave", "erase"]
DECISIONS = ["given", "refused", "withdrawn"]
STATUSES = ["open", "in_progress", "done", "declined"]
steps = st.lists(
    st.tuples(st.sampled_from(KINDS), st.integers(0, 10_000), st.integers(0, 10_000)),
    min_size=1,
    max_size=6,
)


def assert_stored_equal_a_full_count() -> None:
    """Every department's stored rows equal a count of it on the day they were counted on,
    and none waits for a recount."""
    for tally in DepartmentTally.objects.all():
        assert tally.version == tally.counted_version, "left to recount"
        fresh = tallies.sorted_rows(tallies.count(tally.department_id, today=tally.counted_on))
        assert tallies.stored(tally.department_id) == fresh, tally.department_id


def _employee(department: Department, n: int) -> Employee:
    return Employee.objects.create(
        hr_reference=f"C{n:04d}", name=f"Person {n}", job_title="Picker", department=department
    )


def _assess(employee: Employee, assessor: Any) -> Assessment:
    latest = employee.assessments.filter(is_latest=True).first()
    draft = services.assessment_create(employee=employee, assessor=assessor, previous=latest)
    if latest is None:
        fill_draft(draft)
    return complete(draft, assessor)


def _step(kind: str, a: int, b: int, departments: list[Department], assessor: Any) -> None:
    people = list(Employee.objects.filter(anonymised_at__isnull=True).order_by("pk"))
    if not people:
        return
    person = people[a % len(people)]
    if kind == "complete":
        _assess(person, assessor)
    elif kind == "amend":
        latest = person.assessments.filter(is_latest=True).first()
        if latest is None or person.assessments.filter(status="draft").exists():
            return
        complete(
            services.assessment_amend(assessment=latest, user=assessor, reason="Typo"), assessor
        )
    elif kind in ("action", "action_due"):
        actions = list(
            Action.objects.exclude(status__in=["superseded", "cancelled"]).order_by("pk")
        )
        if not actions:
            return
        action = actions[a % len(actions)]
        status = STATUSES[b % len(STATUSES)]
        extra: dict[str, Any] = {}
        if kind == "action_due":  # a due date in the past, today or later: overdue or not
            due = timezone.localdate() + dt.timedelta(days=b % 90 - 60)
            extra = {"update_owner": True, "owner": action.owner, "due_on": due}
        note = "Not practical" if status == "declined" else ""
        action_services.action_update(action=action, status=status, evidence_note=note, **extra)
    elif kind == "consent":  # what a manager's figures count follows the decision
        consent = Consent.objects.filter(assessment__employee=person).order_by("-pk").first()
        if consent is not None:
            with contextlib.suppress(ConsentError):  # a decision the status does not allow
                consent_decide(consent=consent, status=DECISIONS[b % len(DECISIONS)])
    elif kind == "move":
        person.department = departments[b % len(departments)]
        people_services.employee_save(employee=person)
    elif kind == "leave":
        person.active = not person.active
        people_services.employee_save(employee=person)
    elif kind == "erase":
        privacy.employee_erase(employee=person, user=assessor)


@pytest.mark.parametrize("counted_days_ago", [0, 40])
def test_stored_counts_follow_a_random_series_of_changes(
    counted_days_ago, site, department, other_department, assessor, monkeypatch
):
    departments = [department, other_department]
    for n, dep in enumerate([department, department, other_department]):
        _assess(_employee(dep, n), assessor)
    # Counted some days ago: due dates before that day are stored as one row.
    counted_on = timezone.localdate() - dt.timedelta(days=counted_days_ago)
    monkeypatch.setattr(tallies.timezone, "localdate", lambda *args: counted_on)
    tallies.ensure_counted(d.pk for d in departments)
    monkeypatch.undo()
    assert_stored_equal_a_full_count()

    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(series=steps)
    def run(series: list[tuple[str, int, int]]) -> None:
        with transaction.atomic():
            for kind, a, b in series:
                # A step a rule of the use case refuses writes nothing.
                with contextlib.suppress(ValidationError):
                    _step(kind, a, b, departments, assessor)
                assert_stored_equal_a_full_count()
            transaction.set_rollback(True)  # the next series starts from the same data

    run()
