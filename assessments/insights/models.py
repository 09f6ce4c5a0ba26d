"""Stored per-department dashboard counts (`assessments.insights.tallies`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.people.models import Department


class TallyRow(models.Model):
    """One stored dashboard count of a department; `assessments.insights.tallies` defines them."""

    class Figure(models.TextChoices):
        BAND = "band", _("Current assessments by band")
        ROSA = "rosa", _("ROSA section at action level")
        LIMITING = "limiting", _("Lifting limited by a multiplier")
        HIGH_CLOSED = "high_closed", _("High or very high with every action closed")
        REASSESS = "reassess", _("Reassessments by due date")
        CODE = "code", _("Current actions by recommendation code")
        TREND = "trend", _("Completed assessments by quarter, band and score")
        CHANGE = "change", _("Change in strain score since the previous assessment")
        ACTION = "action", _("Actions by status and days to close")
        OVERDUE = "overdue", _("Open actions by due date")

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="tally_rows")
    figure = models.CharField(max_length=12, choices=Figure.choices)
    #: Band, ROSA section, multiplier, recommendation code or action status.
    key = models.CharField(max_length=60, blank=True)
    #: Reassessment due date, first day of the quarter, or action due date.
    day = models.DateField(null=True, blank=True)
    #: Strain score, change in strain score, or days to close.
    number = models.FloatField(null=True, blank=True)
    #: Counted in a line manager's view (not a personal health action, not a draft's).
    for_managers = models.BooleanField(default=True)
    n = models.PositiveIntegerField()
    #: For a recommendation code: the newest wording, and the action it was read from.
    label = models.CharField(max_length=200, blank=True)
    ref = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["figure", "department", "day"], name="tally_figure"),
            # The dashboard sums most figures over the departments in view, grouped by
            # (figure, key, day, number): read in that order from this index alone.
            models.Index(
                fields=["figure", "key", "day", "number", "department", "for_managers", "n"],
                name="tally_summed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.figure} {self.key} {self.day or ''} {self.number or ''}: {self.n}"
