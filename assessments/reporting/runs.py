"""The work of background jobs, done in a worker: report packs and report emails.

A job runs its steps in order (one step per report or per email) and counts them in
`done` of `total`. A step that raises is retried up to `MAX_ATTEMPTS` times in all, each
failed attempt kept in `Job.retries`; a step that still fails is named in the job's
error and the job fails at the end, after trying every other step. Nothing is skipped
without a word: a pack is offered for download only when every report is in it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import re
import tempfile
import time
import zipfile
from collections.abc import Callable
from typing import Any

from django.core.files import File
from django.core.mail import EmailMessage
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import permissions
from assessments.insights import figures
from assessments.people.models import Department
from assessments.records.models import Assessment
from assessments.reporting import context, rendering, store
from assessments.reporting.models import Job, Report

logger = logging.getLogger(__name__)

#: Attempts per step (the first try included) before the step counts as failed.
MAX_ATTEMPTS = 3
#: Pause before the second attempt; doubled before each later one.
RETRY_DELAY_SECONDS = 0.5


class StepFailed(Exception):
    def __init__(self, label: str, error: BaseException) -> None:
        super().__init__(f"{label}: {_describe(error)}")
        self.label = label


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}"[:300] if text else type(error).__name__


NOT_SHARED = gettext_lazy(
    "The employee has not agreed to share this assessment with their manager, so its "
    "manager report cannot be sent."
)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "x"


def document_id(assessment: Assessment) -> str:
    return f"EA-{assessment.pk:06d}-R{assessment.revision}"


def pack_assessments(
    *, department: Department, start: dt.date, end: dt.date
) -> QuerySet[Assessment]:
    """The department report's assessments in the period (`figures.assessed_between_q`),
    less those of erased employees (reports are never made of them again) and those the
    employee has not let managers see (a pack holds manager reports)."""
    return (
        Assessment.objects.filter(
            figures.assessed_between_q(start, end),
            permissions.consent_visible_q(),
            employee__department=department,
            employee__anonymised_at__isnull=True,
        )
        .select_related("employee__department__site")
        .order_by("assessed_on", "pk")
    )


def manager_recipients(assessment: Assessment) -> list[Any]:
    department = assessment.employee.department
    return list(
        department.managers.filter(is_active=True).exclude(email="").order_by("email", "pk")
    )


# --- Doing the work (in the worker) -------------------------------------------------------


def _claim(job_id: int) -> Job | None:
    """Mark the job running; None if it is already finished (a duplicate delivery)."""
    claimed = Job.objects.filter(
        pk=job_id, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    ).update(status=Job.Status.RUNNING, started_at=timezone.now(), done=0, retries=[], error="")
    if not claimed:
        return None
    return Job.objects.select_related(
        "department__site", "assessment__employee", "requested_by"
    ).get(pk=job_id)


def _attempt[T](job: Job, label: str, step: Callable[[], T]) -> T:
    """Run one step, retrying it; every failed attempt is recorded on the job."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return step()
        except Exception as error:
            logger.warning("job %s: %s failed (attempt %s)", job.pk, label, attempt, exc_info=True)
            job.retries = [
                *job.retries,
                {"step": label, "attempt": attempt, "error": _describe(error)},
            ]
            Job.objects.filter(pk=job.pk).update(retries=job.retries)
            if attempt == MAX_ATTEMPTS:
                raise StepFailed(label, error) from error
            time.sleep(RETRY_DELAY_SECONDS * 2 ** (attempt - 1))
    raise AssertionError("unreachable")  # pragma: no cover


def _advance(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(done=F("done") + 1)


def _stop(job: Job, reason: str) -> None:
    """End a job that must not do its work, saying why (no step was tried)."""
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        status=Job.Status.FAILED, error=reason, finished_at=timezone.now()
    )


def _finish(job: Job, *, failures: list[StepFailed]) -> None:
    if failures:
        lines = [
            _("%(n)s step(s) still failed after %(attempts)s attempts:")
            % {
                "n": len(failures),
                "attempts": MAX_ATTEMPTS,
            }
        ]
        lines += [f"- {failure}" for failure in failures]
        job.status, job.error = Job.Status.FAILED, "\n".join(lines)
    else:
        job.status = Job.Status.SUCCEEDED
    job.finished_at = timezone.now()
    finished = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        status=job.status,
        error=job.error,
        finished_at=job.finished_at,
        result=job.result.name or "",
        result_name=job.result_name,
    )
    if not finished and job.result:
        # Expired while it ran (an erasure of someone it may hold): its result goes.
        job.result.delete(save=False)


def _fail_unexpectedly(job: Job, error: BaseException) -> None:
    logger.exception("job %s failed", job.pk)
    Job.objects.filter(pk=job.pk).exclude(status=Job.Status.EXPIRED).update(
        status=Job.Status.FAILED, error=_describe(error), finished_at=timezone.now()
    )


