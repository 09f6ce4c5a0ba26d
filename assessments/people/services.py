"""Use cases about people: the audit trail of health-data access."""

from __future__ import annotations

from typing import Any

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
