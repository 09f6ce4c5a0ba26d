"""Starting background jobs in a request, and noticing a job whose worker died.

The work itself is done in a worker (`assessments.reporting.runs`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.tasks import default_task_backend
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext_lazy

from assessments import permissions
from assessments.core.queue import enqueue_on_commit
from assessments.people.models import Department
from assessments.records.models import Assessment
from assessments.reporting.models import Job
from assessments.reporting.runs import (
    NOT_SHARED,
    manager_recipients,
    pack_assessments,
)
from assessments.reporting.tasks import build_report_pack, email_manager_report

QUEUE_DOWN = gettext_lazy(
    "The job queue could not be reached, so the job was not started. Try again later."
)
WORKER_STOPPED = gettext_lazy("The worker stopped before the job finished ({error}).")
NO_MANAGER_EMAIL = gettext_lazy(
    "No manager of {department} has an email address to send the report to."
)
NOT_COMPLETED = gettext_lazy("Only a completed assessment has a manager report to send.")
ERASED_SINCE = gettext_lazy(
    "This held the records of an employee whose records have since been erased, so it was "
    "deleted. Start it again to get one without them."
)


class JobRefused(Exception):
    """The job cannot be started; the message says why, in words for the person asking."""


def _enqueue(job: Job, task: Any) -> None:
    """Hand the job to the task backend once its row is committed (workers must see it)."""

    def queued(result: Any) -> None:
        Job.objects.filter(pk=job.pk).update(task_id=result.id)

    def failed() -> None:
        Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.FAILED, error=str(QUEUE_DOWN), finished_at=timezone.now()
        )

    enqueue_on_commit(task, job.pk, on_queued=queued, on_failed=failed)


@transaction.atomic
def job_start_pack(*, user: Any, department: Department, start: dt.date, end: dt.date) -> Job:
    """Queue a ZIP of the department's manager reports for the period, plus its report."""
    job = Job(
        kind=Job.Kind.PACK,
        requested_by=user,
        department=department,
        period_start=start,
        period_end=end,
        total=pack_assessments(department=department, start=start, end=end).count() + 1,
    )
    job.full_clean()
    job.save()
    _enqueue(job, build_report_pack)
    return job


@transaction.atomic
def job_start_report_email(*, user: Any, assessment: Assessment) -> Job:
    """Queue the manager report of a completed assessment, emailed to each department manager."""
    if not assessment.is_completed:
        raise JobRefused(str(NOT_COMPLETED))
    if not permissions.assessment_shared_with_managers(assessment):
        raise JobRefused(str(NOT_SHARED))
    recipients = manager_recipients(assessment)
    if not recipients:
        raise JobRefused(
            str(NO_MANAGER_EMAIL).format(department=assessment.employee.department.name)
        )
    job = Job(
        kind=Job.Kind.EMAIL,
        requested_by=user,
        department=assessment.employee.department,
        assessment=assessment,
        total=len(recipients),
    )
    job.full_clean()
    job.save()
    _enqueue(job, email_manager_report)
    return job


def job_refresh(job: Job) -> Job:
    """Notice a job whose worker died: the task backend knows the task failed, the job not."""
    if job.is_finished or not job.task_id:
        return job
    backend = default_task_backend
    if not getattr(backend, "supports_get_result", False):
        return job
    try:
        result = backend.get_result(job.task_id)
    except Exception:  # unknown id, queue unreachable: nothing more to learn now
        return job
    if result.status == TaskResultStatus.FAILED:
        error = result.errors[-1].exception_class_path if result.errors else "unknown error"
        Job.objects.filter(pk=job.pk, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).update(
            status=Job.Status.FAILED,
            error=str(WORKER_STOPPED).format(error=error),
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
    return job
