"""Use cases of assessment records: start, save, preview, amend.

Functions are named `<entity>_<action>`, take keyword-only arguments, validate, and
write inside a transaction. Scores are never computed here: the scoring package does
that from the interchange input these functions assemble."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from assessments.core.errors import StaleEditError
from assessments.people.models import Employee
from assessments.records import sections, snapshot
from assessments.records.models import (
    AMENDMENT_REASON_MAX_LENGTH,
    AMENDMENT_REASON_REQUIRED,
    Assessment,
    LiftingTask,
    unsuperseded_q,
)
from assessments.scoring import interchange, worker
from assessments.scoring.assessment import SCORING_VERSION, assess
from assessments.scoring.strain import REASSESS_MONTHS, Band


class AssessmentStateError(Exception):
    """The assessment is not in a state that allows this change."""


class UnansweredItemsError(AssessmentStateError):
    """A section has unanswered items, so the assessment cannot be completed.

    `missing` maps each such section to its "not answered" messages."""

    def __init__(self, missing: dict[str, tuple[str, ...]]) -> None:
        self.missing = missing
        listed = "; ".join(m for messages in missing.values() for m in messages)
        super().__init__(f"Answer every item of a section before completing: {listed}.")


ERASED_MESSAGE = "The employee's records were erased: nothing can be added to them."

RED_FLAGS_NOT_ASKED_MESSAGE = (
    "Ask every red-flag question before completing (answer yes or no), or record here why "
    "they were not asked. Not asked yet: {labels}."
)


class RedFlagsNotAskedError(AssessmentStateError):
    """A red-flag question is still "not asked" and no reason is recorded."""


def red_flags_not_asked(assessment: Assessment) -> tuple[str, ...]:
    """Labels of the red-flag questions that block completion: those still "not asked"
    while the assessor has not recorded why. Empty without a worker section."""
    section = section_of(assessment, "worker")
    if section is None or section.red_flags_not_asked_reason.strip():
        return ()
    return tuple(
        label
        for field, label in worker.RED_FLAG_FIELDS.items()
        if getattr(section, field) == worker.Answer.NOT_ASKED
    )


def red_flags_not_asked_message(labels: tuple[str, ...]) -> str:
    return RED_FLAGS_NOT_ASKED_MESSAGE.format(labels="; ".join(labels))


def section_of(assessment: Assessment, name: str) -> Any | None:
    """The section instance if it has been filled in, else None ("not assessed")."""
    model: Any = sections.BY_KEY[name].model
    try:
        return model.objects.get(assessment=assessment)
    except model.DoesNotExist:
        return None


def assessment_input_dict(
    assessment: Assessment, *, overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The assessment's inputs in the scoring interchange format.

    `overrides` replaces a section's values (``{"sitting": {...}}``) or one lifting task
    (``{"task": ("12" or "new", {...})}``) with values being typed but not yet saved.
    """
    overrides = overrides or {}
    data: dict[str, Any] = {
        "format": interchange.INPUT_FORMAT,
        "version": interchange.INPUT_VERSION,
    }
    for name in sections.BY_KEY:
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
    statements = [s for s in assessment.section_statements or [] if not _section_assessed(data, s)]
    if statements:
        data["unassessed_sections"] = statements
    return data


def _section_assessed(data: dict[str, Any], statement: Any) -> bool:
    """Whether the section a stored statement is about has inputs after all (a statement
    recorded before the section was filled in no longer applies)."""
    section = statement.get("section") if isinstance(statement, dict) else None
    if section == "lifting":
        return bool(data.get("lifting_tasks"))
    return data.get(section) is not None if isinstance(section, str) else False


def sections_not_assessed(assessment: Assessment) -> list[str]:
    """The sections (interchange names: workstation, sitting, worker, lifting) with no
    inputs, in the sections' order: each needs a statement before completion."""
    data = assessment_input_dict(assessment)
    names = [*sections.BY_KEY, "lifting"]
    return [n for n in names if not _section_assessed(data, {"section": n})]


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


