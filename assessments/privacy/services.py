"""Data-protection use cases for health data about named employees.

- `employee_export`: everything held about one employee, as a ZIP of one JSON document
  (the employee, every assessment's inputs, results, actions, photo and report metadata,
  the change history and the access log) plus the stored PDF reports and the photos.
- `employee_erase`: the right to erasure. Nothing identifying or clinical about the
  employee stays: drafts, sections, lifting tasks, photos, stored PDFs, report packs
  holding them, personal health actions and the change history of all of these are
  deleted; completed assessments stay as anonymous statistics (`anonymise.py` says
  exactly what stays), their open actions are cancelled, and the name and HR reference
  are taken out of the admin log and the audit details.
- `leavers_due` / `leavers_anonymise`: the retention rule. Employees who left more than
  `settings.RETENTION_YEARS_AFTER_LEAVING` whole years ago are erased the same way.

Every export and erasure writes an `AuditEvent`. Files are deleted from storage only once
the database transaction has committed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from assessments.actions.models import Action
from assessments.core import health
from assessments.insights.models import TallyRow
from assessments.people import services as people_services
from assessments.people.changes import employees_changing
from assessments.people.models import AuditEvent, Employee
from assessments.people.retention import retention_cutoff
from assessments.privacy import anonymise
from assessments.records import services
from assessments.records.models import (
    Assessment,
    LiftingTask,
    Photo,
    SittingSection,
    WorkerSection,
    WorkstationSection,
)
from assessments.reporting import jobs as reporting_jobs
from assessments.reporting.models import Job, Report
from assessments.reporting.runs import document_id
from assessments.selfassess.models import Consent, EmployeeEvent, Invitation

EXPORT_FORMAT = "ergo-employee-export"
EXPORT_VERSION = 1
REMOVED_TEXT = anonymise.REMOVED_TEXT

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


def _consents(employee: Employee) -> list[dict[str, Any]]:
    """Whether each assessment may be shared with the manager, and its history (never the
    links' hashes)."""
    return [
        {
            "assessment": consent.assessment_id,
            "status": consent.status,
            "decided_at": consent.decided_at,
            "decided_by_oh": _person(consent.decided_by_oh),
            "history": [
                {"status": e.status, "at": e.at, "by": _person(e.by), "note": e.note}
                for e in consent.events.select_related("by")
            ],
        }
        for consent in Consent.objects.filter(assessment__employee=employee)
        .select_related("decided_by_oh")
        .order_by("assessment_id")
    ]


def _self_assessments(employee: Employee) -> list[dict[str, Any]]:
    """The employee's self-assessments with their answers, alerts and events (never the
    links' hashes)."""
    rows = []
    for invitation in Invitation.objects.filter(employee=employee).order_by("created_at", "pk"):
        rows.append(
            {
                **_values(invitation, skip=("employee_id", "invited_by_id", "checked_by_id")),
                "invited_by": _person(invitation.invited_by),
                "checked_by": _person(invitation.checked_by),
                "alerts": [
                    {**_values(alert, skip=("invitation_id", "acknowledged_by_id"))}
                    for alert in invitation.alerts.all()
                ],
                "emails": list(invitation.emails.values("kind", "sent_at")),
            }
        )
    events = [
        _values(event, skip=("employee_id", "recorded_by_id"))
        for event in EmployeeEvent.objects.filter(employee=employee).order_by("recorded_at")
    ]
    return [*rows, *({"event": event} for event in events)]


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
                "amendment_reason": assessment.amendment_reason,
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
            "email": employee.email,
            "job_title": employee.job_title,
            "work_type": employee.work_type,
            "department": employee.department.name,
            "site": employee.department.site.name,
            "active": employee.active,
            "started_on": employee.started_on,
            "left_on": employee.left_on,
            "created_at": employee.created_at,
            "anonymised_at": employee.anonymised_at,
        },
        "assessments": items,
        "self_assessments": _self_assessments(employee),
        "consents": _consents(employee),
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
    actions_cancelled: int = 0
    health_actions_removed: int = 0
    packs_expired: int = 0

    def describe(self) -> str:
        return (
            f"{self.anonymised} completed assessment(s) anonymised, "
            f"{self.drafts_deleted} draft(s) deleted, {self.photos_removed} photo(s) and "
            f"{self.reports_removed} stored report(s) removed"
        )

    def describe_follow_up(self) -> str:
        return (
            f"{self.actions_cancelled} open action(s) cancelled, "
            f"{self.health_actions_removed} personal health action(s) removed, "
            f"{self.packs_expired} report pack(s) deleted"
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


def _pack_documents(job: Job) -> set[str] | None:
    """The document ids a stored report pack lists in its manifest (None: unreadable)."""
    try:
        with job.result.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            manifest = archive.read("manifest.csv").decode("utf-8")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    return {row.get("document", "") for row in csv.DictReader(io.StringIO(manifest))}


def _expire_jobs(*, assessments: list[Assessment]) -> tuple[int, list[str]]:
    """Expire the report packs that hold these assessments, and the jobs that would still
    send or pack them. Returns how many packs were deleted and their files."""
    if not assessments:
        return 0, []
    documents = {document_id(a) for a in assessments}
    dated = Q()
    for day in {a.assessed_on for a in assessments}:
        dated |= Q(period_start__lte=day, period_end__gte=day)
    expired: list[int] = []
    files: list[str] = []
    packs = Job.objects.select_for_update().filter(dated, kind=Job.Kind.PACK)
    for job in packs.filter(status=Job.Status.SUCCEEDED).exclude(result=""):
        held = _pack_documents(job)
        if held is None or held & documents:  # a pack that cannot be read is not trusted
            expired.append(job.pk)
            files.append(job.result.name)
    # A pack being built now may already hold them; the worker discards it when it ends.
    expired += packs.filter(status=Job.Status.RUNNING).values_list("pk", flat=True)
    # Report emails not sent yet.
    expired += Job.objects.filter(
        kind=Job.Kind.EMAIL,
        assessment__in=assessments,
        status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
    ).values_list("pk", flat=True)
    Job.objects.filter(pk__in=expired).update(
        status=Job.Status.EXPIRED,
        error=str(reporting_jobs.ERASED_SINCE),
        result="",
        result_name="",
        finished_at=timezone.now(),
    )
    return len(files), files


def _log_entries(targets: dict[type[models.Model], Iterable[Any]]) -> Q:
    """The admin log entries about these records (their ids, per model)."""
    condition = Q(pk__in=[])
    for model, ids in targets.items():
        content_type = ContentType.objects.get_for_model(model)
        condition |= Q(content_type=content_type, object_id__in=[str(pk) for pk in ids])
    return condition


def _mentioning(fields: Iterable[str], forms: list[str]) -> Q:
    condition = Q(pk__in=[])
    for field in fields:
        for form in forms:
            condition |= Q(**{f"{field}__icontains": form})
    return condition


def _scrub_admin_log(*, about: Q, forms: list[str], employee_id: int) -> None:
    """Admin log entries keep who changed which fields when, not whose record it was."""
    about_ids = set(LogEntry.objects.filter(about).values_list("pk", flat=True))
    named = _mentioning(["object_repr", "change_message"], forms)
    for entry in LogEntry.objects.filter(about | named).select_related("content_type"):
        if entry.pk in about_ids:
            erased_employee = entry.content_type.model_class() is Employee
            entry.object_repr = (
                f"Erased employee {employee_id}" if erased_employee else anonymise.REMOVED_TEXT
            )
            entry.change_message = anonymise.change_message_without_objects(entry.change_message)
        entry.object_repr = anonymise.scrubbed(entry.object_repr, forms)
        entry.change_message = anonymise.scrubbed(entry.change_message, forms)
        entry.save(update_fields=["object_repr", "change_message"])


def _scrub_audit_details(*, forms: list[str]) -> None:
    """Audit details that quote the name or HR reference (export filters, searches)."""
    for event in AuditEvent.objects.filter(_mentioning(["detail"], forms)):
        event.detail = anonymise.scrubbed(event.detail, forms)[:250]
        event.save(update_fields=["detail"])


def _history(model: type[models.Model], **lookup: Any) -> Any:
    return _history_model(model).objects.filter(**lookup)


#: Records of an assessment that an erasure anonymises or removes itself (below); every
#: other record attached to an assessment (its sections, lifting tasks, any added later)
#: is deleted with its change history.
_TREATED_ON_ERASURE: frozenset[type[models.Model]] = frozenset({Assessment, Action, Photo, Report})


def _attached_records() -> list[tuple[type[models.Model], str]]:
    """(model, name of its field pointing to the assessment) of every record attached to
    an assessment that erasure deletes outright."""
    return [
        (relation.related_model, relation.field.name)
        for relation in Assessment._meta.related_objects
        if relation.related_model not in _TREATED_ON_ERASURE
    ]


@transaction.atomic
def employee_erase(
    *, employee: Employee, user: Any, reason: str = "erasure request"
) -> ErasureSummary:
    """Erase `employee`: nothing identifying or clinical about them stays.

    Drafts are deleted. Completed assessments stay as anonymous statistics
    (`anonymise.anonymous_snapshot`, `anonymise.ASSESSMENT_KEEPS`): their sections, lifting
    tasks, photos and stored reports are deleted, the reassessment is cancelled. Personal
    health and psychosocial actions are deleted; workplace actions keep only what kind of
    measure they were and their follow-up, and the open ones are cancelled. Report packs
    holding them are deleted (their jobs expire), the name and HR reference are taken out
    of the admin log and the audit details, change-history rows follow their records, and
    the department's dashboard counts are updated in the same transaction
    (`people.changes.employees_changing`: no erased word stays in them).
    """
    with employees_changing([employee.pk]):
        return _erase(employee=employee, user=user, reason=reason)


def _erase(*, employee: Employee, user: Any, reason: str) -> ErasureSummary:
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    forms = anonymise.identity_forms([employee.name, employee.hr_reference, employee.email])
    assessments = list(Assessment.objects.filter(employee=employee).order_by("pk"))
    completed = [a for a in assessments if a.is_completed]
    completed_ids = [a.pk for a in completed]
    draft_ids = [a.pk for a in assessments if not a.is_completed]
    all_ids = completed_ids + draft_ids

    packs_expired, pack_files = _expire_jobs(assessments=completed)

    # Self-assessments are health data from start to end: their answers, results, alerts,
    # links and the record of emails sent go whole, and so do the events recorded.
    Invitation.objects.filter(employee=employee).delete()
    EmployeeEvent.objects.filter(employee=employee).delete()
    # Consent to share with the manager: the decisions, their history and the links' hashes
    # name what was decided about this person; they go whole (the anonymous statistics that
    # stay are shared with no one by name).
    Consent.objects.filter(assessment__employee=employee).delete()

    photos = Photo.objects.filter(assessment_id__in=all_ids)
    reports = Report.objects.filter(assessment_id__in=all_ids)
    actions = Action.objects.filter(assessment_id__in=all_ids)
    health_actions = actions.filter(_health_actions_q())
    attached = _attached_records()
    records: dict[type[models.Model], Iterable[Any]] = {
        model: model._default_manager.filter(**{f"{field}__in": all_ids}).values_list(
            "pk", flat=True
        )
        for model, field in [*attached, (Action, "assessment"), (Photo, "assessment")]
    }
    records[Report] = reports.values_list("pk", flat=True)
    records.update({Employee: [employee.pk], Assessment: all_ids})
    _scrub_admin_log(about=_log_entries(records), forms=forms, employee_id=employee.pk)
    _scrub_audit_details(forms=forms)
    TallyRow.objects.filter(ref__in=actions.values("pk")).update(label="")

    files = [p.image.name for p in photos] + [r.file.name for r in reports] + pack_files
    photo_count, report_count = photos.count(), reports.count()
    photos.delete()
    reports.delete()

    # Personal health and psychosocial actions: that they exist is health information.
    health_ids = list(health_actions.values_list("pk", flat=True))
    health_actions.delete()
    _history(Action, id__in=health_ids).delete()

    # Drafts hold nothing that statistics need: delete them and every history row about them.
    Assessment.objects.filter(pk__in=draft_ids).delete()
    _history(Assessment, id__in=draft_ids).delete()
    # The records behind a completed snapshot go too (sections, lifting tasks): the snapshot
    # is the record.
    for model, field in attached:
        model._default_manager.filter(**{f"{field}__in": all_ids}).delete()
        if hasattr(model, "history"):
            _history(model, **{f"{field}_id__in": all_ids}).delete()
    _history(Action, assessment_id__in=draft_ids).delete()

    # Completed assessments stay as anonymous statistics; the reassessment is cancelled.
    for assessment in completed:
        inputs, results = anonymise.anonymous_snapshot(assessment.inputs, assessment.results)
        Assessment.objects.filter(pk=assessment.pk).update(
            **anonymise.emptied(
                Assessment,
                keep=anonymise.ASSESSMENT_KEEPS,
                replace={"inputs": inputs, "results": results, "section_statements": []},
            )
        )
    _history(Assessment, id__in=completed_ids).update(
        **anonymise.emptied(
            _history_model(Assessment),
            keep=anonymise.ASSESSMENT_KEEPS | anonymise.HISTORY_KEEPS,
            replace={"section_statements": []},
        )
    )

    # Workplace actions keep what kind of measure they were; the open ones are cancelled.
    workplace = Action.objects.filter(assessment_id__in=completed_ids)
    cancelled = workplace.exclude(status__in=Action.CLOSED).update(
        status=Action.Status.CANCELLED, completed_on=None, closed_in_days=None
    )
    history = _history(Action, assessment_id__in=completed_ids)
    history_model = _history_model(Action)
    for rows, model, keep in (
        (workplace, Action, anonymise.ACTION_KEEPS),
        (history, history_model, anonymise.ACTION_KEEPS | anonymise.HISTORY_KEEPS),
    ):
        for code, status in set(rows.values_list("code", "status")):
            replace = {
                "title": anonymise.action_title(code),
                "evidence_note": anonymise.action_evidence(status),
            }
            rows.filter(code=code, status=status).update(
                **anonymise.emptied(model, keep=keep, replace=replace)
            )

    today = timezone.localdate()
    # The employee's own change history holds every name and HR reference they had.
    _history_model(Employee).objects.filter(id=employee.pk).delete()
    Employee.objects.filter(pk=employee.pk).update(
        name=f"Erased employee {employee.pk}",
        hr_reference=f"erased-{employee.pk}",
        email="",
        job_title="",
        active=False,
        started_on=None,
        left_on=employee.left_on or today,
        anonymised_at=timezone.now(),
    )
    summary = ErasureSummary(
        anonymised=len(completed_ids),
        drafts_deleted=len(draft_ids),
        photos_removed=photo_count,
        reports_removed=report_count,
        actions_cancelled=cancelled,
        health_actions_removed=len(health_ids),
        packs_expired=packs_expired,
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
