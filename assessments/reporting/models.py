"""Stored PDF reports and the background jobs people start and follow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.people.models import Department
from assessments.records.models import Assessment


class Report(models.Model):
    """An immutable PDF rendered from a completed assessment's snapshot."""

    class Kind(models.TextChoices):
        OH = "oh", _("OH report")
        MANAGER = "manager", _("Manager report")

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    file = models.FileField(upload_to="reports/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    snapshot_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind"], name="one_report_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for assessment {self.assessment_id}"


class PendingReports(models.Model):
    """A completed assessment whose stored reports are still to be rendered.

    Written when completion schedules the rendering, deleted once both reports are stored.
    Until then the assessment page says the reports are being prepared. When the queue
    could not be reached (`NOT_QUEUED`), or a queued rendering never finished, a worker
    catches up (`assessments.reporting.tasks.reports_catch_up`); a download renders a
    missing report there and then in any case.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Waiting for the change to be saved")
        QUEUED = "queued", _("Queued")
        NOT_QUEUED = "not_queued", _("The queue could not be reached")

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, primary_key=True, related_name="pending_reports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "pending reports"

    def __str__(self) -> str:
        return f"Reports of assessment {self.assessment_id}: {self.get_status_display()}"


class Job(models.Model):
    """Background work someone asked for: a department report pack or a report email.

    The worker updates `done` of `total` as it goes, keeps every retried step in
    `retries`, and ends with a downloadable `result` or an `error`.
    """

    class Kind(models.TextChoices):
        PACK = "pack", _("Department report pack")
        EMAIL = "email", _("Manager report email")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")
        #: Its result held records that have since been erased: the file is deleted.
        EXPIRED = "expired", _("Expired")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    result = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    retries = models.JSONField(default=list, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=F("total")), name="job_done_within_total")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED, self.Status.EXPIRED)
