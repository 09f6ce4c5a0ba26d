"""Marking the departments whose dashboard figures a change may have moved.

Every use case that changes what a dashboard figure counts (completing an assessment,
updating an action, moving an employee, an admin edit, erasure, a bulk load) calls
`departments_changed` inside its own transaction. The dashboard then recounts those
departments before it reads their stored counts (`assessments.insights.tallies`), so a
figure is never read from counts older than the last committed change.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from assessments.people.models import Department, DepartmentTally


def departments_changed(department_ids: Iterable[int | None]) -> None:
    """Note that these departments' counts must be recounted before they are read."""
    ids = sorted({d for d in department_ids if d is not None})
    if ids:
        DepartmentTally.objects.filter(department_id__in=ids).update(version=F("version") + 1)


def all_departments_changed() -> None:
    """After a bulk load, or anything else written outside the use cases."""
    existing = set(DepartmentTally.objects.values_list("department_id", flat=True))
    DepartmentTally.objects.bulk_create(
        DepartmentTally(department_id=pk)
        for pk in Department.objects.values_list("pk", flat=True)
        if pk not in existing
    )
    DepartmentTally.objects.update(version=F("version") + 1)