@transaction.atomic
def assessment_create(
    *, employee: Employee, assessor: Any, previous: Assessment | None = None
) -> Assessment:
    """Start a draft. A reassessment is pre-filled from the previous assessment."""
    if employee.is_erased:
        raise AssessmentStateError(ERASED_MESSAGE)
    assessment = Assessment(employee=employee, assessor=assessor, previous=previous)
    assessment.full_clean()
    assessment.save()
    if previous is not None:
        _copy_sections(source=previous, target=assessment)
    return assessment


def _copy_sections(*, source: Assessment, target: Assessment) -> None:
    for kind in sections.SECTIONS:
        section = section_of(source, kind.key)
        if section is not None:
            values = {field: getattr(section, field) for field in kind.input_fields}
            kind.model.objects.create(assessment=target, **values)  # type: ignore[attr-defined]
    for task in source.lifting_tasks.all():
        values = {field: getattr(task, field) for field in task.input_fields}
        LiftingTask.objects.create(assessment=target, position=task.position, **values)


def changed_fields(current: models.Model, submitted: dict[str, Any]) -> list[str]:
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
    exist when the form was opened. A new lifting task goes after the last one.
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
            raise StaleEditError(existing, changed_fields(existing, values))
        for name, value in values.items():
            setattr(instance, name, value)
        instance.assessment = locked  # type: ignore[attr-defined]
        if isinstance(instance, LiftingTask):
            instance.position = _next_task_position(locked)
        instance.full_clean()
        instance.save()
        return instance
    current: Any = model.objects.select_for_update().get(pk=instance.pk)  # type: ignore[attr-defined]
    if lock_version is None or current.lock_version != lock_version:
        raise StaleEditError(current, changed_fields(current, values))
    for name, value in values.items():
        setattr(current, name, value)
    current.lock_version = lock_version + 1
    current.full_clean()
    current.save()
    saved: models.Model = current
    return saved


def _next_task_position(locked: Assessment) -> int:
    """The position after the draft's last lifting task. Read while the assessment row is
    locked, so tasks added at the same moment each get their own (positions are unique)."""
    last = locked.lifting_tasks.aggregate(models.Max("position"))["position__max"] or 0
    return int(last) + 1


@transaction.atomic
def lifting_task_duplicate(*, assessment: Assessment, task: LiftingTask) -> LiftingTask:
    locked = _require_draft(assessment)
    values = {field: getattr(task, field) for field in task.input_fields}
    values["label"] = f"{task.label} (copy)"[:120]
    return LiftingTask.objects.create(
        assessment=locked, position=_next_task_position(locked), **values
    )


@transaction.atomic
def lifting_task_delete(*, assessment: Assessment, task: LiftingTask) -> None:
    _require_draft(assessment)
    task.delete()


