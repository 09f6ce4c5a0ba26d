"""Use cases of actions: complete an assessment into actions, follow them up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.actions.carry_over import CarryOver, carry_over
from assessments.actions.models import Action
from assessments.core.errors import StaleEditError
from assessments.people.changes import employees_changing
from assessments.records import photos
from assessments.records.models import (
    Assessment,
)
from assessments.records.services import assessment_sign, changed_fields
from assessments.records.snapshot import Recommendation, read_results
from assessments.scoring.recommendations import CLINICAL_URGENCY
from assessments.scoring.worker import Urgency

#: Days from the assessment to an action's due date, by priority (1 urgent ... 4 low), for
#: actions that are not clinical referrals.
DUE_DAYS = {1: 7, 2: 30, 3: 60, 4: 90}


def _add_working_days(day: dt.date, count: int) -> dt.date:
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def due_date_for(*, code: str, priority: int, assessed_on: dt.date) -> dt.date:
    """The due date of a new action. A clinical referral's follows its urgency (settings
    ACTION_DUE_EMERGENCY_DAYS, ACTION_DUE_URGENT_WORKING_DAYS, ACTION_DUE_ROUTINE_DAYS:
    the same day, 2 working days, 4 weeks); any other action's follows its priority."""
    urgency = CLINICAL_URGENCY.get(code)
    if urgency is Urgency.EMERGENCY:
        return assessed_on + dt.timedelta(days=settings.ACTION_DUE_EMERGENCY_DAYS)
    if urgency is Urgency.URGENT:
        return _add_working_days(assessed_on, settings.ACTION_DUE_URGENT_WORKING_DAYS)
    if urgency is Urgency.ROUTINE:
        return assessed_on + dt.timedelta(days=settings.ACTION_DUE_ROUTINE_DAYS)
    return assessed_on + dt.timedelta(days=DUE_DAYS.get(priority, 60))


ACTION_CANCELLED_MESSAGE = _(
    "Cancelled actions stay closed: an action is cancelled only when the employee's records "
    "are erased."
)
ACTION_SUPERSEDED_MESSAGE = _(
    "Superseded actions stay closed: an action is superseded only when a completed amendment "
    "no longer recommends it."
)


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
        cls,
        rec: Recommendation,
        *,
        assessed_on: dt.date,
        owner: Any = None,
        due_on: dt.date | None = None,
    ) -> ActionDraft:
        """The action a recommendation becomes: what the completion page proposes for the
        assessor to keep, edit or drop, and what the demo data, benchmarks and tests take
        over. The what-if figure goes with the action; the due date follows the referral's
        urgency or the priority (`due_date_for`) unless one is given."""
        return cls(
            code=rec.code,
            title=rec.title[: Action._meta.get_field("title").max_length],
            detail=f"{rec.action} ({rec.what_if})" if rec.what_if else rec.action,
            rationale=rec.why,
            category=rec.category,
            priority=rec.priority,
            cost_band=rec.cost_band,
            owner=owner,
            due_on=due_on
            or due_date_for(code=rec.code, priority=rec.priority, assessed_on=assessed_on),
        )


@dataclass(frozen=True)
class Completion:
    """A completed assessment, the actions created for it and, for an amendment, what
    happened to the open actions of the revision it supersedes."""

    assessment: Assessment
    created: tuple[Action, ...]
    carry_over: CarryOver


@transaction.atomic
def assessment_complete(
    *,
    assessment: Assessment,
    user: Any,
    actions: list[ActionDraft],
    reassess_due: dt.date | None = None,
    statements: list[dict[str, Any]] | None = None,
) -> Assessment:
    """Sign the assessment and create its actions: `assessment_completion` without the
    account of what was created and carried over."""
    return assessment_completion(
        assessment=assessment,
        user=user,
        actions=actions,
        reassess_due=reassess_due,
        statements=statements,
    ).assessment


@transaction.atomic
def assessment_completion(
    *,
    assessment: Assessment,
    user: Any,
    actions: list[ActionDraft],
    reassess_due: dt.date | None = None,
    statements: list[dict[str, Any]] | None = None,
) -> Completion:
    """Sign the assessment (score once, store the snapshot, set the reassessment date) and
    create the actions the assessor confirmed.

    An amendment first takes over the open actions of the revision it supersedes that its
    results still recommend, and closes the others as superseded
    (`assessments.actions.carry_over`); no action is created for a code carried over.

    The OH and manager PDFs are rendered from the snapshot afterwards
    (`assessments.reporting.tasks.reports_schedule`), or on first download.

    Raises `interchange.InputErrors` if the inputs cannot be scored (nothing is saved).
    """
    with employees_changing([assessment.employee_id]):
        signed = assessment_sign(
            assessment=assessment, reassess_due=reassess_due, statements=statements
        )
        recommended = [rec.code for rec in read_results(signed.results).recommendations]
        moved = carry_over(amendment=signed, recommended=recommended)
        created = []
        for draft in actions:
            if draft.code in moved.carried_codes:
                continue  # the open action of the superseded revision carries on
            action = Action(
                assessment=signed,
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
            created.append(action)
    return Completion(assessment=signed, created=tuple(created), carry_over=moved)


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
    with employees_changing([action.assessment.employee_id]):
        current = Action.objects.select_for_update().get(pk=action.pk)
        if current.status == Action.Status.CANCELLED or status == Action.Status.CANCELLED:
            raise ValidationError({"status": str(ACTION_CANCELLED_MESSAGE)})
        if current.status == Action.Status.SUPERSEDED or status == Action.Status.SUPERSEDED:
            raise ValidationError({"status": str(ACTION_SUPERSEDED_MESSAGE)})
        if lock_version is not None and current.lock_version != lock_version:
            submitted: dict[str, Any] = {"status": status, "evidence_note": evidence_note}
            if update_owner:
                submitted.update(owner=owner, due_on=due_on)
            raise StaleEditError(current, changed_fields(current, submitted))
        action.refresh_from_db()
        action.lock_version += 1
        action.status = status
        action.evidence_note = evidence_note
        if update_owner:
            action.owner = owner
            action.due_on = due_on
        action.completed_on = completed_on or action.completed_on
        action.full_clean()  # the follow-up rules: `Action.clean`
        created = timezone.localdate(action.created_at) if action.created_at else None
        action.closed_in_days = (
            max(0, (action.completed_on - created).days)
            if action.completed_on is not None and created is not None
            else None
        )
        action.save()
    return action


@transaction.atomic
def actions_bulk_update(*, actions: QuerySet[Action], status: str, note: str) -> int:
    """Set every one of `actions` to `status` (with `note`, or each its own evidence note),
    all of them or none; the dashboard counts of their employees are updated once."""
    actions = actions.select_related("assessment")
    count = 0
    with employees_changing(actions.values_list("assessment__employee_id", flat=True)):
        for action in actions:
            action_update(action=action, status=status, evidence_note=note or action.evidence_note)
            count += 1
    return count


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
