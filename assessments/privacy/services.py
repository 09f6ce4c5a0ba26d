"""Data-protection use cases for health data about named employees.

- `employee_export`: everything held about one employee, as a ZIP of one JSON document
  (the employee, every assessment's inputs, results, actions, photo and report metadata,
  the change history and the access log) plus the stored PDF reports and the photos.
- `employee_erase`: the right to erasure. Drafts are deleted. Completed assessments are
  kept for statistics but anonymised: the employee's name, HR reference and job title are
  replaced, free text (assessment notes, action evidence, the wording of personal health
  actions) is removed, photos and stored PDFs are deleted, and the same text is removed
  from the change-history rows.
- `leavers_due` / `leavers_anonymise`: the retention rule. Employees who left more than
  `settings.RETENTION_YEARS_AFTER_LEAVING` whole years ago are erased the same way.

Every export and erasure writes an `AuditEvent`. Files are deleted from storage only once
the database transaction has committed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from assessments.actions.models import Action
from assessments.core import health
from assessments.people import services as people_services
from assessments.people.changes import departments_changed
from assessments.people.models import AuditEvent, Employee
from assessments.records import services
from assessments.records.models import (
    Assessment,
    LiftingTask,
    Photo,
    SittingSection,
    WorkerSection,
    WorkstationSection,
)
from assessments.reporting.models import Report

EXPORT_FORMAT = "ergo-employee-export"
EXPORT_VERSION = 1
#: Written where free text had to stay non-empty (a declined action must give a reason).
REMOVED_TEXT = "[removed on erasure]"

#: Models whose change-history rows belong to an assessment (through `assessment_id`).
_HISTORY_BY_ASSESSMENT: tuple[type[models.Model], ...] = (
    WorkstationSection,
    SittingSection,
    WorkerSection,
    LiftingTask,
    Action,
)


def _history_model(model: type[models.Model]) -> Any:
    return model.history.model  # type: ignore[attr-defined]


def _person(user: Any) -> str:
    return user.get_username() if user is not None else ""


# --- Export -------------------------------------------------------------------------------


def _values(record: models.Model, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    skipped = set(skip)
    return {
        field.attname: getattr(record, field.attname)
        for field in record._meta.concrete_fields
        if field.attname not in skipped
    }


def _history_rows(assessment_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    rows: dict[int, list[dict[str, Any]]] = {pk: [] for pk in assessment_ids}
    sources: list[tuple[str, Any, str]] = [
        ("assessment", _history_model(Assessment).objects.filter(id__in=assessment_ids), "id")
    ]
    for model in _HISTORY_BY_ASSESSMENT:
        history = _history_model(model).objects.filter(assessment_id__in=assessment_ids)
        sources.append((model._meta.model_name or "", history, "assessment_id"))
    for name, queryset, key in sources:
        for record in queryset.select_related("history_user").order_by("history_date"):
            values = {
                field.attname: getattr(record, field.attname)
                for field in record._meta.concrete_fields
                if not field.attname.startswith("history_")
            }
            rows[getattr(record, key)].append(
                {
                    "model": name,
                    "changed_at": record.history_date,
                    "change": record.get_history_type_display(),
                    "changed_by": _person(record.history_user),
                    "values": values,
                }
            )
    return rows


def employee_export_document(employee: Employee) -> tuple[dict[str, Any], dict[str, str]]:
    """The export's JSON document, and {path in the ZIP: stored file name} for its files."""
    files: dict[str, str] = {}
    assessments = list(
        Assessment.objects.filter(employee=employee)
        .select_related("assessor")
        .order_by("assessed_on", "revision", "pk")
    )
    history = _history_rows([a.pk for a in assessments])
    items = []
    for assessment in assessments:
        photos = []
        for photo in assessment.photos.select_related("uploaded_by"):
            path = f"photos/{assessment.pk}-{photo.pk}.jpg"
            files[path] = photo.image.name
            photos.append(
                {
                    "id": photo.pk,
                    "file": path,
                    "section": photo.section,
                    "caption": photo.caption,
                    "width": photo.width,
                    "height": photo.height,
                    "action": photo.action_id,
                    "uploaded_by": _person(photo.uploaded_by),
                    "uploaded_at": photo.uploaded_at,
                }
            )
        reports = []
        for report in assessment.reports.all():
            path = f"reports/{assessment.pk}-{report.kind}-r{assessment.revision}.pdf"
            files[path] = report.file.name
            reports.append(
                {
                    "kind": report.kind,
                    "file": path,
                    "sha256": report.sha256,
                    "snapshot_sha256": report.snapshot_sha256,
                    "created_at": report.created_at,
                }
            )
        actions = [
            {
                **_values(action, skip=("assessment_id", "owner_id")),
                "owner": _person(action.owner),
            }
            for action in assessment.actions.select_related("owner")
        ]
        items.append(
            {
                "id": assessment.pk,
                "status": assessment.status,
                "revision": assessment.revision,
                "assessed_on": assessment.assessed_on,
                "assessor": _person(assessment.assessor),
                "supersedes": assessment.supersedes_id,
                "previous": assessment.previous_id,
                "notes": assessment.notes,
                "reassess_due": assessment.reassess_due,
                "completed_at": assessment.completed_at,
                "scoring_version": assessment.scoring_version,
                "strain_score": assessment.strain_score,
                "band": assessment.band,
                # A draft's inputs are its sections as they stand; a completed one's, its snapshot.
                "inputs": (
                    assessment.inputs
                    if assessment.is_completed
                    else services.assessment_input_dict(assessment)
                ),
                "results": assessment.results,
                "actions": actions,
                "photos": photos,
                "reports": reports,
                "history": history[assessment.pk],
            }
        )
    access = (
        AuditEvent.objects.filter(Q(employee=employee) | Q(assessment__employee=employee))
        .select_related("user")
        .order_by("at")
    )
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "employee": {
            "id": employee.pk,
            "hr_reference": employee.hr_reference,
            "name": employee.name,
            "job_title": employee.job_title,
            "work_type": employee.work_type,
            "department": employee.department.name,
            "site": employee.department.site.name,
            "active": employee.active,
            "left_on": employee.left_on,
            "created_at": employee.created_at,
            "anonymised_at": employee.anonymised_at,
        },
        "assessments": items,
        "access_log": [
            {
                "at": event.at,
                "kind": event.kind,
                "by": _person(event.user),
                "assessment": event.assessment_id,
                "detail": event.detail,
            }
            for event in access
        ],
    }
    return document, files


