"""Use cases: start, save, preview, complete and amend assessments; follow up actions.

Functions are named `<entity>_<action>`, take keyword-only arguments, validate, and
write inside a transaction. Scores are never computed here: the scoring package does
that from the interchange input these functions assemble.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from assessments import tallies
from assessments.models import (
    Action,
    Assessment,
    AuditEvent,
    Employee,
    LiftingTask,
    SittingSection,
    WorkerSection,
    WorkstationSection,
)
from assessments.scoring import interchange
from assessments.scoring.assessment import SCORING_VERSION, assess
from assessments.scoring.strain import REASSESS_MONTHS, Band

SECTION_MODELS: dict[str, type[models.Model]] = {
    "workstation": WorkstationSection,
    "sitting": SittingSection,
    "worker": WorkerSection,
}


class StaleEditError(Exception):
    """Someone else saved this section since the form was opened."""

    def __init__(self, current: models.Model, changed: list[str]) -> None:
        super().__init__("This section was changed by someone else since you opened it.")
        self.current = current
        self.changed = changed


class AssessmentStateError(Exception):
    """The assessment is not in a state that allows this change."""


def section_of(assessment: Assessment, name: str) -> Any | None:
    """The section instance if it has been filled in, else None ("not assessed")."""
    model = SECTION_MODELS[name]
    try:
        return model.objects.get(assessment=assessment)  # type: ignore[attr-defined]
    except model.DoesNotExist:  # type: ignore[attr-defined]
        return None


def assessment_input_dict(
    assessment: Assessment, *, overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The assessment's inputs in the scoring interchange format.

    `overrides` replaces a section's values (``{"sitting": {...}}``) or one lifting task
    (``{"task": ("12" or "new", {...})}``) with values being typed but not yet saved.
    """
    overrides = overrides or {}
    data: dict[str, Any] = {"format": interchange.INPUT_FORMAT, "version": 1}
    for name in SECTION_MODELS:
        if name in overrides:
            data[name] = _json_safe(overrides[name])
            continue
        section = section_of(assessment, name)
        data[name] = section.to_input() if section is not None else None
    tasks = [(str(task.pk), task.to_input()) for task in assessment.lifting_tasks.all()]
    if "task" in overrides:
        task_id, values = overrides["task"]
        values = _json_safe(values)
        if task_id == "new":
            tasks.append(("new", values))
        else:
            tasks = [(pk, values if pk == task_id else old) for pk, old in tasks]
    data["lifting_tasks"] = [values for _, values in tasks]
    return data


def _json_safe(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (list(value) if isinstance(value, tuple) else value) for key, value in values.items()
    }


@dataclass(frozen=True)
class Preview:
    """Live results for a draft: the result dict, or the problems that stop scoring."""

    results: dict[str, Any] | None
    errors: tuple[interchange.InputError, ...]


def assessment_preview(
    *, assessment: Assessment, overrides: dict[str, Any] | None = None
) -> Preview:
    data = assessment_input_dict(assessment, overrides=overrides)
    try:
        parsed = interchange.parse_input(data)
    except interchange.InputErrors as exc:
        return Preview(results=None, errors=exc.errors)
    return Preview(results=interchange.dump_result(assess(parsed)), errors=())


# --- Creating and editing drafts -------------------------------------------------------


@transaction.atomic
def assessment_create(
    *, employee: Employee, assessor: Any, previous: Assessment | None = None
) -> Assessment:
    """Start a draft. A reassessment is pre-filled from the previous assessment."""
    assessment = Assessment(employee=employee, assessor=assessor, previous=previous)
    assessment.full_clean()
    assessment.save()
    if previous is not None:
        _copy_sections(source=previous, target=assessment)
    return assessment


