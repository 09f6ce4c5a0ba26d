"""Background jobs through Django's tasks framework.

`make run` and production queue them on the database (django-tasks-db) or Redis
(django-tasks-rq) for workers; the immediate backend (tests, one-off scripts) runs them
in the process that enqueues them.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.tasks import task
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.core.queue import enqueue_on_commit
from assessments.records.models import Assessment
from assessments.reporting import runs, store
from assessments.reporting.models import PendingReports, Report

logger = logging.getLogger(__name__)

REPORTS_PREPARING = _(
    "The reports are being prepared in the background; their links appear here when they are ready."
)
REPORTS_NOT_QUEUED = _(
    "The report queue could not be reached, so the reports were not prepared in the "
    "background. Each report is prepared when it is first opened, which takes a few seconds."
)

#: A rendering queued this long ago and still not done is taken to be lost (a worker
#: killed mid-task, a Redis restart without persistence) and is rendered again.
QUEUED_GIVE_UP_AFTER = dt.timedelta(minutes=15)
#: Scheduled but neither queued nor refused this long after: the process stopped between
#: the commit and the enqueue.
SCHEDULED_GIVE_UP_AFTER = dt.timedelta(minutes=2)
#: Reports a rendering task catches up on after its own, so a queue that was down for a
#: while is caught up by the next completions rather than all by one task.
CATCH_UP_PER_TASK = 5


def _render(assessment_id: int, user_id: int | None) -> list[str]:
    assessment = Assessment.objects.select_related("employee__department__site").get(
        pk=assessment_id
    )
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    reports = store.reports_store_all(assessment=assessment, user=user)
    PendingReports.objects.filter(assessment_id=assessment_id).delete()
    return [report.sha256 for report in reports]


@task()
def render_assessment_reports(assessment_id: int, user_id: int | None = None) -> list[str]:
    """Render and store the OH and manager PDFs of a completed assessment, then any whose
    rendering could not be queued earlier."""
    shas = _render(assessment_id, user_id)
    reports_catch_up(limit=CATCH_UP_PER_TASK)
    return shas


@task()
def catch_up_reports() -> int:
    """Render every report whose rendering could not be queued or never finished."""
    return reports_catch_up()


@task()
def build_report_pack(job_id: int) -> None:
    """A department's manager reports for a period, plus its department report, as a ZIP."""
    runs.pack_build(job_id=job_id)


@task()
def email_manager_report(job_id: int) -> None:
    """The manager report of a completed assessment, emailed to the department's managers."""
    runs.report_email_send(job_id=job_id)


def reports_schedule(*, assessment: Assessment, user: Any) -> None:
    """Note that a just-completed assessment's reports are pending and, once the current
    transaction commits, ask a worker to render and store them.

    If the queue cannot be reached the assessment stays completed: the reports are marked
    not queued (the assessment page says so), and a worker or the first download renders
    them later.
    """
    user_id = getattr(user, "pk", None)
    PendingReports.objects.update_or_create(
        assessment=assessment,
        defaults={
            "status": PendingReports.Status.SCHEDULED,
            "requested_by_id": user_id,
            "updated_at": timezone.now(),
        },
    )

    def mark(status: str) -> None:
        PendingReports.objects.filter(
            assessment=assessment, status=PendingReports.Status.SCHEDULED
        ).update(status=status, updated_at=timezone.now())

    enqueue_on_commit(
        render_assessment_reports,
        assessment.pk,
        user_id,
        # The immediate backend runs the task inside `enqueue`, and reports its failure.
        on_queued=lambda result: mark(
            PendingReports.Status.NOT_QUEUED
            if result.status == TaskResultStatus.FAILED
            else PendingReports.Status.QUEUED
        ),
        on_failed=lambda: mark(PendingReports.Status.NOT_QUEUED),
    )


@dataclass(frozen=True)
class ReportsStatus:
    """Which of an assessment's reports are stored, and what the missing ones wait for."""

    stored: frozenset[str]
    #: A worker is expected to store the missing reports shortly.
    preparing: bool
    #: The queue could not be reached: the missing reports render when first opened.
    not_queued: bool


def reports_status(assessment: Assessment) -> ReportsStatus:
    """Where the reports of a completed assessment are.

    Missing reports are "being prepared" while a worker has them queued, unless that is
    long overdue. Otherwise (not handed to the queue yet, the queue could not be reached,
    the rendering is overdue, or the assessment was completed before reports were stored
    on completion) they are rendered when first downloaded.
    """
    stored = frozenset(assessment.reports.values_list("kind", flat=True))
    pending = (
        PendingReports.objects.filter(assessment=assessment).first()
        if len(stored) < len(Report.Kind.values)
        else None
    )
    if pending is None:
        return ReportsStatus(stored=stored, preparing=False, not_queued=False)
    preparing = (
        pending.status == PendingReports.Status.QUEUED
        and pending.updated_at > timezone.now() - QUEUED_GIVE_UP_AFTER
    )
    not_queued = pending.status == PendingReports.Status.NOT_QUEUED
    return ReportsStatus(stored=stored, preparing=preparing, not_queued=not_queued)


def reports_catch_up(*, limit: int | None = None) -> int:
    """Render the reports no worker is going to render: never queued (the queue could not
    be reached), or queued or scheduled long ago and still missing. Returns how many
    assessments were rendered. Each is claimed first, so two workers never take the same."""
    now = timezone.now()
    overdue = PendingReports.objects.filter(
        Q(status=PendingReports.Status.NOT_QUEUED)
        | Q(status=PendingReports.Status.QUEUED, updated_at__lt=now - QUEUED_GIVE_UP_AFTER)
        | Q(status=PendingReports.Status.SCHEDULED, updated_at__lt=now - SCHEDULED_GIVE_UP_AFTER)
    ).order_by("updated_at")
    rendered = 0
    for pending in list(overdue[:limit] if limit else overdue):
        claimed = PendingReports.objects.filter(
            pk=pending.pk, status=pending.status, updated_at=pending.updated_at
        ).update(status=PendingReports.Status.QUEUED, updated_at=now)
        if not claimed:
            continue  # another worker took it
        try:
            _render(pending.pk, pending.requested_by_id)
        except Exception:
            # Left queued: it is tried again once it is overdue.
            logger.exception("catching up the reports of assessment %s failed", pending.pk)
            continue
        rendered += 1
    return rendered


def reports_catch_up_later() -> None:
    """Ask a worker to catch up on reports (a worker starting does)."""
    enqueue_on_commit(catch_up_reports)