def employee_export(*, employee: Employee, user: Any) -> bytes:
    """A ZIP of everything held about `employee`; the export is recorded in the audit trail."""
    document, files = employee_export_document(employee)
    document["exported_at"] = timezone.now()
    document["exported_by"] = _person(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "employee.json",
            json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        )
        missing = []
        for path, name in files.items():
            try:
                with default_storage.open(name, "rb") as handle:
                    archive.writestr(path, handle.read())
            except (FileNotFoundError, OSError):
                missing.append(path)
        if missing:
            archive.writestr("missing-files.txt", "\n".join(missing) + "\n")
    people_services.audit(
        kind=AuditEvent.Kind.EXPORT,
        user=user,
        employee=employee,
        detail=(
            f"data export: {len(document['assessments'])} assessment(s), "
            f"{len(files) - len(missing)} file(s)"
        ),
    )
    return buffer.getvalue()


# --- Erasure ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasureSummary:
    """What an erasure did, for the confirmation message and the audit entry."""

    anonymised: int
    drafts_deleted: int
    photos_removed: int
    reports_removed: int

    def describe(self) -> str:
        return (
            f"{self.anonymised} completed assessment(s) anonymised, "
            f"{self.drafts_deleted} draft(s) deleted, {self.photos_removed} photo(s) and "
            f"{self.reports_removed} stored report(s) removed"
        )


def _health_actions_q() -> Q:
    """Actions whose wording is health detail: every action whose reason a manager may not
    read (personal health measures, and psychosocial actions whose reason quotes answers)."""
    return ~health.reason_visible_q()


