"""Use cases about people: saving an employee, the audit trail of health-data access."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from assessments.people.changes import departments_changed
from assessments.people.models import AuditEvent, Employee


def audit(
    *,
    kind: str,
    user: Any,
    employee: Employee | None = None,
    assessment: Any = None,
    detail: str = "",
) -> None:
    AuditEvent.objects.create(
        kind=kind, user=user, employee=employee, assessment=assessment, detail=detail[:250]
    )


@transaction.atomic
def employee_save(*, employee: Employee) -> Employee:
    """Create or update an employee. A move to another department, leaving or becoming
    inactive changes both departments' dashboard figures.

    Raises `ValidationError` (as the form would) when another request took the HR
    reference since the form was checked.
    """
    before = (
        Employee.objects.filter(pk=employee.pk).values_list("department_id", flat=True).first()
        if employee.pk is not None
        else None
    )
    created = employee.pk is None
    employee.full_clean()
    try:
        with transaction.atomic():
            employee.save()
    except IntegrityError:
        # Someone saved the same HR reference between the check above and this save:
        # the same "already exists" error the form gives, rather than a failed request.
        employee.validate_unique()
        raise
    if not created:  # a new employee has no assessments yet
        departments_changed([employee.department_id, before])
    return employee


@transaction.atomic
def employee_delete(*, employee: Employee) -> None:
    department_id = employee.department_id
    employee.delete()
    departments_changed([department_id])
