"""What happens to the actions of a revision when its amendment is completed.

An amendment replaces the revision it supersedes. Of that revision's open actions (open or
in progress), those whose recommendation code the amendment's results still recommend move
to the amendment: the same row is re-pointed, so its owner, due date, progress and change
history stay, and no second action is created for that code. The others close as
superseded, with a note naming the revision that replaced them. Closed actions (done,
declined, cancelled) stay where they are, as the record of what was done.

`plan` says what would happen (the completion page shows it before the assessor
confirms); `carry_over` does it, inside the completion's transaction
(`assessments.actions.services.assessment_complete`), the one path for the web, imports,
demo data and tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.actions.models import Action
from assessments.records.models import Assessment


@dataclass(frozen=True)
class CarryOver:
    """The open actions of the superseded revision, split by what happens to them."""

    carried: tuple[Action, ...] = ()
    closed: tuple[Action, ...] = ()

    @property
    def carried_codes(self) -> frozenset[str]:
        return frozenset(action.code for action in self.carried)

    def __bool__(self) -> bool:
        return bool(self.carried or self.closed)


def superseded_note(amendment: Assessment) -> str:
    """The note a superseded action carries: which revision replaced its assessment."""
    return _(
        "Superseded by revision {revision} (completed {date}), which no longer recommends it."
    ).format(revision=amendment.revision, date=timezone.localdate(amendment.completed_at))


def plan(*, amendment: Assessment, recommended: Iterable[str]) -> CarryOver:
    """What completing `amendment` with these recommendation codes would do to the open
    actions of the revision it supersedes (nothing is changed)."""
    if amendment.supersedes_id is None:
        return CarryOver()
    codes = set(recommended)
    carried: list[Action] = []
    closed: list[Action] = []
    for action in Action.objects.filter(
        assessment_id=amendment.supersedes_id, status__in=Action.OPEN_STATUSES
    ).order_by("priority", "pk"):
        (carried if action.code in codes else closed).append(action)
    return CarryOver(carried=tuple(carried), closed=tuple(closed))


def carry_over(*, amendment: Assessment, recommended: Iterable[str]) -> CarryOver:
    """Move the still-recommended open actions of the superseded revision to the completed
    `amendment` and close the rest as superseded. Call it in the completion's transaction."""
    outcome = plan(amendment=amendment, recommended=recommended)
    note = superseded_note(amendment) if outcome.closed else ""
    for action in outcome.carried:
        action.assessment = amendment
        action.lock_version += 1
        action.save(update_fields=["assessment", "lock_version", "updated_at"])
    for action in outcome.closed:
        action.status = Action.Status.SUPERSEDED
        action.completed_on = None
        action.closed_in_days = None
        action.evidence_note = f"{action.evidence_note}\n{note}".strip()
        action.lock_version += 1
        action.full_clean()
        action.save()
    return outcome