def _delete_files_on_commit(names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            if name:
                default_storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def employee_erase(
    *, employee: Employee, user: Any, reason: str = "erasure request"
) -> ErasureSummary:
    """Erase `employee`: delete drafts, anonymise completed assessments, record it."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    assessments = Assessment.objects.filter(employee=employee)
    completed_ids = list(
        assessments.filter(status=Assessment.Status.COMPLETED).values_list("pk", flat=True)
    )
    draft_ids = list(
        assessments.filter(status=Assessment.Status.DRAFT).values_list("pk", flat=True)
    )
    all_ids = completed_ids + draft_ids

    photos = Photo.objects.filter(assessment_id__in=all_ids)
    reports = Report.objects.filter(assessment_id__in=all_ids)
    files = [p.image.name for p in photos] + [r.file.name for r in reports]
    photo_count, report_count = photos.count(), reports.count()
    photos.delete()
    reports.delete()

    # Drafts hold nothing that statistics need: delete them and every history row about them.
    Assessment.objects.filter(pk__in=draft_ids).delete()
    _history_model(Assessment).objects.filter(id__in=draft_ids).delete()
    for model in _HISTORY_BY_ASSESSMENT:
        _history_model(model).objects.filter(assessment_id__in=draft_ids).delete()

    # Completed assessments stay for statistics, without the person's words or name.
    Assessment.objects.filter(pk__in=completed_ids).update(notes="")
    _history_model(Assessment).objects.filter(id__in=completed_ids).update(
        notes="", history_change_reason=None
    )
    actions = Action.objects.filter(assessment_id__in=completed_ids)
    actions.filter(status=Action.Status.DECLINED).update(evidence_note=REMOVED_TEXT)
    actions.exclude(status=Action.Status.DECLINED).update(evidence_note="")
    actions.filter(_health_actions_q()).update(detail="", rationale=REMOVED_TEXT)
    action_history = _history_model(Action).objects.filter(assessment_id__in=completed_ids)
    action_history.update(evidence_note="", history_change_reason=None)
    action_history.filter(_health_actions_q()).update(detail="", rationale=REMOVED_TEXT)
    for model in (WorkstationSection, SittingSection, WorkerSection, LiftingTask):
        _history_model(model).objects.filter(assessment_id__in=completed_ids).update(
            history_change_reason=None
        )

    today = timezone.localdate()
    # The employee's own change history holds every name and HR reference they had.
    _history_model(Employee).objects.filter(id=employee.pk).delete()
    Employee.objects.filter(pk=employee.pk).update(
        name=f"Erased employee {employee.pk}",
        hr_reference=f"erased-{employee.pk}",
        job_title="",
        active=False,
        left_on=employee.left_on or today,
        anonymised_at=timezone.now(),
    )
    departments_changed([employee.department_id])  # a leaver drops out of "current"
    summary = ErasureSummary(
        anonymised=len(completed_ids),
        drafts_deleted=len(draft_ids),
        photos_removed=photo_count,
        reports_removed=report_count,
    )
    people_services.audit(
        kind=AuditEvent.Kind.ERASE,
        user=user,
        employee=employee,
        detail=f"{reason}: {summary.describe()}",
    )
    _delete_files_on_commit(files)
    return summary


# --- Retention ----------------------------------------------------------------------------


def retention_cutoff(*, today: dt.date, years: int) -> dt.date:
    """The latest leaving date whose retention period has ended by `today`."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February in a year without one
        return today.replace(year=today.year - years, day=28)


def leavers_due(*, today: dt.date | None = None, years: int | None = None) -> Any:
    """Employees who left more than the retention period ago and are not yet anonymised."""
    today = today or timezone.localdate()
    years = settings.RETENTION_YEARS_AFTER_LEAVING if years is None else years
    cutoff = retention_cutoff(today=today, years=years)
    return (
        Employee.objects.filter(
            left_on__isnull=False, left_on__lte=cutoff, anonymised_at__isnull=True
        )
        .annotate(
            completed_count=models.Count(
                "assessments",
                filter=Q(assessments__status=Assessment.Status.COMPLETED),
            ),
            draft_count=models.Count(
                "assessments", filter=Q(assessments__status=Assessment.Status.DRAFT)
            ),
        )
        .order_by("left_on", "pk")
    )


def leavers_anonymise(
    *, today: dt.date | None = None, years: int | None = None
) -> list[tuple[Employee, ErasureSummary]]:
    """Apply the retention rule: erase every leaver past the retention period."""
    years = settings.RETENTION_YEARS_AFTER_LEAVING if years is None else years
    done = []
    for employee in leavers_due(today=today, years=years):
        summary = employee_erase(
            employee=employee,
            user=None,
            reason=f"retention ({years} years after leaving on {employee.left_on:%Y-%m-%d})",
        )
        done.append((employee, summary))
    return done
