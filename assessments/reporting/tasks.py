"""Background jobs through Django's tasks framework.

The embedded default runs them immediately in the request; production queues them on
the database (django-tasks-db) or Redis (django-tasks-rq) for workers.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import task

from assessments.records.models import Assessment


@task()
def render_assessment_reports(assessment_id: int, user_id: int | None = None) -> list[str]:
    """Render and store the OH and manager PDFs of a completed assessment."""
    from assessments.reporting.store import reports_store_all

    assessment = Assessment.objects.select_related("employee__department__site").get(
        pk=assessment_id
    )
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return [report.sha256 for report in reports_store_all(assessment=assessment, user=user)]


@task()
def build_report_pack(job_id: int) -> None:
    """A department's manager reports for a period, plus its department report, as a ZIP."""
    from assessments.reporting.jobs import pack_build

    pack_build(job_id=job_id)


@task()
def email_manager_report(job_id: int) -> None:
    """The manager report of a completed assessment, emailed to the department's managers."""
    from assessments.reporting.jobs import report_email_send

    report_email_send(job_id=job_id)


@task()
def recount_dashboard(department_ids: list[int]) -> None:
    """Bring these departments' stored dashboard counts up to date, so that the next
    dashboard finds them current instead of recounting them itself."""
    from assessments.insights import tallies

    tallies.ensure_counted(department_ids)