def _copy_sections(*, source: Assessment, target: Assessment) -> None:
    for name, model in SECTION_MODELS.items():
        section = section_of(source, name)
        if section is not None:
            values = {field: getattr(section, field) for field in section.input_fields}
            model.objects.create(assessment=target, **values)  # type: ignore[attr-defined]
    for task in source.lifting_tasks.all():
        values = {field: getattr(task, field) for field in task.input_fields}
        LiftingTask.objects.create(assessment=target, position=task.position, **values)


def _changed_fields(current: models.Model, submitted: dict[str, Any]) -> list[str]:
    return [
        name
        for name, value in submitted.items()
        if hasattr(current, name) and getattr(current, name) != value
    ]


@transaction.atomic
def section_save(
    *,
    assessment: Assessment,
    instance: models.Model,
    values: dict[str, Any],
    lock_version: int | None,
) -> models.Model:
    """Save one section of a draft, refusing to overwrite someone else's newer save.

    `lock_version` is the version the editor loaded; None for a section that did not
    exist when the form was opened.
    """
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_draft:
        raise AssessmentStateError("A completed assessment cannot be changed; amend it instead.")
    model = type(instance)
    if instance.pk is None:
        existing = (
            model.objects.filter(assessment=locked).first()  # type: ignore[attr-defined]
            if model is not LiftingTask
            else None
        )
        if existing is not None:
            raise StaleEditError(existing, _changed_fields(existing, values))
        for name, value in values.items():
            setattr(instance, name, value)
        instance.assessment = locked  # type: ignore[attr-defined]
        instance.full_clean()
        instance.save()
        return instance
    current = model.objects.select_for_update().get(pk=instance.pk)  # type: ignore[attr-defined]
    if lock_version is None or current.lock_version != lock_version:
        raise StaleEditError(current, _changed_fields(current, values))
    for name, value in values.items():
        setattr(current, name, value)
    current.lock_version = lock_version + 1
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def lifting_task_duplicate(*, assessment: Assessment, task: LiftingTask) -> LiftingTask:
    _require_draft(assessment)
    values = {field: getattr(task, field) for field in task.input_fields}
    values["label"] = f"{task.label} (copy)"[:120]
    last = assessment.lifting_tasks.aggregate(models.Max("position"))["position__max"] or 0
    return LiftingTask.objects.create(assessment=assessment, position=last + 1, **values)


@transaction.atomic
def lifting_task_delete(*, assessment: Assessment, task: LiftingTask) -> None:
    _require_draft(assessment)
    task.delete()


def _require_draft(assessment: Assessment) -> None:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_draft:
        raise AssessmentStateError("A completed assessment cannot be changed; amend it instead.")


# --- Completing and amending -------------------------------------------------------------


