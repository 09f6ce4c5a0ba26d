"""Rendering a completed assessment's reports once and keeping them unchanged."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

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


def report_store(*, assessment: Assessment, kind: str, user: Any = None) -> Report:
    """The stored PDF of this kind, rendering it from the snapshot the first time."""
    existing = Report.objects.filter(assessment=assessment, kind=kind).first()
    if existing is not None:
        return existing
    if not assessment.is_completed:
        raise ValueError("Reports are rendered only from completed assessments.")
    data = report_render(assessment, kind)
    report = Report(
        assessment=assessment,
        kind=kind,
        sha256=hashlib.sha256(data).hexdigest(),
        snapshot_sha256=snapshot_digest(assessment.inputs or {}, assessment.results or {}),
        created_by=user,
    )
    report.file.save(
        f"{kind}-{assessment.pk}-r{assessment.revision}.pdf", ContentFile(data), save=False
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Another worker stored it first; theirs is the record, ours is discarded.
        report.file.delete(save=False)
        return Report.objects.get(assessment=assessment, kind=kind)
    return report


def reports_store_all(*, assessment: Assessment, user: Any = None) -> list[Report]:
    return [report_store(assessment=assessment, kind=kind, user=user) for kind in TEMPLATES]
