"""Sites, departments, employees and the audit trail of who saw health data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Site(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    address = models.CharField(_("address"), max_length=250, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="departments")
    name = models.CharField(_("name"), max_length=120)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="managed_departments"
    )

    class Meta:
        ordering = ["site__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="department_unique_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.site.name})"


class Employee(models.Model):
    class WorkType(models.TextChoices):
        OFFICE = "office", _("Office / desk-based")
        MANUAL = "manual", _("Manual handling / warehouse")
        MIXED = "mixed", _("Mixed")

    hr_reference = models.CharField(_("HR reference"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    #: Personal data: erased with the rest (`assessments.privacy`), in the data export.
    email = models.EmailField(_("email"), blank=True)
    job_title = models.CharField(_("job title"), max_length=150)
    work_type = models.CharField(
        _("work type"), max_length=10, choices=WorkType.choices, default=WorkType.OFFICE
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="employees")
    active = models.BooleanField(_("active"), default=True)
    started_on = models.DateField(_("start date"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    #: Every saved change (a department move changes which managers see the person), for
    #: the admin's history page; erasure deletes these rows with the rest.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["department", "active"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.hr_reference})"

    def get_absolute_url(self) -> str:
        return reverse("employee_detail", args=[self.pk])

    @property
    def is_erased(self) -> bool:
        """Erased on request or by the retention run: only anonymous statistics remain."""
        return self.anonymised_at is not None


class DepartmentTally(models.Model):
    """How far a department's stored dashboard counts are current.

    Every change that can move a dashboard figure raises `version` in the same transaction
    (`assessments.people.changes.departments_changed`); the dashboard recounts a department
    whose `counted_version` is behind before it reads the counts
    (`assessments.insights.tallies`).
    """

    department = models.OneToOneField(
        "Department", on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    version = models.PositiveBigIntegerField(default=1)
    counted_version = models.PositiveBigIntegerField(default=0)
    #: The date the counts were taken on: due dates before it are stored as one row.
    counted_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Dashboard counts of department {self.department_id}"


class AuditEvent(models.Model):
    """Who looked at or changed health data, for the admins' audit trail."""

    class Kind(models.TextChoices):
        VIEW_HEALTH = "view_health", _("Viewed health detail")
        VIEW_OH_REPORT = "view_oh_report", _("Viewed OH report")
        EXPORT = "export", _("Exported data")
        ERASE = "erase", _("Erased / anonymised")
        ROSTER_SYNC = "roster_sync", _("Synced the HR roster")
        SSO_SIGN_IN = "sso_sign_in", _("Signed in with single sign-on")
        SSO_REFUSED = "sso_refused", _("Single sign-on refused")
        ROLE_CHANGE = "role_change", _("Role changed at sign-in")
        ALERT_ACK = "alert_ack", _("Acknowledged a red-flag alert")
        CONSENT = "consent", _("Consent to share with the manager decided")
        CONSENT_LINK = "consent_link", _("Sent a consent link")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    employee = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessment = models.ForeignKey(
        "records.Assessment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.CharField(max_length=250, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.user_id} at {self.at:%Y-%m-%d %H:%M}"
