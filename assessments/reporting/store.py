"""Rendering a completed assessment's reports once and keeping them unchanged."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from assessments.people.models import Employee
from assessments.records.models import Assessment
from assessments.records.snapshot import snapshot_digest
from assessments.reporting import context, rendering
from assessments.reporting.models import Report

TEMPLATES = {
    Report.Kind.OH: "assessments/pdf/oh_report.html",
    Report.Kind.MANAGER: "assessments/pdf/manager_report.html",
}
CONTEXTS = {Report.Kind.OH: context.oh_context, Report.Kind.MANAGER: context.manager_context}


def report_html(assessment: Assessment, kind: str, *, pdf: bool = False) -> str:
    ctx = CONTEXTS[Report.Kind(kind)](assessment)
    return rendering.render_html(TEMPLATES[Report.Kind(kind)], {**ctx, "pdf": pdf})


def report_render(assessment: Assessment, kind: str) -> bytes:
    return rendering.html_to_pdf(report_html(assessment, kind, pdf=True))


class ReportErased(ValueError):
    """The employee's records were erased: their reports are gone and never made again."""


def report_store(*, assessment: Assessment, kind: str, user: Any = None) -> Report:
    """The stored PDF of this kind, rendering it from the snapshot the first time.

    Raises `ReportErased` once the employee's records are erased, also when the erasure
    commits while the report is being rendered: the employee's row is locked while the
    report is stored, so either the erasure finds the report and deletes it, or the
    report finds the erasure and is not stored.
    """
    existing = Report.objects.filter(assessment=assessment, kind=kind).first()
    if existing is not None:
        return existing
    if not assessment.is_completed:
        raise ValueError("Reports are rendered only from completed assessments.")
    if Employee.objects.filter(pk=assessment.employee_id, anonymised_at__isnull=False).exists():
        raise ReportErased(f"assessment {assessment.pk}: the employee's records were erased")
    data = report_render(assessment, kind)
    report = Report(
        assessment=assessment,
        kind=kind,
        sha256=hashlib.sha256(data).hexdigest(),
        snapshot_sha256=snapshot_digest(assessment.inputs or {}, assessment.results or {}),
        created_by=user,
    )
    try:
        with transaction.atomic():
            employee = Employee.objects.select_for_update().get(pk=assessment.employee_id)
            if employee.is_erased:
                raise ReportErased(
                    f"assessment {assessment.pk}: the employee's records were erased"
                )
            report.file.save(
                f"{kind}-{assessment.pk}-r{assessment.revision}.pdf", ContentFile(data), save=False
            )
            report.save()
    except IntegrityError:
        # Another worker stored it first; theirs is the record, ours is discarded.
        report.file.delete(save=False)
        return Report.objects.get(assessment=assessment, kind=kind)
    return report


def reports_store_all(*, assessment: Assessment, user: Any = None) -> list[Report]:
    """Both reports of a completed assessment; none once the employee's records are erased
    (an erasure may commit between completion and the background rendering)."""
    try:
        return [report_store(assessment=assessment, kind=kind, user=user) for kind in TEMPLATES]
    except ReportErased:
        return []