def _read(report: Report) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def pack_build(*, job_id: int) -> None:
    """Render every manager report of the pack (stored ones are reused) and zip them."""
    job = _claim(job_id)
    if job is None:
        return
    try:
        department = job.department
        assert department is not None and job.period_start and job.period_end
        start, end = job.period_start, job.period_end
        assessments = list(pack_assessments(department=department, start=start, end=end))
        job.total = len(assessments) + 1
        Job.objects.filter(pk=job.pk).update(total=job.total)
        failures: list[StepFailed] = []
        manifest = io.StringIO()
        rows = csv.writer(manifest)
        rows.writerow(["file", "document", "employee", "assessed_on", "band", "sha256"])
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for assessment in assessments:
                    name = (
                        f"manager-reports/{document_id(assessment)}-"
                        f"{_slug(assessment.employee.name)}.pdf"
                    )
                    try:
                        report = _attempt(
                            job,
                            _("Manager report %(document)s")
                            % {"document": document_id(assessment)},
                            lambda a=assessment: store.report_store(  # type: ignore[misc]
                                assessment=a, kind=Report.Kind.MANAGER, user=job.requested_by
                            ),
                        )
                        data = _read(report)
                    except StepFailed as failure:
                        failures.append(failure)
                        continue
                    archive.writestr(name, data)
                    rows.writerow(
                        [
                            name,
                            document_id(assessment),
                            assessment.employee.name,
                            assessment.assessed_on.isoformat(),
                            assessment.band,
                            hashlib.sha256(data).hexdigest(),
                        ]
                    )
                    _advance(job)
                summary = f"department-report-{_slug(department.name)}-{start}-{end}.pdf"
                try:
                    data = _attempt(
                        job,
                        _("Department report"),
                        lambda: rendering.render_pdf(
                            "assessments/pdf/department_report.html",
                            context.department_context(
                                departments=Department.objects.filter(pk=department.pk),
                                start=start,
                                end=end,
                            ),
                        ),
                    )
                except StepFailed as failure:
                    failures.append(failure)
                else:
                    archive.writestr(summary, data)
                    rows.writerow([summary, "", "", "", "", hashlib.sha256(data).hexdigest()])
                    _advance(job)
                archive.writestr("manifest.csv", manifest.getvalue())
            if not failures:
                job.result_name = f"report-pack-{_slug(department.name)}-{start}-{end}.zip"
                spool.seek(0)
                job.result.save(job.result_name, File(spool), save=False)
        _finish(job, failures=failures)
    except Exception as error:
        _fail_unexpectedly(job, error)
        raise


def report_email_send(*, job_id: int) -> None:
    """Email the stored manager report to each manager of the assessment's department, if
    the employee still lets them see it when the job runs (consent can be withdrawn while
    the job waits in the queue)."""
    job = _claim(job_id)
    if job is None:
        return
    try:
        assessment = job.assessment
        assert assessment is not None
        if not permissions.assessment_shared_with_managers(assessment):
            _stop(job, str(NOT_SHARED))
            return
        recipients = manager_recipients(assessment)
        job.total = len(recipients)
        Job.objects.filter(pk=job.pk).update(total=job.total)
        failures: list[StepFailed] = []
        try:
            report = _attempt(
                job,
                _("Manager report %(document)s") % {"document": document_id(assessment)},
                lambda: store.report_store(
                    assessment=assessment, kind=Report.Kind.MANAGER, user=job.requested_by
                ),
            )
            data = _read(report)
        except StepFailed as failure:
            _finish(job, failures=[failure])
            return
        employee = assessment.employee
        subject = _("Manager report: %(name)s, %(department)s, assessed %(date)s") % {
            "name": employee.name,
            "department": employee.department.name,
            "date": f"{assessment.assessed_on:%d %b %Y}",
        }
        body = _(
            "The workstation assessment of %(name)s is complete. The manager report is "
            "attached: the risk band, the workplace findings and the actions agreed, with "
            "no health detail.\n\nDocument %(document)s."
        ) % {"name": employee.name, "document": document_id(assessment)}
        filename = f"manager-report-{document_id(assessment)}-{_slug(employee.name)}.pdf"
        for manager in recipients:
            message = EmailMessage(subject=subject, body=body, to=[manager.email])
            message.attach(filename, data, "application/pdf")
            try:
                _attempt(job, _("Email to %(address)s") % {"address": manager.email}, message.send)
            except StepFailed as failure:
                failures.append(failure)
                continue
            _advance(job)
        _finish(job, failures=failures)
    except Exception as error:
        _fail_unexpectedly(job, error)
        raise
