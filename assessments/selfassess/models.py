"""Self-assessments: an employee answers through a signed link, OH triages and signs off.

Everything here about an employee is personal data, and the answers, results, alerts and
events are health data: OH staff and admins only, erased with the employee
(`assessments.privacy.services.employee_erase`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.people.models import Employee
from assessments.records.models import Assessment


class Invitation(models.Model):
    """One round of self-assessment for one employee: the link, the answers, the triage.

    Only hashes of its links' secrets are stored (`LinkKey`, `selfassess.tokens`)."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        STARTED = "started", _("Started")
        RETURNED = "returned", _("Returned, waiting for triage")
        QUESTION = "question", _("Question asked, waiting for the employee")
        VISIT = "visit", _("Visit booked")
        SIGNED_OFF = "signed_off", _("Signed off")
        CANCELLED = "cancelled", _("Cancelled")

    #: Statuses in which the employee may still answer the questionnaire.
    OPEN_FOR_ANSWERS = (Status.INVITED, Status.STARTED)
    #: Statuses that are waiting for OH (the triage backlog).
    WAITING_FOR_OH = (Status.RETURNED,)
    #: Returned and not yet triaged, a question out to the employee included: the triage
    #: queue and the dashboard's backlog (`insights.figures.triage_backlog_q`).
    BACKLOG = (Status.RETURNED, Status.QUESTION)
    #: Statuses of an invitation still in progress (no new invitation while one is).
    IN_PROGRESS = (Status.INVITED, Status.STARTED, Status.RETURNED, Status.QUESTION)

    class Trigger(models.TextChoices):
        MANUAL = "manual", _("Invited by OH")
        EVENT = "event", _("An event")
        CYCLE = "cycle", _("Reassessment cycle")

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="self_assessments"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trigger = models.CharField(max_length=8, choices=Trigger.choices, default=Trigger.MANUAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    #: When the invitation email was sent; null: no email address (paper / in person).
    sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    #: The answers so far, by screen and question (health data).
    answers = models.JSONField(default=dict, blank=True)
    #: The scoring results of the returned answers (interchange result format), self-reported.
    results = models.JSONField(null=True, blank=True, editable=False)
    #: The answers in the scoring interchange input format (self-reported).
    inputs = models.JSONField(null=True, blank=True, editable=False)
    #: 0 = red flags, 1 = possible inflammatory or persistent pain, 2.. the band (`triage.py`).
    urgency = models.PositiveSmallIntegerField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    advice = models.TextField(_("advice to the employee"), blank=True)
    question = models.TextField(_("question to the employee"), blank=True)
    reply = models.TextField(_("the employee's reply"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    #: A booked visit's pre-filled fields still to confirm: section -> field names (a section
    #: is confirmed when the assessor saves it).
    prefilled = models.JSONField(default=dict, blank=True, editable=False)
    #: The assessment this self-assessment became: a booked visit's draft, or the completed
    #: assessment a sign-off records.
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "urgency", "returned_at"]),
            models.Index(fields=["employee", "status"]),
        ]

    def __str__(self) -> str:
        return f"Self-assessment {self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("selfassess_detail", args=[self.pk])

    @property
    def is_expired(self) -> bool:
        return self.status in self.OPEN_FOR_ANSWERS and self.expires_at <= timezone.now()


class LinkKey(models.Model):
    """The hash of one link's secret. Each email carries a fresh link (the secret itself is
    never stored, so a reminder cannot repeat it); every link of an invitation works until
    the invitation expires or is answered."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="keys")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Link {self.pk}"


class Alert(models.Model):
    """A positive red-flag answer: it stays on OH's home page until an assessor
    acknowledges it (who and when are kept)."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="alerts")
    emergency = models.BooleanField(default=False)
    #: The red-flag fields answered "yes".
    flags = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-emergency", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Red-flag alert {self.pk}"


class EventKind(models.TextChoices):
    NEW_STARTER = "new_starter", _("New starter")
    WORKSTATION = "workstation", _("New or changed workstation")
    PAIN_REPORT = "pain_report", _("Pain report")
    PREGNANCY = "pregnancy", _("Pregnancy")
    HOME_WORKING = "home_working", _("Move to home or hybrid working")
    RETURN_TO_WORK = "return_to_work", _("Return to work after back pain")
    MANAGER_REQUEST = "manager_request", _("Manager's request")


class EventRule(models.Model):
    """What an event opens: an invitation to a self-assessment or an assessor review.
    Admins change these in the Django admin."""

    class Outcome(models.TextChoices):
        INVITE = "invite", _("Invite to a self-assessment")
        REVIEW = "review", _("Assessor review")

    kind = models.CharField(max_length=20, choices=EventKind.choices, unique=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.INVITE)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_outcome_display()}"


class EmployeeEvent(models.Model):
    """Something that calls for a (re)assessment. A pain report or a pregnancy is health
    data: OH only, erased with the employee."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=8, choices=EventRule.Outcome.choices)
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    #: For an assessor review: when an assessor closed it.
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"


class SentEmail(models.Model):
    """Each email sent about an invitation (what kind, when): "nothing is sent twice" is a
    unique constraint, not a hope."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER_1 = "reminder_1", _("First reminder")
        REMINDER_2 = "reminder_2", _("Second reminder")
        QUESTION = "question", _("Question from OH")
        ALERT = "alert", _("Red-flag alert to OH")

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "kind"],
                condition=~models.Q(kind="question"),
                name="selfassess_email_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.sent_at:%Y-%m-%d})"


class Consent(models.Model):
    """Whether the employee lets their line manager see this completed assessment (one
    revision; an amendment's revision asks again). Managers see an individual's assessment
    only when it is given or predates (`assessments.permissions.consent_visible_q`).

    Only hashes of its links' secrets are stored (`ConsentKey`)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the employee")
        GIVEN = "given", _("Given")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        PREDATES = "predates", _("Recorded before consent was asked")

    #: The statuses that let a line manager see the assessment.
    SHARED = (Status.GIVEN, Status.PREDATES)
    #: The decisions an employee or OH may record.
    DECISIONS = (Status.GIVEN, Status.REFUSED, Status.WITHDRAWN)

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="consent")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    #: The OH user who recorded a decision given in person; null: the employee, by link.
    decided_by_oh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    #: When the last link was emailed; null: none sent (no address: asked in person).
    link_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"Consent for assessment {self.assessment_id} ({self.get_status_display()})"

    @property
    def is_shared(self) -> bool:
        return self.status in self.SHARED


class ConsentEvent(models.Model):
    """The history of one consent: each decision (and each link sent), who and when."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=Consent.Status.choices)
    at = models.DateTimeField(default=timezone.now)
    #: The OH user who recorded it; null: the employee, through their link.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} at {self.at:%Y-%m-%d %H:%M}"


class ConsentKey(models.Model):
    """The hash of one consent link's secret (its own salt, `tokens.CONSENT`); the link
    works until `expires_at` (`CONSENT_LINK_DAYS` after it was sent)."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="keys")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Consent link {self.pk}"