def _require_draft(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_draft:
        raise AssessmentStateError("A completed assessment cannot be changed; amend it instead.")
    return locked


def reassess_due_for(band: str, assessed_on: dt.date) -> dt.date | None:
    """Reassessment date by band: very high 1 month, high 3, moderate 6, low 12; none when
    nothing was assessed ("not assessable")."""
    months = REASSESS_MONTHS.get(Band(band))
    if months is None:
        return None
    month_index = assessed_on.month - 1 + months
    year = assessed_on.year + month_index // 12
    month = month_index % 12 + 1
    for day in (assessed_on.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


@transaction.atomic
def assessment_sign(
    *,
    assessment: Assessment,
    reassess_due: dt.date | None = None,
    statements: list[dict[str, Any]] | None = None,
) -> Assessment:
    """Score a draft once and store its snapshot: inputs, results and the scoring version
    that produced them. From now on the assessment is read-only; amending it starts a new
    revision. The reassessment date follows the band unless one is given. `statements` are
    the assessor's statements about the sections not assessed (interchange
    `unassessed_sections`); they are stored with the assessment and scored with it.

    Raises `interchange.InputErrors` if the inputs cannot be scored, and
    `UnansweredItemsError` if a section has unanswered items (nothing is saved).
    `RedFlagsNotAskedError` while a red-flag question is not asked without a recorded reason
    (nothing is saved).
    """
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_draft:
        raise AssessmentStateError("This assessment has already been completed.")
    if statements is not None:
        locked.section_statements = statements
    blocking = red_flags_not_asked(locked)
    if blocking:
        raise RedFlagsNotAskedError(red_flags_not_asked_message(blocking))
    inputs = assessment_input_dict(locked)
    parsed = interchange.parse_input(inputs)
    scored = assess(parsed)
    if scored.unanswered:
        raise UnansweredItemsError({u.section: u.messages for u in scored.unanswered})
    results = interchange.dump_result(scored)
    strain = scored.strain
    locked.inputs = inputs
    locked.results = results
    locked.scoring_version = SCORING_VERSION
    locked.strain_score = strain.score
    locked.band = strain.band
    locked.status = Assessment.Status.COMPLETED
    locked.completed_at = timezone.now()
    locked.reassess_due = reassess_due or reassess_due_for(strain.band, locked.assessed_on)
    locked.lock_version += 1
    copy_query_columns(locked, results)
    locked.full_clean()
    locked.save()
    _mark_latest(locked)
    return locked


INFINITE_LI_STORED = 99.0


def copy_query_columns(assessment: Assessment, results: dict[str, Any]) -> None:
    """Copy the few snapshot values the dashboard groups by into indexed columns (also
    for snapshots loaded in bulk, such as the benchmark's)."""
    read = snapshot.read_results(results)
    if read.workstation is not None:
        rosa = read.workstation.result
        assessment.rosa_final = rosa.final
        assessment.rosa_chair = rosa.chair
        assessment.rosa_monitor_phone = rosa.monitor_phone
        assessment.rosa_mouse_keyboard = rosa.mouse_keyboard
    if read.lifting is not None and read.lifting.tasks:
        lifting = read.lifting
        worst = max(
            lifting.tasks,
            key=lambda t: (
                float("inf")
                if t.governing.lifting_index_is_infinite
                else t.governing.lifting_index or 0.0
            ),
        )
        assessment.limiting_factor = worst.governing.limiting
        if len(lifting.tasks) == 1:
            value = worst.governing.lifting_index
            infinite = worst.governing.lifting_index_is_infinite
        else:
            value = lifting.composite_lifting_index
            infinite = lifting.composite_lifting_index_is_infinite
        assessment.lifting_index = (
            INFINITE_LI_STORED if infinite or value is None else min(value, INFINITE_LI_STORED)
        )


def _mark_latest(assessment: Assessment) -> None:
    """Keep exactly one `is_latest` per employee: the newest completed assessment."""
    employee_id = assessment.employee_id
    Assessment.objects.filter(employee_id=employee_id, is_latest=True).update(is_latest=False)
    newest = (
        Assessment.objects.filter(unsuperseded_q(), employee_id=employee_id)
        .order_by("-assessed_on", "-completed_at", "-pk")
        .first()
    )
    if newest is not None:
        Assessment.objects.filter(pk=newest.pk).update(is_latest=True)


@transaction.atomic
def assessment_amend(*, assessment: Assessment, user: Any, reason: str) -> Assessment:
    """Start a new revision that supersedes a completed assessment; both stay in history.
    The reason is stored on the new revision (OH-only text, like the notes).

    Raises `ValidationError` on the `reason` field when it is blank or too long (nothing is
    created)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": AMENDMENT_REASON_REQUIRED})
    if len(reason) > AMENDMENT_REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"Keep the reason under {AMENDMENT_REASON_MAX_LENGTH} characters."}
        )
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_completed:
        raise AssessmentStateError("Only a completed assessment can be amended.")
    if locked.employee.is_erased:
        raise AssessmentStateError(ERASED_MESSAGE)
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
        amendment_reason=reason,
    )
    _copy_sections(source=locked, target=amendment)
    return amendment
