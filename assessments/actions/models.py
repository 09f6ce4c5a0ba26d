"""Actions: recommendations made concrete, followed up to closure."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.records.models import Assessment

DECLINED_NEEDS_REASON = _("Say why the action was declined.")


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")
        #: Closed without being done, by the system: the employee's records were erased.
        CANCELLED = "cancelled", _("Cancelled")
        #: Closed by the system: a completed amendment replaced the assessment that raised it
        #: and no longer recommends it (`assessments.actions.carry_over`).
        SUPERSEDED = "superseded", _("Superseded")

    #: Statuses of a closed action: every count of open actions leaves them out.
    CLOSED = (Status.DONE, Status.DECLINED, Status.CANCELLED, Status.SUPERSEDED)
    #: Statuses only the system sets (an erasure, a completed amendment); nobody chooses
    #: them and an action in one of them cannot be changed.
    SYSTEM_STATUSES = (Status.CANCELLED, Status.SUPERSEDED)
    #: The reason of every cancelled action: an erasure is the one thing that cancels.
    CANCELLED_REASON = _("Cancelled because the employee's records were erased.")

    #: An action still to be carried out; done and declined close it.
    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    class Priority(models.IntegerChoices):
        URGENT = 1, _("Urgent")
        HIGH = 2, _("High")
        MEDIUM = 3, _("Medium")
        LOW = 4, _("Low")

    class Category(models.TextChoices):
        ELIMINATE = "eliminate", _("Eliminate")
        ENGINEERING = "engineering", _("Engineering control")
        ADMINISTRATIVE = "administrative", _("Administrative control")
        INDIVIDUAL = "individual", _("Individual / health")
        CLINICAL = "clinical", _("Clinical referral")

    class CostBand(models.TextChoices):
        NONE = "none", _("No cost")
        LOW = "low", _("Low (under £100)")
        MEDIUM = "medium", _("Medium (£100–£1,000)")
        HIGH = "high", _("High (over £1,000)")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("recommendation code"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    detail = models.TextField(_("what to do"), blank=True)
    rationale = models.TextField(_("why"), blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    cost_band = models.CharField(
        _("cost band"), max_length=8, choices=CostBand.choices, default=CostBand.LOW
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    closed_in_days = models.PositiveIntegerField(null=True, blank=True, editable=False)
    evidence_note = models.TextField(_("evidence / notes"), blank=True)
    #: Raised on every update; an edit based on an older version is refused, not applied.
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "due_on", "pk"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["code"]),
            # Covers a department's recount of the dashboard counts
            # (`assessments.insights.tallies`).
            models.Index(
                fields=["assessment", "status", "code", "category", "closed_in_days", "due_on"],
                name="action_assessment_cover",
            ),
            models.Index(fields=["status", "closed_in_days"], name="action_closed_in_days"),
            # The list's and the board's order, so a page is read off the index, not sorted.
            models.Index(fields=["priority", "due_on"], name="action_list_order"),
            models.Index(fields=["status", "priority", "due_on"], name="action_board_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="done_action_has_completion_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(evidence_note=""),
                name="declined_action_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("action_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status not in self.OPEN_STATUSES

    def clean(self) -> None:
        """The follow-up rules, for forms, services and the admin alike: a declined action
        says why; a done action has a completion date (today unless given); an action that
        is not done has none."""
        if self.status == self.Status.DECLINED and not self.evidence_note.strip():
            raise ValidationError({"evidence_note": DECLINED_NEEDS_REASON})
        if self.status == self.Status.DONE:
            self.completed_on = self.completed_on or timezone.localdate()
        else:
            self.completed_on = None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """`overdue_q` for this one action, as loaded."""
        today = today or timezone.localdate()
        return not self.is_closed and self.due_on is not None and self.due_on < today


def open_q() -> Q:
    """Actions still to be carried out: open or in progress."""
    return Q(status__in=Action.OPEN_STATUSES)


def past_due_q(today: dt.date, column: str = "due_on") -> Q:
    """A due date (in `column`) before `today`."""
    return Q(**{f"{column}__lt": today})


def overdue_q(today: dt.date) -> Q:
    """Open or in progress, with a due date before `today`."""
    return open_q() & past_due_q(today)
