"""Which background jobs a person may follow, by the rules of `assessments.permissions`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from assessments import permissions
from assessments.reporting.models import Job


def visible_jobs(user: Any) -> QuerySet[Job]:
    """Assessors and admins see every job; managers the ones they started for a department
    they still manage."""
    qs = Job.objects.all()
    if permissions.sees_everything(user):
        return qs
    if permissions.is_manager(user):
        return qs.filter(
            requested_by=user, department_id__in=permissions.managed_department_ids(user)
        )
    return qs.none()


def job_for_view(user: Any, pk: Any) -> Job:
    permissions.require_app_user(user)
    related = ("department__site", "assessment__employee", "requested_by")
    return permissions.get_or_404(visible_jobs(user).select_related(*related), pk)
