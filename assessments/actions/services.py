"""Use cases of actions: complete an assessment into actions, follow them up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.actions.models import Action
from assessments.core.errors import StaleEditError
from assessments.insights import tallies
from assessments.records.models import (
    Assessment,
)
from assessments.records.services import (
    AssessmentStateError,
    _changed_fields,
    _copy_query_columns,
    _mark_latest,
    assessment_input_dict,
    reassess_due_for,
)
from assessments.records.snapshot import Recommendation
from assessments.scoring import interchange
from assessments.scoring.assessment import SCORING_VERSION, assess


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
        cls, rec: Recommendation, *, due_on: dt.date | None = None, owner: Any = None
    ) -> ActionDraft:
        """An action taken over unchanged from a recommendation of the results."""
        return cls(
            code=rec.code,
            title=rec.title,
            detail=rec.action,
            rationale=rec.why,
            category=rec.category,
            priority=rec.priority,
            cost_band=rec.cost_band,
            owner=owner,
            due_on=due_on,
        )


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
    scored = assess(parsed)
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
        from assessments.reporting.tasks import render_assessment_reports

        user_id = getattr(user, "pk", None)
        transaction.on_commit(lambda: render_assessment_reports.enqueue(locked.pk, user_id))
    return locked


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
    from assessments.records import photos

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
