"""Use cases about people: saving an employee, the audit trail of health-data access."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.people.changes import employees_changing
from assessments.people.models import AuditEvent, Employee
from assessments.people.retention import is_due

LEFT_ON_FUTURE_MESSAGE = _("The leaving date cannot be in the future.")
LEFT_ON_BEFORE_RECORD_MESSAGE = _(
    "The leaving date cannot be before this employee's record was created."
)
LEFT_ON_NEEDS_ADMIN_MESSAGE = _(
    "This leaving date is longer ago than the retention period, so the next retention run "
    "would anonymise this employee's assessments for good. Only an admin can set it."
)
ERASED_MESSAGE = _("This employee's records were erased: their record cannot be changed.")


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


def left_on_refusal(
    *,
    stored: Employee | None,
    left_on: dt.date | None,
    may_start_retention: bool,
    today: dt.date | None = None,
) -> str | None:
    """Why this leaving date cannot be recorded (None when it can).

    It lies between the day the record was created (`stored`; None for a new record,
    created today) and today. A date that would make the employee due for anonymisation
    now, when the stored one did not, needs someone who `may_start_retention` (an admin).
    """
    if left_on is None:
        return None
    today = today or timezone.localdate()
    created = timezone.localdate(stored.created_at) if stored is not None else today
    if left_on > today:
        return str(LEFT_ON_FUTURE_MESSAGE)
    if left_on < created:
        return str(LEFT_ON_BEFORE_RECORD_MESSAGE)
    was_due = stored is not None and is_due(left_on=stored.left_on, today=today)
    if is_due(left_on=left_on, today=today) and not was_due and not may_start_retention:
        return str(LEFT_ON_NEEDS_ADMIN_MESSAGE)
    return None


@transaction.atomic
def employee_save(*, employee: Employee, may_start_retention: bool = False) -> Employee:
    """Create or update an employee. A move to another department, leaving or becoming
    inactive changes both departments' dashboard figures. The leaving date must pass
    `left_on_refusal`; an erased employee's record is closed.

    Raises `ValidationError` (as the form would) when another request took the HR
    reference since the form was checked.
    """
    with employees_changing([employee.pk]):  # a new employee (no pk) has no counts yet
        stored = (
            Employee.objects.select_for_update().filter(pk=employee.pk).first()
            if employee.pk is not None
            else None
        )
        if stored is not None and stored.is_erased:
            raise ValidationError(str(ERASED_MESSAGE))
        refusal = left_on_refusal(
            stored=stored, left_on=employee.left_on, may_start_retention=may_start_retention
        )
        if refusal:
            raise ValidationError({"left_on": refusal})
        employee.full_clean()
        try:
            with transaction.atomic():
                employee.save()
        except IntegrityError:
            # Someone saved the same HR reference between the check above and this save:
            # the same "already exists" error the form gives, rather than a failed request.
            employee.validate_unique()
            raise
    return employee


@transaction.atomic
def employee_delete(*, employee: Employee) -> None:
    with employees_changing([employee.pk]):
        employee.delete()
