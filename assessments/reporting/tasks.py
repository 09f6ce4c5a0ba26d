"""Background jobs through Django's tasks framework.

The embedded default runs them immediately in the request; production queues them on
the database (django-tasks-db) or Redis (django-tasks-rq) for workers.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.tasks import task

from assessments.records.models import Assessment
from assessments.reporting import runs, store


@task()
def render_assessment_reports(assessment_id: int, user_id: int | None = None) -> list[str]:
    """Render and store the OH and manager PDFs of a completed assessment."""
    assessment = Assessment.objects.select_related("employee__department__site").get(
        pk=assessment_id
    )
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return [report.sha256 for report in store.reports_store_all(assessment=assessment, user=user)]


@task()
def build_report_pack(job_id: int) -> None:
    """A department's manager reports for a period, plus its department report, as a ZIP."""
    runs.pack_build(job_id=job_id)


@task()
def email_manager_report(job_id: int) -> None:
    """The manager report of a completed assessment, emailed to the department's managers."""
    runs.report_email_send(job_id=job_id)


def reports_schedule(*, assessment: Assessment, user: Any) -> None:
    """Once the current transaction commits, render and store the OH and manager PDFs of a
    just-completed assessment in the background (immediately in the embedded set-up)."""
    user_id = getattr(user, "pk", None)
    transaction.on_commit(lambda: render_assessment_reports.enqueue(assessment.pk, user_id))