def reassess_due_for(band: str, assessed_on: dt.date) -> dt.date:
    """Reassessment date by band: very high 1 month, high 3, moderate 6, low 12."""
    months = REASSESS_MONTHS[Band(band)]
    month_index = assessed_on.month - 1 + months
    year = assessed_on.year + month_index // 12
    month = month_index % 12 + 1
    for day in (assessed_on.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class ActionDraft:
    """A recommendation the assessor confirmed (possibly edited) on completion."""

    code: str
    title: str
    detail: str
    rationale: str
    category: str
    priority: int
    cost_band: str
    owner: Any = None
    due_on: dt.date | None = None

    @classmethod
    def from_recommendation(
        cls, rec: dict[str, Any], *, due_on: dt.date | None = None, owner: Any = None
    ) -> ActionDraft:
        """An action taken over unchanged from a recommendation in a results snapshot."""
        return cls(
            code=rec["code"],
            title=rec["title"],
            detail=rec["action"],
            rationale=rec["why"],
            category=rec["category"],
            priority=rec["priority"],
            cost_band=rec["cost_band"],
            owner=owner,
            due_on=due_on,
        )


def snapshot_digest(inputs: dict[str, Any], results: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a snapshot, printed on reports rendered from it."""
    canonical = json.dumps(
        {"inputs": inputs, "results": results}, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def assessment_complete(
    *,
    assessment: Assessment,
    user: Any,
    actions: list[ActionDraft],
    reassess_due: dt.date | None = None,
    store_reports: bool = True,
) -> Assessment:
    """Score once, store the snapshot, create the confirmed actions, set the reassessment date.

    The OH and manager PDFs are then rendered from the snapshot by a background task
    (immediately in the embedded set-up). With `store_reports=False` they are rendered
    on first download instead, from the same snapshot.

    Raises `interchange.InputErrors` if the inputs cannot be scored (nothing is saved).
    """
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_draft:
        raise AssessmentStateError("This assessment has already been completed.")
    inputs = assessment_input_dict(locked)
    parsed = interchange.parse_input(inputs)
    results = interchange.dump_result(assess(parsed))
    strain = results["strain"]
    locked.inputs = inputs
    locked.results = results
    locked.scoring_version = SCORING_VERSION
    locked.strain_score = strain["score"]
    locked.band = strain["band"]
    locked.status = Assessment.Status.COMPLETED
    locked.completed_at = timezone.now()
    locked.reassess_due = reassess_due or reassess_due_for(strain["band"], locked.assessed_on)
    locked.lock_version += 1
    _copy_query_columns(locked, results)
    locked.full_clean()
    locked.save()
    for draft in actions:
        action = Action(
            assessment=locked,
            code=draft.code,
            title=draft.title,
            detail=draft.detail,
            rationale=draft.rationale,
            category=draft.category,
            priority=draft.priority,
            cost_band=draft.cost_band,
            owner=draft.owner,
            due_on=draft.due_on,
        )
        action.full_clean()
        action.save()
    _mark_latest(locked)
    tallies.recount_after_commit([tallies.department_of_assessment(locked.pk)])
    if store_reports:
        from assessments.tasks import render_assessment_reports

        user_id = getattr(user, "pk", None)
        transaction.on_commit(lambda: render_assessment_reports.enqueue(locked.pk, user_id))
    return locked


INFINITE_LI_STORED = 99.0


def _copy_query_columns(assessment: Assessment, results: dict[str, Any]) -> None:
    """Copy the few snapshot values the dashboard groups by into indexed columns."""
    rosa = (results.get("workstation") or {}).get("result")
    if rosa:
        assessment.rosa_final = rosa["final"]
        assessment.rosa_chair = rosa["chair"]
        assessment.rosa_monitor_phone = rosa["monitor_phone"]
        assessment.rosa_mouse_keyboard = rosa["mouse_keyboard"]
    lifting = results.get("lifting")
    if lifting and lifting.get("tasks"):
        tasks = lifting["tasks"]
        worst = max(
            tasks,
            key=lambda t: (
                float("inf")
                if t["governing"].get("lifting_index_is_infinite")
                else t["governing"]["lifting_index"]
            ),
        )
        assessment.limiting_factor = str(worst["governing"].get("limiting") or "")
        if len(tasks) == 1:
            value = worst["governing"].get("lifting_index")
            infinite = worst["governing"].get("lifting_index_is_infinite", False)
        else:
            value = lifting.get("composite_lifting_index")
            infinite = lifting.get("composite_lifting_index_is_infinite", False)
        assessment.lifting_index = (
            INFINITE_LI_STORED if infinite or value is None else min(value, INFINITE_LI_STORED)
        )


def _mark_latest(assessment: Assessment) -> None:
    """Keep exactly one `is_latest` per employee: the newest completed assessment."""
    employee_id = assessment.employee_id
    Assessment.objects.filter(employee_id=employee_id, is_latest=True).update(is_latest=False)
    newest = (
        Assessment.objects.filter(
            employee_id=employee_id,
            status=Assessment.Status.COMPLETED,
        )
        .exclude(superseded_by__status=Assessment.Status.COMPLETED)
        .order_by("-assessed_on", "-completed_at", "-pk")
        .first()
    )
    if newest is not None:
        Assessment.objects.filter(pk=newest.pk).update(is_latest=True)


@transaction.atomic
def assessment_amend(*, assessment: Assessment, user: Any) -> Assessment:
    """Start a new revision that supersedes a completed assessment; both stay in history."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_completed:
        raise AssessmentStateError("Only a completed assessment can be amended.")
    if Assessment.objects.filter(supersedes=locked).exists():
        raise AssessmentStateError("This revision has already been amended.")
    amendment = Assessment.objects.create(
        employee=locked.employee,
        assessor=user,
        assessed_on=locked.assessed_on,
        revision=locked.revision + 1,
        supersedes=locked,
        previous=locked.previous,
        notes=locked.notes,
    )
    _copy_sections(source=locked, target=amendment)
    return amendment


# --- Actions -----------------------------------------------------------------------------


@transaction.atomic
def action_update(
    *,
    action: Action,
    status: str,
    evidence_note: str = "",
    owner: Any = None,
    due_on: dt.date | None = None,
    completed_on: dt.date | None = None,
    update_owner: bool = False,
    lock_version: int | None = None,
) -> Action:
    """Update an action's follow-up; `lock_version` is the version the editor loaded.

    With a `lock_version` that is no longer current (someone saved in between), nothing is
    written and `StaleEditError` says which fields now differ from what was submitted.
    Without one (bulk status changes) the newest stored values are updated.
    """
    current = Action.objects.select_for_update().get(pk=action.pk)
    if lock_version is not None and current.lock_version != lock_version:
        submitted: dict[str, Any] = {"status": status, "evidence_note": evidence_note}
        if update_owner:
            submitted.update(owner=owner, due_on=due_on)
        raise StaleEditError(current, _changed_fields(current, submitted))
    action.refresh_from_db()
    action.lock_version += 1
    action.status = status
    action.evidence_note = evidence_note
    if update_owner:
        action.owner = owner
        action.due_on = due_on
    if status == Action.Status.DONE:
        action.completed_on = completed_on or action.completed_on or timezone.localdate()
        created = timezone.localdate(action.created_at) if action.created_at else None
        action.closed_in_days = max(0, (action.completed_on - created).days) if created else None
    else:
        action.completed_on = None
        action.closed_in_days = None
    if status == Action.Status.DECLINED and not evidence_note.strip():
        raise ValidationError({"evidence_note": "Say why the action was declined."})
    action.full_clean()
    action.save()
    tallies.recount_after_commit([tallies.department_of_assessment(action.assessment_id)])
    return action


@transaction.atomic
def action_complete(
    *,
    action: Action,
    user: Any,
    evidence_note: str,
    completed_on: dt.date | None = None,
    photo: Any = None,
    caption: str = "",
    lock_version: int | None = None,
) -> Action:
    """Close an action as done, with what was done and, optionally, a photo as evidence.

    The photo is re-encoded and stored like any assessment photo, linked to the action.
    Nothing is saved if the note is empty or the photo cannot be read.
    """
    if not evidence_note.strip():
        raise ValidationError({"evidence_note": "Say what was done."})
    from assessments import photos

    updated = action_update(
        action=action,
        status=Action.Status.DONE,
        evidence_note=evidence_note,
        completed_on=completed_on,
        lock_version=lock_version,
    )
    if photo is not None:
        photos.photo_store(
            assessment=updated.assessment,
            upload=photo,
            section="action",
            caption=caption or f"Evidence: {updated.title}"[:200],
            user=user,
            action=updated,
        )
    return updated


def audit(
    *,
    kind: str,
    user: Any,
    employee: Employee | None = None,
    assessment: Any = None,
    detail: str = "",
) -> None:
    AuditEvent.objects.create(
        kind=kind, user=user, employee=employee, assessment=assessment, detail=detail[:250]
    )
